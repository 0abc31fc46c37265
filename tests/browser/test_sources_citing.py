"""Citing in a real browser: a private address is refused in the form, a failure that
trying again cannot change offers no Retry, citations can be removed until a published
verdict rests on them."""

import pytest
from playwright.sync_api import expect

from factdesk.claims.workflow import ClaimStatus
from factdesk.sources import fetching, services
from factdesk.sources.models import Citation, Source
from tests.claims.flow import Desk, approve, draft, log_claim, move
from tests.servers import local_site

pytestmark = pytest.mark.browser

HOST = "127.0.0.9"


def test_a_private_address_is_refused_in_the_form_with_the_reason(
    page, log_in, reporter, ratings, settings
):
    settings.FETCH_ALLOW_NETWORKS = []
    claim = log_claim(reporter)
    log_in(reporter)
    page.goto(claim.get_absolute_url())
    form = page.locator("form", has=page.get_by_label("Source URLs"))
    form.get_by_label("Source URLs").fill("http://10.0.0.5/intranet/report")
    form.get_by_label("Note").fill("From the press office")
    form.get_by_role("button", name="Cite source").click()
    expect(form).to_contain_text(
        "is on a private network (10.0.0.5); the desk fetches only public web pages."
    )
    # What was typed is still there to correct, and nothing was cited.
    expect(page.get_by_label("Source URLs")).to_have_value("http://10.0.0.5/intranet/report")
    expect(form.get_by_label("Note")).to_have_value("From the press office")
    expect(page.locator("li[data-source]")).to_have_count(0)
    assert not Source.objects.exists()


def test_a_permanent_failure_offers_no_retry_and_the_citation_can_be_removed(
    page, log_in, reporter, ratings, settings, archive_storage
):
    settings.FETCH_MAX_ATTEMPTS = 1
    claim = log_claim(reporter)
    with local_site(HOST, settings) as pages:
        pages["/down"] = (503, {}, b"")
        log_in(reporter)
        page.goto(claim.get_absolute_url())
        for path in ("/gone", "/down"):
            page.get_by_label("Source URLs").fill(f"{pages.base}{path}")
            page.get_by_role("button", name="Cite source").click()
            expect(page.get_by_text(f"Cited {pages.base}{path}.")).to_be_visible()
        for source in Source.objects.all():
            fetching.source_fetch(source_id=source.pk)  # as the worker does
        gone = page.locator("li[data-source]", has_text=f"{pages.base}/gone")
        down = page.locator("li[data-source]", has_text=f"{pages.base}/down")
        # The panel refreshes itself until both have settled.
        expect(gone.get_by_test_id("fetch-status")).to_have_text("Failed")
        expect(down.get_by_test_id("fetch-status")).to_have_text("Failed")
        expect(gone).to_contain_text("The server answered 404 Not Found.")
        expect(gone.get_by_role("button", name="Retry now")).to_have_count(0)
        expect(gone).to_contain_text("Trying again would get the same answer.")
        expect(down.get_by_role("button", name="Retry now")).to_be_visible()

        gone.get_by_role("button", name="Remove").click()
        expect(page.get_by_text("Citation removed.")).to_be_visible()
        expect(gone).to_have_count(0)
        expect(down).to_be_visible()
    assert list(Citation.objects.values_list("source__url", flat=True)) == [f"{pages.base}/down"]


def test_during_a_correction_the_published_citation_offers_no_remove(
    page, log_in, reporter, editor, publisher, ratings
):
    desk = Desk(reporter=reporter, editor=editor, publisher=publisher, ratings=ratings)
    claim = move(log_claim(reporter), reporter, ClaimStatus.RESEARCHING)
    services.citation_add(actor=reporter, claim=claim, url="https://stats.example/seen")
    draft(claim, reporter, desk.rating)
    claim = move(claim, reporter, ClaimStatus.IN_REVIEW)
    approve(claim, editor)
    claim.refresh_from_db()
    claim = move(claim, publisher, ClaimStatus.PUBLISHED, ClaimStatus.RESEARCHING)
    services.citation_add(actor=reporter, claim=claim, url="https://stats.example/new")

    log_in(reporter)
    page.goto(claim.get_absolute_url())
    seen = page.locator("li[data-source]", has_text="https://stats.example/seen")
    new = page.locator("li[data-source]", has_text="https://stats.example/new")
    expect(seen).to_contain_text("Cited in the published verdict: it stays as readers saw it.")
    expect(seen.get_by_role("button", name="Remove")).to_have_count(0)
    new.get_by_role("button", name="Remove").click()
    expect(page.get_by_text("Citation removed.")).to_be_visible()
    expect(new).to_have_count(0)
    expect(seen).to_be_visible()
