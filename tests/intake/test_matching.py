"""Claims like a claim, or like the words an editor is about to log: on the desk, and
already checked (with the published rating), by two thresholds."""

import html

import pytest
from django.db import connection
from django.urls import reverse

from factdesk.claims.models import Claim
from factdesk.claims.workflow import ClaimStatus
from factdesk.intake import services
from factdesk.intake.matching import as_compared, lexemes, similar_claims
from factdesk.intake.models import ExternalFactCheck, FactCheckEmbedding
from tests.claims.flow import Desk, retract

RIDERSHIP = "Bus ridership in Harbridge doubled after the fare cut to one pound."


@pytest.fixture
def desk(reporter, editor, publisher, ratings):
    return Desk(reporter=reporter, editor=editor, publisher=publisher, ratings=ratings)


def worded(claim: Claim, text: str, quote: str = "") -> Claim:
    Claim.objects.filter(pk=claim.pk).update(text=text, quote=quote or text)
    claim.refresh_from_db()
    return claim


def test_a_published_fact_check_is_already_checked_with_its_rating(desk):
    checked = worded(desk.claim_in(ClaimStatus.PUBLISHED), RIDERSHIP)
    open_one = worded(desk.claim_in(ClaimStatus.RESEARCHING), "Harbridge bus ridership doubled.")
    worded(desk.claim_in(ClaimStatus.NEW), "The council cut road repairs by a third.")
    matches = similar_claims("Ridership on Harbridge buses has doubled since the fare cut.")
    assert [m.claim for m in matches.checked] == [checked]
    assert matches.checked[0].rating == "Mostly true"
    assert [m.claim for m in matches.on_desk] == [open_one]


def test_dismissed_duplicate_and_retracted_claims_are_left_out(desk):
    for status in (ClaimStatus.DISMISSED, ClaimStatus.DUPLICATE):
        worded(desk.claim_in(status), RIDERSHIP)
    retracted = worded(desk.claim_in(ClaimStatus.PUBLISHED), RIDERSHIP)
    retract(retracted, desk.publisher)
    assert not similar_claims(RIDERSHIP)


def test_the_two_thresholds_suggest_and_flag_likely_the_same(desk, settings):
    worded(desk.claim_in(ClaimStatus.PUBLISHED), RIDERSHIP)
    same = similar_claims("Bus ridership in Harbridge doubled after the fare cut to £1.")
    assert same.likely_same  # almost every word
    loose = similar_claims("Harbridge bus fares were cut last spring.")
    assert loose.checked
    assert not loose.likely_same
    settings.MATCH_SUGGEST = 0.9
    assert not similar_claims("Harbridge bus fares were cut last spring.")


def test_the_claim_page_panel_shows_both_groups_and_merges_in_one_click(client, desk):
    checked = worded(desk.claim_in(ClaimStatus.PUBLISHED), RIDERSHIP)
    original = worded(desk.claim_in(ClaimStatus.RESEARCHING), RIDERSHIP)
    repeat = worded(desk.claim_in(ClaimStatus.NEW), RIDERSHIP)
    client.force_login(desk.editor)
    url = reverse("intake:claim_similar", args=[repeat.pk])
    body = html.unescape(client.get(url, HTTP_HX_REQUEST="true").content.decode())
    assert "Already checked" in body
    assert f"#{checked.pk}" in body
    assert 'data-rating="Mostly true"' in body
    assert "Likely the same claim as" in body
    assert f"Mark this claim as a duplicate of #{original.pk}" in body
    client.post(
        reverse("claims:transition", args=[repeat.pk]),
        {"target": "duplicate", "duplicate_of": original.pk},
    )
    repeat.refresh_from_db()
    assert (repeat.status, repeat.duplicate_of) == (ClaimStatus.DUPLICATE, original)


def test_a_reporter_sees_the_matches_but_no_merge_and_an_outsider_nothing(client, desk, outsider):
    worded(desk.claim_in(ClaimStatus.RESEARCHING), RIDERSHIP)
    repeat = worded(desk.claim_in(ClaimStatus.NEW), RIDERSHIP)
    url = reverse("intake:claim_similar", args=[repeat.pk])
    client.force_login(desk.reporter)
    body = client.get(url).content.decode()  # opened by its address: a page of its own
    assert "On the desk" in body
    assert "<html" in body
    assert "Mark this claim as a duplicate" not in body
    client.force_login(outsider)
    assert client.get(url).status_code == 403


