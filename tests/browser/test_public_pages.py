"""A reader walks the public side's other pages: how the desk rates (from the scale), the
corrections log and its links, an earlier version, the claimant's page with its tally, the
embed snippet and the embedded card, with the back button on the way."""

import re

import pytest
from playwright.sync_api import expect

from factdesk.claims.workflow import ClaimStatus
from tests.claims.flow import Desk

pytestmark = pytest.mark.browser


def test_a_reader_finds_how_the_desk_rates_its_corrections_and_the_embed(
    browser, live_server, reporter, editor, publisher, ratings
):
    desk = Desk(reporter=reporter, editor=editor, publisher=publisher, ratings=ratings)
    corrected = desk.claim_in(ClaimStatus.CORRECTED)
    retracted = desk.claim_in(ClaimStatus.RETRACTED)
    context = browser.new_context(base_url=live_server.url)  # a reader: not logged in
    reader = context.new_page()
    reader.goto("/fact-checks/")

    reader.get_by_role("navigation").get_by_role("link", name="How we rate").click()
    expect(reader.get_by_role("heading", name="How we rate claims")).to_be_visible()
    scale = reader.get_by_test_id("scale")
    for label in ratings:
        expect(scale).to_contain_text(label)

    reader.get_by_role("navigation").get_by_role("link", name="Corrections").click()
    log = reader.get_by_test_id("corrections-log")
    expect(log).to_contain_text("We misread the table.")
    expect(reader.get_by_test_id("retractions-log")).to_contain_text("The figures were misread.")
    log.get_by_role("link", name=re.compile("Unemployment fell")).click()
    expect(reader).to_have_url(re.compile(rf"/fact-checks/{corrected.pk}"))
    expect(reader.get_by_text("We misread the table.").first).to_be_visible()
    reader.get_by_role("link", name=re.compile(r"version 1 \(")).click()
    expect(reader).to_have_url(re.compile(r"\?version=1$"))
    reader.go_back()
    reader.go_back()
    expect(reader.get_by_role("heading", name="Corrections and retractions")).to_be_visible()

    reader.goto(f"/fact-checks/{corrected.pk}/")
    reader.get_by_role("link", name="A. Minister").click()  # who said it: their page
    expect(reader.get_by_role("heading", name="A. Minister")).to_be_visible()
    expect(reader.get_by_test_id("claimant-tally")).to_contain_text("Mostly true")
    expect(reader.get_by_test_id("claimant-fact-checks").locator("li")).to_have_count(2)
    reader.go_back()
    expect(reader).to_have_url(re.compile(rf"/fact-checks/{corrected.pk}-"))
    reader.get_by_text("Embed this fact check").click()
    snippet = reader.get_by_test_id("embed-code")
    expect(snippet).to_be_visible()
    code = snippet.input_value()
    assert '"@type": "ClaimReview"' in code or '"@type":"ClaimReview"' in code
    embed_address = re.search(r'src="([^"]+/embed/)"', code).group(1)
    reader.goto(embed_address)
    expect(reader.get_by_test_id("embed-rating")).to_have_text("Mostly true")
    reader.goto(f"/fact-checks/{retracted.pk}/embed/")
    expect(reader.get_by_text("retracted")).to_be_visible()
    context.close()
