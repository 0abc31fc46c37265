"""The keyboard on the board and the list, pressed as a person presses it: j/k move, Enter
opens, the back button comes back to the claim left, / searches, ? lists the shortcuts,
Escape closes them, and nothing fires while typing."""

import re

import pytest
from playwright.sync_api import expect

from factdesk.claims.models import Priority
from tests.claims.flow import log_claim

pytestmark = pytest.mark.browser


@pytest.fixture
def three_claims(reporter):
    """Three new claims; the board orders them urgent first, the list newest first."""
    claims = [log_claim(reporter, f"Claim {word} about the tram.") for word in ("one", "two")]
    claims.append(log_claim(reporter, "Claim three about the tram."))
    return claims


def current(page):
    return page.locator("[data-nav-item].nav-current")


def test_j_and_k_move_between_cards_and_enter_opens_one_and_back_returns(
    page, log_in, editor, three_claims
):
    from factdesk.claims.models import Claim

    # The board's order: urgent first, so "three" is first, then one, two (oldest first).
    Claim.objects.filter(pk=three_claims[2].pk).update(priority=Priority.URGENT)
    log_in(editor)
    page.goto("/")
    expect(current(page)).to_have_count(0)
    page.keyboard.press("j")
    expect(current(page)).to_contain_text("Claim three about the tram.")
    page.keyboard.press("j")
    page.keyboard.press("j")
    expect(current(page)).to_contain_text("Claim two about the tram.")
    page.keyboard.press("j")  # the last card stays the current one
    expect(current(page)).to_contain_text("Claim two about the tram.")
    page.keyboard.press("k")
    expect(current(page)).to_contain_text("Claim one about the tram.")
    # The focus is visibly on the card's link, where a keyboard user expects it.
    expect(current(page).locator("a.claimlink")).to_be_focused()

    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(rf"/claims/{three_claims[0].pk}/$"))
    expect(page.get_by_role("heading", name="Claim one about the tram.")).to_be_visible()

    page.go_back()
    expect(page.get_by_role("heading", name="Board")).to_be_visible()
    expect(current(page)).to_contain_text("Claim one about the tram.")
    expect(current(page).locator("a.claimlink")).to_be_focused()
    page.keyboard.press("j")
    expect(current(page)).to_contain_text("Claim two about the tram.")


def test_on_the_list_enter_opens_the_row_and_back_restores_the_focus(
    page, log_in, editor, three_claims
):
    log_in(editor)
    page.goto("/claims/")
    page.keyboard.press("j")
    expect(current(page)).to_contain_text("Claim three about the tram.")  # newest first
    page.keyboard.press("j")
    expect(current(page)).to_contain_text("Claim two about the tram.")
    page.keyboard.press("x")  # tick it for a bulk action
    expect(current(page).get_by_role("checkbox")).to_be_checked()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(rf"/claims/{three_claims[1].pk}/$"))
    page.go_back()
    expect(page.get_by_role("heading", name="Claims", exact=True)).to_be_visible()
    expect(current(page)).to_contain_text("Claim two about the tram.")
    expect(current(page).get_by_role("link", name="Claim two about the tram.")).to_be_focused()


def test_slash_goes_to_search_and_typing_there_fires_no_shortcut(
    page, log_in, editor, three_claims
):
    log_in(editor)
    page.goto("/claims/")
    search = page.locator("form.filters").get_by_role("searchbox")
    page.keyboard.press("/")
    expect(search).to_be_focused()
    page.keyboard.type("jk?x/")  # letters typed into the box, not shortcuts
    expect(search).to_have_value("jk?x/")
    expect(current(page)).to_have_count(0)
    expect(page.get_by_role("dialog")).to_be_hidden()
    page.keyboard.press("Enter")  # Enter in the box searches, it opens no claim
    expect(page).to_have_url(re.compile(r"/claims/\?q=jk"))

    page.goto("/")
    page.keyboard.press("/")
    expect(page.get_by_role("searchbox", name="Search the desk")).to_be_focused()
    page.keyboard.type("tram")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Claims matching “tram”")).to_be_visible()


def test_question_mark_lists_the_shortcuts_and_escape_closes_them(
    page, log_in, editor, three_claims
):
    log_in(editor)
    for url in ("/", "/claims/"):
        page.goto(url)
        dialog = page.get_by_role("dialog", name="Keyboard shortcuts")
        expect(dialog).to_be_hidden()
        page.keyboard.press("?")
        expect(dialog).to_be_visible()
        expect(dialog).to_contain_text("Open the claim")
        page.keyboard.press("j")  # the list is open: the board does not move behind it
        expect(current(page)).to_have_count(0)
        page.keyboard.press("Escape")
        expect(dialog).to_be_hidden()
        page.keyboard.press("j")
        expect(current(page)).to_have_count(1)


def test_shortcuts_stay_quiet_in_the_filter_menus(page, log_in, editor, three_claims):
    log_in(editor)
    page.goto("/")
    page.get_by_label("Assignee").focus()
    page.keyboard.press("j")
    expect(current(page)).to_have_count(0)
    expect(page).to_have_url(re.compile(r"/$"))


def test_a_fresh_visit_starts_at_the_top(page, log_in, editor, three_claims):
    log_in(editor)
    page.goto("/claims/")
    page.keyboard.press("j")
    page.keyboard.press("j")
    expect(current(page)).to_have_count(1)
    page.get_by_role("link", name="Board", exact=True).click()
    page.get_by_role("link", name="Claims", exact=True).click()
    expect(page.get_by_role("heading", name="Claims", exact=True)).to_be_visible()
    expect(current(page)).to_have_count(0)
    page.keyboard.press("j")
    expect(current(page)).to_contain_text("Claim three about the tram.")
