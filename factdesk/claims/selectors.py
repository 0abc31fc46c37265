"""Reads that serve the desk's pages. Each runs a fixed number of queries, whatever the data."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank
from django.db import connection, models
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    FloatField,
    OuterRef,
    Q,
    QuerySet,
    TextField,
    Value,
    When,
)
from django.db.models.functions import Now
from django.utils.html import escape

from factdesk.accounts.roles import Role, user_roles
from factdesk.claims.models import (
    Activity,
    Claim,
    Claimant,
    Comment,
    Rating,
    Signoff,
    Verdict,
)
from factdesk.claims.workflow import (
    DRAFTING_STATUSES,
    OPEN_STATUSES,
    ClaimStatus,
    Transition,
    transitions_from,
)
from factdesk.core.highlight import HIT_START, HIT_STOP, mark_hits
from factdesk.core.models import SEARCH_CONFIG

BOARD_COLUMNS = (
    ClaimStatus.NEW,
    ClaimStatus.RESEARCHING,
    ClaimStatus.IN_REVIEW,
    ClaimStatus.APPROVED,
    ClaimStatus.PUBLISHED,
)
BOARD_CARDS_PER_COLUMN = 10
FUZZY_THRESHOLD = 0.45
SORTS = {
    "newest": ("-created_at",),
    "oldest": ("created_at",),
    "priority": ("-priority", "created_at"),
    "claimed": ("-claimed_on", "-created_at"),
    "status": ("status", "-created_at"),
}


def _related_model(model: type[models.Model], field_name: str) -> type[models.Model]:
    """The model a foreign key points at. Articles and outlets are above claims: reads here
    reach them through the claim's `article` key, as the queries' joins do, not by import."""
    related = model._meta.get_field(field_name).related_model
    assert isinstance(related, type)
    return related


@dataclass
class ClaimFilters:
    assignee: int | None = None
    unassigned: bool = False
    outlet: int | None = None
    claimant: int | None = None
    rating: int | None = None
    status: str | None = None
    logged_from: datetime.date | None = None
    logged_to: datetime.date | None = None

    def apply(self, claims: QuerySet[Claim]) -> QuerySet[Claim]:
        if self.assignee:
            claims = claims.filter(assignee_id=self.assignee)
        if self.unassigned:
            claims = claims.filter(assignee__isnull=True)
        if self.outlet:
            claims = claims.filter(article__outlet_id=self.outlet)
        if self.claimant:
            claims = claims.filter(claimant_id=self.claimant)
        if self.rating:
            claims = claims.filter(current_rating_id=self.rating)
        if self.status:
            claims = claims.filter(status=self.status)
        if self.logged_from:
            claims = claims.filter(created_at__date__gte=self.logged_from)
        if self.logged_to:
            claims = claims.filter(created_at__date__lte=self.logged_to)
        return claims


def claim_cards(claims: QuerySet[Claim]) -> QuerySet[Claim]:
    """`claims` with only what a card or a row of the list shows (and their people)."""
    return claims.select_related("claimant", "assignee", "current_rating").only(
        "id",
        "article_id",
        "quote_start",
        "quote_end",
        "text",
        "status",
        "priority",
        "created_at",
        "claimed_on",
        "claimant__id",
        "claimant__name",
        "assignee__id",
        "assignee__username",
        "assignee__first_name",
        "assignee__last_name",
        "current_rating__id",
        "current_rating__label",
        "current_rating__colour",
    )


@dataclass
class BoardColumn:
    status: ClaimStatus
    count: int
    cards: list[Claim]

    @property
    def more(self) -> int:
        return self.count - len(self.cards)


def status_counts(filters: ClaimFilters) -> dict[str, int]:
    """How many claims are in each status. Unfiltered, an index-only scan of the status
    index (about 7 ms over 100,000 claims): not worth a cache to keep in step."""
    claims = filters.apply(Claim.objects.all())
    return dict(claims.order_by().values_list("status").annotate(n=Count("*")))


def board(filters: ClaimFilters) -> tuple[list[BoardColumn], dict[str, int]]:
    """Columns by status with their counts and the first cards (urgent and oldest first;
    newest first once published). Returns the columns and every status's count."""
    claims = filters.apply(Claim.objects.all())
    counts = status_counts(filters)
    columns = []
    for status in BOARD_COLUMNS:
        statuses = [status]
        if status == ClaimStatus.PUBLISHED:
            statuses.append(ClaimStatus.CORRECTED)
        order = (
            ("-status_changed_at",)
            if status == ClaimStatus.PUBLISHED
            else ("-priority", "created_at")
        )
        cards = list(
            claim_cards(claims.filter(status__in=statuses)).order_by(*order)[
                :BOARD_CARDS_PER_COLUMN
            ]
        )
        columns.append(BoardColumn(status, sum(counts.get(s, 0) for s in statuses), cards))
    return columns, counts


