"""An admin invites a reporter from the desk; the reporter opens the emailed link in a
browser of their own, sets a password and lands on the board; the back button after that
makes nothing twice; she sets up two-factor, logs out and back in with a code."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import expect

from factdesk.accounts.models import Invitation
from tests.conftest import wait_until
from tests.factories import UserFactory
from tests.notifications.smtp import smtp_server
from tests.signin.test_two_factor import next_code, totp


@pytest.fixture
def inbox(settings, live_server):
    with smtp_server() as (received, port):
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST = "127.0.0.1"
        settings.EMAIL_PORT = port
        settings.DESK_URL = live_server.url
        yield received


def test_an_admin_invites_a_reporter_who_joins_from_the_email(
    page, log_in, browser, live_server, inbox
):
    admin = UserFactory(username="ada", first_name="Ada", is_superuser=True, is_staff=True)
    log_in(admin)
    page.get_by_role("link", name="Invitations").click()
    page.get_by_label("Their email address").fill("nadia@newsroom.example")
    page.get_by_label("Reporter").check()
    page.get_by_role("button", name="Send invitation").click()
    expect(page.get_by_text("Invitation emailed to nadia@newsroom.example")).to_be_visible()
    expect(page.get_by_test_id("invitation")).to_contain_text("nadia@newsroom.example")
    expect(page.get_by_test_id("invitation")).to_contain_text("Ada")

    wait_until(lambda: inbox.messages, what="the invitation's email")
    ((recipients, message),) = inbox.messages
    assert recipients == ["nadia@newsroom.example"]
    (link,) = re.findall(re.escape(live_server.url) + r"/\S+", message.get_content())

    context = browser.new_context(base_url=live_server.url)  # the reporter's own browser
    context.set_default_timeout(10_000)
    try:
        reporter = context.new_page()
        reporter.goto(link)
        expect(reporter.get_by_role("heading", name="Join the desk")).to_be_visible()
        reporter.get_by_label("Username").fill("nadia")
        reporter.get_by_label("First name").fill("Nadia")
        reporter.get_by_label("Last name").fill("Haddad")
        reporter.get_by_label(re.compile(r"^Password")).fill("a quiet lighthouse at noon")
        reporter.get_by_label("The password again").fill("a quiet lighthouse at noon")
        reporter.get_by_role("button", name="Join the desk").click()
        expect(reporter.get_by_role("heading", name="Board")).to_be_visible()
        expect(reporter.get_by_text("Welcome to the desk, Nadia")).to_be_visible()
        expect(reporter.locator(".who")).to_contain_text("reporter")

        reporter.go_back()  # to the form, asked again: the link is used, nothing is made
        expect(reporter.get_by_text("This invitation has been used")).to_be_visible()
        expect(reporter.get_by_role("link", name="go to the board")).to_be_visible()
        assert User.objects.filter(email="nadia@newsroom.example").count() == 1
        assert Invitation.objects.get().accepted_user == User.objects.get(username="nadia")

        # She turns on two-factor sign-in, signs out, and back in with a code.
        reporter.goto("/")
        reporter.get_by_role("link", name="Account").click()
        reporter.get_by_role("link", name="Two-factor sign-in").click()
        secret = reporter.get_by_test_id("secret").inner_text()
        reporter.get_by_label("Code").fill(totp(secret))
        reporter.get_by_role("button", name="Turn on two-factor").click()
        expect(reporter.get_by_test_id("recovery-codes").locator("li")).to_have_count(10)
        reporter.get_by_role("button", name="Log out").click()
        reporter.get_by_label("Username").fill("nadia")
        reporter.get_by_label("Password").fill("a quiet lighthouse at noon")
        reporter.get_by_role("button", name="Log in").click()
        reporter.get_by_label("Code").fill(next_code(User.objects.get(username="nadia"), secret))
        reporter.get_by_role("button", name="Sign in").click()
        expect(reporter.get_by_role("heading", name="Board")).to_be_visible()
        expect(reporter.locator(".who")).to_contain_text("reporter")
    finally:
        context.close()

    page.reload()  # the admin's list: accepted, so no longer waiting
    expect(page.get_by_text("No invitations are waiting.")).to_be_visible()
