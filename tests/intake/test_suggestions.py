"""The article page's suggestions and folded furniture, as an editor meets them: ranked
with reasons, the claimant proposed, logged in one submission, set aside with "Not a claim"
(remembered), and lines marked as furniture or not."""

import datetime
import html

import pytest
from django.urls import reverse

from factdesk.articles.services import article_create
from factdesk.claims.models import Activity, Claim, Claimant
from factdesk.intake.models import LineDecision, NotAClaim
from factdesk.intake.selectors import article_intake
from factdesk.intake.services import line_mark, sentence_not_a_claim

TEXT = (
    "Harbridge buses: a good year?\n"
    "By Jane Holt\n"
    "Harbridge's council leader, Maren Holt, spoke on Tuesday.\n"
    "She said bus ridership doubled to 4.2 million journeys after the fare cut in 2025. "
    "What a wonderful time to be alive!\n"
    "The Harbridge Bus Company said it carried more passengers than ever before.\n"
    "Support the Harbridge Ledger on Patreon!\n"
    "What do you think?\n"
    "View all comments\n"
    "Council tax row rumbles on"
)


@pytest.fixture
def article(editor):
    return article_create(
        actor=editor,
        title="Harbridge buses",
        text=TEXT,
        byline="Jane Holt",
        published_on=datetime.date(2026, 3, 4),
    )


def span_of(text: str, words: str) -> tuple[int, int]:
    start = text.index(words)
    return start, start + len(words)


def folded(article) -> set[str]:
    return {line.text for line in article_intake(article, []).furniture}


def page(client, article) -> str:
    return html.unescape(client.get(article.get_absolute_url()).content.decode())


def test_suggestions_are_ranked_with_reasons_and_furniture_is_never_suggested(article):
    intake = article_intake(article, [])
    suggested = [s.sentence.text for s in intake.suggestions]
    assert suggested[0].startswith("She said bus ridership doubled to 4.2 million")
    assert "What a wonderful time to be alive!" not in suggested  # rhetoric
    assert not any("Patreon" in text or "What do you think" in text for text in suggested)
    reasons = [str(r) for r in intake.suggestions[0].scored.reasons]
    assert "a number: ‘4.2 million’" in reasons  # noqa: RUF001
    assert "attributed: ‘She said’" in reasons  # noqa: RUF001
    folded = {line.text for line in intake.furniture}
    assert folded == {
        "By Jane Holt",
        "Support the Harbridge Ledger on Patreon!",
        "What do you think?",
        "View all comments",
        "Council tax row rumbles on",
    }


def test_the_claimant_is_proposed_from_the_attribution_and_matched_on_the_desk(article):
    Claimant.objects.create(name="Maren Holt")
    intake = article_intake(article, [])
    by_text = {s.sentence.text[:20]: s for s in intake.suggestions}
    ridership = by_text["She said bus ridersh"]
    assert (ridership.claimant, ridership.claimant_known) == ("Maren Holt", True)
    company = by_text["The Harbridge Bus Co"]
    assert (company.claimant, company.claimant_known) == ("Harbridge Bus Company", False)


def test_the_page_shows_suggestions_and_folds_furniture(client, editor, article):
    client.force_login(editor)
    body = page(client, article)
    assert "Suggested claims" in body
    assert "a number: ‘4.2 million’" in body  # noqa: RUF001
    assert "Show the 5 lines of page furniture" in body
    assert '<span class="furniture"' in body
    assert 'class="article-text fold-furniture"' in body


def test_logging_a_suggestion_in_one_submission_anchors_it_and_stays_on_the_page(
    client, editor, article
):
    Claimant.objects.create(name="Maren Holt")
    suggestion = article_intake(article, []).suggestions[0]
    sentence = suggestion.sentence
    client.force_login(editor)
    form = {
        "idempotency_key": str(suggestion.key),
        "quote": sentence.text,
        "quote_start": sentence.start,
        "quote_end": sentence.end,
        "text": suggestion.wording,
        "claimed_on": "2026-03-04",
        "claimant_name": suggestion.claimant,
    }
    url = reverse("articles:log_claim", args=[article.pk])
    for _ in range(2):  # a double click logs one
        response = client.post(url, form, HTTP_HX_REQUEST="true")
        assert response.status_code == 200
    claim = Claim.objects.get(article=article)
    assert (claim.quote_start, claim.quote_end) == sentence.span
    assert claim.claimant.name == "Maren Holt"
    assert claim.claimed_on == datetime.date(2026, 3, 4)
    # It is logged, so no longer suggested; the page lists it.
    assert sentence.span not in {
        s.sentence.span for s in article_intake(article, [claim]).suggestions
    }
    assert f"Claim #{claim.pk} logged." in response.content.decode()


