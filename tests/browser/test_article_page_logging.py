"""Logging claims from an article page the way an editor does: dragging over the words with
the mouse (across a paragraph break, from inside a passage already logged), typing the
wording and pressing Ctrl+Enter, and staying on the page for the next claim."""

import re

import pytest
from playwright.sync_api import Page, expect

from factdesk.articles.services import article_create
from factdesk.claims.models import Claim, Claimant
from factdesk.claims.services import claim_create, claim_transition
from factdesk.claims.workflow import ClaimStatus

pytestmark = pytest.mark.browser

ARTICLE = (
    "Harbridge's council leader, Maren Holt, spoke on Tuesday about the town's buses.\n\n"
    "She said bus ridership doubled after the fare cut to one pound. "
    "She added that the council had saved four million pounds on road repairs.\n\n"
    "Holt also claimed the town's air is now the cleanest in the county. "
    "Café owners on Quay Street disagreed with all of it.\n\n"
    + "Later paragraphs repeat what the council said before. "
    * 40
)


def drag_over(page: Page, text: str, *, occurrence: int = 0) -> None:
    """Press the mouse on the first character of `text` in the article, move to its last
    and let go: a person's drag, whatever highlights or paragraphs lie under it."""
    box = page.evaluate(
        """([text, occurrence]) => {
            const article = document.getElementById("article-text");
            let at = -1;
            for (let i = 0; i <= occurrence; i++) at = article.textContent.indexOf(text, at + 1);
            if (at < 0) throw new Error("not in the article: " + text);
            function point(offset) {  // the text node and offset `offset` characters in
                const walker = document.createTreeWalker(article, NodeFilter.SHOW_TEXT);
                let node, seen = 0;
                while ((node = walker.nextNode())) {
                    if (offset < seen + node.length) return [node, offset - seen];
                    seen += node.length;
                }
            }
            function rect(offset) {
                const [node, inside] = point(offset);
                const range = document.createRange();
                range.setStart(node, inside);
                range.setEnd(node, inside + 1);
                return range.getClientRects()[0];
            }
            rect(at);  // scroll nothing: the caller's viewport decides
            const first = rect(at), last = rect(at + text.length - 1);
            return {x0: first.left + 1, y0: (first.top + first.bottom) / 2,
                    x1: last.right - 1, y1: (last.top + last.bottom) / 2};
        }""",
        [text, occurrence],
    )
    page.mouse.move(box["x0"], box["y0"])
    page.mouse.down()
    page.mouse.move((box["x0"] + box["x1"]) / 2, (box["y0"] + box["y1"]) / 2, steps=4)
    page.mouse.move(box["x1"], box["y1"], steps=4)
    page.mouse.up()


@pytest.fixture
def article(editor):
    return article_create(actor=editor, title="Holt on buses", text=ARTICLE)


@pytest.fixture
def holt(editor):
    """Maren Holt, on the desk already: the editor logged a claim of hers last week."""
    claimant = Claimant.objects.create(name="Maren Holt")
    claim_create(
        actor=editor,
        text="Harbridge has the most bus routes in the county.",
        claimant=claimant,
        quote="the most bus routes in the county",
        medium="speech",
        source_description="Council meeting",
    )
    return claimant


def highlight_of(page: Page, claim: Claim):
    return page.locator(f"#article-text mark[aria-describedby~='article-claim-{claim.pk}']")


def highlighted(page: Page, claim: Claim) -> str:
    """The words highlighted for `claim`, across all the runs its quote is cut into."""
    return "".join(highlight_of(page, claim).all_text_contents())


def logged(page: Page, wording: str) -> Claim:
    """The claim just logged with `wording`, once the page lists it."""
    expect(page.locator("#article-claims")).to_contain_text(wording)
    claim = Claim.objects.get(text=wording)
    expect(page.get_by_test_id("logged")).to_contain_text(f"Claim #{claim.pk} logged.")
    return claim


