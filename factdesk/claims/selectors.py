"""Reads that serve the desk's pages. Each runs a fixed number of queries, whatever the data."""

from __future__ import annotations

import datetime
import re
from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass, field, fields, replace
from functools import cache, cached_property, partial
from typing import Any, NamedTuple

from django.contrib.auth.models import User
from django.contrib.postgres.expressions import ArraySubquery
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
    Window,
)
from django.db.models.functions import Coalesce, Concat, JSONObject, NullIf, RowNumber, Trim
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape, format_html

from factdesk.accounts.roles import Role, user_roles
from factdesk.claims import rules
from factdesk.claims.diffs import word_diff
from factdesk.claims.models import (
    Activity,
    Claim,
    Claimant,
    ClaimTopic,
    Comment,
    OutletStatusCount,
    Rating,
    Review,
    Signoff,
    StatusCount,
    Topic,
    TopicStatusCount,
    Verdict,
    VerdictHistory,
)
from factdesk.claims.workflow import (
    DRAFTING_STATUSES,
    OPEN_STATUSES,
    ClaimStatus,
    Requirement,
    Transition,
    transitions_from,
)
from factdesk.core.highlight import HIT_START, HIT_STOP, mark_hits
from factdesk.core.links import page_url
from factdesk.core.models import SEARCH_CONFIG
from factdesk.core.queries import CompiledQueries, CompiledQuery, given, ids_array

BOARD_COLUMNS = (
    ClaimStatus.NEW,
    ClaimStatus.RESEARCHING,
    ClaimStatus.IN_REVIEW,
    ClaimStatus.APPROVED,
    ClaimStatus.PUBLISHED,
)
BOARD_CARDS_PER_COLUMN = 10
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
    topic: int | None = None
    status: str | None = None
    logged_from: datetime.date | None = None
    logged_to: datetime.date | None = None

    def is_empty(self) -> bool:
        return self == ClaimFilters()

    def apply(self, claims: QuerySet[Claim], *, stand_ins: bool = False) -> QuerySet[Claim]:
        """`claims` filtered. With `stand_ins`, each value is a stand-in named by its field
        (core.queries.given), for a query compiled once per `shape()`."""

        def value(name: str) -> Any:
            return given(name) if stand_ins else getattr(self, name)

        if self.assignee:
            claims = claims.filter(assignee_id=value("assignee"))
        if self.unassigned:
            claims = claims.filter(assignee__isnull=True)
        if self.outlet:
            claims = claims.filter(article__outlet_id=value("outlet"))
        if self.claimant:
            claims = claims.filter(claimant_id=value("claimant"))
        if self.rating:
            claims = claims.filter(current_rating_id=value("rating"))
        if self.topic:
            # The topic's claims from the link's (topic, claim) index; no row per claim twice:
            # a claim has a topic once.
            claims = claims.filter(topics=value("topic"))
        if self.status:
            claims = claims.filter(status=value("status"))
        if self.logged_from:
            claims = claims.filter(created_at__date__gte=value("logged_from"))
        if self.logged_to:
            claims = claims.filter(created_at__date__lte=value("logged_to"))
        return claims

    def shape(self) -> tuple[bool, ...]:
        """Which filters are set: what a query built with stand-ins depends on."""
        return tuple(bool(getattr(self, item.name)) for item in fields(self))

    def values(self) -> dict[str, Any]:
        """The set filters' values, by name: what the stand-ins are given."""
        set_values = {item.name: getattr(self, item.name) for item in fields(self)}
        return {name: value for name, value in set_values.items() if value}


def _for_filters(
    queries: CompiledQueries,
    filters: ClaimFilters,
    query: Callable[[QuerySet[Claim]], QuerySet],
    *key: Hashable,
) -> CompiledQuery:
    """`query(claims)` over the claims the filters match, compiled once per shape of filters
    (and `key`): run it with `filters.values()`."""
    return queries.get(
        (filters.shape(), *key), lambda: query(filters.apply(Claim.objects.all(), stand_ins=True))
    )


# Which of the claims reviewers sent back: a request for changes on the claim's newest
# version. (Compiled once, as the names of the claims' topics below: a card's marks, read for
# the fifty cards of a board or a list.)
_SENT_BACK = CompiledQuery(
    lambda: (
        Review.objects.filter(
            verdict__claim_id__in=ids_array(), decision=Review.Decision.REQUEST_CHANGES
        )
        .exclude(
            Exists(
                Verdict.objects.filter(
                    claim_id=OuterRef("verdict__claim_id"), number__gt=OuterRef("verdict__number")
                )
            )
        )
        .values_list("verdict__claim_id")
    )
)
_TOPIC_NAMES = CompiledQuery(
    lambda: (
        ClaimTopic.objects.filter(claim_id__in=ids_array())
        .order_by("topic__name")
        .values_list("claim_id", "topic__name")
    )
)


