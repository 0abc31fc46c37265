"""Thin tasks: call a service. The import's row says whether there is work."""

from __future__ import annotations

from celery import shared_task
from django.conf import settings

from factdesk.checkimport import services


@shared_task(
    name="factdesk.checkimport.tasks.check_import",
    ignore_result=True,
    max_retries=0,
    # One transaction for the whole export: a big workspace takes longer than the default.
    soft_time_limit=settings.CHECK_IMPORT_SECONDS,
    time_limit=settings.CHECK_IMPORT_SECONDS + 30,
)
def check_import(check_import_id: int) -> None:
    """Import a Check export a publisher confirmed (checkimport/services.py)."""
    services.check_import_run(check_import_id)
