"""Bulk triage on the list in a real browser: tick rows by click and shift-click or all at
once, pick an action, see what was done, or why nothing was."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from factdesk.claims.models import Activity, Claim, Topic
from factdesk.claims.workflow import ClaimStatus
from tests.claims.flow import Desk, log_claim

pytestmark = pytest.mark.browser


@pytest.fixture
def five_claims(reporter):
    """Logged oldest first: the list, newest first, shows Claim 5 on top."""
    return [log_claim(reporter, f"Claim {n} about the ferry.") for n in range(1, 6)]


def bulk(page):
    return page.locator("form#bulk")


def row(page, text):
    return page.get_by_role("row").filter(has_text=text)


def box(page, text):
    return row(page, text).get_by_role("checkbox")


def test_shift_click_ticks_a_range_and_one_click_assigns_them(
    page, log_in, editor, reporter, five_claims
):
    log_in(editor)
    page.goto("/claims/")
    box(page, "Claim 4 about").click()
    box(page, "Claim 2 about").click(modifiers=["Shift"])
    for n, ticked in ((5, False), (4, True), (3, True), (2, True), (1, False)):
        checkbox = box(page, f"Claim {n} about")
        expect(checkbox).to_be_checked() if ticked else expect(checkbox).not_to_be_checked()
    expect(page.get_by_text("3 selected")).to_be_visible()

    bulk(page).get_by_label("Assign to").select_option(label=reporter.get_full_name())
    bulk(page).get_by_role("button", name="Assign", exact=True).click()

    expect(page.get_by_text(f"3 claims assigned to {reporter.get_full_name()}.")).to_be_visible()
    for n, assigned in ((5, False), (4, True), (3, True), (2, True), (1, False)):
        cell = row(page, f"Claim {n} about").get_by_role("cell").nth(5)
        expect(cell).to_have_text(reporter.get_full_name() if assigned else "—")
    assert sorted(Claim.objects.filter(assignee=reporter).values_list("text", flat=True)) == [
        f"Claim {n} about the ferry." for n in (2, 3, 4)
    ]


def test_select_all_then_add_a_topic_typed_new(page, log_in, editor, five_claims):
    log_in(editor)
    page.goto("/claims/")
    page.get_by_label("Select all claims on this page").check()
    expect(page.get_by_text("5 selected")).to_be_visible()
    box(page, "Claim 1 about").click()  # all but one
    expect(page.get_by_text("4 selected")).to_be_visible()
    expect(page.get_by_label("Select all claims on this page")).not_to_be_checked()
    bulk(page).get_by_label("Topic").fill("Ferries")
    bulk(page).get_by_role("button", name="Add topic").click()
    expect(page.get_by_text("4 claims given the topic Ferries.")).to_be_visible()
    expect(row(page, "Claim 5 about").locator(".topic")).to_have_text("Ferries")
    expect(row(page, "Claim 1 about").locator(".topic")).to_have_count(0)
    assert Topic.objects.get().claims.count() == 4

    # The list filtered by the new topic shows the four.
    page.locator("form.filters").get_by_label("Topic").select_option(label="Ferries")
    page.get_by_role("button", name="Filter").click()
    expect(page.locator("tbody tr")).to_have_count(4)


def test_a_dismissal_that_includes_a_published_claim_is_refused_whole(
    page, log_in, editor, reporter, publisher, ratings, five_claims
):
    published = Desk(
        reporter=reporter, editor=editor, publisher=publisher, ratings=ratings
    ).claim_in(ClaimStatus.PUBLISHED)
    log_in(editor)
    page.goto("/claims/")
    box(page, "Claim 5 about").click()
    box(page, published.text).click()
    bulk(page).get_by_label("Dismiss because").select_option(label="Opinion")
    bulk(page).get_by_role("button", name="Dismiss").click()
    expect(
        page.get_by_text(
            f"Nothing was changed. #{published.pk} is published: a published fact check is "
            "never dismissed."
        )
    ).to_be_visible()
    expect(row(page, "Claim 5 about")).to_contain_text("New")
    assert Claim.objects.filter(status=ClaimStatus.DISMISSED).count() == 0

    # Without the published one, the dismissal goes through.
    box(page, "Claim 5 about").click()
    box(page, "Claim 4 about").click()
    bulk(page).get_by_label("Dismiss because").select_option(label="Opinion")
    bulk(page).get_by_role("button", name="Dismiss").click()
    expect(page.get_by_text("2 claims dismissed.")).to_be_visible()
    expect(row(page, "Claim 5 about")).to_contain_text("Dismissed")


def test_a_double_click_on_an_action_sends_it_once(page, log_in, editor, five_claims):
    log_in(editor)
    page.goto("/claims/")
    box(page, "Claim 3 about").click()
    bulk(page).get_by_label("Priority").select_option(label="Urgent")
    bulk(page).get_by_role("button", name="Set priority").dblclick()
    expect(page.get_by_text("1 claim set to urgent priority.")).to_be_visible()
    assert Activity.objects.filter(action="claim.priority").count() == 1


def test_the_filtered_list_downloads_as_csv(page, log_in, editor):
    log_claim(editor, "Bus fares fell by a third.")
    log_in(editor)
    page.goto("/claims/?status=new")
    with page.expect_download() as download:
        page.get_by_test_id("csv").click()
    body = Path(download.value.path()).read_text(encoding="utf-8-sig")
    assert "Bus fares fell by a third." in body
    assert body.splitlines()[0].startswith("id,claim,quote,claimant,status")