CARD_FIELDS = (
    "id",
    "article_id",
    "quote_start",
    "quote_end",
    "text",
    "status",
    "status_changed_at",  # the board's published column's order
    "priority",
    "due_date",
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


def claim_cards(claims: QuerySet[Claim]) -> QuerySet[Claim]:
    """`claims` with only what a card or a row of the list shows (and their people); the
    board and the list add their marks after (with_marks)."""
    return claims.select_related("claimant", "assignee", "current_rating").only(*CARD_FIELDS)


_CARDS = CompiledQuery(lambda: claim_cards(Claim.objects.filter(id__in=ids_array())))


def _cards(ids: list[int]) -> list[Claim]:
    """The cards of the claims `ids`, in that order (the board's first cards, a page of the
    list: their ids read first, each by its own order). A claim deleted between the two
    reads is left out."""
    cards = {card.pk: card for card in _CARDS.instances(ids=ids)}
    return [cards[claim_id] for claim_id in ids if claim_id in cards]


def with_marks(claims: Iterable[Claim]) -> None:
    """What a card or a list row shows beside the claim, read for all of them in two plain
    queries: the names of its topics (`topic_names`, sorted), and whether reviewers sent it
    back (`changes_requested`, asked only of the claims in research)."""
    claims = list(claims)
    if not claims:
        return
    names: dict[int, list[str]] = defaultdict(list)
    for claim_id, name in _TOPIC_NAMES.rows(ids=[claim.pk for claim in claims]):
        names[claim_id].append(name)
    in_research = [claim.pk for claim in claims if claim.status == ClaimStatus.RESEARCHING]
    sent_back = (
        {claim_id for (claim_id,) in _SENT_BACK.rows(ids=in_research)} if in_research else set()
    )
    for claim in claims:
        claim.topic_names = names.get(claim.pk, [])
        claim.changes_requested = claim.pk in sent_back


@dataclass
class BoardColumn:
    status: ClaimStatus
    count: int
    cards: list[Claim]

    @property
    def more(self) -> int:
        return self.count - len(self.cards)


# The counts' queries, compiled once (core.queries), the filtered ones per set of filters.
_STATUS_COUNTS = CompiledQuery(
    lambda: StatusCount.objects.filter(claims__gt=0).values_list("status", "claims")
)
# Counts kept by triggers for a board or list filtered by one of these alone: a big topic's
# claims took 20 ms to count, an outlet's 15-19 through their articles at 1,000,000 claims.
_KEPT_STATUS_COUNTS = {
    "topic": CompiledQuery(
        lambda: TopicStatusCount.objects.filter(topic_id=given("topic"), claims__gt=0).values_list(
            "status", "claims"
        )
    ),
    "outlet": CompiledQuery(
        lambda: OutletStatusCount.objects.filter(
            outlet_id=given("outlet"), claims__gt=0
        ).values_list("status", "claims")
    ),
}
# Planned for each call's filter values, as are the board's first cards and the list's pages:
# a generic plan made for an average topic or outlet is wrong for a small or a large one.
_FILTERED_STATUS_COUNTS = CompiledQueries(planned=True)


def _kept_counts(filters: ClaimFilters) -> dict[str, int] | None:
    """The claims the filters match, their status aside, by status, when a table keeps
    those counts (every claim's: StatusCount; one topic's or outlet's alone); else None."""
    others = replace(filters, status=None)
    if others.is_empty():
        return dict(_STATUS_COUNTS.rows())
    for name, kept in _KEPT_STATUS_COUNTS.items():
        value = getattr(others, name)
        if value and others == ClaimFilters(**{name: value}):
            return dict(kept.rows(**{name: value}))
    return None


def status_counts(filters: ClaimFilters) -> dict[str, int]:
    """How many claims are in each status (only the statuses that have some). Unfiltered,
    from the trigger-kept StatusCount table: counting a million claims takes 150 ms."""
    if not filters.status and (kept := _kept_counts(filters)) is not None:
        return kept
    counted = _for_filters(
        _FILTERED_STATUS_COUNTS,
        filters,
        lambda claims: claims.order_by().values_list("status").annotate(n=Count("*")),
    )
    return dict(counted.rows(**filters.values()))


def claim_count(filters: ClaimFilters) -> int:
    """How many claims the filters match: the list's count of results."""
    kept = _kept_counts(filters)
    if kept is None:
        return filters.apply(Claim.objects.all()).count()
    return kept.get(filters.status, 0) if filters.status else sum(kept.values())


def _column_statuses(status: ClaimStatus) -> list[str]:
    if status == ClaimStatus.PUBLISHED:
        return [ClaimStatus.PUBLISHED, ClaimStatus.CORRECTED]
    return [status]


def _column_order(status: ClaimStatus) -> tuple[str, ...]:
    return (
        ("-status_changed_at",) if status == ClaimStatus.PUBLISHED else ("-priority", "created_at")
    )


# The board's first cards' ids for each shape of filters, compiled once (core.queries):
# building and compiling the six-part UNION took longer than running it (2.6 ms against 1.1).
_BOARD_IDS = CompiledQueries(planned=True)


def _board_ids(claims: QuerySet[Claim]) -> QuerySet:
    first, *others = (
        claims.filter(status__in=_column_statuses(status))
        .order_by(*_column_order(status))
        .values_list("id")[:BOARD_CARDS_PER_COLUMN]
        for status in BOARD_COLUMNS
    )
    return first.union(*others, all=True)


# Below this many claims on the board, its first cards are picked from all of them at once
# (_board_ids_at_once): a small topic's 660 claims at 100,000 read in 1.7 ms, where each
# column's walk of its index took 1-2 ms (benchmarks/desk.py, /?topic=).
BOARD_AT_ONCE_BELOW = 1000
_BOARD_IDS_AT_ONCE = CompiledQueries(planned=True)


def _board_ids_at_once(claims: QuerySet[Claim]) -> QuerySet:
    """The first cards' ids of every column, numbered within their column in one read of
    the filtered claims. One order serves both kinds of column: a published card's first
    key is empty (so its publication date decides), an open card's second."""
    published = Q(status__in=_column_statuses(ClaimStatus.PUBLISHED))
    statuses = [status for column in BOARD_COLUMNS for status in _column_statuses(column)]
    place = Window(
        RowNumber(),
        partition_by=Case(
            When(published, then=Value(ClaimStatus.PUBLISHED.value)), default=F("status")
        ),
        order_by=[
            Case(When(published, then=None), default=F("priority")).desc(),
            Case(When(published, then=F("status_changed_at"))).desc(),
            F("created_at").asc(),
        ],
    )
    return (
        claims.filter(status__in=statuses)
        .annotate(place=place)
        .filter(place__lte=BOARD_CARDS_PER_COLUMN)
        .values_list("id")
    )


def board(filters: ClaimFilters) -> tuple[list[BoardColumn], dict[str, int]]:
    """Columns by status with their counts and the first cards (urgent and oldest first;
    newest first once published). Returns the columns and every status's count.

    Three queries whatever the columns: the counts, the first cards' ids of every column
    in one UNION ALL (each part still reads its own index in order; or, with few claims on
    the board, one read of them all), then those cards."""
    counts = status_counts(filters)
    on_board = sum(
        counts.get(status, 0) for column in BOARD_COLUMNS for status in _column_statuses(column)
    )
    if on_board < BOARD_AT_ONCE_BELOW:
        first_cards = _for_filters(_BOARD_IDS_AT_ONCE, filters, _board_ids_at_once)
    else:
        first_cards = _for_filters(_BOARD_IDS, filters, _board_ids)
    cards = _cards([claim_id for (claim_id,) in first_cards.rows(**filters.values())])
    with_marks(cards)
    columns = []
    for status in BOARD_COLUMNS:
        statuses = _column_statuses(status)
        column = [card for card in cards if card.status in statuses]
        if status == ClaimStatus.PUBLISHED:
            column.sort(key=lambda card: card.status_changed_at, reverse=True)
        else:
            column.sort(key=lambda card: (-card.priority, card.created_at))
        columns.append(BoardColumn(status, sum(counts.get(s, 0) for s in statuses), column))
    return columns, counts


# The list's pages for each set of filters and order, compiled once (core.queries).
_LIST_PAGES = CompiledQueries(paged=True, planned=True)


def claim_list(filters: ClaimFilters, sort: str, *, offset: int, limit: int) -> list[Claim]:
    """A page of the list: `limit` claims from `offset`, in the `sort` order.

    The page's ids first, then their cards (as the board reads its cards): asked for the
    cards' columns and joins at once, the planner walked the sort's index through the
    claims, testing each against a small topic, rather than sort the topic's few hundred
    (6.6 ms of SQL against 2.8 at 100,000 claims, benchmarks/desk.py)."""
    sort = sort if sort in SORTS else "newest"
    page = _for_filters(
        _LIST_PAGES, filters, lambda claims: claims.order_by(*SORTS[sort]).values_list("id"), sort
    )
    return _cards(
        [claim_id for (claim_id,) in page.rows(**filters.values(), limit=limit, offset=offset)]
    )


def claim_export(filters: ClaimFilters, sort: str) -> QuerySet[Claim]:
    """The claims the list shows, in its order, with every column and their people and
    topics: what the CSV writes."""
    order = SORTS.get(sort, SORTS["newest"])
    claims = filters.apply(Claim.objects.all()).order_by(*order)
    return claims.select_related("claimant", "assignee", "current_rating").prefetch_related(
        "topics"
    )


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
    why: str = ""  # safe HTML: what matched besides the wording ("claimant: <mark>…")


@dataclass
class SearchResults:
    query: str
    rows: list[ClaimRow]
    total: int
    fuzzy: bool = False
    capped: bool = False  # more than SEARCH_COUNT_CAP matches: the total is a floor


SEARCH_COUNT_CAP = 1000
CORRECTABLE_WORD = re.compile(r"[^\W\d_]{4,}")  # letters only, as the vocabulary keeps them


def _capped_count(claims: QuerySet[Claim]) -> int:
    # Unordered: with the model's newest-first ordering, the planner would walk claims by
    # date and test each one's matches, instead of reading the matches once.
    return claims.order_by()[: SEARCH_COUNT_CAP + 1].count()


def search_words_corrected(text: str) -> str:
    """`text` with each word the claims never use replaced by the most similar word they
    do (trigram similarity over the SearchWord vocabulary, at least pg_trgm's 0.3); words
    with nothing similar, and the query's quotes and operators, are left as they are."""
    words = list(dict.fromkeys(match.group() for match in CORRECTABLE_WORD.finditer(text)))
    if not words:
        return text
    with connection.cursor() as cursor:
        # % and <-> read the vocabulary's trigram index; the word itself, when the claims
        # use it, is its own nearest (distance 0).
        cursor.execute(
            "SELECT typed, (SELECT word FROM claims_searchword WHERE word %% typed_key "
            "ORDER BY word <-> typed_key, abs(length(word) - length(typed_key)), word LIMIT 1) "
            "FROM (SELECT typed, lower(unaccent(typed)) AS typed_key "
            "FROM unnest(%s::text[]) AS typed) AS typed_words",
            [words],
        )
        corrections = {typed: word for typed, word in cursor.fetchall() if word}
    return CORRECTABLE_WORD.sub(lambda match: corrections.get(match.group(), match.group()), text)


class MarkedArticle(NamedTuple):
    """An article a search found: its title, the title with the words marked, and a
    passage of its text with them marked (safe HTML once through mark_hits)."""

    title: str
    title_hit: str
    text_hit: str


class Searched:
    """The words of a search, parsed once by PostgreSQL (websearch syntax: "quotes", or,
    -not) into the query every read of the search page is given; and what more than one of
    those reads needs."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._marked: dict[int, MarkedArticle] = {}
        self._article_ids: list[int] | None = None  # read once, by article_ids

    @cached_property
    def query(self) -> str:
        """The parsed query, as text (`'energi' <-> 'price'`): what `_search_query` stands
        in for."""
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT websearch_to_tsquery(%s::regconfig, %s)::text", [SEARCH_CONFIG, self.text]
            )
            (query,) = cursor.fetchone()
        return query

    @property
    def is_phrase(self) -> bool:
        """Whether the search asks for words in a row ("energy prices": `<->` in the query),
        and nothing else. The GIN index cannot tell word positions, so each claim that has
        the words is read from the table to check their order, and each window scans the
        words' index entries again (`_newest_matches`; benchmarks/desk.py, the phrase
        search)."""
        return "<->" in self.query and "|" not in self.query

    @property
    def article_ids(self) -> list[int]:
        """The articles that have the words (_MATCHING_ARTICLES), up to the count's cap:
        the claims' search and the articles group both ask."""
        if self._article_ids is None:
            self._article_ids = self._articles_matching(SEARCH_COUNT_CAP + 1)
        return self._article_ids

    def some_article_ids(self, count: int) -> list[int]:
        """`count` of the articles that have the words: those the claims' search read,
        or, when it had more direct matches than it counts and read none, the first
        `count` found (checking a phrase against 1,000 articles' whole text took 25 ms)."""
        if self._article_ids is not None:
            return self._article_ids
        return self._articles_matching(count)

    def _articles_matching(self, count: int) -> list[int]:
        matching = _MATCHING_ARTICLES.get(count, partial(_matching_articles, count))
        return [pk for (pk,) in matching.rows(query=self.query)]

    def marked_articles(self, ids: Iterable[int]) -> dict[int, MarkedArticle]:
        """The articles `ids`, with the words marked, by id. One read for those not yet
        read: the claims found through their article are often several from one article,
        and the articles group shows the same newest articles (ts_headline parses the whole
        text: 0.35 ms an article)."""
        wanted = list(dict.fromkeys(ids))
        missing = [pk for pk in wanted if pk not in self._marked]
        if missing:
            for pk, *marked in _ARTICLES_FOUND.rows(query=self.query, ids=missing):
                self._marked[pk] = MarkedArticle(*marked)
        return {pk: self._marked[pk] for pk in wanted if pk in self._marked}