class Actions:
    """Counts what the editor does: a selection, typing (one action whatever its length),
    a click or a key press."""

    def __init__(self, page: Page) -> None:
        self.page, self.count = page, 0

    def select(self, text: str) -> None:
        self.count += 1
        drag_over(self.page, text)

    def type(self, text: str) -> None:
        self.count += 1
        self.page.keyboard.type(text)

    def press(self, key: str) -> None:
        self.count += 1
        self.page.keyboard.press(key)


CLAIMS = [
    ("bus ridership doubled after the fare cut to one pound", "Bus ridership doubled."),
    ("saved four million pounds on road repairs", "The council saved £4m on roads."),
    ("the cleanest in the county", "Harbridge's air is the county's cleanest."),
]


def test_three_claims_in_a_row_cost_three_actions_each_and_stay_on_the_page(
    page, log_in, editor, article, holt
):
    log_in(editor)
    page.goto(article.get_absolute_url())
    claimant = page.get_by_label("Claimant:", exact=True)
    expect(claimant).to_have_value("Maren Holt")  # the claimant of the editor's last claim
    for number, (words, wording) in enumerate(CLAIMS, start=1):
        actions = Actions(page)
        actions.select(words)
        expect(page.get_by_label("Exact words")).to_have_value(words)
        actions.type(wording)
        actions.press("Control+Enter")
        claim = logged(page, wording)
        assert actions.count <= 3, f"claim {number} took {actions.count} actions"
        assert claim.claimant == holt
        assert article.text[claim.quote_start : claim.quote_end] == words
        assert highlighted(page, claim) == words
        expect(page.locator("#article-claims")).to_contain_text(f"#{claim.pk} {wording}")
        # The form is ready for the next: wording cleared, claimant kept, on screen.
        expect(page.get_by_label("The claim, as the desk words it")).to_have_value("")
        expect(claimant).to_have_value("Maren Holt")
        expect(claimant).to_be_in_viewport()
    assert page.url.endswith(article.get_absolute_url())
    page.get_by_test_id("logged").get_by_role("link", name=f"Open claim #{claim.pk}").click()
    expect(page.get_by_test_id("status")).to_have_text("New")


def test_the_claimant_field_stays_in_view_while_the_article_scrolls(page, log_in, editor, article):
    log_in(editor)
    page.goto(article.get_absolute_url())
    page.get_by_text("Later paragraphs repeat").last.scroll_into_view_if_needed()
    page.mouse.wheel(0, 2000)
    expect(page.get_by_role("button", name="Log claim")).to_be_in_viewport()
    expect(page.get_by_label("Claimant:", exact=True)).to_be_in_viewport()


def test_a_quote_dragged_across_a_paragraph_break_is_logged(page, log_in, editor, article, holt):
    log_in(editor)
    page.goto(article.get_absolute_url())
    words = "about the town's buses.\n\nShe said bus ridership doubled"
    drag_over(page, words)
    expect(page.get_by_label("Exact words")).to_have_value(words)
    page.keyboard.type("Holt said ridership doubled.")
    page.keyboard.press("Control+Enter")
    claim = logged(page, "Holt said ridership doubled.")
    assert claim.quote == words
    assert highlighted(page, claim) == words  # over both paragraphs


