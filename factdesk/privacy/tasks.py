"""Thin tasks: call a service."""

from __future__ import annotations

from celery import shared_task

from factdesk.privacy import services


@shared_task(name="factdesk.privacy.tasks.check_personal_data_expire", ignore_result=True)
def check_personal_data_expire() -> None:
    """Delete what a Check import brought in that is older than CHECK_PERSONAL_DATA_DAYS."""
    services.check_personal_data_expire()
