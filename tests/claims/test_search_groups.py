"""Searching the whole desk: claims, claimants, outlets and articles, grouped, each result
saying why it matched; the search box's empty, over-size and repeated input."""

import pytest
from django.db import connection

from factdesk.articles.services import article_create
from factdesk.claims import selectors, services
from factdesk.claims.selectors import ClaimFilters, desk_search


@pytest.fixture
def desk(reporter):
    holt = services.claimant_create(
        actor=reporter, name="Maren Holt", description="Leader of Harbridge council"
    )
    ledger = article_create(
        actor=reporter,
        title="Council sets the budget",
        url="https://harbridge-ledger.example/budget",
        outlet_name="Harbridge Ledger",
        text="The leader said council tax would rise by 2.9 per cent. The ferry was not mentioned.",
    )
    other = article_create(
        actor=reporter,
        title="Ferry timetable changes",
        text="Sailings to the island are cut in winter. Council tax was not discussed.",
    )
    claims = {
        "tax": services.claim_create(
            actor=reporter,
            article=ledger,
            claimant=holt,
            text="Council tax will rise by 2.9 per cent.",
            quote="council tax would rise by 2.9 per cent",
        ),
        "ferry": services.claim_create(
            actor=reporter,
            article=other,
            claimant=holt,
            text="Winter sailings are cut.",
            quote="Sailings to the island are cut in winter.",
        ),
    }
    return {"holt": holt, "ledger": ledger, "other": other, **claims}


def test_an_outlets_name_finds_the_outlet_and_the_claims_from_its_articles(desk, client):
    found = desk_search("Harbridge Ledger", ClaimFilters())
    assert [outlet.label for outlet in found.outlets] == ["Harbridge Ledger"]
    outlet = found.outlets[0]
    assert outlet.name == "<mark>Harbridge</mark> <mark>Ledger</mark>"
    assert outlet.claims == 1
    assert [row.claim for row in found.claims.rows] == [desk["tax"]]
    assert found.claims.rows[0].why == "in an article of Harbridge Ledger"
    assert not found.claims.fuzzy

    client.force_login(desk["tax"].created_by)
    body = client.get("/claims/", {"q": "Harbridge Ledger"}).content.decode()
    assert "check the spelling" not in body
    assert '<h2 id="found-outlets-h">Outlets' in body
    assert "1 claim from its articles" in body
    assert "in an article of Harbridge Ledger" in body


def test_a_claim_found_by_its_claimant_says_so(desk):
    found = desk_search("Maren Holt", ClaimFilters())
    rows = {row.claim: row for row in found.claims.rows}
    assert set(rows) == {desk["tax"], desk["ferry"]}
    assert all(row.why == "claimant: <mark>Maren</mark> <mark>Holt</mark>" for row in rows.values())
    assert [claimant.label for claimant in found.claimants] == ["Maren Holt"]
    assert found.claimants[0].why == ""  # the name itself matched


def test_a_claimant_found_by_who_they_are_and_an_article_by_its_text_say_where(desk):
    found = desk_search("island", ClaimFilters())
    assert [article.label for article in found.articles] == ["Ferry timetable changes"]
    assert "in the article: …Sailings to the <mark>island</mark>" in found.articles[0].why
    found = desk_search("council leader", ClaimFilters())
    assert (
        found.claimants[0].why
        == "who they are: <mark>Leader</mark> of Harbridge <mark>council</mark>"
    )
    found = desk_search("ferry", ClaimFilters())
    titles = {article.label: article for article in found.articles}
    assert titles["Ferry timetable changes"].name == "<mark>Ferry</mark> timetable changes"
    assert titles["Ferry timetable changes"].why == ""  # the headline matched


def test_each_group_is_capped_with_more_and_more_shows_the_rest(desk, reporter):
    for n in range(7):
        services.claimant_create(actor=reporter, name=f"Harbridge Resident {n}")
    found = desk_search("harbridge", ClaimFilters())
    assert len(found.claimants) == selectors.SEARCH_GROUP_SIZE
    assert "claimants" in found.more
    found = desk_search("harbridge", ClaimFilters(), group="claimants")
    assert len(found.claimants) == 8  # the seven and Maren Holt, by her description
    assert "claimants" not in found.more


