"""Articles and claims carry a language, detected and editable. The desk's English models
(suggestions, embeddings) are never applied to another language, and the pages say so."""

import html

import pytest
from django.urls import reverse

from factdesk.articles.models import Article
from factdesk.articles.services import article_create
from factdesk.claims.models import Activity, Claim
from factdesk.core import languages
from factdesk.intake import services
from factdesk.intake.matching import similar_claims
from factdesk.intake.models import ClaimEmbedding
from factdesk.intake.selectors import article_intake
from tests.claims.flow import log_claim

SPANISH = (
    "El ayuntamiento de la ciudad dijo que los autobuses llevaron el doble de pasajeros que "
    "el año pasado, y que el precio del billete bajó a un euro para todos los vecinos."
)
ENGLISH = (
    "The council said the buses carried twice as many passengers as last year, and that the "
    "fare fell to one pound for everyone in the city from March."
)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        (ENGLISH, "en"),
        (SPANISH, "es"),
        ("Le taux de chômage a doublé l\u2019année dernière, selon le ministre.", "fr"),
        ("OK then", ""),  # too short to tell
    ],
)
def test_the_language_is_detected_or_left_unknown(text, code):
    assert languages.detect(text) == code


def test_a_pasted_article_and_its_claims_get_their_language(editor):
    article = article_create(actor=editor, title="Autobuses", text=SPANISH)
    assert article.language == "es"
    claim = log_claim(editor, "Los autobuses llevaron el doble de pasajeros este año.")
    assert claim.language == "es"


def test_suggestions_say_why_none_are_made_and_come_once_the_language_is_corrected(client, editor):
    article = article_create(actor=editor, title="Buses", text=ENGLISH)
    Article.objects.filter(pk=article.pk).update(language="de")  # detected wrongly
    client.force_login(editor)
    page = html.unescape(client.get(article.get_absolute_url()).content.decode())
    assert "this article is in German: not supported yet" in page
    response = client.post(reverse("articles:set_language", args=[article.pk]), {"language": "en"})
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.language == "en"
    assert article_intake(article, []).suggestions
    assert Activity.objects.filter(action="article.language").count() == 1


def test_one_submission_says_the_language_it_set_and_empty_means_unknown(client, editor):
    article = article_create(actor=editor, title="Buses", text=ENGLISH)
    client.force_login(editor)
    url = reverse("articles:set_language", args=[article.pk])
    page = html.unescape(client.post(url, {"language": "fr"}, follow=True).content.decode())
    assert "Language set to French." in page
    page = html.unescape(client.post(url, {"language": ""}, follow=True).content.decode())
    assert "Language set to unknown." in page
    article.refresh_from_db()
    assert article.language == ""


def test_an_unknown_language_code_is_refused_in_words_and_nothing_changes(client, editor):
    article = article_create(actor=editor, title="Buses", text=ENGLISH)
    client.force_login(editor)
    response = client.post(
        reverse("articles:set_language", args=[article.pk]), {"language": "xx"}, follow=True
    )
    assert "Choose the article's language from the list." in html.unescape(
        response.content.decode()
    )
    article.refresh_from_db()
    assert article.language == "en"


def test_an_outsider_cannot_set_the_language(client, editor, outsider):
    article = article_create(actor=editor, title="Buses", text=ENGLISH)
    client.force_login(outsider)
    response = client.post(reverse("articles:set_language", args=[article.pk]), {"language": "fr"})
    assert response.status_code == 403
    article.refresh_from_db()
    assert article.language == "en"


def test_the_claim_form_keeps_and_changes_the_language(client, editor):
    claim = log_claim(editor, ENGLISH)
    client.force_login(editor)
    form = client.get(reverse("claims:edit", args=[claim.pk])).content.decode()
    assert '<option value="en" selected>English</option>' in form
    client.post(
        reverse("claims:edit", args=[claim.pk]),
        {
            "text": claim.text,
            "claimant_name": claim.claimant.name,
            "claimed_on": claim.claimed_on.isoformat(),
            "language": "cy",
        },
    )
    claim.refresh_from_db()
    assert claim.language == "cy"


def test_a_claim_in_another_language_is_matched_by_words_and_never_embedded(client, editor):
    claim = log_claim(editor, SPANISH)
    assert services.embed_claims([claim.pk]) == 0
    assert services.embed_missing() == 0
    assert not ClaimEmbedding.objects.filter(claim=claim).exists()
    matches = similar_claims(SPANISH)
    assert not matches.by_meaning
    assert matches.language_unsupported == "Spanish"
    other = log_claim(editor, SPANISH + " Otra vez.")
    client.force_login(editor)
    panel = client.get(reverse("intake:claim_similar", args=[other.pk])).content.decode()
    assert "In Spanish: matched by its words only" in panel
    assert Claim.objects.filter(pk=claim.pk).exists()
