"""Every page and action checked for every persona, bounded queries, htmx and no-JS paths."""

import datetime
import html

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from factdesk.articles.models import Article
from factdesk.claims import services
from factdesk.claims.models import Claim, Claimant, ClaimTopic, OutletStatusCount, Topic
from factdesk.claims.workflow import ClaimStatus
from factdesk.signin.models import SecuritySettings
from factdesk.sources.models import Source
from factdesk.sources.services import citation_add
from tests.claims.flow import Desk, draft
from tests.factories import (
    ArticleFactory,
    ClaimantFactory,
    ClaimFactory,
    OutletFactory,
    SnapshotFactory,
    UserFactory,
)

DESK = ("reporter", "editor", "publisher")


@pytest.fixture
def desk(ratings):
    return Desk(
        reporter=UserFactory(roles=["reporter"]),
        editor=UserFactory(roles=["editor"]),
        publisher=UserFactory(roles=["publisher"]),
        ratings=ratings,
    )


@pytest.fixture
def world(desk, ratings):
    """One claim in each state the matrix needs."""
    new = desk.claim_in(ClaimStatus.NEW)
    researching = desk.claim_in(ClaimStatus.RESEARCHING)
    in_review = desk.claim_in(ClaimStatus.IN_REVIEW)
    approved = desk.claim_in(ClaimStatus.APPROVED)
    published = desk.claim_in(ClaimStatus.PUBLISHED)
    article = ArticleFactory(text="The minister said unemployment fell to 4% last year.")
    cited = citation_add(actor=desk.reporter, claim=researching, url="https://stats.example/t")
    Source.objects.filter(pk=cited.source_id).update(status=Source.Status.FAILED)
    snapshot = SnapshotFactory(source=cited.source, text="Archived words")
    return {
        "snapshot": snapshot,
        "source": cited.source,
        "new": new,
        "researching": researching,
        "in_review": in_review,
        "approved": approved,
        "published": published,
        "article": article,
        "claimant": new.claimant,
        "rating": ratings["False"],
    }


