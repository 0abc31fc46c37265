"""Forgotten passwords: a link by email, which also lifts a lockout; nothing says whether an
address has an account."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import SESSION_KEY
from django.test import Client
from django.urls import reverse

from factdesk.accounts.models import UserSession
from factdesk.claims.models import Activity
from tests.accounts.conftest import link_in

RESET = reverse("accounts:password_reset")
NEW_PASSWORD = "a quiet lighthouse at noon"
ADDRESS = "203.0.113.5"


def log_in(client, username, password):
    return client.post(
        reverse("signin:login"), {"username": username, "password": password}, REMOTE_ADDR=ADDRESS
    )


def test_the_login_page_links_to_the_reset(client, db):
    page = client.get(reverse("signin:login")).text
    assert f'href="{RESET}">Forgot your password?</a>' in page


def test_a_locked_out_reporter_resets_by_email_and_logs_in_again(
    client, reporter, password, settings, mail
):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        log_in(client, "rita", "wrong")
    assert log_in(client, "rita", password).status_code == 429  # locked out

    sent = client.post(RESET, {"email": reporter.email}, follow=True)
    assert "Check your email" in sent.text
    ((recipients, message),) = mail.messages
    assert recipients == [reporter.email]
    path = link_in(message)
    form = client.get(path, follow=True)  # Django hides the token behind a redirect
    assert "Set a new password" in form.text
    done = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        follow=True,
    )
    assert "Your new password is set" in done.text
    assert "lockout of your account is lifted" in done.text

    assert log_in(client, "rita", password).status_code == 200  # the old one: wrong, not locked
    response = log_in(client, "rita", NEW_PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == reverse("claims:board")
    reset = Activity.objects.get(action="account.password_reset")
    assert reset.actor == reporter
    assert "lockout is lifted" in reset.summary
    # The link works once.
    used = client.get(path, follow=True)
    assert "This link does not work" in used.text


def test_a_reset_logs_out_every_session(client, reporter, mail):
    elsewhere = Client()
    elsewhere.force_login(reporter)
    client.post(RESET, {"email": reporter.email})
    form = client.get(link_in(mail.messages[0][1]), follow=True)
    client.post(
        form.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    assert not UserSession.objects.filter(user=reporter).exists()
    assert elsewhere.get(reverse("claims:board")).status_code == 302


def page(client, url):
    """The page, its CSRF token (masked afresh for each response) left out."""
    return re.sub(
        r'(X-CSRFToken": "|name="csrfmiddlewaretoken" value=")[^"]+', "", client.get(url).text
    )


def test_an_unknown_address_gets_the_same_answer_and_no_email(client, reporter, mail):
    known = client.post(RESET, {"email": reporter.email})
    unknown = client.post(RESET, {"email": "nobody@newsroom.example"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]
    assert page(client, known["Location"]) == page(client, unknown["Location"])
    assert [recipients for recipients, _ in mail.messages] == [[reporter.email]]


@pytest.mark.parametrize(
    ("email", "words"),
    [
        ("", "Give the email address of your account."),
        ("not an address", "That is not an email address"),
        ("n" * 300 + "@newsroom.example", "An email address has at most 254 characters"),
    ],
)
def test_empty_malformed_or_over_size_addresses_are_refused_in_words(client, mail, email, words):
    response = client.post(RESET, {"email": email})
    assert response.status_code == 200
    assert words in response.text
    assert not mail.messages


def test_new_passwords_are_checked_and_capped(client, reporter, mail):
    client.post(RESET, {"email": reporter.email})
    form = client.get(link_in(mail.messages[0][1]), follow=True)
    url = form.redirect_chain[-1][0]
    for new, words in [
        ("password", "This password is too common."),
        ("p" * 100_000, "A password is at most 4096 characters"),
    ]:
        response = client.post(url, {"new_password1": new, "new_password2": new})
        assert words in response.text
    assert SESSION_KEY not in client.session
