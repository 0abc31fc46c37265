"""A reporter turns on two-factor sign-in from the page (reading the key as a person types
it into an app), keeps the recovery codes, signs out and back in with a code."""

import re

from playwright.sync_api import expect

from tests.signin.test_two_factor import next_code, totp


def test_a_reporter_turns_on_two_factor_and_signs_in_with_a_code(page, log_in, reporter, password):
    log_in(reporter)
    page.goto("/accounts/two-factor/")
    expect(page.get_by_test_id("qr").locator("svg")).to_be_visible()
    secret = page.get_by_test_id("secret").inner_text()
    page.get_by_label("Code").fill("000000")
    page.get_by_role("button", name="Turn on two-factor").click()
    expect(page.get_by_text("That code is not the one your app shows now")).to_be_visible()
    page.get_by_label("Code").fill(totp(secret))
    page.get_by_role("button", name="Turn on two-factor").dblclick()
    expect(page.get_by_test_id("recovery-codes").locator("li")).to_have_count(10)
    page.get_by_role("link", name="I have kept them").click()
    expect(page.get_by_test_id("two-factor-state")).to_contain_text("on")

    page.get_by_role("button", name="Log out").click()
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(reporter.username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Your code")).to_be_visible()
    page.go_back()  # back to the password page: signing in starts again, nothing skipped
    page.goto("/claims/")
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    page.get_by_label("Username").fill(reporter.username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.get_by_label("Code").fill(next_code(reporter, secret))
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("link", name="Board", exact=True)).to_be_visible()
