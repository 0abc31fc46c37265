"""Thin tasks: load the row's id, call a service. The row says what work remains."""

from celery import shared_task

from factdesk.sources import services, wayback


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
    services.enqueue_fetches(due)  # outside a transaction: published at once, one producer
    waiting = wayback.wayback_due()
    for source_id in waiting:
        source_wayback_task.delay(source_id)
    return len(due) + len(waiting)


@shared_task(name="factdesk.sources.tasks.sources_recheck", ignore_result=True, max_retries=0)
def sources_recheck() -> int:
    """Daily (beat): re-fetch the sources of published fact checks."""
    return services.sources_recheck_published()