def claim_list(filters: ClaimFilters, sort: str) -> QuerySet[Claim]:
    order = SORTS.get(sort, SORTS["newest"])
    return claim_cards(filters.apply(Claim.objects.all())).order_by(*order)


def _headline(field_name: str, query: SearchQuery, **options: Any) -> SearchHeadline:
    return SearchHeadline(
        field_name,
        query,
        config=SEARCH_CONFIG,
        start_sel=HIT_START,
        stop_sel=HIT_STOP,
        highlight_all=options.pop("highlight_all", True),
        **options,
    )


@dataclass(frozen=True)
class ClaimRow:
    """A claim as the list shows it; from a search, with the matched words marked (escaped
    text with <mark> around the hits)."""

    claim: Claim
    text_highlighted: str = ""
    quote_highlighted: str = ""
    article_highlighted: str = ""


@dataclass
class SearchResults:
    query: str
    rows: list[ClaimRow]
    total: int
    fuzzy: bool = False
    capped: bool = False  # more than SEARCH_COUNT_CAP matches: the total is a floor


SEARCH_COUNT_CAP = 1000


def _capped_count(claims: QuerySet[Claim]) -> int:
    # Unordered: with the model's newest-first ordering, the planner would walk claims by
    # date and test each one's article, instead of hashing the matching articles once.
    return claims.order_by()[: SEARCH_COUNT_CAP + 1].count()


def claim_search(
    text: str, filters: ClaimFilters, *, limit: int = 25, offset: int = 0
) -> SearchResults:
    """Full-text search over claim wording, quotes, claimants and article text.

    1. Direct matches: the stemmed, accent-free query against the claim's own vector
       (wording weighted above quote) or its claimant's, each through a GIN index. These
       are ranked (ts_rank, a claimant match adding a fixed boost).
    2. Article matches: claims whose article's text matches but not the claim itself. They
       come after every direct match, newest first: an article that mentions the words is
       weaker evidence than a claim that says them, and ranking them all would cost a scan
       whenever a word is common in articles.
    3. Counts are exact up to SEARCH_COUNT_CAP ("1,000+" beyond).
    4. Highlight the matched words in the wording, the quote and a passage of the article,
       for the page's rows only (ts_headline re-parses each document).
    5. If nothing matches (a typo), fall back to trigram similarity on wording and claimant.
    """
    query = SearchQuery(text, config=SEARCH_CONFIG, search_type="websearch")
    claims = filters.apply(Claim.objects.all())
    claimant_hit = Claimant.objects.filter(search_vector=query).values("id")
    articles = _related_model(Claim, "article")._default_manager
    article_hit = articles.filter(search_vector=query).values("id")
    # A union, not an OR: each half reads its own index (the claim's GIN index, the
    # claimant foreign key), where an OR across them would scan every claim.
    direct_ids = (
        claims.filter(search_vector=query)
        .values("id")
        .union(claims.filter(claimant_id__in=claimant_hit).values("id"))
    )
    direct = Claim.objects.filter(id__in=direct_ids)
    # Row filters, not a NOT IN over the direct set: they run only on the candidate rows.
    indirect = (
        claims.filter(article_id__in=article_hit)
        .exclude(search_vector=query)
        .exclude(claimant_id__in=claimant_hit)
    )
    direct_count, indirect_count = _capped_count(direct), _capped_count(indirect)
    total = direct_count + indirect_count
    if total:
        page = list(
            direct.annotate(
                rank=SearchRank(F("search_vector"), query)
                + Case(
                    When(claimant_id__in=claimant_hit, then=Value(0.5)),
                    default=Value(0.0),
                    output_field=FloatField(),
                )
            )
            .order_by("-rank", "-created_at")
            .values_list("id", flat=True)[offset : offset + limit]
        )
        from_articles: list[int] = []
        if len(page) < limit:
            start = max(0, offset - direct_count)
            from_articles = list(
                indirect.order_by("-created_at").values_list("id", flat=True)[
                    start : start + limit - len(page)
                ]
            )
            page += from_articles
        rows = {
            claim.id: claim
            for claim in claim_cards(Claim.objects.filter(id__in=page)).annotate(
                text_hit=_headline("text", query),
                quote_hit=_headline("quote", query, max_words=30, min_words=12),
                # Only where the claim itself does not say the words: there the passage
                # of the article is what explains the match.
                article_hit=Case(
                    When(
                        id__in=from_articles,
                        then=_headline(
                            "article__text", query, max_words=30, min_words=12, highlight_all=False
                        ),
                    ),
                    default=Value(""),
                    output_field=TextField(),
                ),
            )
        }
        found = [
            ClaimRow(
                claim,
                text_highlighted=mark_hits(claim.text_hit),
                quote_highlighted=mark_hits(claim.quote_hit),
                article_highlighted=mark_hits(claim.article_hit),
            )
            for claim in (rows[claim_id] for claim_id in page)
        ]
        capped = max(direct_count, indirect_count) > SEARCH_COUNT_CAP
        return SearchResults(text, found, total, capped=capped)

    # The default word-similarity threshold (0.6) misses one-letter typos in short words
    # ("stadum" scores 0.57 against "stadium"). Only search uses the operator, so the
    # setting can stay on the connection.
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT set_config('pg_trgm.word_similarity_threshold', %s, false)",
            [str(FUZZY_THRESHOLD)],
        )
    similar_ids = (
        claims.filter(text__trigram_word_similar=text)
        .values("id")
        .union(
            claims.filter(
                claimant_id__in=Claimant.objects.filter(name__trigram_similar=text).values("id")
            ).values("id")
        )
    )
    fuzzy = Claim.objects.filter(id__in=similar_ids)
    total = _capped_count(fuzzy)
    similar = [
        ClaimRow(claim, text_highlighted=escape(claim.text))
        for claim in claim_cards(fuzzy).order_by("-created_at")[offset : offset + limit]
    ]
    return SearchResults(text, similar, total, fuzzy=True, capped=total > SEARCH_COUNT_CAP)


