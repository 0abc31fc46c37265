"""Topics and due dates in a real browser: an editor files a claim under topics on its page,
sets when it is due, and finds it on the board by topic, its card saying when it is due."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from factdesk.claims.models import Claim, Priority
from factdesk.claims.services import claim_topic_add
from tests.claims.flow import log_claim

pytestmark = pytest.mark.browser


def topics_card(page):
    return page.locator("section.topicsdue")


def test_an_editor_files_a_claim_under_topics_and_sets_its_due_date(page, log_in, editor, reporter):
    claim = log_claim(reporter, "Ferry fares fell by half.")
    other = log_claim(reporter, "The harbour wall is safe.")
    claim_topic_add(actor=editor, claim=other, name="Harbour")
    log_in(editor)
    page.goto(claim.get_absolute_url())
    card = topics_card(page)
    expect(card).to_contain_text("No topics yet.")
    # A normal-priority claim is due a week after it was logged.
    expect(card.get_by_test_id("due")).to_have_text("due in 7 days")

    # A new name makes a new topic; an existing one in other letters' case is reused.
    card.get_by_label("Add a topic").fill("Ferries")
    card.get_by_role("button", name="Add topic").click()
    expect(card.locator(".topic")).to_have_text(["Ferries"])
    card.get_by_label("Add a topic").fill("harbour")
    card.get_by_label("Add a topic").press("Enter")
    expect(card.locator(".topic")).to_have_text(["Ferries", "Harbour"])
    # The same topic again: still once.
    card.get_by_label("Add a topic").fill("FERRIES")
    card.get_by_role("button", name="Add topic").click()
    expect(page.get_by_text("Topic: Ferries.")).to_be_visible()
    expect(card.locator(".topic")).to_have_text(["Ferries", "Harbour"])
    # Too long a name: said in words, nothing added, the topics as they were.
    card.get_by_label("Add a topic").fill("x" * 70)
    card.get_by_role("button", name="Add topic").click()
    expect(
        page.get_by_text("A topic's name is at most 60 characters; this one has 70.")
    ).to_be_visible()
    expect(card.locator(".topic")).to_have_text(["Ferries", "Harbour"])

    card.get_by_role("button", name="Remove the topic Harbour").click()
    expect(card.locator(".topic")).to_have_text(["Ferries"])

    due = timezone.localdate() + datetime.timedelta(days=2)
    card.get_by_label("Due date").fill(due.isoformat())
    card.get_by_role("button", name="Set due date").click()
    expect(card.get_by_test_id("due")).to_have_text("due in 2 days")
    # The date input shows the date it holds (the ISO format a date input reads).
    expect(card.get_by_label("Due date")).to_have_value(due.isoformat())
    assert Claim.objects.get(pk=claim.pk).due_date == due
    expect(page.locator(".timeline")).to_contain_text("added the topic Ferries")

    # On the board, filtered by the topic, the card says so and when it is due.
    page.goto("/")
    page.get_by_label("Topic").select_option(label="Ferries")
    page.get_by_role("button", name="Filter").click()
    cards = page.locator("article.claimcard")
    expect(cards).to_have_count(1)
    expect(cards).to_contain_text("Ferry fares fell by half.")
    expect(cards.locator(".topic")).to_have_text("Ferries")
    expect(cards.locator(".due")).to_have_text("due in 2 days")


def test_an_overdue_claim_says_so_on_its_card_and_the_dashboard(page, log_in, editor, reporter):
    claim = log_claim(reporter, "The new pier opened on time.")
    Claim.objects.filter(pk=claim.pk).update(
        due_date=timezone.localdate() - datetime.timedelta(days=3), priority=Priority.HIGH
    )
    log_in(editor)
    page.goto("/")
    due = page.locator("article.claimcard .due")
    expect(due).to_have_text("overdue by 3 days")
    expect(due).to_have_class("due overdue")
    page.get_by_role("link", name="Dashboard").click()
    overdue = page.locator("section").filter(has=page.get_by_role("heading", name="Overdue"))
    expect(overdue).to_contain_text("The new pier opened on time.")
    expect(overdue).to_contain_text("overdue by 3 days")