class _Parsed(SearchQuery):
    """A query as PostgreSQL parsed it (Searched.query), given as a typed parameter. A
    prepared query's generic plan would run websearch_to_tsquery() again for every row it
    tests (the claims of 1,000 matching articles: 11 ms against 7)."""

    template = "%(expressions)s::tsquery"


def _search_query() -> SearchQuery:
    """The words searched for, as the compiled searches take them: the stand-in `query`."""
    return _Parsed(given("query"), search_type="raw")


def _claimant_hit() -> QuerySet:
    return Claimant.objects.filter(search_vector=_search_query()).values("id")


def _search_rank() -> Any:
    return SearchRank(F("search_vector"), _search_query()) + Case(
        When(claimant_id__in=_claimant_hit(), then=Value(0.5)),
        default=Value(0.0),
        output_field=FloatField(),
    )


def claim_search(
    text: str,
    filters: ClaimFilters,
    *,
    limit: int = 25,
    offset: int = 0,
    searched: Searched | None = None,
) -> SearchResults:
    """Full-text search over claim wording, quotes, claimants and article text.

    1. Direct matches: the stemmed, accent-free query against the claim's own vector
       (wording weighted above quote) or its claimant's, each through a GIN index, each
       capped at the SEARCH_COUNT_CAP newest (`_newest_matches`). These candidates are
       ranked (ts_rank, a claimant match adding a fixed boost; ties newest first) here, in
       Python: with more than the cap, the newest are ranked rather than every match
       (ranking 50,000 took a second).
    2. Article matches: claims whose article's text matches but not the claim itself,
       from the first SEARCH_COUNT_CAP matching articles, fetched unordered (capped) and
       sorted newest first here. They come after every direct match: an article that
       mentions the words is weaker evidence than a claim that says them. (Ordered in SQL,
       the planner walked every claim by date testing its article whenever it expected
       many matches and found few.)
    3. Counts are exact up to SEARCH_COUNT_CAP ("1,000+" beyond; with more direct matches
       than that, article matches are not read). An offset past the results shows the
       last page.
    4. Highlight the matched words in the wording, the quote and a passage of the article,
       for the page's rows only (ts_headline re-parses each document).
    5. If nothing matches (a typo), correct the words against the desk's vocabulary
       (`search_words`) and search again; failing that, match claimant names by trigram
       similarity.
    """
    searched = searched or Searched(text)
    results = _full_text_search(searched, filters, limit=limit, offset=offset)
    if results.total:
        return results
    corrected = search_words_corrected(text)
    if corrected != text:
        results = _full_text_search(Searched(corrected), filters, limit=limit, offset=offset)
        if results.total:
            return replace(results, query=text, fuzzy=True)
    # Names are not in the vocabulary: a misspelt claimant by similarity of the name (the
    # claimants' trigram index; a few thousand rows, unlike the claims' text).
    similar_claimants = Claimant.objects.filter(name__trigram_similar=text).values("id")
    fuzzy = filters.apply(Claim.objects.filter(claimant_id__in=similar_claimants))
    total = _capped_count(fuzzy)
    offset = _within(offset, total, limit)
    similar = [
        ClaimRow(
            claim,
            text_highlighted=escape(claim.text),
            why=format_html("claimant: <mark>{}</mark> (a similar name)", claim.claimant.name),
        )
        for claim in claim_cards(fuzzy).order_by("-created_at")[offset : offset + limit]
    ]
    return SearchResults(text, similar, total, fuzzy=True, capped=total > SEARCH_COUNT_CAP)


