"""Thin tasks: load the row's id, call a service. The row says what work remains."""

from __future__ import annotations

import logging
from datetime import datetime

from celery import Task, shared_task
from django.utils import timezone
from kombu.exceptions import OperationalError
from redis.exceptions import RedisError

from factdesk.sources import fetching, wayback

logger = logging.getLogger(__name__)


def send_each(task: Task, row_ids: list[int]) -> None:
    """A message per row, all through one producer in pipelined batches: a paste of hundreds
    of links, the sweeper's lists."""
    send_at(task, [(row_id, None) for row_id in row_ids])


def send_at(task: Task, rows: list[tuple[int, datetime | None]]) -> None:
    """A message per (row id, due time), each delivered at its row's due time. With the
    broker down nothing is lost and nothing is raised: the rows are saved, and the sweeper
    sends what is due once the broker is back."""
    if not rows:
        return
    now = timezone.now()
    try:
        with task.app.producer_or_acquire() as producer, producer.batch():
            for row_id, due in rows:
                if due is not None and due > now:
                    task.apply_async((row_id,), producer=producer, eta=due)
                else:
                    task.apply_async((row_id,), producer=producer)
    except (OperationalError, RedisError, OSError) as error:
        logger.warning(
            "%s: %d message(s) not sent, the broker is unreachable (%s); the sweeper sends "
            "them once it is back",
            task.name,
            len(rows),
            error,
        )


def send_fetches(rows: list[tuple[int, datetime | None]]) -> None:
    send_at(source_fetch_task, rows)


@shared_task(
    name="factdesk.sources.tasks.source_fetch",
    acks_late=True,
    max_retries=0,  # retries live in the row (next_attempt_at), not in Celery countdowns
    ignore_result=True,
)
def source_fetch_task(source_id: int) -> None:
    fetching.source_fetch(source_id=source_id)


@shared_task(
    name="factdesk.sources.tasks.source_wayback", acks_late=True, max_retries=0, ignore_result=True
)
def source_wayback_task(source_id: int) -> None:
    wayback.source_wayback(source_id=source_id)


@shared_task(name="factdesk.sources.tasks.sources_sweep", ignore_result=True, max_retries=0)
def sources_sweep() -> int:
    """Every minute (beat): send again rows that are due and rows whose lease expired, so a
    lost message or a killed worker loses nothing."""
    due = fetching.sources_due()
    send_fetches([(row.pk, row.next_attempt_at) for row in due])
    waiting = wayback.wayback_due()
    send_each(source_wayback_task, waiting)
    return len(due) + len(waiting)


@shared_task(name="factdesk.sources.tasks.sources_recheck", ignore_result=True, max_retries=0)
def sources_recheck() -> int:
    """Daily (beat): re-fetch the sources of published fact checks."""

    return fetching.sources_recheck_published()
