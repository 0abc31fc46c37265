"""Playwright driving Debian's Chromium, headless. Never skipped: `make test` installs it."""

import os
import threading
from pathlib import Path

import pytest
from django.core.signals import request_finished, request_started
from playwright.sync_api import Page, expect

from factdesk.core.waiting import wait_until

# Playwright's sync API runs an event loop in this thread; Django's ORM calls made by the test
# itself (fixtures creating users) are still synchronous and safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not CHROMIUM.exists():
        pytest.fail(f"Chromium is missing at {CHROMIUM}: run `make test`, which installs it.")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_FLAGS
        )
        yield browser
        browser.close()


class _InFlight:
    """The live server's requests still being answered. A closed browser leaves the ones it
    started (a panel loading itself) running in the server's threads; the test's end empties
    the database, and that waits for them (a TRUNCATE beside a running query can deadlock)."""

    def __init__(self) -> None:
        self.count = 0
        self.lock = threading.Lock()

    def started(self, **kwargs) -> None:
        with self.lock:
            self.count += 1

    def finished(self, **kwargs) -> None:
        with self.lock:
            self.count -= 1

    def wait_for_none(self) -> None:
        wait_until(
            lambda: self.count <= 0,
            timeout=30,
            what=lambda: f"{self.count} request(s) of the closed browser to be answered",
            interval=0.02,
        )


@pytest.fixture
def in_flight():
    """Counts the requests of this test (a test of its own each: a request another test
    left unread, a file's streamed response, must not keep this one waiting)."""
    counter = _InFlight()
    request_started.connect(counter.started, dispatch_uid="browser-in-flight-started")
    request_finished.connect(counter.finished, dispatch_uid="browser-in-flight-finished")
    yield counter
    request_started.disconnect(dispatch_uid="browser-in-flight-started")
    request_finished.disconnect(dispatch_uid="browser-in-flight-finished")


@pytest.fixture
def page(browser, live_server, in_flight):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()
    in_flight.wait_for_none()


@pytest.fixture
def session(browser, live_server, password, in_flight):
    """A logged-in browser of its own for `user`, as each person of a walk has (their own
    cookies): the board is showing when it is returned. Closed after the test."""
    contexts = []

    def open_session(user, **options) -> Page:
        """`options` go to the browser context (a phone's viewport, is_mobile)."""
        options = {"viewport": {"width": 1280, "height": 900}, **options}
        context = browser.new_context(base_url=live_server.url, **options)
        context.set_default_timeout(10_000)
        contexts.append(context)
        page = context.new_page()
        page.goto("/accounts/login/")
        page.get_by_label("Username").fill(user.username)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Log in").click()
        expect(page.get_by_role("heading", name="Board")).to_be_visible()
        return page

    yield open_session
    for context in contexts:
        context.close()
    in_flight.wait_for_none()


@pytest.fixture
def log_in(page, password):
    def log_in_as(user):
        page.goto("/accounts/login/")
        page.get_by_label("Username").fill(user.username)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Log in").click()
        page.wait_for_load_state()
        return page

    return log_in_as
