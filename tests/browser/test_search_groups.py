"""Searching from the top bar in a real browser: an outlet's name finds the outlet and its
claims, and every result says why it matched."""

import pytest
from playwright.sync_api import expect

from factdesk.articles.services import article_create
from factdesk.claims import services

pytestmark = pytest.mark.browser


@pytest.fixture
def ledger_claim(reporter):
    holt = services.claimant_create(actor=reporter, name="Maren Holt")
    article = article_create(
        actor=reporter,
        title="Council sets the budget",
        url="https://harbridge-ledger.example/budget",
        outlet_name="Harbridge Ledger",
        text="The leader said council tax would rise by 2.9 per cent.",
    )
    return services.claim_create(
        actor=reporter,
        article=article,
        claimant=holt,
        text="Council tax will rise by 2.9 per cent.",
        quote="council tax would rise by 2.9 per cent",
    )


def search_from_the_top_bar(page, words):
    box = page.get_by_role("searchbox", name="Search the desk")
    box.fill(words)
    box.press("Enter")


def test_an_outlets_name_finds_the_outlet_and_its_claims(page, log_in, reporter, ledger_claim):
    log_in(reporter)
    search_from_the_top_bar(page, "Harbridge Ledger")
    expect(page.get_by_text("check the spelling")).to_have_count(0)
    outlets = page.locator("section#found-outlets")
    expect(outlets.get_by_role("heading", name="Outlets")).to_be_visible()
    outlet = outlets.get_by_role("link", name="Harbridge Ledger")
    expect(outlet.locator("mark")).to_have_text(["Harbridge", "Ledger"])
    expect(outlets.locator(".why mark")).to_have_text(["harbridge", "ledger"])  # the domain
    expect(outlets).to_contain_text("1 claim from its articles")
    row = page.locator("table.claims tbody tr", has_text=ledger_claim.text)
    expect(row).to_contain_text("in an article of Harbridge Ledger")

    outlets.get_by_role("link", name="1 claim from its articles").click()
    expect(page.get_by_role("heading", name="Claims", exact=True)).to_be_visible()
    expect(page.get_by_label("Outlet")).to_have_value(str(ledger_claim.article.outlet_id))
    page.go_back()
    expect(page.locator("section#found-outlets")).to_be_visible()


def test_a_claim_found_by_its_claimant_says_so(page, log_in, reporter, ledger_claim):
    log_in(reporter)
    search_from_the_top_bar(page, "Maren Holt")
    row = page.locator("table.claims tbody tr", has_text=ledger_claim.text)
    expect(row.locator(".why")).to_have_text("claimant: Maren Holt")
    expect(row.locator(".why mark")).to_have_text(["Maren", "Holt"])
    claimants = page.locator("section#found-claimants")
    claimants.get_by_role("link", name="Maren Holt").click()
    expect(page.get_by_role("heading", name="Maren Holt")).to_be_visible()