# The newest claims (by id) are read in windows. A window of up to ~50,000 claims combines
# the GIN index with the id range (a bitmap AND); the planner, which underestimates phrases
# ('"housing benefits"': 580 rows expected, 15,000 found in a million), picks that plan only
# for such a range, and for a wider one rechecks every match on the heap instead.
SEARCH_FIRST_WINDOW = 16_000
SEARCH_WIDEST_WINDOW = 48_000
# Reading every remaining match in one query costs ~2.5 µs a match (the heap recheck and the
# rank): below this many expected, that beats more windows, each of which the planner may
# answer by rechecking every match anyway. Only when the count wants more than are expected,
# though: when the LIMIT can stop the read early, the planner walks the primary key backwards
# testing every claim ("unemployment" at 100,000 claims: 14 ms, against 3 for one more window).
# A phrase is read so whenever fewer are expected (its reads are planned as rarer than they
# are, and never walk the key): more windows would each scan the words' index entries again.
SEARCH_READ_REST_BELOW = 12_000


def _newest_matches(
    filters: ClaimFilters, values: dict[str, Any], *, phrase: bool = False
) -> list[tuple[int, float]]:
    """The newest SEARCH_COUNT_CAP + 1 claims the filters and the words (`values["query"]`)
    match, each one's id and rank, newest first. Newest by id: claims are numbered as they
    are logged, and an id is read without turning a timestamp into a datetime (a third of a
    common word's Python time).

    Read window by window of the newest claims, stopping once the count is complete; every
    window is exact (the newest matches are in the newest claims). After the first window
    the next is sized from the matches seen so far: when few matches are expected in all the
    older claims (a rare word; a `phrase`, Searched.is_phrase, below SEARCH_READ_REST_BELOW),
    they are read at once; otherwise the window is what should complete the count, with room
    to spare. Walking the date index instead reads 1/frequency claims per match (66,000 for
    a phrase in 1.5 % of a million claims), and sorting every match of a common word reads
    them all: both over 100 ms. A phrase read at once has its newest matches ranked after
    they are found (`_search_window`). At a million claims "housing benefits", in 15,500,
    takes two windows (20 ms, where reading them all took 38); "sewage rivers", in a third
    as many, is read at once after the first window (seven windows took 20 ms more)."""
    newest_rows = _NEWEST_CLAIM.rows()
    if not newest_rows:
        return []
    (newest,) = newest_rows[0]
    found: list[tuple[int, float]] = []
    upper = newest + 1
    size: int | None = SEARCH_FIRST_WINDOW
    while True:
        lower = 1 if size is None else upper - size
        bounded = lower > 1
        ranked_after = phrase and not bounded
        window = _for_filters(
            _SEARCH_WINDOWS,
            filters,
            partial(_search_window, bounded=bounded, ranked_after=ranked_after),
            bounded,
            ranked_after,
            SEARCH_COUNT_CAP,
        )
        rows = window.rows(**values, upper=upper, lower=lower)
        found += rows[: SEARCH_COUNT_CAP + 1 - len(found)]
        if len(found) > SEARCH_COUNT_CAP or lower <= 1:
            return found
        density = len(found) / (newest + 1 - lower)
        wanted = SEARCH_COUNT_CAP + 1 - len(found)
        expected = density * (lower - 1)
        if expected < (SEARCH_READ_REST_BELOW if phrase else min(wanted, SEARCH_READ_REST_BELOW)):
            size = None
        elif not found:
            size = SEARCH_WIDEST_WINDOW
        else:
            size = min(SEARCH_WIDEST_WINDOW, max(SEARCH_FIRST_WINDOW, int(1.5 * wanted / density)))
        upper = lower


