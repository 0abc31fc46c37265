"""The Celery app. Settings come from Django's, under the CELERY_ namespace."""

import os

from celery import Celery
from celery.signals import task_postrun, task_prerun, worker_init, worker_ready, worker_shutdown

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "factdesk.settings")

app = Celery("factdesk")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


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
