"""An editor merges a claimant created by mistake into the real one, on the claimant page."""

import pytest
from playwright.sync_api import expect

from factdesk.claims.models import Claim, Claimant
from tests.claims.flow import log_claim

pytestmark = pytest.mark.browser


def test_an_editor_merges_a_misspelt_claimant_and_its_claims_follow(
    page, log_in, reporter, editor, ratings
):
    log_claim(reporter, "The real one.")  # by “A. Minister”
    typo = Claimant.objects.create(name="A. Ministr")
    claim = log_claim(reporter, "Logged under the typo.")
    Claim.objects.filter(pk=claim.pk).update(claimant=typo)

    log_in(editor)
    page.goto(typo.get_absolute_url())
    page.get_by_text("Merge into another claimant").click()
    field = page.get_by_label("Merge into")
    field.fill("A. Ministr")
    page.get_by_role("button", name="Merge and delete “A. Ministr”").click()
    expect(page.get_by_text("cannot be merged into itself")).to_be_visible()
    expect(page.get_by_label("Merge into")).to_have_value("A. Ministr")  # kept to correct

    page.get_by_label("Merge into").clear()
    page.get_by_label("Merge into").press_sequentially("A. Mini")
    # The suggestions come from the desk's claimants as the editor types.
    expect(page.locator("#claimant-options option[value='A. Minister']")).to_have_count(1)
    page.get_by_label("Merge into").fill("A. Minister")
    page.get_by_role("button", name="Merge and delete “A. Ministr”").click()
    expect(
        page.get_by_text("Merged “A. Ministr” into “A. Minister”: 1 claim moved.")
    ).to_be_visible()
    expect(page.get_by_role("heading", name="A. Minister", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="Logged under the typo.")).to_be_visible()
    page.go_back()  # the merged claimant's page is gone, and says so
    page.reload()
    expect(page.get_by_role("heading", name="A. Ministr", exact=True)).to_have_count(0)
    assert not Claimant.objects.filter(pk=typo.pk).exists()
