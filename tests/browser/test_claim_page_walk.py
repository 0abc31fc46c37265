"""A verdict's whole round trip in a real browser, three people at three screens: a reporter
drafts, an editor asks for changes, the reporter sees why and revises, the editor approves,
the publisher publishes, corrects it (readers keep the published version meanwhile) and
compares the versions; a second fact check is retracted and leaves the board's columns."""

import re

import pytest
from playwright.sync_api import Page, expect

from factdesk.claims.models import Claim
from factdesk.claims.workflow import ClaimStatus
from tests.claims.flow import Desk, log_claim

pytestmark = pytest.mark.browser


def status(page: Page):
    return page.get_by_test_id("status")


def write_draft(page: Page, *, conclusion: str, explanation: str, note: str = "") -> None:
    page.get_by_label("Rating").select_option(label="Mostly true")
    page.get_by_label("Conclusion (one line)").fill(conclusion)
    page.get_by_label("Explanation").fill(explanation)
    if note:
        page.get_by_label("Correction note (shown to readers)").fill(note)
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_text("Verdict draft saved.")).to_be_visible()


def test_changes_requested_approved_published_corrected_and_another_retracted(
    session, reporter, editor, publisher, ratings
):
    claim = log_claim(reporter, "Bus ridership in Harbridge doubled after the fare cut.")
    rita = session(reporter)
    ed = session(editor)
    paula = session(publisher)

    # Rita starts the research: the claim is hers now, named as a person.
    rita.goto(claim.get_absolute_url())
    rita.get_by_role("button", name="Start research").click()
    expect(status(rita)).to_have_text("Researching")
    expect(rita.locator(".side")).to_contain_text("Rita")
    rita.get_by_role("link", name="Write the verdict").click()
    write_draft(
        rita,
        conclusion="Ridership rose 80%, not 100%.",
        explanation="Council boarding counts show an 80% rise.",
    )
    # Not published: the rating chip says draft.
    expect(rita.locator(".claimhead .rating.draft")).to_contain_text("Mostly true draft")
    rita.get_by_role("button", name="Send to review").click()
    expect(status(rita)).to_have_text("In review")

    # Ed asks for changes.
    ed.goto(claim.get_absolute_url())
    ed.get_by_label("Comment for the author").fill("Which months does the 80% compare?")
    ed.get_by_role("button", name="Request changes").click()
    expect(status(ed)).to_have_text("Researching")

    # Rita sees it on her board card, and the comment on the revise form.
    rita.goto("/")
    card = rita.locator("article.claimcard", has_text="Bus ridership in Harbridge")
    expect(card.locator(".mark-changes")).to_have_text("changes requested")
    card.get_by_role("link", name=re.compile("Bus ridership")).click()
    rita.get_by_role("link", name="Revise draft").click()
    requested = rita.get_by_role("region", name="Changes requested on version 1")
    expect(requested).to_contain_text("Ed")
    expect(requested).to_contain_text("Which months does the 80% compare?")
    rita.get_by_label("Explanation").fill(
        "Council boarding counts for March against March show an 80% rise."
    )
    rita.get_by_role("button", name="Save draft").click()
    expect(rita.get_by_text("Verdict draft saved.")).to_be_visible()
    rita.get_by_role("button", name="Send to review").click()
    expect(status(rita)).to_have_text("In review")

    # Ed approves; Paula publishes: the full write-up shows, with who wrote and approved it.
    ed.reload()
    ed.get_by_role("button", name="Approve", exact=True).click()
    expect(status(ed)).to_have_text("Approved")
    paula.goto(claim.get_absolute_url())
    publish = paula.get_by_role("button", name="Publish", exact=True)
    expect(publish).to_have_class("primary")
    publish.click()
    expect(status(paula)).to_have_text("Published")
    published = paula.locator(".verdict.published")
    expect(published).to_contain_text("March against March show an 80% rise")
    expect(published).to_contain_text(re.compile(r"Written by Rita .* approved by Ed"))
    expect(paula.locator(".claimhead .rating")).not_to_have_class(re.compile("draft"))

    # Paula starts a correction: readers still see version 2; no dismissing it now.
    paula.get_by_role("button", name="Start a correction").click()
    expect(status(paula)).to_have_text("Researching")
    expect(paula.get_by_test_id("readers-see")).to_contain_text("Readers see: version 2")
    expect(paula.get_by_text("Dismiss…")).to_have_count(0)
    paula.get_by_role("link", name="Draft a correction").click()
    # The note is asked for here, with the reason, before review.
    expect(paula.get_by_text("Required: the verdict was published")).to_be_visible()
    paula.get_by_label("Rating").select_option(label="Mostly true")
    paula.get_by_label("Explanation").fill(
        "Council boarding counts for March against March show a 78% rise."
    )
    paula.get_by_role("button", name="Save draft").click()
    expect(paula.get_by_text("This is a correction of a published verdict")).to_be_visible()
    assert claim.verdicts.count() == 2
    paula.get_by_label("Correction note (shown to readers)").fill(
        "We first gave 80%; the council revised its March count."
    )
    paula.get_by_role("button", name="Save draft").click()
    expect(paula.get_by_text("Verdict draft saved.")).to_be_visible()
    expect(paula.get_by_test_id("readers-see")).to_contain_text("version 2")
    paula.get_by_role("button", name="Send to review").click()
    expect(status(paula)).to_have_text("In review")
    ed.reload()
    ed.get_by_role("button", name="Approve", exact=True).click()
    expect(status(ed)).to_have_text("Approved")
    paula.reload()
    paula.get_by_role("button", name="Publish correction").click()
    expect(status(paula)).to_have_text("Corrected")
    expect(paula.locator(".verdict.published .correction")).to_contain_text(
        "the council revised its March count"
    )

    # Every version, in full, and what changed between the last two, word by word.
    paula.get_by_text("All 3 versions").click()
    versions = paula.locator(".versionlist")
    expect(versions.locator("li")).to_have_count(3)
    expect(versions).to_contain_text("Council boarding counts show an 80% rise.")
    paula.locator('li[data-version="3"]').get_by_role("link", name="Compare with version 2").click()
    diff = paula.locator("#version-diff")
    expect(diff.locator('[data-field="explanation"] del')).to_have_text("an 80% ")
    expect(diff.locator('[data-field="explanation"] ins')).to_have_text("a 78% ")
    expect(diff.locator('[data-field="correction-note"] ins')).to_contain_text("council revised")

    # A second fact check is retracted, with a note; it leaves the board's columns.
    desk = Desk(reporter=reporter, editor=editor, publisher=publisher, ratings=ratings)
    other = desk.claim_in(ClaimStatus.PUBLISHED)
    Claim.objects.filter(pk=other.pk).update(text="Ferry passengers reached a million.")
    paula.goto(other.get_absolute_url())
    paula.get_by_text("Retract…").click()
    paula.get_by_label("Retraction note (shown to readers)").fill(
        "The operator counted return trips twice."
    )
    paula.get_by_role("button", name="Retract the fact check").click()
    expect(status(paula)).to_have_text("Retracted")
    expect(paula.get_by_test_id("retraction")).to_contain_text(
        "The operator counted return trips twice."
    )
    paula.goto("/")
    board = paula.locator(".board")
    expect(board).to_contain_text("Bus ridership in Harbridge")
    expect(board).not_to_contain_text("Ferry passengers")
    paula.get_by_role("link", name="Retracted: 1").click()
    expect(paula.get_by_role("link", name="Ferry passengers reached a million.")).to_be_visible()
