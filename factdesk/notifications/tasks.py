"""Thin tasks: take a notification's id, call a service. The row says what email remains."""

from __future__ import annotations

import logging
import smtplib

from celery import shared_task
from kombu.exceptions import OperationalError
from redis.exceptions import RedisError

from factdesk.notifications import selectors, services

logger = logging.getLogger(__name__)


def send_emails(notification_ids: list[int]) -> None:
    """A message per notification to email. With the broker down nothing is lost: the rows
    say what is unsent, and the sweeper sends it once the broker is back."""
    try:
        with send_email.app.producer_or_acquire() as producer:
            for notification_id in notification_ids:
                send_email.apply_async((notification_id,), producer=producer)
    except (OperationalError, RedisError, OSError) as error:
        logger.warning(
            "%d email(s) not queued, the broker is unreachable (%s)", len(notification_ids), error
        )


@shared_task(
    name="factdesk.notifications.tasks.send_email",
    queue="default",
    acks_late=True,
    # A mail server that is down or refuses for now; an address it rejects for good is the
    # recipient's to fix, and retrying would not help.
    autoretry_for=(
        smtplib.SMTPServerDisconnected,
        smtplib.SMTPConnectError,
        ConnectionError,
        TimeoutError,
    ),
    max_retries=5,
    default_retry_delay=60,
    ignore_result=True,
)
def send_email(notification_id: int) -> None:
    services.notification_email_send(notification_id=notification_id)


@shared_task(name="factdesk.notifications.tasks.emails_sweep", ignore_result=True, max_retries=0)
def emails_sweep() -> int:
    """Every few minutes (beat): queue again the emails whose message was lost."""
    due = selectors.emails_due()
    send_emails(due)
    return len(due)