# ── the claim page ──────────────────────────────────────────────────────────────────────


@dataclass
class QuoteContext:
    before: str
    quote: str
    after: str


@dataclass
class ClaimPage:
    """The claim page: the claim and its verdicts, discussion and timeline. The sources
    panel is the sources app's, loaded into the page by htmx (sources.views.sources_panel)."""

    claim: Claim
    versions: list[Verdict]
    draft: Verdict | None
    published: Verdict | None
    signoff: Signoff
    comments: list[Comment]
    timeline: list[Activity]
    other_claims: list[Claim]
    duplicates: list[Claim]
    transitions: list[Transition]
    context: QuoteContext | None
    can_edit_draft: bool = False
    can_review: bool = False
    can_assign: bool = False
    can_take: bool = False
    review_blocked_reason: str = ""


CONTEXT_CHARS = 320


def quote_context(claim: Claim) -> QuoteContext | None:
    if not claim.article_id or claim.quote_start is None or claim.quote_end is None:
        return None
    assert claim.article is not None
    text = claim.article.text
    start = max(0, claim.quote_start - CONTEXT_CHARS)
    end = min(len(text), claim.quote_end + CONTEXT_CHARS)
    return QuoteContext(
        before=("…" if start else "") + text[start : claim.quote_start],
        quote=text[claim.quote_start : claim.quote_end],
        after=text[claim.quote_end : end] + ("…" if end < len(text) else ""),
    )


def _offered(transition: Transition, claim: Claim, signoff: Signoff) -> bool:
    """Whether the claim page offers a button for this move. The service still checks
    everything; this only keeps buttons that can't work off the page."""
    if transition.target == ClaimStatus.APPROVED:
        return signoff.met  # approval comes from reviews; by hand only when the rule is met
    if transition.target == ClaimStatus.PUBLISHED:
        return claim.published_at is None
    if transition.target == ClaimStatus.CORRECTED:
        return claim.published_at is not None
    return True


def claim_page(claim_id: int, user: User) -> ClaimPage:
    claim = (
        Claim.objects.select_related(
            "article",
            "article__outlet",
            "claimant",
            "assignee",
            "created_by",
            "duplicate_of",
            "current_rating",
        )
        .defer("article__search_vector", "claimant__search_vector", "duplicate_of__search_vector")
        .get(pk=claim_id)
    )
    verdicts = claim.verdict_history()
    draft = verdicts.draft
    roles = user_roles(user)
    signoff = verdicts.signoff
    transitions = [
        t for t in transitions_from(claim.status) if roles & t.roles and _offered(t, claim, signoff)
    ]
    page = ClaimPage(
        claim=claim,
        versions=verdicts.versions,
        draft=draft,
        published=verdicts.published,
        signoff=signoff,
        comments=list(claim.comments.select_related("author")),
        timeline=list(claim.activities.select_related("actor")),
        other_claims=list(
            claim_cards(
                Claim.objects.filter(claimant_id=claim.claimant_id).exclude(pk=claim.pk)
            ).order_by("-created_at")[:8]
        ),
        duplicates=list(claim.duplicates.only("id", "text")),
        transitions=transitions,
        context=quote_context(claim),
    )
    page.can_edit_draft = bool(roles) and claim.status in DRAFTING_STATUSES
    page.can_assign = Role.EDITOR in roles or Role.PUBLISHER in roles
    page.can_take = bool(roles) and not page.can_assign and claim.assignee_id in (None, user.pk)
    if claim.status == ClaimStatus.IN_REVIEW and (Role.EDITOR in roles or Role.PUBLISHER in roles):
        if user.pk in verdicts.contributors:
            page.review_blocked_reason = "You wrote part of this verdict, so another editor "
            page.review_blocked_reason += "must review it."
        elif draft and any(review.reviewer_id == user.pk for review in draft.reviews.all()):
            page.review_blocked_reason = f"You have reviewed version {draft.number}."
        else:
            page.can_review = True
    return page


