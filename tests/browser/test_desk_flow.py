"""The whole desk in a real browser: a reporter logs a claim from an article and drafts a
verdict, an editor sends it back and then approves, a publisher publishes."""

import re

import pytest
from playwright.sync_api import Page, expect

from factdesk.claims.models import Claim

pytestmark = pytest.mark.browser

ARTICLE = (
    "Harbridge's council leader spoke on Tuesday.\n\n"
    "She said bus ridership doubled after the fare cut to one pound. "
    "Café owners on Quay Street disagreed."
)
SENTENCE = "bus ridership doubled after the fare cut to one pound"


def select_text(page: Page, text: str) -> None:
    """Select `text` inside the article as a reader would with the mouse."""
    page.evaluate(
        """(text) => {
            const box = document.getElementById("article-text");
            const walker = document.createTreeWalker(box, NodeFilter.SHOW_TEXT);
            let node;
            while ((node = walker.nextNode())) {
                const at = node.textContent.indexOf(text);
                if (at >= 0) {
                    const range = document.createRange();
                    range.setStart(node, at);
                    range.setEnd(node, at + text.length);
                    const selection = document.getSelection();
                    selection.removeAllRanges();
                    selection.addRange(range);
                    return;
                }
            }
            throw new Error("text not found");
        }""",
        text,
    )


def status(page: Page):
    return page.get_by_test_id("status")


def test_claim_from_article_to_published_verdict(session, reporter, editor, publisher, ratings):
    # Reporter: paste an article, select a sentence, log the claim.
    rita = session(reporter)
    rita.get_by_role("link", name="+ Article").click()
    rita.get_by_label("Headline").fill("Council leader on buses")
    rita.get_by_label("Outlet").fill("Harbridge Ledger")
    rita.get_by_label("Article text").fill(ARTICLE)
    rita.get_by_role("button", name="Add article").click()
    expect(rita.get_by_role("heading", name="Council leader on buses")).to_be_visible()
    rita.wait_for_load_state("domcontentloaded")  # the selection script is deferred
    select_text(rita, SENTENCE)
    expect(rita.get_by_label("Exact words")).to_have_value(SENTENCE)
    rita.get_by_label("The claim, as the desk words it").fill(
        "Bus ridership in Harbridge doubled after the fare cut to £1."
    )
    rita.get_by_label("Claimant").fill("Maren Holt")
    rita.get_by_role("button", name="Log claim").click()
    # The claim is logged in place, on the article page; its link opens it.
    claim_link = rita.get_by_test_id("logged").get_by_role("link")
    expect(claim_link).to_have_text(re.compile(r"Open claim #\d+"))
    claim_link.click()
    expect(status(rita)).to_have_text("New")
    claim = Claim.objects.get()
    assert claim.article.text[claim.quote_start : claim.quote_end] == SENTENCE

    # Research and draft the verdict; the status changes in place (htmx).
    rita.get_by_role("button", name="Start research").click()
    expect(status(rita)).to_have_text("Researching")
    expect(rita.get_by_text("The claim is now researching.")).to_be_visible()
    rita.get_by_role("link", name="Write the verdict").click()
    rita.get_by_label("Rating").select_option(label="Mostly true")
    rita.get_by_label("Conclusion (one line)").fill("Ridership rose 80%, not 100%.")
    rita.get_by_label("Explanation").fill("Council boarding counts show an 80% rise.")
    rita.get_by_role("button", name="Save draft").click()
    expect(rita.get_by_text("Verdict draft saved.")).to_be_visible()
    rita.get_by_role("button", name="Send to review").click()
    expect(status(rita)).to_have_text("In review")

    # Editor: request changes.
    ed = session(editor)
    ed.goto(claim.get_absolute_url())
    ed.get_by_label("Comment for the author").fill("Which months does the 80% compare?")
    ed.get_by_role("button", name="Request changes").click()
    expect(status(ed)).to_have_text("Researching")

    # Reporter revises and sends it back.
    rita.reload()
    expect(rita.locator(".reviews")).to_contain_text(
        "requested changes: “Which months does the 80% compare?”"
    )
    rita.get_by_role("link", name="Revise draft").click()
    expect(rita.get_by_label("Conclusion (one line)")).to_have_value(
        "Ridership rose 80%, not 100%."
    )
    rita.get_by_label("Conclusion (one line)").fill("Ridership rose 80% year on year, not 100%.")
    rita.get_by_role("button", name="Save draft").click()
    rita.get_by_role("button", name="Send to review").click()
    expect(status(rita)).to_have_text("In review")

    # Editor approves: the sign-off rule is met, the claim is approved.
    ed.reload()
    ed.get_by_role("button", name="Approve", exact=True).click()
    expect(status(ed)).to_have_text("Approved")
    expect(ed.get_by_role("button", name="Publish")).to_have_count(0)  # not an editor's step

    # Publisher publishes.
    paula = session(publisher)
    paula.goto(claim.get_absolute_url())
    paula.get_by_role("button", name="Publish").click()
    expect(status(paula)).to_have_text("Published")
    expect(paula.locator(".verdict.published")).to_contain_text("Ridership rose 80% year on year")

    # The timeline tells the whole story.
    timeline = paula.locator(".timeline")
    for step in (
        r"Rita .* logged the claim",
        r"Rita .* moved the claim to researching",
        r"Rita .* saved verdict version 1: Mostly true",
        r"Rita .* moved the claim to in review",
        r"Ed .* requested changes to version 1: Which months",
        r"Rita .* saved verdict version 2",
        r"Ed .* approved verdict version 2",
        r"Ed .* moved the claim to approved",
        r"Paula .* published verdict version 2",
    ):
        expect(timeline).to_contain_text(re.compile(step))
