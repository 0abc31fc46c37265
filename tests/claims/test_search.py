"""Search: stemmed, accent-insensitive, ranked, highlighted, with a fallback for typos."""

import pytest

from factdesk.articles.services import article_create
from factdesk.claims import selectors, services
from factdesk.claims.selectors import ClaimFilters, claim_search


@pytest.fixture
def claims(reporter):
    people = {
        name: services.claimant_create(actor=reporter, name=name)
        for name in ("Dana Whitcombe", "Maren Holt", "Inés Alvarado")
    }
    article = article_create(
        actor=reporter,
        title="Budget day",
        text="The mayor spoke for an hour. Later she mentioned the marina redevelopment. "
        "Nobody asked about vaccines.",
    )

    def make(text, who, **kwargs):
        return services.claim_create(
            actor=reporter,
            text=text,
            claimant=people[who],
            quote=kwargs.pop("quote", text),
            medium="speech",
            source_description="Speech",
            **kwargs,
        )

    return {
        "vaccine": make(
            "Flu vaccination rates reached a record in Zürich Road clinics.", "Inés Alvarado"
        ),
        "stadium": make("The stadium will pay for itself within five years.", "Dana Whitcombe"),
        "buses": make(
            "Bus ridership doubled after the fare cut.",
            "Maren Holt",
            quote="ridership doubled, and the stadium crowds came by bus",
        ),
        "marina": services.claim_create(
            actor=reporter,
            article=article,
            text="Spending rose.",
            claimant=people["Dana Whitcombe"],
            quote="The mayor spoke for an hour.",
        ),
        "script": make("<script>alert('x')</script> stadium tickets sold out", "Maren Holt"),
    }


def search(text):
    return claim_search(text, ClaimFilters())


def test_stemming_finds_other_forms_of_the_word(claims):
    results = search("vaccinated")
    assert results.rows[0].claim.id == claims["vaccine"].id
    assert not results.fuzzy


def test_accents_do_not_matter_either_way(claims):
    assert claims["vaccine"].id in [row.claim.id for row in search("zurich").rows]
    assert claims["vaccine"].id in [row.claim.id for row in search("ZÜRICH road").rows]


def test_wording_ranks_above_quote_above_article(claims):
    ids = [row.claim.id for row in search("stadium").rows]
    assert ids.index(claims["stadium"].id) < ids.index(claims["buses"].id)
    assert claims["marina"].id not in ids
    marina = search("marina")
    assert [row.claim.id for row in marina.rows] == [claims["marina"].id]  # article text only


def test_claimant_names_are_searched(claims):
    ids = {row.claim.id for row in search("whitcombe").rows}
    assert ids == {claims["stadium"].id, claims["marina"].id}


def test_matches_are_highlighted_and_the_rest_escaped(claims):
    results = search("stadium")
    by_id = {row.claim.id: row for row in results.rows}
    assert "<mark>stadium</mark>" in by_id[claims["stadium"].id].text_highlighted
    assert "<mark>stadium</mark> crowds" in by_id[claims["buses"].id].quote_highlighted
    scripted = by_id[claims["script"].id].text_highlighted
    assert "<script>" not in scripted
    assert "&lt;script&gt;" in scripted
    marina = search("marina").rows[0]
    assert "<mark>marina</mark> redevelopment" in marina.article_highlighted


def test_typos_fall_back_to_similar_words(claims):
    results = search("stadum")
    assert results.fuzzy
    assert claims["stadium"].id in [row.claim.id for row in results.rows]


def test_nothing_found_is_an_empty_result(claims):
    results = search("zeppelin")
    assert results.total == 0
    assert results.rows == []


def test_search_page_shows_snippets(client, reporter, claims):
    client.force_login(reporter)
    body = client.get("/claims/", {"q": "marina"}).content.decode()
    assert "Claims matching “marina”" in body
    assert "<mark>marina</mark> redevelopment" in body
    body = client.get("/claims/", {"q": "stadum"}).content.decode()
    assert "No exact matches" in body


def test_a_typo_is_corrected_against_the_claims_words_then_searched(claims):
    results = search("vacinnation zurich")
    assert results.fuzzy
    assert results.query == "vacinnation zurich"  # the page says what was typed
    assert [row.claim.id for row in results.rows] == [claims["vaccine"].id]
    # The corrected words are found as words are: highlighted, stemmed.
    assert "<mark>vaccination</mark>" in results.rows[0].text_highlighted


def test_words_of_a_new_or_reworded_claim_correct_typos_at_once(claims, reporter):
    assert search("zeplin").total == 0
    services.claim_update(
        actor=reporter,
        claim=claims["buses"],
        text="The zeppelin service doubled after the fare cut.",
        claimant=claims["buses"].claimant,
        claimed_on=claims["buses"].claimed_on,
    )
    results = search("zeplin")
    assert results.fuzzy
    assert [row.claim.id for row in results.rows] == [claims["buses"].id]