# (name, method, url, data, expected status per persona: reporter, editor, publisher, outsider)
def matrix(world):
    new, researching = world["new"], world["researching"]
    in_review, approved = world["in_review"], world["approved"]
    article = world["article"]
    ok = (200, 200, 200, 403)
    return [
        ("board", "get", reverse("claims:board"), None, ok),
        ("board mine", "get", reverse("claims:board") + "?assignee=me", None, ok),
        ("list", "get", reverse("claims:list"), None, ok),
        ("search", "get", reverse("claims:list") + "?q=unemployment", None, ok),
        ("claim page", "get", new.get_absolute_url(), None, ok),
        ("claim form", "get", reverse("claims:new"), None, ok),
        ("claim edit form", "get", reverse("claims:edit", args=[new.pk]), None, ok),
        ("verdict form", "get", reverse("claims:verdict", args=[researching.pk]), None, ok),
        ("compare versions", "get", reverse("claims:compare", args=[in_review.pk]), None, ok),
        ("claimant", "get", reverse("claims:claimant", args=[world["claimant"].pk]), None, ok),
        (
            "claimant suggest",
            "get",
            reverse("claims:claimant_suggest") + "?claimant_name=mi",
            None,
            ok,
        ),
        ("dashboard", "get", reverse("claims:dashboard"), None, ok),
        ("sources panel", "get", reverse("sources:panel", args=[researching.pk]), None, ok),
        (
            "archived copy",
            "get",
            reverse("sources:snapshot", args=[world["snapshot"].pk]),
            None,
            ok,
        ),
        ("articles", "get", reverse("articles:list"), None, ok),
        ("article form", "get", reverse("articles:new"), None, ok),
        ("article page", "get", article.get_absolute_url(), None, ok),
        (
            "log claim",
            "post",
            reverse("articles:log_claim", args=[article.pk]),
            {
                "quote": "unemployment fell to 4%",
                "text": "Unemployment fell to 4%.",
                "claimant_name": "A. Minister",
                "new_appearance": "on",  # the desk's claims already have these words
            },
            (302, 302, 302, 403),
        ),
        (
            "add article",
            "post",
            reverse("articles:new"),
            {"title": "T", "text": "Body"},
            (302, 302, 302, 403),
        ),
        (
            "new claim",
            "post",
            reverse("claims:new"),
            {
                "medium": "tv",
                "source_description": "News",
                "quote": "q",
                "text": "t",
                "claimant_name": "Someone",
                "claimed_on": "2026-01-05",
            },
            (302, 302, 302, 403),
        ),
        (
            "comment",
            "post",
            reverse("claims:comment", args=[new.pk]),
            {"body": "Hi"},
            (302, 302, 302, 403),
        ),
        (
            "take",
            "post",
            reverse("claims:assign", args=[new.pk]),
            {"assignee": ""},
            (302, 302, 302, 403),
        ),
        (
            "priority",
            "post",
            reverse("claims:priority", args=[new.pk]),
            {"priority": "3"},
            (403, 302, 302, 403),
        ),
        (
            "start research",
            "post",
            reverse("claims:transition", args=[new.pk]),
            {"target": "researching"},
            (302, 302, 302, 403),
        ),
        (
            "dismiss",
            "post",
            reverse("claims:transition", args=[new.pk]),
            {"target": "dismissed", "dismiss_reason": "opinion"},
            (403, 302, 302, 403),
        ),
        (
            "review",
            "post",
            reverse("claims:review", args=[in_review.pk]),
            {"decision": "changes", "comment": "More sources"},
            (403, 302, 302, 403),
        ),
        (
            "publish",
            "post",
            reverse("claims:transition", args=[approved.pk]),
            {"target": "published"},
            (403, 403, 302, 403),
        ),
        (
            "retract",
            "post",
            reverse("claims:transition", args=[world["published"].pk]),
            {"target": "retracted", "retraction_note": "The figures were wrong."},
            (403, 403, 302, 403),
        ),
        (
            "retry fetch",
            "post",
            reverse("sources:retry", args=[researching.pk, world["source"].pk]),
            {},
            (302, 302, 302, 403),
        ),
        (
            "cite",
            "post",
            reverse("sources:citation_add", args=[researching.pk]),
            {"urls": "https://example.org/report", "stance": "context"},
            (302, 302, 302, 403),
        ),
        (
            "save verdict",
            "post",
            reverse("claims:verdict", args=[researching.pk]),
            {
                "base_number": "",
                "rating": str(world["rating"].pk),
                "conclusion": "c",
                "explanation": "e",
            },
            (302, 302, 302, 403),
        ),
    ]


@pytest.mark.parametrize("persona", [*DESK, "outsider"])
def test_permission_matrix(client, world, personas, persona):
    """Every view for one persona. Actions run on fresh data per persona (the fixture)."""
    client.force_login(personas[persona])
    index = [*DESK, "outsider"].index(persona)
    failures = []
    for name, method, url, data, expected in matrix(world):
        response = getattr(client, method)(url, data or {})
        if response.status_code != expected[index]:
            failures.append(f"{name}: {response.status_code}, expected {expected[index]}")
    assert not failures, failures


def test_anonymous_visitors_are_sent_to_log_in(client, world):
    for name, method, url, data, _ in matrix(world):
        response = getattr(client, method)(url, data or {})
        assert response.status_code == 302, name
        assert response["Location"].startswith(reverse("signin:login")), name


def test_a_missing_claim_is_a_404(client, reporter):
    client.force_login(reporter)
    response = client.get(reverse("claims:detail", args=[999999]))
    assert response.status_code == 404
    assert "There is no page at" in response.content.decode()


def test_outsider_gets_nothing_of_the_desk_in_the_403(client, world, outsider):
    client.force_login(outsider)
    body = client.get(world["new"].get_absolute_url()).content.decode()
    assert world["new"].text not in body
    assert "no role on the desk yet" in body


# ── bounded queries ─────────────────────────────────────────────────────────────────────


def seed_claims(count, *, creator, claimants, articles, ratings):
    statuses = [
        ClaimStatus.NEW,
        ClaimStatus.RESEARCHING,
        ClaimStatus.IN_REVIEW,
        ClaimStatus.APPROVED,
        ClaimStatus.PUBLISHED,
    ]
    rating_list = list(ratings.values())
    Claim.objects.bulk_create(
        Claim(
            text=f"Claim {i} says unemployment fell",
            quote="unemployment fell",
            claimant=claimants[i % len(claimants)],
            created_by=creator,
            article=articles[i % len(articles)],
            quote_start=17,
            quote_end=34,
            status=statuses[i % len(statuses)],
            assignee=creator if i % 3 else None,
            current_rating=rating_list[i % len(rating_list)] if i % 2 else None,
            priority=i % 4,
        )
        for i in range(count)
    )


