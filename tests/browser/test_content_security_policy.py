"""The desk's pages run under a Content-Security-Policy without inline scripts or styles: a
browser that enforces it reports no violation on any page, and the pages still work (the
claimant field suggests names, ratings keep their colours)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from factdesk.sources import services
from tests.claims.flow import Desk
from tests.factories import ArticleFactory, SnapshotFactory

pytestmark = pytest.mark.browser


def test_no_page_breaks_the_policy_and_ratings_keep_their_colours(
    page, log_in, reporter, editor, publisher, ratings, archive_storage
):
    desk = Desk(reporter=reporter, editor=editor, publisher=publisher, ratings=ratings)
    claim = desk.claim_in("published")
    citation = services.citation_add(
        actor=reporter, claim=desk.claim_in("researching"), url="https://a.example/x"
    )
    SnapshotFactory(source=citation.source, text="Archived text.")
    violations = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    page.add_init_script(
        "document.addEventListener('securitypolicyviolation', e =>"
        " console.error('Content Security Policy: ' + e.violatedDirective + ' ' + e.blockedURI))"
    )
    log_in(editor)
    pages = [
        "/",
        "/claims/",
        f"/claims/{claim.pk}/",
        f"/claims/{claim.pk}/edit/",
        f"/articles/{ArticleFactory(added_by=reporter).pk}/",
        "/articles/",
        "/articles/new/",
        "/claims/new/",
        f"/claimants/{claim.claimant_id}/",
        "/dashboard/",
        f"/snapshots/{citation.source.snapshots.get().pk}/",
    ]
    for path in pages:
        response = page.goto(path)
        assert response is not None, path
        assert response.ok, path
        policy = response.headers["content-security-policy"]
        assert "script-src 'self'" in policy  # a nonce is added when a page uses one
        # The directives come in no fixed order: style-src is 'self' and nothing more.
        directives = dict(d.strip().partition(" ")[::2] for d in policy.split(";") if d.strip())
        assert directives["style-src"] == "'self'"
        assert "unsafe-inline" not in policy
        page.wait_for_load_state("networkidle")
    assert violations == []
    # The rating's colour comes from the stylesheet, not an inline style.
    page.goto(f"/claims/{claim.pk}/")
    rating = page.locator(".rating").first
    expect(rating).to_be_visible()
    colour = rating.evaluate("el => getComputedStyle(el).backgroundColor")
    assert colour != "rgb(107, 114, 128)"  # not the grey every rating would fall back to


def test_the_claimant_field_still_suggests_names(page, log_in, reporter, ratings):
    from tests.claims.flow import log_claim

    log_claim(reporter)  # its claimant is on the desk
    log_in(reporter)
    page.goto("/claims/new/")
    claimant = page.get_by_label("Claimant")
    claimant.press_sequentially("A. Min", delay=20)
    expect(page.locator("#claimant-options option").first).to_be_attached()
