"""Thin tasks: call a service. The delivery rows say what remains to send."""

from __future__ import annotations

from celery import shared_task

from factdesk.webhooks import services


@shared_task(name="factdesk.webhooks.tasks.deliver", ignore_result=True, max_retries=0)
def deliver(delivery_id: int) -> None:
    """One attempt at a delivery; the next one queued for when its retry is due."""
    delivery = services.delivery_attempt(delivery_id)
    if delivery is not None and delivery.status == delivery.Status.PENDING:
        deliver.apply_async((delivery_id,), eta=delivery.next_attempt_at)


@shared_task(name="factdesk.webhooks.tasks.deliveries_sweep", ignore_result=True, max_retries=0)
def deliveries_sweep() -> int:
    """Every minute (beat): deliveries whose attempt was lost (a worker killed mid-send, a
    queue emptied) or is due, sent."""
    due = services.deliveries_due()
    for delivery_id in due:
        deliver.delay(delivery_id)
    return len(due)
