"""The desk reads the article with the editor: an article pasted with its page furniture
shows that furniture folded (one click shows it), suggests the sentences that carry claims
with their reasons, logs one in one click without leaving the page, and forgets none that
was set aside as "Not a claim"."""

import pytest
from playwright.sync_api import expect

from factdesk.articles.services import article_create
from factdesk.claims.models import Claim, Claimant
from factdesk.claims.workflow import ClaimStatus
from factdesk.intake.models import ExternalFactCheck, NotAClaim, TriageDone
from tests.claims.flow import Desk, log_claim
from tests.servers import local_site

pytestmark = pytest.mark.browser

PASTED = """Harbridge council leader Maren Holt spoke to reporters on Tuesday.
Maren Holt said bus ridership doubled to 4.2 million journeys after the fare cut.
Is this the best news the town has had in years?
The Harbridge Bus Company said it carried 310,000 more passengers than in 2024.
Share on Facebook
0 0 votes
Article Rating
Support the Harbridge Ledger on Patreon!
What do you think?
View all comments"""


def paste_article(page) -> None:
    """Add the article as an editor does: the form, the paste, the button."""
    page.goto("/articles/new/")
    page.get_by_label("Headline").fill("Holt on the buses")
    page.get_by_label("Article text").fill(PASTED)
    page.get_by_role("button", name="Add article").click()


def test_paste_an_article_see_suggestions_and_folded_furniture_and_log_one_in_one_click(
    page, log_in, editor
):
    Claimant.objects.create(name="Maren Holt")
    log_in(editor)
    paste_article(page)
    expect(page.get_by_role("heading", name="Holt on the buses")).to_be_visible()

    # The furniture is folded away, and one click shows it, dimmed.
    text = page.locator("#article-text")
    expect(text).not_to_contain_text("Support the Harbridge Ledger", use_inner_text=True)
    furniture = page.locator("#article-text .furniture").first
    expect(furniture).to_be_hidden()
    page.get_by_role("button", name="Show the 6 lines of page furniture").click()
    expect(furniture).to_be_visible()
    expect(page.get_by_role("button", name="Fold the page furniture again")).to_be_visible()

    # Suggestions, best first, with reasons; furniture and rhetoric are not among them.
    suggestions = page.get_by_test_id("suggestion")
    first = suggestions.filter(has_text="Maren Holt said bus ridership doubled to 4.2 million")
    expect(first).to_contain_text("a number: ‘4.2 million’")  # noqa: RUF001
    expect(first).to_contain_text("attributed: ‘Maren Holt said’")  # noqa: RUF001
    expect(suggestions.filter(has_text="Patreon")).to_have_count(0)
    expect(suggestions.filter(has_text="best news the town")).to_have_count(0)
    expect(first.get_by_label("Said by")).to_have_value("Maren Holt")

    # One click logs it: anchored, the claimant matched, and the page stays.
    url = page.url
    first.get_by_role("button", name="Log this claim").click()
    expect(page.get_by_test_id("logged")).to_contain_text("logged.")
    claim = Claim.objects.get()
    assert claim.claimant.name == "Maren Holt"
    assert (
        claim.quote
        == "Maren Holt said bus ridership doubled to 4.2 million journeys after the fare cut."
    )
    assert page.url == url
    expect(page.locator("#article-claims")).to_contain_text(f"#{claim.pk}")
    expect(
        page.locator(f"#article-text mark[aria-describedby~='article-claim-{claim.pk}']")
    ).to_have_text(claim.quote)
    expect(suggestions.filter(has_text="ridership doubled")).to_have_count(0)

    # "Not a claim" sets the next one aside, and it stays aside after a reload.
    company = suggestions.filter(has_text="The Harbridge Bus Company said")
    company.get_by_role("button", name="Not a claim").click()
    expect(suggestions.filter(has_text="Harbridge Bus Company said")).to_have_count(0)
    assert NotAClaim.objects.get().text.startswith("The Harbridge Bus Company said")
    page.reload()
    expect(page.get_by_role("heading", name="Suggested claims")).to_be_visible()
    expect(suggestions.filter(has_text="Harbridge Bus Company said")).to_have_count(0)