@pytest.mark.parametrize(
    ("params", "shown"),
    [
        ({}, False),  # empty: nothing to compare
        ({"text": "   "}, False),
        ({"text": "word " * 5000 + RIDERSHIP}, False),  # over-size: cut at 5,000, still answers
        ({"quote": "bus ridership in Harbridge doubled after the fare cut"}, True),
    ],
    ids=["empty", "blank", "over-size", "quote"],
)
def test_the_words_being_logged_are_compared_as_typed(client, desk, params, shown):
    worded(desk.claim_in(ClaimStatus.PUBLISHED), RIDERSHIP)
    client.force_login(desk.reporter)
    response = client.get(reverse("intake:similar"), params, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert ("Already checked" in response.content.decode()) is shown


def test_an_unknown_claim_is_a_404(client, desk):
    client.force_login(desk.editor)
    assert client.get(reverse("intake:claim_similar", args=[999999])).status_code == 404


def test_a_pasted_post_with_addresses_times_and_quotes_is_compared(desk):
    """Lexemes of addresses ("t.co/x1"), times and apostrophes are quoted in the text query
    (a pasted tweet once made the panel fail with a tsquery syntax error)."""
    checked = worded(desk.claim_in(ClaimStatus.PUBLISHED), RIDERSHIP)
    pasted = (
        "Bus ridership in Harbridge doubled after the fare cut! https://t.co/9loAR67icx "
        "pic.twitter.com/UEwkblf8oo at 12:30 — Mayor's Office (@harbridge_mayor) it's true"
    )
    assert [m.claim for m in similar_claims(pasted).checked] == [checked]


def test_a_pasted_post_is_compared_without_its_addresses_signature_and_markup():
    pasted = (
        "Ridership doubled! #HarbridgeBuses #FareCut2026pic.twitter.com/UEwkblf8oo via "
        "@harbridge_mayor https://t.co/9loAR67icx \u2014 Maren Holt (@MarenHolt) March 4, 2026"
    )
    assert as_compared(pasted) == (
        "Ridership doubled! Harbridge Buses Fare Cut 2026 via harbridge mayor Maren Holt"
    )
    assert as_compared("Write to desk@harbridge.example") == "Write to desk@harbridge.example"


def test_a_hashtag_is_compared_as_the_words_it_joins(desk):
    checked = worded(desk.claim_in(ClaimStatus.PUBLISHED), "Harbridge buses are free on Sundays.")
    # Read as one word each ("harbridgebuses"), they would share none with the claim.
    assert [m.claim for m in similar_claims("#HarbridgeBuses #FreeSundays").checked] == [checked]


def fact_check(text: str, publisher: str, number: int) -> ExternalFactCheck:
    return ExternalFactCheck.objects.create(
        url=f"https://checkers.example/{number}",
        claim_reviewed=text,
        publisher=publisher,
        origin=ExternalFactCheck.Origin.FEED,
    )


def test_a_fact_check_imported_twice_is_one_match_the_first_imported(db):
    first = fact_check('The mayor said "fares will never rise".', "Checkers Weekly", 1)
    fact_check("The mayor said \u2018fares will never rise\u2019.", "Checkers Weekly", 2)
    other = fact_check('The mayor said "fares will never rise".', "Harbridge Facts", 3)
    found = similar_claims("Fares will never rise, the mayor said.").elsewhere
    assert sorted(m.fact_check.pk for m in found) == [first.pk, other.pk]


def test_a_fact_check_is_found_by_its_headlines_words_and_shown_by_its_headline(client, desk):
    check = ExternalFactCheck.objects.create(
        url="https://checkers.example/road-repairs",
        claim_reviewed="Pothole mending money dropped sharply since April.",
        headline="Did the council cut road repairs?",
        publisher="Checkers Weekly",
        origin=ExternalFactCheck.Origin.FEED,
    )
    # Newer (first on a tie), no headline, and its claim shares two of the text's four words.
    fares = fact_check("The council cut bus fares.", "Harbridge Facts", 2)
    text = "The council cut road repairs."
    assert not lexemes(text) & lexemes(check.claim_reviewed)
    found = similar_claims(text).elsewhere
    assert [(m.fact_check, m.shared) for m in found] == [(check, 4), (fares, 2)]

    client.force_login(desk.reporter)
    response = client.get(reverse("intake:similar"), {"text": text}, HTTP_HX_REQUEST="true")
    body = html.unescape(response.content.decode())
    assert 'target="_blank">Did the council cut road repairs?</a>' in body
    assert "Claim reviewed: \u201cPothole mending money dropped sharply since April.\u201d" in body


JOBLESS = "The jobless rate has gone up twofold since the government took office two years ago."
UNEMPLOYMENT = "Unemployment doubled in the last two years under this government, he said."


def test_a_fact_check_headlined_closer_in_meaning_ranks_above_one_that_is_not(db):
    """Two newsrooms' fact checks of one claim, embedded as the worker embeds them: the one
    whose headline means what the text says comes first, though its headline shares no word
    with the text and adds more words than the other's (so by words alone it would rank
    second), and though the other is newer (first on a tie)."""
    close, far = (
        ExternalFactCheck.objects.create(
            url=f"https://checkers.example/jobless/{number}",
            claim_reviewed=JOBLESS,
            headline=headline,
            publisher=f"Checkers {number}",
            origin=ExternalFactCheck.Origin.FEED,
        )
        for number, headline in [
            (1, "Jobless numbers: twice as high as when this administration began?"),
            (2, "Stadium plans approved"),
        ]
    )
    words = lexemes(UNEMPLOYMENT)
    assert not words & lexemes(close.headline)
    assert not words & lexemes(far.headline)
    assert len(lexemes(close.headline) - lexemes(JOBLESS)) > len(lexemes(far.headline))
    assert services.embed_fact_checks([close.pk, far.pk]) == 2
    assert FactCheckEmbedding.objects.filter(headline_vector__isnull=False).count() == 2

    found = similar_claims(UNEMPLOYMENT).elsewhere
    assert [m.fact_check for m in found] == [close, far]
    assert found[0].similarity > found[1].similarity


@pytest.mark.django_db
def test_the_word_indexes_lookups_read_take_new_rows_straight_in():
    # With GIN's default fastupdate, new and reworded rows wait in a pending list that
    # every lookup reads whole until vacuum runs: 15 ms more a lookup after a feed of
    # 10,000 fact checks (benchmarks/matching.py).
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname, reloptions FROM pg_class WHERE relname = ANY(%s)",
            [["claim_search_gin", "external_fact_check_search"]],
        )
        options = dict(cursor.fetchall())
    assert options == {
        "claim_search_gin": ["fastupdate=off"],
        "external_fact_check_search": ["fastupdate=off"],
    }