PAGES = {
    "board": lambda claim: reverse("claims:board"),
    "board filtered": lambda claim: reverse("claims:board") + "?assignee=me&rating=1",
    "board by outlet": lambda claim: reverse("claims:board") + f"?outlet={claim.article.outlet_id}",
    "list": lambda claim: reverse("claims:list") + "?sort=priority",
    "search": lambda claim: reverse("claims:list") + "?q=unemployment",
    "claim page": lambda claim: claim.get_absolute_url(),
    "dashboard": lambda claim: reverse("claims:dashboard"),
    "article page": lambda claim: reverse("articles:detail", args=[claim.article_id]),
}


@pytest.mark.parametrize("page", list(PAGES))
def test_pages_run_a_bounded_number_of_queries(
    client, desk, ratings, page, django_assert_max_num_queries
):
    editor = desk.editor
    client.force_login(editor)
    claimants = ClaimantFactory.create_batch(5)
    articles = ArticleFactory.create_batch(3, added_by=editor)
    target = desk.claim_in(ClaimStatus.RESEARCHING)
    target.article = articles[0]
    target.quote_start, target.quote_end = 17, 34
    target.save()
    draft(target, desk.reporter, ratings["False"])
    limits = {}
    for size in (10, 1000):
        seed_claims(
            size - Claim.objects.count(),
            creator=editor,
            claimants=claimants,
            articles=articles,
            ratings=ratings,
        )
        url = PAGES[page](target)
        with django_assert_max_num_queries(25) as captured:
            response = client.get(url)
        assert response.status_code == 200
        limits[size] = len(captured)
    assert limits[1000] <= limits[10], limits


def test_the_claim_page_reads_the_verdict_versions_once(
    client, desk, ratings, django_assert_max_num_queries
):
    claim = desk.claim_in(ClaimStatus.IN_REVIEW)  # a draft with its history
    client.force_login(UserFactory(roles=["editor"]))  # may review: checks who wrote it
    with django_assert_max_num_queries(25) as captured:
        response = client.get(claim.get_absolute_url())
    assert response.context["page"].can_review
    # Reads of the versions themselves; the other claims' cards look at their verdicts only
    # in a subquery (whether changes were requested).
    verdict_reads = [
        q["sql"]
        for q in captured.captured_queries
        if q["sql"].startswith('SELECT "claims_verdict"."id"')
    ]
    assert len(verdict_reads) == 1, verdict_reads


# ── htmx and no-JS ──────────────────────────────────────────────────────────────────────


def test_board_and_list_filter_by_the_outlet_of_the_article(client, reporter):
    client.force_login(reporter)
    ledger, courier = ArticleFactory(), ArticleFactory()
    for article, words in ((ledger, "unemployment fell"), (courier, "Critics disagreed")):
        client.post(
            reverse("articles:log_claim", args=[article.pk]),
            {"quote": words, "text": f"Claim: {words}", "claimant_name": "Someone"},
        )
    board = client.get(reverse("claims:board"), {"outlet": ledger.outlet_id}).content.decode()
    assert "Claim: unemployment fell" in board
    assert "Claim: Critics disagreed" not in board
    # The same filter with another value: the board's query is compiled once per set of
    # filters, each request gives its own values.
    board = client.get(reverse("claims:board"), {"outlet": courier.outlet_id}).content.decode()
    assert "Claim: Critics disagreed" in board
    assert "Claim: unemployment fell" not in board
    listing = client.get(reverse("claims:list"), {"outlet": courier.outlet_id}).content.decode()
    assert "Claim: Critics disagreed" in listing
    assert "Claim: unemployment fell" not in listing


def outlet_counts():
    return set(
        OutletStatusCount.objects.filter(claims__gt=0).values_list(
            "outlet__name", "status", "claims"
        )
    )


