"""Sending one notification's email: once, only if still wanted, released for a retry when
the mail server fails, given up when it refuses the address; the sweeper's list."""

from __future__ import annotations

import smtplib
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from factdesk.notifications import selectors, services
from factdesk.notifications.models import EmailPreference, Kind, Notification
from tests.claims.flow import log_claim


@pytest.fixture
def wanted(reporter):
    EmailPreference.objects.create(
        user=reporter, enabled=True, address="rita@home.example", kinds=[Kind.ASSIGNED]
    )
    claim = log_claim(reporter)
    return Notification.objects.create(
        recipient=reporter,
        claim=claim,
        kind=Kind.ASSIGNED,
        text="Ed assigned you a claim",
        key="test:1",
        email_wanted=True,
    )


def test_sent_once_to_the_chosen_address(wanted):
    assert services.notification_email_send(notification_id=wanted.pk) is True
    assert services.notification_email_send(notification_id=wanted.pk) is False
    (message,) = mail.outbox
    assert message.to == ["rita@home.example"]
    assert message.subject == "[factdesk] Ed assigned you a claim"
    wanted.refresh_from_db()
    assert wanted.emailed_at is not None


def test_not_sent_when_email_was_turned_off_since(wanted, reporter):
    EmailPreference.objects.filter(user=reporter).update(enabled=False)
    assert services.notification_email_send(notification_id=wanted.pk) is False
    assert mail.outbox == []
    wanted.refresh_from_db()
    assert not wanted.email_wanted


def test_a_mail_server_down_leaves_it_for_the_retry(wanted, monkeypatch):
    def down(**kwargs):
        raise ConnectionRefusedError("connection refused")

    monkeypatch.setattr(services, "send_mail", down)
    with pytest.raises(ConnectionRefusedError):
        services.notification_email_send(notification_id=wanted.pk)
    wanted.refresh_from_db()
    assert (wanted.email_wanted, wanted.emailed_at) == (True, None)


def test_a_refused_address_is_given_up(wanted, monkeypatch):
    def refuse(**kwargs):
        raise smtplib.SMTPRecipientsRefused({"rita@home.example": (550, b"no such user")})

    monkeypatch.setattr(services, "send_mail", refuse)
    assert services.notification_email_send(notification_id=wanted.pk) is False
    wanted.refresh_from_db()
    assert (wanted.email_wanted, wanted.emailed_at) == (False, None)
    assert wanted.pk not in selectors.emails_due(older_than=timedelta(0))


def test_the_sweeper_lists_emails_wanted_and_unsent_a_while_after(wanted, reporter):
    assert selectors.emails_due() == []  # just made: its message is on its way
    Notification.objects.filter(pk=wanted.pk).update(
        created_at=timezone.now() - timedelta(minutes=5)
    )
    assert selectors.emails_due() == [wanted.pk]
    services.notification_email_send(notification_id=wanted.pk)
    assert selectors.emails_due() == []