def test_a_misspelt_claimant_is_found_by_name(claims):
    results = search("Dana Witcombe")
    assert results.fuzzy
    assert {row.claim.id for row in results.rows} == {claims["stadium"].id, claims["marina"].id}


def test_a_page_past_the_results_shows_the_last_page(client, reporter, claims):
    client.force_login(reporter)
    response = client.get("/claims/", {"q": "stadium", "page": "99999999999999999999999"})
    assert response.status_code == 200
    assert response.context["page"].number == 1
    assert {row.claim.id for row in response.context["rows"]} >= {claims["stadium"].id}


def test_a_search_runs_a_fixed_number_of_queries(claims, django_assert_num_queries):
    # The words parsed (once, into the query the others are given); the newest claim's id;
    # claims' matches (one window: the desk has fewer claims than one), claimants';
    # matching articles; the page's rows with highlights.
    with django_assert_num_queries(1 + 5):
        search("stadium")
    # With an article that matches: its claims too, with the article's passage.
    with django_assert_num_queries(1 + 7):
        search("marina")
    # A typo: the five that find nothing, the correction, then the six again.
    with django_assert_num_queries(5 + 1 + 6):
        search("stadum")
    # Nothing like it: the five, the correction, then claimant names (count and rows).
    with django_assert_num_queries(5 + 1 + 2):
        search("zeplin")


def small_windows(monkeypatch, *, widest, read_rest_below):
    """A cap of 3 matches, and windows of 2 claims growing to `widest`."""
    monkeypatch.setattr(selectors, "SEARCH_COUNT_CAP", 3)
    monkeypatch.setattr(selectors, "SEARCH_FIRST_WINDOW", 2)
    monkeypatch.setattr(selectors, "SEARCH_WIDEST_WINDOW", widest)
    monkeypatch.setattr(selectors, "SEARCH_READ_REST_BELOW", read_rest_below)


def logged(reporter, texts):
    """Claims with these wordings, one claimant's, logged (and so numbered) in this order."""
    claimant = services.claimant_create(actor=reporter, name="Someone")
    return [
        services.claim_create(
            actor=reporter,
            text=text,
            claimant=claimant,
            quote=f"words {n}",
            medium="speech",
            source_description="Speech",
        )
        for n, text in enumerate(texts)
    ]


@pytest.mark.parametrize("read_rest_below", [0, 1000], ids=["windows", "the rest at once"])
def test_many_matches_are_read_newest_first_window_by_window(
    reporter, monkeypatch, read_rest_below
):
    """Past the cap, the newest matches are the ones ranked, whichever window holds them,
    whether the older claims are read window by window or all at once."""
    small_windows(monkeypatch, widest=4, read_rest_below=read_rest_below)
    made = logged(
        reporter, [f"Claim {n}" + (" about tunnels" if n % 3 == 0 else "") for n in range(12)]
    )
    results = search("tunnels")
    assert results.capped
    newest_four = [claim.id for claim in made if "tunnels" in claim.text][::-1]
    assert [row.claim.id for row in results.rows] == newest_four


@pytest.mark.parametrize(
    ("read_rest_below", "reads"),
    [(1000, 2), (0, 6)],
    ids=["the rest at once after the first window", "window by window"],
)
def test_a_phrase_finds_its_newest_matches_ranked(
    reporter, monkeypatch, django_assert_num_queries, read_rest_below, reads
):
    """A phrase's matches are read from the table to check the words' order: after the first
    window, the rest at once when few are expected there (its newest ranked once found), or
    window by window; either way the newest past the cap, the best ranked first."""
    small_windows(monkeypatch, widest=2, read_rest_below=read_rest_below)
    # Every claim has both words; only every third has them in a row, and one twice.
    made = logged(
        reporter,
        [
            f"Claim {n}: "
            + ("tunnel fares rose" if n % 3 == 0 else "fares for a tunnel")
            + (", and tunnel fares again" if n == 3 else "")
            for n in range(12)
        ],
    )
    in_a_row = [claim.id for claim in made if "tunnel fares" in claim.text][::-1]
    twice = made[3].id
    # The words parsed; the newest id; the windows; claimants'; the page's rows.
    with django_assert_num_queries(2 + reads + 2):
        results = search('"tunnel fares"')
    assert results.capped
    assert [row.claim.id for row in results.rows] == [
        twice,
        *[pk for pk in in_a_row if pk != twice],
    ]
    # The same words, not as a phrase: in every claim, so two windows of two claims find
    # the four.
    with django_assert_num_queries(1 + 5):
        assert search("tunnel fares").total == 4  # capped at 3, and one more to say so


def test_page_zero_of_a_search_is_its_first_page(client, reporter, claims):
    client.force_login(reporter)
    response = client.get("/claims/", {"q": "stadium", "page": "0"})
    assert response.status_code == 200
    assert response.context["rows"] == search("stadium").rows
