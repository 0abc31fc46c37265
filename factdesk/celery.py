"""The Celery app. Settings come from Django's, under the CELERY_ namespace."""

import os

from celery import Celery
from celery.signals import task_postrun, task_prerun, worker_init, worker_ready, worker_shutdown
from kombu import Connection
from kombu.message import Message

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "factdesk.settings")

app = Celery("factdesk")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


def _survive_a_lost_broker() -> None:
    """Make kombu 5.7 treat a channel it has already detached like the lost connection it is.

    Why: when Redis goes away while a task runs (an acks_late message not yet acked), the
    worker's consumer closes its connection and connects again. Two things then touch the
    old channel, whose Redis client kombu builds from a transport it has already detached:
    closing it puts the unacked messages back, and the task, when it ends, acks its message.
    Both raise AttributeError instead of a connection error, and the worker stops with
    "Unrecoverable error" (seen in tests/faults, about one run in five). Here both are
    handled as kombu handles a connection error: logged, and the worker goes on. Nothing is
    lost: the message stays in Redis's unacked set and comes back after the visibility
    timeout, and the sweeper sends the row's fetch again from PostgreSQL, which says what
    work remains (a second delivery finds the row done or leased and does nothing)."""

    def maybe_close_channel(self: Connection, channel) -> None:
        try:
            channel.close()
        except (*self.connection_errors, *self.channel_errors, AttributeError):  # type: ignore[misc]
            pass

    Connection.maybe_close_channel = maybe_close_channel  # type: ignore[method-assign]
    for name in ("ack_log_error", "reject_log_error"):
        logging_call = getattr(Message, name)

        def quiet(self, logger, errors, *args, _call=logging_call, **kwargs):
            return _call(self, logger, (*errors, AttributeError), *args, **kwargs)

        setattr(Message, name, quiet)


_survive_a_lost_broker()


@task_prerun.connect
@task_postrun.connect
def _recycle_database_connections(**kwargs) -> None:
    """What Django does around a web request: drop the thread's connection if it is broken
    or older than CONN_MAX_AGE, keep it otherwise (CELERY_DB_REUSE_MAX in settings)."""
    from django.db import close_old_connections

    close_old_connections()


@worker_init.connect
def _warm_up(sender, **kwargs) -> None:
    """A worker that fetches loads at start what its first fetches would otherwise load
    while their pages wait. Workers of other queues skip it."""
    from factdesk.core import http
    from factdesk.sources import reading

    if "fetch" in sender.app.amqp.queues.consume_from:
        http.warm_up()
        reading.warm_up()


_heartbeats = []


@worker_ready.connect
def _start_heartbeat(sender, **kwargs) -> None:
    """/healthz tells a busy worker from a dead one by this (factdesk/core/heartbeat.py)."""
    from factdesk.core.heartbeat import Heartbeat

    heartbeat = Heartbeat(sender.hostname, list(sender.app.amqp.queues.consume_from))
    heartbeat.start()
    _heartbeats.append(heartbeat)


@worker_shutdown.connect
def _stop_heartbeat(**kwargs) -> None:
    while _heartbeats:
        _heartbeats.pop().stop()