def test_overlapping_claims_both_show_and_a_drag_from_inside_a_highlight_logs_one(
    page, log_in, editor, article, holt
):
    log_in(editor)
    page.goto(article.get_absolute_url())
    outer = "bus ridership doubled after the fare cut to one pound"
    drag_over(page, outer)
    page.keyboard.type("Ridership doubled after the fare cut.")
    page.keyboard.press("Control+Enter")
    first = logged(page, "Ridership doubled after the fare cut.")

    # From inside the highlight to beyond it: the drag selects, it does not follow a link.
    inner = "the fare cut to one pound. She added"
    drag_over(page, inner)
    expect(page.get_by_label("Exact words")).to_have_value(inner)
    page.keyboard.type("The fare was cut to £1.")
    page.keyboard.press("Control+Enter")
    second = logged(page, "The fare was cut to £1.")
    assert article.text[second.quote_start : second.quote_end] == inner

    # Both show: the first's words in full, the shared words in the second shade, with both
    # claims named on hover.
    assert highlighted(page, first) == outer
    assert highlighted(page, second) == inner
    shared = page.locator("#article-text mark.depth-2")
    expect(shared).to_have_text("the fare cut to one pound")
    expect(shared).to_have_attribute(
        "title", f"Claim #{first.pk} (New): {first.text}\nClaim #{second.pk} (New): {second.text}"
    )
    one = highlight_of(page, first).first
    assert shared.evaluate("m => getComputedStyle(m).backgroundColor") != one.evaluate(
        "m => getComputedStyle(m).backgroundColor"
    )
    # A click on the shared words points at both claims in the list.
    shared.click()
    expect(page.locator("#article-claims li.pointed")).to_have_count(2)


def test_a_dismissed_claims_highlight_is_dimmed_under_a_live_one(
    page, log_in, editor, article, holt
):
    dismissed = claim_create(
        actor=editor,
        article=article,
        claimant=holt,
        text="Ridership doubled.",
        quote="bus ridership doubled after the fare cut",
    )
    claim_transition(
        actor=editor, claim=dismissed, target=ClaimStatus.DISMISSED, dismiss_reason="opinion"
    )
    live = claim_create(
        actor=editor, article=article, claimant=holt, text="Fare cut to £1.", quote="fare cut"
    )
    log_in(editor)
    page.goto(article.get_absolute_url())
    only_dismissed = page.locator("#article-text mark.dimmed")
    expect(only_dismissed.first).to_have_text("bus ridership doubled after the ")
    shared = highlight_of(page, live)
    expect(shared).to_have_text("fare cut")
    expect(shared).not_to_have_class("dimmed")
    expect(shared).to_have_attribute(
        "aria-describedby", f"article-claim-{dismissed.pk} article-claim-{live.pk}"
    )
    faint, bright = (
        only_dismissed.first.evaluate("m => getComputedStyle(m).backgroundColor"),
        shared.evaluate("m => getComputedStyle(m).backgroundColor"),
    )
    assert faint != bright


def test_the_same_passage_is_refused_and_the_same_words_elsewhere_warn_then_log(
    page, log_in, editor, article, holt
):
    words = "bus ridership doubled after the fare cut to one pound"
    first = claim_create(
        actor=editor, article=article, claimant=holt, quote=words, text="Ridership doubled."
    )
    log_in(editor)
    page.goto(article.get_absolute_url())
    drag_over(page, words)  # from inside the highlight of the claim already logged
    page.keyboard.type("Bus ridership doubled, again.")
    page.keyboard.press("Control+Enter")
    warning = page.get_by_test_id("duplicate")
    expect(warning).to_contain_text(f"This passage is already logged as claim #{first.pk}.")
    expect(warning.get_by_role("button", name="Log it anyway")).to_have_count(0)
    assert Claim.objects.filter(article=article).count() == 1
    warning.get_by_role("link", name=f"Open claim #{first.pk}").click()
    expect(page).to_have_url(re.compile(rf"/claims/{first.pk}/$"))

    # The same words in another article: a repeated claim is news, logged on purpose.
    radio = article_create(
        actor=editor, title="Holt on the radio", text=f"On the radio Holt said {words} again."
    )
    page.goto(radio.get_absolute_url())
    drag_over(page, words)
    page.keyboard.type("Holt repeats the ridership figure.")
    page.keyboard.press("Control+Enter")
    warning = page.get_by_test_id("duplicate")
    expect(warning).to_contain_text(f"Maren Holt said the same words before: claim #{first.pk}")
    assert not Claim.objects.filter(article=radio).exists()  # nothing logged until asked
    warning.get_by_role("button", name="Log it anyway, as a new appearance").click()
    repeat = logged(page, "Holt repeats the ridership figure.")
    assert (repeat.article, repeat.claimant, repeat.quote) == (radio, holt, words)
