"""Notifications in a real browser: an editor sends a draft back mentioning its author with
the @-autocomplete, by keyboard; the author sees the bell, opens the list, clicks through
to the claim and the count drops. Following a claim by its button."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from factdesk.claims.workflow import ClaimStatus
from factdesk.notifications.models import Follow
from tests.claims.flow import Desk

pytestmark = pytest.mark.browser


def bell(page: Page):
    return page.get_by_test_id("bell")


def test_changes_requested_with_a_mention_reach_the_author(
    session, reporter, editor, publisher, ratings
):
    desk = Desk(reporter=reporter, editor=editor, publisher=publisher, ratings=ratings)
    claim = desk.claim_in(ClaimStatus.IN_REVIEW)  # Rita's draft

    ed = session(editor)
    ed.goto(claim.get_absolute_url())
    ed.wait_for_load_state("domcontentloaded")  # the autocomplete script is deferred
    comment = ed.get_by_label("Comment for the author")
    comment.click()
    ed.keyboard.type("Please cite the March table, @ri")
    option = ed.get_by_role("option", name=f"{reporter.get_full_name()} (@rita)")
    expect(option).to_be_visible()
    expect(option).to_have_attribute("aria-selected", "true")
    ed.keyboard.press("ArrowDown")  # the only one: stays on it
    ed.keyboard.press("Enter")  # picks it; the form is not sent
    expect(ed.get_by_role("listbox")).to_have_count(0)
    ed.keyboard.type("thanks.")
    expect(comment).to_have_value("Please cite the March table, @rita thanks.")
    ed.get_by_role("button", name="Request changes").click()
    expect(ed.get_by_test_id("status")).to_have_text("Researching")
    expect(bell(ed)).to_have_attribute("aria-label", "Notifications, 0 unread")  # not his own

    rita = session(reporter)
    expect(bell(rita)).to_have_attribute("aria-label", "Notifications, 1 unread")
    expect(bell(rita).locator(".bell-count")).to_have_text("1")
    bell(rita).click()
    expect(rita.get_by_role("heading", name="Notifications")).to_be_visible()
    item = rita.locator(".notification.unread")
    expect(item).to_have_count(1)
    expect(item).to_contain_text("requested changes on your draft")
    expect(item).to_contain_text("Please cite the March table, @rita thanks.")
    item.get_by_role("link").click()
    expect(rita.get_by_role("heading", name=claim.text)).to_be_visible()
    expect(bell(rita)).to_have_attribute("aria-label", "Notifications, 0 unread")
    expect(bell(rita).locator(".bell-count")).to_have_count(0)
    rita.go_back()  # the list again, now read
    rita.reload()
    expect(rita.locator(".notification")).to_have_count(1)
    expect(rita.locator(".notification.unread")).to_have_count(0)


def test_the_mention_list_works_after_the_page_is_swapped_and_escape_closes_it(
    session, reporter, editor, publisher, ratings
):
    desk = Desk(reporter=reporter, editor=editor, publisher=publisher, ratings=ratings)
    claim = desk.claim_in(ClaimStatus.RESEARCHING)
    ed = session(editor)
    ed.goto(claim.get_absolute_url())
    ed.wait_for_load_state("domcontentloaded")
    # Posting a comment swaps the claim's body (htmx): the new comment box completes too.
    ed.get_by_label("Add a comment").fill("A first look.")
    ed.get_by_role("button", name="Post comment").click()
    expect(ed.get_by_text("Comment posted.")).to_be_visible()
    box = ed.get_by_label("Add a comment")
    expect(box).to_have_value("")
    box.click()
    ed.keyboard.type("@pa")
    expect(ed.get_by_role("option", name=f"{publisher.get_full_name()} (@paula)")).to_be_visible()
    ed.keyboard.press("Escape")
    expect(ed.get_by_role("listbox")).to_have_count(0)
    expect(box).to_have_value("@pa")


def test_follow_a_claim_then_hear_it_was_published(session, reporter, editor, publisher, ratings):
    desk = Desk(reporter=reporter, editor=editor, publisher=publisher, ratings=ratings)
    claim = desk.claim_in(ClaimStatus.APPROVED)
    paula = session(publisher)
    watcher = session(_second_editor())
    watcher.goto(claim.get_absolute_url())
    watcher.get_by_role("button", name="Follow").click()
    expect(watcher.get_by_text("You follow this claim.")).to_be_visible()
    watcher.reload()
    expect(watcher.get_by_role("button", name="Stop following this claim")).to_be_visible()
    assert Follow.objects.filter(user__username="erin", claim=claim).exists()

    paula.goto(claim.get_absolute_url())
    paula.get_by_role("button", name="Publish", exact=True).click()
    expect(paula.get_by_test_id("status")).to_have_text("Published")

    watcher.goto("/notifications/")
    expect(bell(watcher)).to_have_attribute("aria-label", "Notifications, 1 unread")
    expect(watcher.locator(".notification.unread")).to_contain_text("published verdict version 1")
    watcher.get_by_role("button", name="Mark all read").click()
    expect(watcher.get_by_text("Marked 1 notification read.")).to_be_visible()
    expect(bell(watcher)).to_have_attribute("aria-label", "Notifications, 0 unread")


def _second_editor():
    from tests.factories import UserFactory

    return UserFactory(username="erin", first_name="Erin", roles=["editor"])
