"""The login form in a real browser: empty fields are stopped before sending, an over-size
paste is cut at the limit, and a double click logs in once."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_an_empty_form_is_not_sent_and_a_long_paste_stops_at_the_limit(page, reporter):
    page.goto("/accounts/login/")
    page.get_by_role("button", name="Log in").click()
    # The browser refuses to send it: still the login page, the username asked for first.
    expect(page.get_by_label("Username")).to_be_focused()
    assert page.get_by_label("Username").evaluate("input => input.validity.valueMissing")
    expect(page.get_by_role("heading", name="Log in to factdesk")).to_be_visible()
    page.get_by_label("Username").fill("r" * 500)
    expect(page.get_by_label("Username")).to_have_value("r" * 150)


def test_a_double_click_logs_in_once_and_lands_on_the_board(page, reporter, password):
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(reporter.username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").dblclick()
    expect(page.get_by_role("heading", name="Board")).to_be_visible()
    expect(page.get_by_text("don't match")).to_have_count(0)
    expect(page.get_by_role("heading", name="You can't open this page")).to_have_count(0)
