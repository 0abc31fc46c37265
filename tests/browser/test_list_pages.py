"""Paging through the list and through a search, as a person does: a click on an order, Next
and Previous, and the back button, each page showing the claims it says it shows."""

import re

import pytest
from playwright.sync_api import expect

from tests.claims.flow import log_claim

pytestmark = pytest.mark.browser


@pytest.fixture
def twenty_seven_claims(reporter):
    """Claims 1 to 27 about the tram, logged (and so numbered) in that order: a list page
    holds 25."""
    return [log_claim(reporter, f"Claim {n} about the tram.") for n in range(1, 28)]


def wordings(page):
    return page.locator("table tbody td a[href^='/claims/']:not([href*='claimants'])")


def test_the_list_pages_forward_and_back_in_the_order_chosen(
    page, log_in, editor, twenty_seven_claims
):
    log_in(editor)
    page.goto("/claims/")
    expect(page.get_by_text("Page 1 of 2")).to_be_visible()
    expect(wordings(page).first).to_have_text("Claim 27 about the tram.")  # newest first

    page.get_by_role("navigation", name="Sort").get_by_role("link", name="oldest").click()
    expect(wordings(page).first).to_have_text("Claim 1 about the tram.")
    expect(wordings(page)).to_have_count(25)

    page.get_by_role("link", name="Next →").click()
    expect(page).to_have_url(re.compile(r"sort=oldest.*page=2|page=2.*sort=oldest"))
    expect(page.get_by_text("Page 2 of 2")).to_be_visible()
    expect(wordings(page)).to_have_text(["Claim 26 about the tram.", "Claim 27 about the tram."])
    expect(page.get_by_role("link", name="Next →")).to_have_count(0)

    page.get_by_role("link", name="← Previous").click()
    expect(page.get_by_text("Page 1 of 2")).to_be_visible()
    expect(wordings(page).first).to_have_text("Claim 1 about the tram.")

    page.go_back()  # page two again, still the oldest last
    expect(page.get_by_text("Page 2 of 2")).to_be_visible()
    expect(wordings(page)).to_have_text(["Claim 26 about the tram.", "Claim 27 about the tram."])
    page.go_back()
    page.go_back()  # the list as it first came, newest first
    expect(page.get_by_text("Page 1 of 2")).to_be_visible()
    expect(wordings(page).first).to_have_text("Claim 27 about the tram.")


def test_a_search_pages_through_its_matches_with_the_words_marked(
    page, log_in, editor, twenty_seven_claims
):
    log_in(editor)
    page.goto("/")
    search = page.get_by_role("searchbox", name="Search the desk")
    search.fill("tram")
    search.press("Enter")
    expect(page.get_by_text("27 claims")).to_be_visible()
    expect(page.get_by_text("Page 1 of 2")).to_be_visible()
    expect(wordings(page)).to_have_count(25)

    page.get_by_role("link", name="Next →").click()
    expect(page).to_have_url(re.compile(r"q=tram"))
    expect(page.get_by_text("Page 2 of 2")).to_be_visible()
    expect(wordings(page)).to_have_count(2)
    # Two claims not on the first page, each with the word marked.
    second = set(wordings(page).all_inner_texts())
    expect(wordings(page).locator("mark")).to_have_text(["tram", "tram"])

    page.go_back()
    expect(page.get_by_text("Page 1 of 2")).to_be_visible()
    expect(search).to_have_value("tram")
    first = set(wordings(page).all_inner_texts())
    assert len(first) == 25
    assert not first & second
    assert len(first | second) == 27