def test_not_a_claim_is_remembered_audited_and_sent_twice_once(client, editor, article):
    words = "The Harbridge Bus Company said it carried more passengers than ever before."
    start, end = span_of(TEXT, words)
    client.force_login(editor)
    url = reverse("articles:not_a_claim", args=[article.pk])
    for _ in range(2):
        assert client.post(url, {"start": start, "end": end}).status_code == 302
    assert NotAClaim.objects.get(article=article).text == words
    assert Activity.objects.filter(action="sentence.not_a_claim").count() == 1
    assert words not in [s.sentence.text for s in article_intake(article, []).suggestions]
    assert words not in page(client, article).split("Suggested claims")[1]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Say which sentence: reload the page."),
        ({"start": "9" * 5000, "end": "9" * 5001}, "Say which sentence: reload the page."),
        ({"start": "5", "end": "99999"}, "not in the article's text any more"),
        ({"start": "3", "end": "9"}, "That is not one of the article's sentences"),
        ({"start": "x", "end": ""}, "Say which sentence: reload the page."),
    ],
    ids=["empty", "over-size", "outside", "not-a-sentence", "not-numbers"],
)
def test_not_a_claim_refuses_bad_input_in_words_and_changes_nothing(
    client, editor, article, data, message
):
    client.force_login(editor)
    url = reverse("articles:not_a_claim", args=[article.pk])
    response = client.post(url, data, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert message in html.unescape(response.content.decode())
    assert not NotAClaim.objects.exists()


def test_a_line_marked_not_furniture_comes_back_and_can_be_marked_again(client, editor, article):
    start, end = span_of(TEXT, "Council tax row rumbles on")
    client.force_login(editor)
    url = reverse("articles:mark_line", args=[article.pk])
    client.post(url, {"start": start, "end": end, "furniture": "no"})
    assert "Council tax row rumbles on" not in folded(article)
    client.post(url, {"start": start, "end": end, "furniture": "no"})  # twice: once
    assert Activity.objects.filter(action="line.article_text").count() == 1
    line_mark(actor=editor, article=article, start=start, end=end, is_furniture=True)
    assert LineDecision.objects.get().is_furniture
    assert "Council tax row rumbles on" in folded(article)


def test_a_suggested_line_marked_as_furniture_is_folded_and_no_longer_suggested(editor, article):
    words = "The Harbridge Bus Company said it carried more passengers than ever before."
    start, end = span_of(TEXT, words)
    line_mark(actor=editor, article=article, start=start, end=end, is_furniture=True)
    intake = article_intake(article, [])
    assert words in {line.text for line in intake.furniture}
    assert words not in [s.sentence.text for s in intake.suggestions]


def test_an_outsider_cannot_set_aside_or_mark(client, outsider, article):
    client.force_login(outsider)
    start, end = span_of(TEXT, "What do you think?")
    for name, data in (
        ("articles:not_a_claim", {"start": start, "end": end}),
        ("articles:mark_line", {"start": start, "end": end, "furniture": "no"}),
    ):
        assert client.post(reverse(name, args=[article.pk]), data).status_code == 403
    assert not NotAClaim.objects.exists()
    assert not LineDecision.objects.exists()


def test_a_text_in_another_language_says_suggestions_are_for_english(editor):
    article = article_create(
        actor=editor,
        title="Presupuesto",
        text="El ayuntamiento de la ciudad dijo que los autobuses llevaron el doble de "
        "pasajeros que el año pasado, y que el precio del billete bajó a un euro para todos "
        "los vecinos de la ciudad desde el mes de marzo.",
    )
    intake = article_intake(article, [])
    assert intake.suggestions == []
    assert "English text only" in intake.language_note


def test_the_service_refuses_a_span_outside_the_text(editor, article):
    from factdesk.core.errors import DeskError

    with pytest.raises(DeskError, match="not in the article"):
        sentence_not_a_claim(actor=editor, article=article, start=5, end=10**6)