def test_a_double_click_on_log_this_claim_logs_one(page, log_in, editor):
    Claimant.objects.create(name="Maren Holt")
    log_in(editor)
    paste_article(page)
    suggestion = page.get_by_test_id("suggestion").filter(has_text="Maren Holt said")
    suggestion.get_by_role("button", name="Log this claim").dblclick()
    expect(page.get_by_test_id("logged")).to_contain_text("logged.")
    assert Claim.objects.count() == 1


def test_typing_a_claim_already_checked_shows_it_with_its_rating_before_logging(
    page, log_in, reporter, editor, publisher, ratings
):
    desk = Desk(reporter=reporter, editor=editor, publisher=publisher, ratings=ratings)
    checked = desk.claim_in(ClaimStatus.PUBLISHED)
    Claim.objects.filter(pk=checked.pk).update(
        text="Bus ridership in Harbridge doubled after the fare cut to one pound."
    )
    article = article_create(actor=editor, title="Holt on the buses", text=PASTED)
    log_in(editor)
    page.goto(article.get_absolute_url())
    page.get_by_label("The claim, as the desk words it").fill(
        "Harbridge bus ridership doubled after the fare cut."
    )
    checked_list = page.get_by_test_id("already-checked")
    expect(checked_list).to_contain_text(f"#{checked.pk}")
    expect(checked_list).to_contain_text("Mostly true")
    expect(page.get_by_test_id("likely-same")).to_contain_text(f"#{checked.pk}")
    assert Claim.objects.count() == 1  # nothing logged: the editor is told first


CLAIM_REVIEW = (
    b"<html><head><script type='application/ld+json'>"
    b'{"@type": "ClaimReview", "claimReviewed": "Bus ridership in Harbridge doubled.", '
    b'"headline": "Did the fare cut double Harbridge bus ridership?", '
    b'"author": {"@type": "Organization", "name": "Checkers Weekly"}, '
    b'"reviewRating": {"alternateName": "Exaggerated"}}'
    b"</script></head><body><p>Our check.</p></body></html>"
)


@pytest.fixture
def fact_check_site(settings):
    with local_site("127.0.0.23", settings) as pages:
        pages["/check"] = (200, {"Content-Type": "text/html"}, CLAIM_REVIEW)
        yield pages


def test_an_editor_imports_another_newsrooms_fact_check_and_sees_it_beside_the_claim(
    page, log_in, editor, fact_check_site
):
    log_in(editor)
    page.goto("/articles/")
    page.get_by_role("link", name="Fact checks from elsewhere").click()
    page.get_by_role("button", name="Import", exact=True).click()  # empty: said at once
    expect(page.get_by_text("Paste the address of a fact-check page.")).to_be_visible()
    page.get_by_label("Address of a fact-check page").fill(f"{fact_check_site.base}/check")
    page.get_by_role("button", name="Import", exact=True).dblclick()
    expect(page.get_by_text("Read 1 fact check from the page")).to_be_visible()
    expect(page.get_by_role("table")).to_contain_text("Checkers Weekly")
    # Listed by its headline, with the claim it reviews under it.
    expect(page.get_by_role("table")).to_contain_text(
        "Did the fare cut double Harbridge bus ridership?"
    )
    expect(page.get_by_role("table")).to_contain_text(
        "Claim reviewed: \u201cBus ridership in Harbridge doubled.\u201d"
    )
    assert ExternalFactCheck.objects.count() == 1  # a double click imports once

    # On a claim like it, the claim page shows it as checked elsewhere.
    claim = log_claim(editor, "Harbridge bus ridership doubled after the fare cut.")
    page.goto(claim.get_absolute_url())
    elsewhere = page.get_by_test_id("checked-elsewhere")
    expect(elsewhere).to_contain_text("Exaggerated")
    expect(elsewhere).to_contain_text("Checkers Weekly")
    expect(
        elsewhere.get_by_role("link", name="Did the fare cut double Harbridge bus ridership?")
    ).to_have_attribute("href", f"{fact_check_site.base}/check")


