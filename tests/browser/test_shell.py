"""Each persona logs in through a real browser and sees the navigation that fits the role."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("persona", ["reporter", "editor", "publisher"])
def test_desk_persona_sees_the_board_and_navigation(page, log_in, personas, persona):
    log_in(personas[persona])
    expect(page.get_by_role("heading", name="Board")).to_be_visible()
    nav = page.get_by_role("navigation", name="Main")
    for link in ("Board", "Claims", "Articles", "Dashboard"):
        expect(nav.get_by_role("link", name=link, exact=True)).to_be_visible()
    expect(nav.get_by_role("link", name="Admin")).to_have_count(0)
    expect(page.locator(".usermenu")).to_contain_text(persona)
    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("heading", name="Log in to factdesk")).to_be_visible()


def test_outsider_is_refused_the_board(page, log_in, outsider):
    log_in(outsider)
    expect(page.get_by_role("heading", name="You can't open this page")).to_be_visible()
    expect(page.get_by_text("no role on the desk yet")).to_be_visible()
    expect(page.get_by_role("link", name="Board", exact=True)).to_have_count(0)
    expect(page.get_by_role("search")).to_have_count(0)


def test_wrong_password_is_explained(page, reporter):
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill("rita")
    page.get_by_label("Password").fill("wrong")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_text("don't match an active account")).to_be_visible()
    expect(page.get_by_label("Username")).to_have_value("rita")