def test_the_kept_outlet_counts_follow_claims_statuses_and_articles(client, editor):
    """Kept by triggers: a claim logged, moved to another status or article, or deleted; an
    article moved to another outlet or to none. The board and the list count from them."""
    ledger, courier = OutletFactory(name="Ledger"), OutletFactory(name="Courier")
    first, second, third = (
        ArticleFactory(outlet=ledger),
        ArticleFactory(outlet=ledger),
        ArticleFactory(outlet=courier),
    )
    quote = "unemployment fell to 4% last year"
    start = first.text.index(quote)

    def quoted(article):
        return ClaimFactory(
            article=article, quote=quote, quote_start=start, quote_end=start + len(quote)
        )

    claims = [quoted(first) for _ in range(3)] + [quoted(second)]
    ClaimFactory()  # from no article: no outlet's
    assert outlet_counts() == {("Ledger", "new", 4)}
    services.claim_transition(actor=editor, claim=claims[0], target=ClaimStatus.RESEARCHING)
    assert outlet_counts() == {("Ledger", "new", 3), ("Ledger", "researching", 1)}
    Claim.objects.filter(pk=claims[1].pk).update(article=third)
    assert outlet_counts() == {
        ("Ledger", "new", 2),
        ("Ledger", "researching", 1),
        ("Courier", "new", 1),
    }
    Article.objects.filter(pk=second.pk).update(outlet=courier)
    assert outlet_counts() == {
        ("Ledger", "new", 1),
        ("Ledger", "researching", 1),
        ("Courier", "new", 2),
    }
    Article.objects.filter(pk=third.pk).update(outlet=None)
    assert outlet_counts() == {
        ("Ledger", "new", 1),
        ("Ledger", "researching", 1),
        ("Courier", "new", 1),
    }
    Claim.objects.filter(pk=claims[2].pk).delete()
    expected = {("Ledger", "researching", 1), ("Courier", "new", 1)}
    assert outlet_counts() == expected

    client.force_login(editor)
    board = client.get(reverse("claims:board"), {"outlet": ledger.pk})
    assert board.context["counts"] == {"researching": 1}
    assert [card.pk for column in board.context["columns"] for card in column.cards] == [
        claims[0].pk
    ]
    listing = client.get(reverse("claims:list"), {"outlet": courier.pk, "status": "new"})
    assert listing.context["page"].paginator.count == 1
    # What a recount from scratch finds.
    with connection.cursor() as cursor:
        cursor.execute(OutletStatusCount.RECOUNT_SQL)
    assert outlet_counts() == expected


def test_the_board_gives_each_request_its_own_filter_values(client, desk, editor, reporter):
    client.force_login(editor)
    mine, theirs = desk.claim_in(ClaimStatus.NEW), desk.claim_in(ClaimStatus.NEW)
    old = desk.claim_in(ClaimStatus.NEW)
    Claim.objects.filter(pk=mine.pk).update(assignee=editor)
    Claim.objects.filter(pk__in=[theirs.pk, old.pk]).update(assignee=reporter)
    Claim.objects.filter(pk=old.pk).update(created_at=timezone.now() - datetime.timedelta(days=9))
    since = (timezone.localdate() - datetime.timedelta(days=2)).isoformat()

    def shown(**filters):
        columns = client.get(reverse("claims:board"), filters).context["columns"]
        return {card.pk for column in columns for card in column.cards}

    assert shown(assignee=editor.pk, logged_from=since) == {mine.pk}
    counted = client.get(reverse("claims:board"), {"assignee": reporter.pk}).context["counts"]
    assert counted == {"new": 2}
    counted = client.get(reverse("claims:board"), {"assignee": editor.pk}).context["counts"]
    assert counted == {"new": 1}
    assert shown(assignee=reporter.pk, logged_from=since) == {theirs.pk}
    assert shown(assignee=reporter.pk) == {theirs.pk, old.pk}
    assert shown(logged_from=since) == {mine.pk, theirs.pk}


def test_board_counts_follow_every_change(client, desk, django_capture_on_commit_callbacks):
    """The unfiltered counts follow each claim logged and each change of status."""
    client.force_login(desk.editor)

    def counts():
        columns = client.get(reverse("claims:board")).context["columns"]
        return {column.status.value: column.count for column in columns}

    with django_capture_on_commit_callbacks(execute=True):
        claim = desk.claim_in(ClaimStatus.NEW)
    assert counts()["new"] == 1
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("claims:transition", args=[claim.pk]), {"target": "researching"})
    assert counts() == {"new": 0, "researching": 1, "in_review": 0, "approved": 0, "published": 0}
    with django_capture_on_commit_callbacks(execute=True):
        desk.claim_in(ClaimStatus.NEW)
    assert counts()["new"] == 1


