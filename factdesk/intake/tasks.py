"""Thin tasks: call a service. The decisions in PostgreSQL say whether there is work."""

from __future__ import annotations

from celery import shared_task

from factdesk.intake import services


@shared_task(name="factdesk.intake.tasks.worthiness_retrain", ignore_result=True, max_retries=0)
def worthiness_retrain(force: bool = False) -> int | None:
    """Hourly (beat), and when asked: train the desk's model if enough new decisions exist.
    Returns the new model's id, if one was trained."""
    row = services.worthiness_retrain(force=force)
    return row.pk if row else None