def desk_people() -> QuerySet[User]:
    """Everyone who holds a desk role: who claims can be assigned to."""
    return (
        User.objects.filter(is_active=True)
        .filter(Q(groups__name__in=[role.value for role in Role]) | Q(is_superuser=True))
        .distinct()
        .order_by("first_name", "username")
    )


def filter_choices() -> dict[str, Any]:
    """The people, outlets, ratings and statuses the filter menus offer (three small
    queries)."""
    # Every outlet, as the filter reaches it: the outlet of the claim's article. (Only the
    # outlets with claims would cost a pass over every claim for a menu.)
    outlets = _related_model(_related_model(Claim, "article"), "outlet")._default_manager
    return {
        "people": [
            (person.pk, person.get_full_name() or person.username) for person in desk_people()
        ],
        "outlets": list(outlets.values_list("id", "name")),
        "ratings": list(Rating.objects.filter(scale__is_default=True).values_list("id", "label")),
        "statuses": ClaimStatus.choices,
    }


# ── claimants ──────────────────────────────────────────────────────────────────────


def rating_tally(verdicts: QuerySet[Verdict]) -> list[dict[str, Any]]:
    """How many claims carry each rating, counting for each claim the verdict readers see:
    its newest published version."""
    newest_published = verdicts.filter(published_at__isnull=False).filter(
        ~Exists(
            Verdict.objects.filter(
                claim=OuterRef("claim"), published_at__isnull=False, number__gt=OuterRef("number")
            )
        )
    )
    return list(
        newest_published.values("rating_id", "rating__label", "rating__position")
        .annotate(n=Count("id"))
        .order_by("rating__position")
    )


def claimant_page(claimant_id: int) -> tuple[Claimant, list[Claim], list[dict[str, Any]]]:
    claimant = Claimant.objects.get(pk=claimant_id)
    claims = list(claim_cards(claimant.claims.all()).order_by("-claimed_on", "-created_at"))
    tally = rating_tally(Verdict.objects.filter(claim__claimant=claimant))
    return claimant, claims, tally


# ── dashboard ───────────────────────────────────────────────────────────────────────────


@dataclass
class Dashboard:
    by_status: list[tuple[str, str, int]]
    by_rating: list[dict[str, Any]]
    median_days_to_publish: float | None
    published_count: int
    overdue: list[Claim]
    overdue_count: int
    workload: list[dict[str, Any]]
    overdue_days: int


def dashboard() -> Dashboard:
    counts = status_counts(ClaimFilters())
    by_status = [(value, label, counts.get(value, 0)) for value, label in ClaimStatus.choices]
    by_rating = rating_tally(Verdict.objects.all())
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT percentile_cont(0.5) WITHIN GROUP "
            "(ORDER BY EXTRACT(EPOCH FROM published_at - created_at)), count(*) "
            "FROM claims_claim WHERE published_at IS NOT NULL"
        )
        median_seconds, published_count = cursor.fetchone()
    overdue_days = settings.OVERDUE_DAYS
    overdue_claims = Claim.objects.filter(
        status__in=OPEN_STATUSES,
        created_at__lt=Now() - datetime.timedelta(days=overdue_days),
    )
    workload = list(
        Claim.objects.filter(status__in=OPEN_STATUSES, assignee__isnull=False)
        .values("assignee__id", "assignee__username", "assignee__first_name", "assignee__last_name")
        .annotate(
            total=Count("id"),
            new=Count("id", filter=Q(status=ClaimStatus.NEW)),
            researching=Count("id", filter=Q(status=ClaimStatus.RESEARCHING)),
            in_review=Count("id", filter=Q(status=ClaimStatus.IN_REVIEW)),
            approved=Count("id", filter=Q(status=ClaimStatus.APPROVED)),
        )
        .order_by("-total")
    )
    return Dashboard(
        by_status=by_status,
        by_rating=by_rating,
        median_days_to_publish=(median_seconds / 86400 if median_seconds is not None else None),
        published_count=published_count,
        overdue=list(claim_cards(overdue_claims).order_by("created_at")[:15]),
        overdue_count=overdue_claims.count(),
        workload=workload,
        overdue_days=overdue_days,
    )


def rating_colours() -> list[tuple[int, str]]:
    """(rating id, #rrggbb) for every rating of every scale."""
    return list(Rating.objects.values_list("pk", "colour"))