def test_htmx_action_answers_the_claim_body_only(client, world, desk):
    client.force_login(desk.editor)
    claim = world["new"]
    response = client.post(
        reverse("claims:transition", args=[claim.pk]),
        {"target": "researching"},
        HTTP_HX_REQUEST="true",
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in body
    assert 'id="claim-body"' in body
    assert "The claim is now researching." in body
    assert 'data-testid="status">Researching' in body


def test_without_javascript_actions_redirect_back_with_a_message(client, world, desk):
    client.force_login(desk.editor)
    claim = world["new"]
    response = client.post(
        reverse("claims:transition", args=[claim.pk]), {"target": "researching"}, follow=True
    )
    assert response.redirect_chain[-1][0] == claim.get_absolute_url()
    assert "The claim is now researching." in response.content.decode()


def test_a_refused_action_explains_and_changes_nothing(client, world, desk):
    client.force_login(desk.editor)
    claim = world["researching"]
    claim.verdicts.all()  # none yet: sending to review must be refused
    response = client.post(
        reverse("claims:transition", args=[claim.pk]),
        {"target": "in_review"},
        HTTP_HX_REQUEST="true",
    )
    assert "Send to review needs a verdict draft" in response.content.decode()
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.RESEARCHING


def test_claim_form_errors_keep_what_was_typed(client, reporter):
    client.force_login(reporter)
    response = client.post(
        reverse("claims:new"),
        {
            "medium": "tv",
            "quote": "We built 300,000 homes",
            "text": "300,000 homes were built",
            "claimant_name": "Housing Minister",
            "claimed_on": "2026-02-30",
        },
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "Enter a valid date." in body
    assert "We built 300,000 homes" in body
    assert "Housing Minister" in body
    assert not Claim.objects.exists()
    assert not Claimant.objects.exists()


def test_a_refused_claim_leaves_no_new_claimant(client, reporter):
    client.force_login(reporter)
    response = client.post(
        reverse("claims:new"),
        {
            "medium": "tv",
            "quote": "q",
            "text": "t",
            "claimant_name": "Brand New Person",
            "claimed_on": "2026-02-03",
        },
    )
    assert "Say where it was said" in response.content.decode()
    assert not Claimant.objects.exists()


def test_an_empty_claim_form_asks_for_each_field_and_logs_nothing(client, reporter):
    client.force_login(reporter)
    response = client.post(reverse("claims:new"), {})
    body = response.content.decode()
    assert response.status_code == 200
    assert body.count("This field is required.") >= 4  # words, wording, claimant, date
    assert not Claim.objects.exists()
    assert not Claimant.objects.exists()


def test_an_over_size_quote_or_wording_on_the_claim_form_is_refused_and_kept(client, reporter):
    client.force_login(reporter)
    quote, wording = "Words said." * 500, "W" * 1001  # 5,500 and 1,001 characters
    response = client.post(
        reverse("claims:new"),
        {
            "medium": "tv",
            "source_description": "Evening news",
            "quote": quote,
            "text": wording,
            "claimant_name": "A Speaker",
            "claimed_on": "2026-02-03",
        },
    )
    body = response.content.decode()
    assert "Ensure this value has at most 5000 characters (it has 5500)." in body
    assert "Ensure this value has at most 1000 characters (it has 1001)." in body
    assert quote in body  # what was typed stays in the form
    assert not Claim.objects.exists()
    assert not Claimant.objects.exists()


def test_concurrent_verdict_edits_conflict_and_keep_the_second_editors_text(client, desk, ratings):
    claim = desk.claim_in(ClaimStatus.RESEARCHING)
    draft(claim, desk.reporter, ratings["Half true"])
    url = reverse("claims:verdict", args=[claim.pk])
    form = {"base_number": "1", "rating": str(ratings["False"].pk), "explanation": "Because."}
    client.force_login(desk.reporter)
    assert client.post(url, {**form, "conclusion": "First editor's line"}).status_code == 302
    client.force_login(desk.editor)
    response = client.post(
        url, {**form, "conclusion": "Second editor's line", "explanation": "My careful paragraph."}
    )
    body = response.content.decode()
    assert response.status_code == 409
    assert "saved version 2 of this verdict while you were editing" in body
    assert "First editor&#x27;s line" in body  # what changed
    assert "Second editor&#x27;s line" in body  # what they typed, still in the form
    assert "My careful paragraph." in body
    assert 'name="base_number" value="2"' in body
    assert claim.verdicts.count() == 2


@pytest.mark.parametrize(
    ("name", "heading"),
    [
        ("Dana Whitcombe", "Dana Whitcombe's other claims"),
        ("Viral posts", "Viral posts' other claims"),
    ],
)
def test_the_claim_page_names_the_claimants_other_claims(client, reporter, name, heading):
    claim = ClaimFactory(claimant=ClaimantFactory(name=name))
    client.force_login(reporter)
    page = client.get(reverse("claims:detail", args=[claim.pk])).content.decode()
    assert html.unescape(page).count(heading) == 1


def test_the_claim_page_links_the_claimants_other_claims_with_their_ratings(
    client, reporter, ratings
):
    claimant = ClaimantFactory(name="Dana Whitcombe")
    claim = ClaimFactory(claimant=claimant)
    rating = next(iter(ratings.values()))
    other = ClaimFactory(
        claimant=claimant,
        text="Rents <doubled> in a year",
        status=ClaimStatus.RESEARCHING,
        current_rating=rating,
    )
    ClaimFactory(text="Someone else's claim")
    client.force_login(reporter)
    page = client.get(reverse("claims:detail", args=[claim.pk])).content.decode()
    others = page[page.index("other claims</h2>") :]
    assert f'<a href="/claims/{other.pk}/">Rents &lt;doubled&gt; in a year</a>' in others
    assert f'data-rating="{rating.pk}">{rating.label} <span class="chipword">draft' in others
    assert "Someone else" not in others


def test_the_claim_page_runs_a_fixed_number_of_queries(
    client, desk, ratings, django_assert_num_queries
):
    """Session; the user with their roles; the claim with its claimant, assignee, rating,
    article with the outlet, topics and the claims merged into it; verdicts, reviews,
    comments, timeline, other claims; the people it can be assigned to; the bell's unread
    count and whether the reader follows the claim (notifications). (Whether the desk
    requires two-factor is read once a minute per process.)"""
    claim = desk.claim_in(ClaimStatus.IN_REVIEW)
    claim.article = ArticleFactory()
    claim.quote_start, claim.quote_end = 0, 5
    claim.save()
    for name in ("housing", "crime"):
        ClaimTopic.objects.create(claim=claim, topic=Topic.objects.create(name=name))
    older, newer = ClaimFactory.create_batch(2, status=ClaimStatus.DUPLICATE, duplicate_of=claim)
    client.force_login(desk.editor)
    SecuritySettings.requires_two_factor()
    with django_assert_num_queries(11):
        response = client.get(claim.get_absolute_url())
    assert response.status_code == 200
    page = response.content.decode()
    topics = page[page.index('aria-label="Topics"') :]
    assert topics.index(">crime<") < topics.index(">housing<")  # by name
    assert (
        f'<input type="hidden" name="topic" value="{Topic.objects.get(name="crime").pk}">' in page
    )
    assert f'merged into this claim: <a href="/claims/{newer.pk}/">#{newer.pk}</a>' in page
    assert f">#{older.pk}</a>" in page


def test_a_list_page_past_the_end_shows_the_last_page(client, reporter):
    client.force_login(reporter)
    ClaimFactory.create_batch(3)
    response = client.get(reverse("claims:list"), {"page": "99999999999999999999999"})
    assert response.status_code == 200
    assert response.context["page"].number == 1
    assert len(response.context["rows"]) == 3


def test_the_list_pages_through_the_claims_in_each_order_and_filter(client, reporter):
    client.force_login(reporter)
    ours, theirs = ClaimantFactory(), ClaimantFactory()
    claims = ClaimFactory.create_batch(30, claimant=ours)
    ClaimFactory.create_batch(3, claimant=theirs)
    for index, claim in enumerate(claims):
        Claim.objects.filter(pk=claim.pk).update(
            created_at=timezone.now() - datetime.timedelta(hours=index), priority=index % 4
        )
    newest = [claim.pk for claim in claims]  # claims[0] is the newest

    def shown(**query):
        return [row.claim.pk for row in client.get(reverse("claims:list"), query).context["rows"]]

    assert shown(claimant=ours.pk) == newest[:25]
    assert shown(claimant=ours.pk, page=2) == newest[25:]
    assert shown(claimant=ours.pk, sort="oldest", page=2) == newest[::-1][25:]
    by_priority = sorted(
        claims, key=lambda claim: (-(newest.index(claim.pk) % 4), -newest.index(claim.pk))
    )
    assert shown(claimant=ours.pk, sort="priority", page=2) == [c.pk for c in by_priority[25:]]
    # Same filters and order, other values: the query is compiled once, its values are each
    # request's.
    assert len(shown(claimant=theirs.pk)) == 3
    assert set(shown(claimant=theirs.pk)).isdisjoint(newest)
    response = client.get(reverse("claims:list"), {"claimant": ours.pk, "page": "3"})
    assert response.context["page"].number == 2  # past the end: the last page
    assert "Page 2 of 2" in response.content.decode()


def test_menus_mark_what_is_chosen(client, desk):
    client.force_login(desk.editor)
    claim = desk.claim_in(ClaimStatus.RESEARCHING)
    article = ArticleFactory()
    board = client.get(reverse("claims:board"), {"outlet": article.outlet_id}).content.decode()
    assert f'<option value="{article.outlet_id}" selected>{article.outlet.name}</option>' in board
    Claim.objects.filter(pk=claim.pk).update(assignee=desk.reporter, priority=3)
    page = client.get(claim.get_absolute_url()).content.decode()
    name = desk.reporter.get_full_name() or desk.reporter.username
    assert f'<option value="{desk.reporter.pk}" selected>{name}</option>' in page
    assert '<option value="3" selected>Urgent</option>' in page


def test_a_list_row_shows_the_claim_as_the_desk_names_it(client, reporter, editor):
    """Each row of the list: the wording (escaped, cut at 180 characters) linking to the
    claim, the claimant linking to theirs, the status, who has it, its topics and due date,
    the day it was logged; and a box to pick it for the bulk actions, for an editor only."""
    today = timezone.localdate()
    claim = ClaimFactory(
        text="<b>Rents</b> doubled " + "x" * 200,
        status=ClaimStatus.RESEARCHING,
        due_date=today + datetime.timedelta(days=2),
        assignee=editor,
        claimant=ClaimantFactory(name="Dana O'Neil"),
    )
    ClaimTopic.objects.create(claim=claim, topic=Topic.objects.create(name="housing"))
    client.force_login(reporter)
    page = client.get(reverse("claims:list")).content.decode()
    row = page[page.index('<tr class="prio-') : page.index("</tr>", page.index('<tr class="prio-'))]
    assert f'<a href="/claims/{claim.pk}/">&lt;b&gt;Rents&lt;/b&gt; doubled x' in row
    assert ">" + "&lt;b&gt;Rents&lt;/b&gt; doubled " + "x" * 158 + "\u2026</a>" in row
    assert f'<a href="/claimants/{claim.claimant_id}/">Dana O&#x27;Neil</a>' in row
    assert '<span class="status status-researching">Researching</span>' in row
    assert f"<td>{editor.get_full_name()}</td>" in row
    assert f'title="{today + datetime.timedelta(days=2):%-d %b %Y}">due in 2 days</span>' in row
    assert '<span class="topic">housing</span>' in row
    assert f">{timezone.localtime(claim.created_at):%-d %b %Y}</td>" in row
    assert 'name="claims"' not in row
    client.force_login(editor)
    page = client.get(reverse("claims:list")).content.decode()
    assert f'value="{claim.pk}" form="bulk" data-bulk-pick' in page


def test_a_search_row_marks_the_words_found(client, reporter):
    ClaimFactory(text="Rents <doubled> in the capital", quote="rents doubled since 2019")
    client.force_login(reporter)
    page = client.get(reverse("claims:list"), {"q": "rents"}).content.decode()
    assert "<mark>Rents</mark> &lt;doubled&gt; in the capital</a>" in page
    assert "\u201c<mark>rents</mark> doubled since 2019\u201d" in page
