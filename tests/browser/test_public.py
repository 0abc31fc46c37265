"""The public side, walked in a browser: a publisher publishes; a reader who is not logged in
finds the fact check with its verdict and its sources; a correction appears on it with its
notice; the feed lists both; a claim never published is not found."""

import pytest
from playwright.sync_api import expect

from factdesk.claims.workflow import ClaimStatus
from factdesk.sources.models import Citation, Source
from tests.claims.flow import Desk, approve, draft, move

pytestmark = pytest.mark.browser


def test_published_then_corrected_as_a_reader_sees_it(
    page, session, browser, live_server, reporter, editor, publisher, ratings
):
    desk = Desk(reporter=reporter, editor=editor, publisher=publisher, ratings=ratings)
    claim = desk.claim_in(ClaimStatus.APPROVED)
    source = Source.objects.create(
        url="https://stats.example/labour",
        canonical_url="https://stats.example/labour",
        added_by=reporter,
    )
    Citation.objects.create(
        claim=claim,
        source=source,
        stance=Citation.Stance.SUPPORTS,
        pinned=["Unemployment was 4.2 per cent."],
        added_by=reporter,
    )
    unpublished = desk.claim_in(ClaimStatus.IN_REVIEW)

    paula = session(publisher)
    paula.goto(claim.get_absolute_url())
    paula.get_by_role("button", name="Publish").click()
    paula.get_by_test_id("public-page-link").click()
    expect(paula.get_by_test_id("public-rating")).to_be_visible()
    public_address = paula.url

    context = browser.new_context(base_url=live_server.url)  # a reader: not logged in
    reader = context.new_page()
    reader.goto(public_address)
    expect(reader.get_by_test_id("public-rating")).to_have_text("Mostly true")
    expect(reader.get_by_test_id("public-conclusion")).to_have_text("It fell to 4.2%.")
    expect(reader.get_by_test_id("public-sources")).to_contain_text("stats.example/labour")
    expect(reader.get_by_test_id("public-sources")).to_contain_text(
        "Unemployment was 4.2 per cent."
    )
    expect(reader.get_by_role("link", name="Log out")).to_have_count(0)

    # A correction, through the desk's ordinary steps, then published by the publisher.
    claim = move(claim, publisher, ClaimStatus.RESEARCHING)
    draft(
        claim,
        reporter,
        ratings["Half true"],
        correction_note="The rate was for men only.",
        conclusion="It fell to 4.2% for men.",
    )
    claim = move(claim, reporter, ClaimStatus.IN_REVIEW)
    reader.reload()  # while the correction is worked on, readers see the published version
    expect(reader.get_by_test_id("public-conclusion")).to_have_text("It fell to 4.2%.")
    approve(claim, editor)
    paula.goto(claim.get_absolute_url())
    paula.get_by_role("button", name="Publish correction").click()
    expect(paula.locator(".verdict.published .correction")).to_contain_text("for men only")

    reader.reload()
    expect(reader.get_by_test_id("public-rating")).to_have_text("Half true")
    expect(reader.get_by_test_id("public-corrections")).to_contain_text(
        "The rate was for men only."
    )
    reader.get_by_role("link", name="version 1").click()
    expect(reader.get_by_test_id("old-version")).to_contain_text("You are reading version 1")
    reader.go_back()
    expect(reader.get_by_test_id("public-rating")).to_have_text("Half true")

    feed = reader.request.get("/fact-checks/feed.atom").text()
    assert "Half true: Unemployment fell to 4% last year." in feed
    corrections = reader.request.get("/fact-checks/corrections/feed.atom").text()
    assert "The rate was for men only." in corrections

    missing = reader.goto(f"/fact-checks/{unpublished.pk}/")
    assert missing is not None
    assert missing.status == 404
    context.close()


def test_a_reader_searches_and_filters_the_fact_checks_and_goes_back(
    browser, live_server, reporter, editor, publisher, ratings
):
    from factdesk.claims.models import Claim

    desk = Desk(reporter=reporter, editor=editor, publisher=publisher, ratings=ratings)
    buses, rents = desk.claim_in(ClaimStatus.PUBLISHED), desk.claim_in(ClaimStatus.PUBLISHED)
    Claim.objects.filter(pk=buses.pk).update(text="Bus fares fell by a third.")
    Claim.objects.filter(pk=rents.pk).update(text="Rents doubled in ten years.")
    context = browser.new_context(base_url=live_server.url)  # a reader: not logged in
    reader = context.new_page()
    reader.goto("/fact-checks/")
    index = reader.get_by_test_id("public-index")
    expect(index).to_contain_text("Bus fares fell by a third.")
    expect(index).to_contain_text("Rents doubled in ten years.")
    reader.get_by_label("Search").fill("rents")
    reader.get_by_role("button", name="Find").click()
    expect(index).not_to_contain_text("Bus fares")
    reader.get_by_role("link", name="Rents doubled in ten years.").click()
    expect(reader.get_by_role("heading", level=1)).to_have_text("Rents doubled in ten years.")
    reader.go_back()
    expect(reader.get_by_label("Search")).to_have_value("rents")
    reader.get_by_label("Rating").select_option(label="False")
    reader.get_by_role("button", name="Find").click()
    expect(index).to_contain_text("No fact check matches.")
    reader.goto("/fact-checks/")  # a claimant's name leads to their page and its tally
    reader.get_by_role("link", name="A. Minister").first.click()
    expect(reader.get_by_role("heading", name="A. Minister")).to_be_visible()
    expect(reader.get_by_test_id("claimant-tally")).to_be_visible()
    reader.go_back()
    expect(index).to_be_visible()
    context.close()
