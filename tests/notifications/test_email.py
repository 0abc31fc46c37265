"""Email goes out through a real Celery worker to a real SMTP server (aiosmtpd): a locmem
outbox in the worker's process would be out of the test's reach."""

from __future__ import annotations

import pytest

from factdesk.claims import services as claim_services
from factdesk.claims.workflow import ClaimStatus
from factdesk.notifications import services
from factdesk.notifications.models import Kind, Notification
from tests.claims.flow import Desk
from tests.conftest import WorkerProcess, wait_until
from tests.notifications.smtp import smtp_server


@pytest.fixture
def mail(transactional_db):
    """An SMTP server, and a worker whose Django sends email through it."""
    with smtp_server() as (inbox, port):
        worker = WorkerProcess(
            queues="default",
            concurrency=1,
            env={
                "EMAIL_HOST": "127.0.0.1",
                "EMAIL_PORT": str(port),
                "DESK_URL": "https://desk.example",
            },
        )
        try:
            yield inbox, worker
        finally:
            worker.stop()


def test_a_request_for_changes_is_emailed_to_the_author_who_asked(
    mail, reporter, editor, publisher, ratings
):
    inbox, worker = mail
    services.email_preference_save(
        actor=reporter, enabled=True, address="rita@home.example", kinds=[Kind.CHANGES_REQUESTED]
    )
    # The editor's address is known, but he did not ask for email.
    desk = Desk(reporter=reporter, editor=editor, publisher=publisher, ratings=ratings)
    claim = desk.claim_in(ClaimStatus.IN_REVIEW)
    claim_services.review_submit(
        actor=editor, claim=claim, decision="changes", comment="Cite the March table."
    )
    wait_until(
        lambda: inbox.messages,
        what=lambda: f"an email; the worker's log:\n{worker.log_path.read_text()}",
    )
    notification = Notification.objects.get(recipient=reporter, kind=Kind.CHANGES_REQUESTED)
    wait_until(
        lambda: Notification.objects.filter(pk=notification.pk, emailed_at__isnull=False).exists(),
        what="the notification marked emailed",
    )
    ((recipients, message),) = inbox.messages
    assert recipients == ["rita@home.example"]
    assert "requested changes on your draft" in message["Subject"]
    body = message.get_content()
    assert "“Cite the March table.”" in body
    assert f"https://desk.example/notifications/{notification.pk}/" in body
    assert claim.text in body
    # Delivered again (a redelivered message, the sweeper): the row says it is sent.
    assert services.notification_email_send(notification_id=notification.pk) is False
    assert len(inbox.messages) == 1