def test_an_editor_merges_a_repeat_from_the_claim_page_and_marks_triage_and_furniture(
    page, log_in, editor
):
    original = log_claim(editor, "Harbridge bus ridership doubled after the fare cut.")
    repeat = log_claim(editor, "Harbridge bus ridership doubled after the fare cut to £1.")
    log_in(editor)
    page.goto(repeat.get_absolute_url())
    page.get_by_test_id("on-the-desk").get_by_role(
        "button", name=f"Mark this claim as a duplicate of #{original.pk}"
    ).click()
    expect(page.get_by_test_id("status")).to_have_text("Duplicate")
    repeat.refresh_from_db()
    assert repeat.duplicate_of == original

    # On an article: "Not furniture" brings a folded line back; "Triage done" is said once.
    paste_article(page)
    page.get_by_text("Page furniture (6 lines)").click()
    page.get_by_role("button", name="Not furniture: View all comments").click()
    expect(page.get_by_text("Page furniture (5 lines)")).to_be_visible()
    expect(page.locator("#article-text")).to_contain_text("View all comments", use_inner_text=True)
    page.get_by_role("button", name="Triage done").click()
    expect(page.get_by_text("Triage done: what nobody logged here")).to_be_visible()
    assert TriageDone.objects.count() == 1


def test_an_editor_uploads_a_claim_review_feed_and_watches_it_come_in(
    page, log_in, editor, archive_storage, tmp_path
):
    """The feed is read by a real worker; the page's progress panel updates itself to done,
    with what was skipped and why."""
    from tests.conftest import WorkerProcess
    from tests.intake.test_feeds import FEED

    feed_file = tmp_path / "checkers-feed.json"
    feed_file.write_bytes(FEED)
    worker = WorkerProcess(env={"STORAGE_DIR": str(archive_storage)})
    try:
        log_in(editor)
        page.goto("/intake/elsewhere/")
        page.get_by_role("button", name="Import the feed").click()  # nothing chosen
        expect(page.get_by_text("Choose a feed file or paste a feed")).to_be_visible()
        page.get_by_label("A feed file").set_input_files(str(feed_file))
        page.get_by_role("button", name="Import the feed").dblclick()
        expect(page.get_by_test_id("feed-status")).to_have_text("Done", timeout=60_000)
        expect(page.get_by_test_id("feed-counts")).to_have_text(
            "2 new fact checks, 0 updated, 2 skipped."
        )
        expect(page.get_by_test_id("feed-skipped")).to_contain_text("no claimReviewed")
        expect(page.locator("progress")).to_have_attribute("value", "100")
        page.go_back()
        expect(page.get_by_role("heading", name="Import a ClaimReview feed")).to_be_visible()
        page.reload()
        expect(page.get_by_role("table")).to_contain_text("Claim number 2")
        assert ExternalFactCheck.objects.count() == 2  # a double click imports once
    finally:
        worker.stop()


def test_an_editor_corrects_the_language_the_desk_got_wrong_and_the_suggestions_come(
    page, log_in, editor
):
    from factdesk.articles.models import Article

    log_in(editor)
    paste_article(page)
    expect(page.get_by_test_id("article-language")).to_have_value("en")
    Article.objects.update(language="de")  # as if the detector had been wrong
    page.reload()
    expect(page.get_by_text("this article is in German: not supported yet")).to_be_visible()
    expect(page.get_by_test_id("suggestion")).to_have_count(0)
    page.get_by_test_id("article-language").select_option(label="English")
    page.get_by_role("button", name="Set", exact=True).dblclick()
    expect(page.get_by_text("Language set to English.")).to_be_visible()
    expect(page.get_by_test_id("suggestion").first).to_be_visible()
    assert Article.objects.get().language == "en"


def test_a_publisher_turns_on_googles_fact_check_search_and_an_editor_cannot(
    session, editor, publisher, settings
):
    from factdesk.intake.models import IntakeSettings

    settings.FACT_CHECK_TOOLS_API_KEY = "a-key"
    ed = session(editor)
    ed.goto("/intake/elsewhere/")
    ed.get_by_role("link", name="Searching Google's Fact Check Tools").click()
    expect(ed.get_by_test_id("google-privacy")).to_contain_text("sends the wording")
    expect(ed.get_by_text("A publisher changes this.")).to_be_visible()
    expect(ed.get_by_role("button", name="Save")).to_have_count(0)

    paula = session(publisher)
    paula.goto("/intake/settings/")
    expect(paula.get_by_test_id("google-state")).to_contain_text("off")
    paula.get_by_label("Search Google's Fact Check Tools for each claim logged").check()
    paula.get_by_role("button", name="Save").dblclick()
    expect(paula.get_by_text("Settings saved.")).to_be_visible()
    expect(paula.get_by_test_id("google-state")).to_contain_text("on")
    assert IntakeSettings.current().search_google
