"""Thin tasks: load the row's id, call a service. The row says what work remains."""

from celery import Task, shared_task

from factdesk.sources import services, wayback


def send_each(task: Task, row_ids: list[int]) -> None:
    """A message per row, all through one producer in pipelined batches: a paste of hundreds
    of links, the sweeper's lists."""
    if not row_ids:
        return
    with task.app.producer_or_acquire() as producer, producer.batch():
        for row_id in row_ids:
            task.apply_async((row_id,), producer=producer)


@shared_task(
    name="factdesk.sources.tasks.source_fetch",
    acks_late=True,
    max_retries=0,  # retries live in the row (next_attempt_at), not in Celery countdowns
    ignore_result=True,
)
def source_fetch_task(source_id: int) -> None:
    services.source_fetch(source_id=source_id)


@shared_task(
    name="factdesk.sources.tasks.source_wayback", acks_late=True, max_retries=0, ignore_result=True
)
def source_wayback_task(source_id: int) -> None:
    wayback.source_wayback(source_id=source_id)


@shared_task(name="factdesk.sources.tasks.sources_sweep", ignore_result=True, max_retries=0)
def sources_sweep() -> int:
    """Every minute (beat): re-enqueue rows that are due and rows whose lease expired, so a
    lost message or a killed worker loses nothing."""
    due = services.sources_due()
    services.enqueue_fetches(due)  # outside a transaction: published at once
    waiting = wayback.wayback_due()
    send_each(source_wayback_task, waiting)
    return len(due) + len(waiting)


@shared_task(name="factdesk.sources.tasks.sources_recheck", ignore_result=True, max_retries=0)
def sources_recheck() -> int:
    """Daily (beat): re-fetch the sources of published fact checks."""
    return services.sources_recheck_published()