def test_the_desk_search_runs_a_fixed_number_of_queries(desk, reporter, django_assert_num_queries):
    def add_outlets(numbers):
        for n in numbers:
            article_create(
                actor=reporter,
                title=f"Council tax story {n}",
                outlet_name=f"Council Tax Weekly {n}",
                text="Council tax rose again.",
            )

    # Outlets (rows, their claims' count); the words parsed once for the rest; the claim
    # search's seven (an article matches: its claims too, with its passage); claimants (by
    # words, then by a similar name); articles (the newest few with their passages, those
    # not read for the claims: their ids from the text index were read once, for the claims).
    add_outlets([0])
    with django_assert_num_queries(2 + 1 + 7 + 2 + 1):
        desk_search("council tax", ClaimFilters())
    add_outlets(range(1, 21))
    with django_assert_num_queries(2 + 1 + 7 + 2 + 1):
        desk_search("council tax", ClaimFilters())


def test_an_article_read_for_its_claims_is_not_read_again_for_its_group(
    desk, django_assert_num_queries
):
    # Outlets (none: no count); the words parsed; the claim search's seven, the last the
    # passage of the ferry article; claimants (by words, then by a similar name); and no read
    # for the articles group: its one article was read with the claim's passage.
    with django_assert_num_queries(1 + 1 + 7 + 2):
        found = desk_search("discussed", ClaimFilters())
    assert [row.claim for row in found.claims.rows] == [desk["ferry"]]
    assert "<mark>discussed</mark>" in found.claims.rows[0].article_highlighted
    assert [article.label for article in found.articles] == ["Ferry timetable changes"]
    assert "<mark>discussed</mark>" in found.articles[0].why


def test_an_empty_search_is_the_list_of_claims(client, reporter, desk):
    client.force_login(reporter)
    response = client.get("/claims/", {"q": "   "})
    assert response.status_code == 200
    assert response.context["query"] == ""
    assert {row.claim for row in response.context["rows"]} == {desk["tax"], desk["ferry"]}


def test_an_over_size_search_is_refused_in_words(client, reporter, desk):
    client.force_login(reporter)
    typed = "council tax " * 50
    response = client.get("/claims/", {"q": typed})
    body = response.content.decode()
    assert response.status_code == 200
    assert f"Search for at most 200 characters (this search has {len(typed.strip())})" in body
    assert "found" not in response.context or response.context.get("found") is None


def test_the_same_search_twice_finds_the_same(client, reporter, desk):
    client.force_login(reporter)
    first = client.get("/claims/", {"q": "Harbridge Ledger"}).context
    second = client.get("/claims/", {"q": "Harbridge Ledger"}).context
    assert first["rows"] == second["rows"]
    assert first["found"].outlets == second["found"].outlets


def test_past_the_claims_cap_the_articles_group_reads_only_what_it_shows(
    desk, reporter, monkeypatch, django_assert_num_queries
):
    """More claims say the words than are counted: the claims' search reads no articles,
    and the articles group reads just the few it shows (and one to say there are more), not
    the thousand the claims' count would have wanted."""
    monkeypatch.setattr(selectors, "SEARCH_COUNT_CAP", 1)
    for n in range(selectors.SEARCH_GROUP_SIZE + 1):
        article_create(actor=reporter, title=f"Tax notes {n}", text="Council tax rose again.")
    services.claim_create(
        actor=reporter,
        claimant=desk["holt"],
        text="Council tax rose again.",
        quote="Council tax rose again.",
        medium="speech",
        source_description="Speech",
    )
    read: list[str] = []

    def articles_read(execute, sql, params, many, context):
        if sql.startswith('SELECT "articles_article"."id" AS "id" FROM'):
            read.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(articles_read):
        found = desk_search('"council tax"', ClaimFilters())
    assert found.claims.capped
    assert len(found.articles) == selectors.SEARCH_GROUP_SIZE
    assert "articles" in found.more
    assert len(read) == 1
    assert read[0].endswith(f"LIMIT {selectors.SEARCH_GROUP_SIZE + 1}")