def _within(offset: int, total: int, limit: int) -> int:
    """The offset, or the last page's when it is past the results."""
    return offset if offset < total else max(0, (total - 1) // limit * limit)


# The searches' reads, compiled once (per shape of filters where they read claims): the
# words are the stand-in `query` (_search_query). Each reads up to the cap, a fixed LIMIT
# (as the planner was measured with) and so part of the key; past the count is left. They
# are prepared, generic plans and all: planned for each search's words instead (`planned`),
# a rare word took 58 ms against 42 at 1,000,000 claims, a common word 125 against 100.
_NEWEST_CLAIM = CompiledQuery(lambda: Claim.objects.order_by("-id").values_list("id")[:1])
_SEARCH_WINDOWS = CompiledQueries()
_SEARCH_BY_CLAIMANT = CompiledQueries()
_SEARCH_BY_ARTICLE = CompiledQueries()


def _search_window(claims: QuerySet[Claim], bounded: bool, ranked_after: bool) -> QuerySet:
    window = claims.filter(search_vector=_search_query(), id__lt=given("upper"))
    if bounded:
        window = window.filter(id__gte=given("lower"))
    if ranked_after:
        # The newest found first, then ranked: a phrase read at once may have many more
        # matches than are kept, and ranking each of them cost 15,000 claims 15 ms of
        # their 55. A window, with about as many matches as it keeps, is 3 ms slower so.
        newest = window.order_by("-id").values("id")[: SEARCH_COUNT_CAP + 1]
        window = Claim.objects.filter(id__in=newest)
    return (
        window.annotate(rank=_search_rank())
        .order_by("-id")
        .values_list("id", "rank")[: SEARCH_COUNT_CAP + 1]
    )


def _search_by_claimant(claims: QuerySet[Claim]) -> QuerySet:
    return (
        claims.filter(claimant_id__in=_claimant_hit())
        .annotate(rank=_search_rank())
        .order_by("-id")
        .values_list("id", "rank")[: SEARCH_COUNT_CAP + 1]
    )


def _search_by_article(claims: QuerySet[Claim]) -> QuerySet:
    # Row filters, not a NOT IN over the direct matches: they run only on the candidates.
    return (
        claims.filter(article_id__in=ids_array("articles"))
        .exclude(search_vector=_search_query())
        .exclude(claimant_id__in=_claimant_hit())
        .order_by()
        .values_list("id")[: SEARCH_COUNT_CAP + 1]
    )


# The matching articles' ids, unordered and capped: a phrase is checked against each one's
# whole text (the GIN index cannot tell word positions), and a common word is in thousands.
# "ORDER BY id DESC LIMIT n" instead lets the planner walk the primary key backwards,
# testing every article for a rare word (0.6 s at 200,000 articles).
_MATCHING_ARTICLES = CompiledQueries()


def _matching_articles(count: int) -> QuerySet:
    return (
        _related_model(Claim, "article")
        ._default_manager.filter(search_vector=_search_query())
        .order_by()
        .values_list("id")[:count]
    )


def _search_page() -> QuerySet[Claim]:
    """The page's claims (`page`) with their matched words marked."""
    query = _search_query()
    return claim_cards(Claim.objects.filter(id__in=ids_array("page"))).annotate(
        text_hit=_headline("text", query),
        quote_hit=_headline("quote", query, max_words=30, min_words=12),
        claimant_hit=Case(
            When(claimant_id__in=_claimant_hit(), then=_headline("claimant__name", query)),
            default=Value(""),
            output_field=TextField(),
        ),
    )


_SEARCH_PAGE = CompiledQuery(_search_page)


def _full_text_search(
    searched: Searched, filters: ClaimFilters, *, limit: int, offset: int
) -> SearchResults:
    """The claims that have the words, or whose claimant or article has them
    (claim_search)."""
    text = searched.text
    values = {**filters.values(), "query": searched.query}
    # Two reads, not an OR: each uses its own index (the claim's GIN index, the claimant
    # foreign key), where an OR across them would scan every claim.
    by_text = _newest_matches(filters, values, phrase=searched.is_phrase)
    by_claimant = _for_filters(
        _SEARCH_BY_CLAIMANT, filters, _search_by_claimant, SEARCH_COUNT_CAP
    ).rows(**values)
    capped = max(len(by_text), len(by_claimant)) > SEARCH_COUNT_CAP
    ranks = dict(by_text + by_claimant)
    # Best rank first, then newest (the higher id): (rank, id) pairs compared as tuples.
    by_rank = sorted(((rank, claim_id) for claim_id, rank in ranks.items()), reverse=True)
    direct = [claim_id for _, claim_id in by_rank]
    # More direct matches than the cap: the count is a floor and the pages end within them,
    # before the article matches would start, so those are not read.
    article_ids = [] if capped else searched.article_ids
    by_article = _for_filters(_SEARCH_BY_ARTICLE, filters, _search_by_article, SEARCH_COUNT_CAP)
    indirect_rows = (
        [pk for (pk,) in by_article.rows(**values, articles=article_ids)] if article_ids else []
    )
    if len(indirect_rows) > SEARCH_COUNT_CAP or len(article_ids) > SEARCH_COUNT_CAP:
        capped = True
    total = len(direct) + len(indirect_rows)
    if not total:
        return SearchResults(text, [], 0)
    offset = _within(offset, total, limit)
    page = direct[offset : offset + limit]
    from_articles: list[int] = []
    if len(page) < limit:
        # Newest first among what the capped query found (all of them, below the cap).
        start = max(0, offset - len(direct))
        from_articles = sorted(indirect_rows, reverse=True)[start : start + limit - len(page)]
        page += from_articles
    rows = {claim.id: claim for claim in _SEARCH_PAGE.instances(query=searched.query, page=page)}
    # Where the claim itself does not say the words, a passage of its article explains it.
    passages = searched.marked_articles(rows[claim_id].article_id for claim_id in from_articles)
    found_rows = [
        ClaimRow(
            claim,
            text_highlighted=mark_hits(claim.text_hit),
            quote_highlighted=mark_hits(claim.quote_hit),
            article_highlighted=mark_hits(passages[claim.article_id].text_hit)
            if claim.id in from_articles
            else "",
            why=format_html("claimant: {}", mark_hits(claim.claimant_hit))
            if claim.claimant_hit
            else "",
        )
        for claim in (rows[claim_id] for claim_id in page)
    ]
    return SearchResults(text, found_rows, total, capped=capped)


# ── searching the whole desk ────────────────────────────────────────────────────────────

SEARCH_GROUP_SIZE = 5  # claimants, outlets, articles on the search page; "more" shows
SEARCH_GROUP_MORE = 50  # this many of one group


@dataclass(frozen=True)
class Found:
    """A claimant, outlet or article that matched: its page, its name with the hits marked
    (safe HTML), and why it matched (safe HTML)."""

    pk: int
    label: str  # the plain name
    url: str
    name: str
    why: str = ""
    claims_url: str = ""  # its claims in the list, for an outlet
    claims: int | None = None


@dataclass
class DeskSearch:
    """The search page: claims (paged), then the other groups, each capped (`more`)."""

    query: str
    claims: SearchResults
    claimants: list[Found]
    outlets: list[Found]
    articles: list[Found]
    more: set[str] = field(default_factory=set)  # the groups with more than shown

    @property
    def others(self) -> list[tuple[str, str, list[Found]]]:
        """The groups besides claims, as (key, heading, rows), in the page's order."""
        return [
            ("claimants", "Claimants", self.claimants),
            ("outlets", "Outlets", self.outlets),
            ("articles", "Articles", self.articles),
        ]

    @property
    def found_elsewhere(self) -> bool:
        return bool(self.claimants or self.outlets or self.articles)


def _words(text: str) -> list[str]:
    return [word for word in re.findall(r"[^\W_]+", text) if len(word) >= 2][:8]


# The other groups' reads, compiled once; `limit` and the words (`query`, or `text` for a
# similar name) are given.
_CLAIMANTS_FOUND = CompiledQuery(
    lambda: (
        Claimant.objects.filter(search_vector=_search_query())
        .annotate(
            name_hit=_headline("name", _search_query()),
            description_hit=_headline("description", _search_query()),
        )
        .order_by("name")
        .values_list("id", "name", "name_hit", "description_hit")
    ),
    paged=True,
)
_CLAIMANTS_SIMILAR = CompiledQuery(
    lambda: (
        Claimant.objects.filter(name__trigram_similar=given("text"))
        .order_by("name")
        .values_list("id", "name")
    ),
    paged=True,
)


def claimant_matches(searched: Searched, limit: int) -> list[Found]:
    """Claimants whose name or description has the words (the claimants' GIN index), or,
    failing that, whose name is similar (their trigram index); by name."""
    rows = _CLAIMANTS_FOUND.rows(query=searched.query, limit=limit, offset=0)
    if rows:
        return [
            Found(
                pk=pk,
                label=name,
                url=page_url("claims:claimant", pk),
                name=mark_hits(name_hit),
                why=""
                if HIT_START in name_hit
                else format_html("who they are: {}", mark_hits(description_hit)),
            )
            for pk, name, name_hit, description_hit in rows
        ]
    return [
        Found(
            pk=pk,
            label=name,
            url=page_url("claims:claimant", pk),
            name=escape(name),
            why="a similar name",
        )
        for pk, name in _CLAIMANTS_SIMILAR.rows(text=searched.text, limit=limit, offset=0)
    ]


def _marked(text: str, words: list[str]) -> str:
    """`text`, escaped, with each of `words` marked where it occurs (case-insensitive)."""
    if not words:
        return escape(text)
    pattern = re.compile("|".join(re.escape(word) for word in words), re.IGNORECASE)
    marked = pattern.sub(lambda match: HIT_START + match.group() + HIT_STOP, text)
    return mark_hits(marked)


def _outlets_with_words(count: int) -> QuerySet:
    """Outlets whose name or domain has each of `count` words (stand-ins `word0`...)."""
    matching = _related_model(_related_model(Claim, "article"), "outlet")._default_manager.all()
    for index in range(count):
        word = given(f"word{index}")
        matching = matching.filter(Q(name__icontains=word) | Q(domain__icontains=word))
    return matching.order_by("name").values_list("id", "name", "domain")


# Per number of words (_words keeps at most eight), compiled once.
_OUTLETS_FOUND = CompiledQueries(paged=True)
_OUTLET_CLAIMS = CompiledQuery(
    lambda: (
        Claim.objects.filter(article__outlet_id__in=ids_array())
        .values_list("article__outlet_id")
        .annotate(n=Count("id"))
        .values_list("article__outlet_id", "n")
    )
)


def outlet_matches(text: str, limit: int) -> list[Found]:
    """Outlets whose name or domain has every word of the query (ILIKE, through the
    outlets' trigram indexes), with how many claims came from each (one grouped count)."""
    words = _words(text)
    if not words:
        return []
    found = _OUTLETS_FOUND.get(len(words), lambda: _outlets_with_words(len(words)))
    words_given = {f"word{index}": word for index, word in enumerate(words)}
    rows = found.rows(**words_given, limit=limit, offset=0)
    counts = dict(_OUTLET_CLAIMS.rows(ids=[pk for pk, _, _ in rows])) if rows else {}
    list_url = reverse("claims:list")
    return [
        Found(
            pk=pk,
            label=name,
            url=f"{list_url}?outlet={pk}",
            name=_marked(name, words),
            why=format_html("outlet · {}", _marked(domain, words)) if domain else "outlet",
            claims_url=f"{list_url}?outlet={pk}",
            claims=counts.get(pk, 0),
        )
        for pk, name, domain in rows
    ]


_ARTICLES_FOUND = CompiledQuery(
    lambda: (
        _related_model(Claim, "article")
        ._default_manager.filter(id__in=ids_array())
        .annotate(
            title_hit=_headline("title", _search_query()),
            text_hit=_headline(
                "text", _search_query(), max_words=30, min_words=12, highlight_all=False
            ),
        )
        .order_by()
        .values_list("id", "title", "title_hit", "text_hit")
    )
)


def article_matches(searched: Searched, limit: int) -> list[Found]:
    """Articles whose headline or text has the words (the articles' GIN index), newest
    first; a match in the text says where, a passage with the words marked."""
    # The newest of the matching ids (unordered and capped).
    newest = sorted(searched.some_article_ids(limit), reverse=True)[:limit]
    return [
        Found(
            pk=pk,
            label=article.title,
            url=page_url("articles:detail", pk),
            name=mark_hits(article.title_hit),
            why=""
            if HIT_START in article.title_hit
            else format_html("in the article: …{}…", mark_hits(article.text_hit)),
        )
        for pk, article in searched.marked_articles(newest).items()
    ]


def _outlet_claims(
    names: dict[int, str], filters: ClaimFilters, *, limit: int, offset: int
) -> SearchResults:
    """The claims logged from the articles of the outlets (`names`, by id), newest first."""
    claims = filters.apply(Claim.objects.filter(article__outlet_id__in=list(names)))
    total = _capped_count(claims)
    offset = _within(offset, total, limit)
    page = claim_cards(claims).annotate(outlet_id=F("article__outlet_id")).order_by("-id")
    rows = [
        ClaimRow(
            claim,
            text_highlighted=escape(claim.text),
            why=format_html("in an article of {}", names[claim.outlet_id]),
        )
        for claim in page[offset : offset + limit]
    ]
    return SearchResults("", rows, total, capped=total > SEARCH_COUNT_CAP)


def desk_search(
    text: str,
    filters: ClaimFilters,
    *,
    limit: int = 25,
    offset: int = 0,
    group: str = "",
) -> DeskSearch:
    """Everything on the desk that matches: claims (`claim_search`), claimants, outlets and
    articles, each group capped at SEARCH_GROUP_SIZE (SEARCH_GROUP_MORE for the one `group`
    asked for), each row saying why it matched.

    An outlet's name is not in any claim: when it matches and no claim says the words, the
    claims are those logged from the outlet's articles, instead of the spelling correction.
    """
    sizes = {
        name: SEARCH_GROUP_MORE if group == name else SEARCH_GROUP_SIZE
        for name in ("claimants", "outlets", "articles")
    }
    outlets = outlet_matches(text, sizes["outlets"] + 1)
    searched = Searched(text)
    claims = _full_text_search(searched, filters, limit=limit, offset=offset) if outlets else None
    if claims is not None and not claims.total:
        names = {outlet.pk: outlet.label for outlet in outlets}
        claims = replace(_outlet_claims(names, filters, limit=limit, offset=offset), query=text)
    if claims is None:
        claims = claim_search(text, filters, limit=limit, offset=offset, searched=searched)
    found = DeskSearch(
        text,
        claims,
        claimants=claimant_matches(searched, sizes["claimants"] + 1),
        outlets=outlets,
        articles=article_matches(searched, sizes["articles"] + 1),
    )
    for key, _, rows in found.others:
        if len(rows) > sizes[key]:
            found.more.add(key)
            del rows[sizes[key] :]
    return found


# ── the claim page ──────────────────────────────────────────────────────────────────────


@dataclass
class QuoteContext:
    before: str
    quote: str
    after: str


@dataclass(frozen=True)
class ClaimAction:
    """One move the claim page offers: `blocked` says why it can't be made yet (the button
    is then disabled), `primary` marks the next sensible step for the claim's state."""

    transition: Transition
    blocked: str = ""

    @property
    def primary(self) -> bool:
        return self.transition.primary and not self.blocked


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
    duplicates: list[int]  # the ids of the claims merged into this one, newest first
    topics: list[dict[str, Any]]  # {"id", "name"}, by name
    transitions: list[Transition]
    context: QuoteContext | None
    actions: list[ClaimAction] = field(default_factory=list)
    # During a correction: the published version, which readers still see.
    readers_see: Verdict | None = None
    # What reviewers asked to change in the draft, for its author.
    requested_changes: list[Review] = field(default_factory=list)
    people: list[tuple[int, str]] = field(default_factory=list)  # whom it can be assigned to
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


# Moves the page leaves out when the claim's state rules them out: they would never be
# possible from here, unlike a missing draft that the editor can write.
_HIDDEN_WHEN_UNMET = frozenset({Requirement.NOT_PUBLIC, Requirement.PUBLISHED_VERDICT})


def _offered(transition: Transition, claim: Claim, verdicts: VerdictHistory) -> bool:
    """Whether the claim page offers this move at all. The service still checks everything;
    this only keeps moves that can't apply to this claim off the page."""
    if transition.target == ClaimStatus.APPROVED:
        return verdicts.signoff.met  # approval comes from reviews; by hand only when met
    if transition.target == ClaimStatus.PUBLISHED:
        return claim.published_at is None
    if transition.target == ClaimStatus.CORRECTED:
        return claim.published_at is not None
    hidden = [r for r in transition.requires if r in _HIDDEN_WHEN_UNMET]
    return not any(rules.STATE_RULES[r](claim, verdicts) for r in hidden)


def _actions(claim: Claim, verdicts: VerdictHistory, roles: frozenset[Role]) -> list[ClaimAction]:
    """The moves this person may make from the claim's status, the next step first."""
    actions = [
        ClaimAction(t, blocked=rules.unmet(t, claim, verdicts))
        for t in transitions_from(claim.status)
        if roles & t.roles and _offered(t, claim, verdicts)
    ]
    return sorted(actions, key=lambda action: not action.primary)


# The claim page's reads, compiled once (core.queries): building and compiling the claim's
# join took longer than running it (8.3 ms against 2.1 with it compiled, on a busy machine).
_CLAIM_PAGE = CompiledQuery(
    lambda: (
        Claim.objects.select_related("claimant", "assignee", "current_rating", "article__outlet")
        .defer("claimant__search_vector", "article__search_vector")
        .annotate(
            topic_list=ArraySubquery(
                ClaimTopic.objects.filter(claim=OuterRef("pk"))
                .order_by("topic__name")
                .values(pair=JSONObject(id="topic_id", name="topic__name"))
            ),
            duplicate_ids=ArraySubquery(
                Claim.objects.filter(duplicate_of=OuterRef("pk"))
                .order_by("-created_at")
                .values("id")
            ),
        )
        .filter(pk=given("pk"))
    )
)

_CLAIM_COMMENTS = CompiledQuery(
    lambda: Comment.objects.filter(claim_id=given("claim")).select_related("author")
)
_CLAIM_TIMELINE = CompiledQuery(
    lambda: Activity.objects.filter(claim_id=given("claim")).select_related("actor")
)
_CLAIMANTS_OTHER_CLAIMS = CompiledQuery(
    lambda: (
        Claim.objects.filter(claimant_id=given("claimant"))
        .exclude(pk=given("claim"))
        # What the page shows of each: its words, linked, and its rating.
        .select_related("current_rating")
        .only("id", "text", "status", "current_rating__label")
        .order_by("-created_at")[:8]
    )
)


def claim_page(claim_id: int, user: User) -> ClaimPage:
    """The claim page's reads: the claim with its claimant, assignee, rating and article
    (with its outlet), its topics and the claims merged into it, in one query; the claim it
    duplicates in a query of its own and only when it has one. (That join costs 3-5 ms to
    plan and 0.2 ms to run: it is prepared, and planned once per connection;
    settings.DATABASE_PREPARED.)"""
    found = _CLAIM_PAGE.instances(pk=claim_id)
    if not found:
        raise Claim.DoesNotExist(f"No claim {claim_id}")
    claim = found[0]
    if claim.duplicate_of_id:
        claim.duplicate_of = Claim.objects.only("id", "text").get(pk=claim.duplicate_of_id)
    verdicts = claim.verdict_history()
    draft = verdicts.draft
    roles = user_roles(user)
    signoff = verdicts.signoff
    actions = _actions(claim, verdicts, roles)
    page = ClaimPage(
        claim=claim,
        versions=verdicts.versions,
        draft=draft,
        published=verdicts.published,
        signoff=signoff,
        comments=_CLAIM_COMMENTS.instances(claim=claim.pk),
        timeline=_CLAIM_TIMELINE.instances(claim=claim.pk),
        other_claims=_CLAIMANTS_OTHER_CLAIMS.instances(claimant=claim.claimant_id, claim=claim.pk),
        duplicates=claim.duplicate_ids,
        topics=claim.topic_list,
        transitions=[action.transition for action in actions],
        context=quote_context(claim),
        actions=actions,
        readers_see=verdicts.published if claim.status in OPEN_STATUSES else None,
        requested_changes=verdicts.requested_changes,
    )
    page.can_edit_draft = bool(roles) and claim.status in DRAFTING_STATUSES
    page.can_assign = Role.EDITOR in roles or Role.PUBLISHER in roles
    if page.can_assign:
        # The filter menus' people: named as everywhere else, in a query compiled once.
        page.people = filter_choices()["people"]
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


@dataclass(frozen=True)
class FieldDiff:
    label: str
    changed: bool
    marked: str  # the newer text, with <del>/<ins> marks (escaped: word_diff)


@dataclass(frozen=True)
class VersionComparison:
    versions: list[Verdict]  # every version, newest first: what the menus offer
    older: Verdict
    newer: Verdict
    fields: list[FieldDiff]


def verdict_comparison(claim_id: int, older: int | None, newer: int | None) -> VersionComparison:
    """Two versions of the claim's verdict, word by word: by number, or the newest and the one
    before it. Raises Verdict.DoesNotExist when the claim has no such version."""
    claim = Claim.objects.only("id").get(pk=claim_id)
    versions = claim.verdict_history().versions
    by_number = {version.number: version for version in versions}
    if not versions:
        raise Verdict.DoesNotExist
    newest = versions[0].number
    newer = newer or newest
    older = older or max(1, newer - 1)
    if older not in by_number or newer not in by_number:
        raise Verdict.DoesNotExist
    a, b = by_number[older], by_number[newer]
    pairs = (
        ("Rating", a.rating.label, b.rating.label),
        ("Conclusion", a.conclusion, b.conclusion),
        ("Explanation", a.explanation, b.explanation),
        ("Correction note", a.correction_note, b.correction_note),
    )
    return VersionComparison(
        versions=versions,
        older=a,
        newer=b,
        fields=[
            FieldDiff(label, before != after, word_diff(before, after))
            for label, before, after in pairs
        ],
    )


def desk_people() -> QuerySet[User]:
    """Everyone who holds a desk role: who claims can be assigned to."""
    # EXISTS rather than a join to groups: no DISTINCT over whole user rows.
    in_desk_role = User.groups.through.objects.filter(
        user_id=OuterRef("pk"), group__name__in=[role.value for role in Role]
    )
    return (
        User.objects.filter(is_active=True)
        .filter(Exists(in_desk_role) | Q(is_superuser=True))
        .order_by("first_name", "username")
    )


def _menu(rows: QuerySet, menu: str, label: Any, *order: Any) -> QuerySet:
    """`rows` as one filter menu's (menu, id, name, place) for filter_choices' union."""
    return (
        rows.order_by()
        .annotate(menu=Value(menu), key=F("pk"), shown=label)
        .annotate(place=Window(RowNumber(), order_by=order))
        .values_list("menu", "key", "shown", "place")
    )


def filter_choices() -> dict[str, Any]:
    """The people, outlets, ratings, topics and statuses the filter menus offer: four small
    tables read in one query (a UNION ALL, each part numbering its rows in its own order),
    since every board, list and search page shows them."""
    sql, params = _menus_sql()
    menus: dict[str, list[tuple[int, str]]] = {"people": [], "outlets": [], "ratings": []}
    menus["topics"] = []
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for menu, key, label, _place in cursor.fetchall():
            menus[menu].append((key, label))
    return {**menus, "statuses": ClaimStatus.choices}


@cache
def _menus_sql() -> tuple[str, tuple[Any, ...]]:
    """filter_choices' query, the same on every page: Django builds and compiles it once per
    process (building it took longer than PostgreSQL takes to run it; benchmarks/desk.py)."""
    # Every outlet, as the filter reaches it: the outlet of the claim's article. (Only the
    # outlets with claims would cost a pass over every claim for a menu.)
    outlets = _related_model(_related_model(Claim, "article"), "outlet")._default_manager
    # User.get_full_name(), or the username: people are named so everywhere.
    full_name = Trim(Concat(F("first_name"), Value(" "), F("last_name")))
    person = Coalesce(NullIf(full_name, Value("")), F("username"), output_field=TextField())
    parts = [
        _menu(desk_people(), "people", person, F("first_name"), F("username")),
        _menu(outlets.all(), "outlets", F("name"), F("name")),
        _menu(Rating.objects.filter(scale__is_default=True), "ratings", F("label"), F("position")),
        _menu(Topic.objects.all(), "topics", F("name"), F("name")),
    ]
    union = parts[0].union(*parts[1:], all=True).order_by("menu", "place")
    return union.query.sql_with_params()


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
    # Past due, not merely old: open claims whose due date is before today (the index
    # claim_open_due, soonest due first).
    overdue_claims = Claim.objects.filter(
        status__in=OPEN_STATUSES, due_date__lt=timezone.localdate()
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
        overdue=list(claim_cards(overdue_claims).order_by("due_date", "created_at")[:15]),
        overdue_count=overdue_claims.count(),
        workload=workload,
    )


def rating_colours() -> list[tuple[int, str]]:
    """(rating id, #rrggbb) for every rating of every scale."""
    return list(Rating.objects.values_list("pk", "colour"))
