"""The claim page's own forms in a real browser: the date survives editing the wording, and
the action row says what each move does and why one can't be made yet."""

import datetime

import pytest
from playwright.sync_api import expect

from factdesk.claims.models import Claim
from factdesk.claims.workflow import ClaimStatus
from tests.claims.flow import Desk, log_claim

pytestmark = pytest.mark.browser


def test_editing_the_wording_keeps_the_date(page, log_in, reporter):
    claim = log_claim(reporter)
    Claim.objects.filter(pk=claim.pk).update(claimed_on=datetime.date(2026, 2, 2))
    log_in(reporter)
    page.goto(claim.get_absolute_url())
    page.get_by_role("link", name="Edit the claim's wording").click()
    date = page.get_by_label("Date of the claim")
    expect(date).to_have_value("2026-02-02")  # shown by the browser, not an empty field
    page.get_by_label("The claim, as the desk words it").fill("Unemployment fell to 4% in 2025.")
    page.get_by_role("button", name="Save changes").click()
    expect(page.get_by_text("Claim updated.")).to_be_visible()
    expect(page.locator(".byline")).to_contain_text("said 2 Feb 2026")
    claim.refresh_from_db()
    assert claim.claimed_on == datetime.date(2026, 2, 2)
    assert claim.text == "Unemployment fell to 4% in 2025."


def test_the_action_row_leads_to_the_next_step_and_says_why_not(page, log_in, editor, ratings):
    desk = Desk(reporter=editor, editor=editor, publisher=editor, ratings=ratings)
    claim = desk.claim_in(ClaimStatus.NEW)
    log_in(editor)
    page.goto(claim.get_absolute_url())
    start = page.get_by_role("button", name="Start research")
    expect(start).to_have_class("primary")
    expect(start).to_have_accessible_description(
        "Starts the work on the claim and assigns it to you, unless someone has it."
    )
    start.click()
    expect(page.get_by_test_id("status")).to_have_text("Researching")

    # Without a draft, sending to review is offered but disabled, with the reason.
    send = page.get_by_role("button", name="Send to review")
    expect(send).to_be_disabled()
    expect(send).to_have_accessible_description(
        "Send to review needs a verdict draft: write the verdict first."
    )

    # Dismissing: its own disclosure, a labelled reason, the note needed only for "Other".
    page.get_by_text("Dismiss…").click()
    reason = page.get_by_label("Why dismiss it?")
    expect(reason).to_be_visible()
    reason.select_option(label="Other")
    note = page.get_by_label("Note (required when the reason is “Other”)")
    page.get_by_role("button", name="Dismiss the claim").click()
    # Said before anything is sent: the browser holds the form on the missing note.
    expect(note).to_be_focused()
    assert note.evaluate("field => field.validationMessage") == (
        "Say why the claim is dismissed: the reason “Other” needs a note."
    )
    expect(page.get_by_test_id("status")).to_have_text("Researching")
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.RESEARCHING
    note.fill("Satire site.")
    page.get_by_role("button", name="Dismiss the claim").click()
    expect(page.get_by_test_id("status")).to_have_text("Dismissed")
    expect(page.get_by_role("button", name="Reopen")).to_have_class("primary")
    claim.refresh_from_db()
    assert claim.dismiss_note == "Satire site."
