"""Core tasks: the round trip /healthz sends through the broker, and beat's heartbeat."""

import socket

from celery import shared_task
from django.utils import timezone

from factdesk.core import heartbeat

BEAT_HEARTBEAT_KEY = "core:beat-heartbeat"


@shared_task(name="factdesk.core.tasks.health_check", ignore_result=False, max_retries=0)
def health_check() -> dict[str, str]:
    """Answer /healthz: proves a worker took a message off the queue and could reply."""
    return {"worker": socket.gethostname()}


@shared_task(name="factdesk.core.tasks.beat_heartbeat", max_retries=0)
def beat_heartbeat() -> None:
    """Beat sends this every minute; /healthz reports how long ago the last one ran."""
    heartbeat.client().set(BEAT_HEARTBEAT_KEY, timezone.now().isoformat())
