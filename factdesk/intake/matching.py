"""Claims like a given text: "on the desk" (still being worked on), "already checked" (a
verdict of this desk was published) and "checked elsewhere" (external fact checks).

Two ways of being alike, summed: the words the desk's search configuration stems (so
"doubled" meets "doubling"), compared as sets (0 to 1); and, for texts of 8 words or more,
their embeddings (intake/embeddings.py; "jobless" meets "unemployment"), nearest first from
the HNSW index, the cosine mapped onto the same 0-1 scale (SEMANTIC_FLOOR is 0). Shorter
texts are matched by their words only: their vectors say too little (the page says so).

A fact check from elsewhere is compared by its claim reviewed and its headline (the title of
the fact-check article): their words as one set, and the headline's cosine, mapped the same
way, added at HEADLINE_WEIGHT (0 to 2.25 in all). The nearest are found by the claim's vector;
the headline's is compared for those rows only. (benchmarks/matching.py, train tweets: MAP@5
0.877 by the claim alone, 0.883 with the headline, most of it from the headline's words.)

Two thresholds, as Meedan's Alegre has (settings): MATCH_SUGGEST, from which a claim is
shown, and MATCH_LIKELY_SAME, from which it is flagged as likely the same claim, to open
before logging a new one.

The text is compared as an editor means it (`as_compared`): a pasted post's addresses, its
signature and the @ and # of its handles and hashtags are noise to both ways of being alike.
"""

from __future__ import annotations

import re
from collections.abc import Set
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVectorField
from django.db import connection, transaction
from django.db.models import F, Func, OuterRef, QuerySet, Subquery, TextField, Value
from pgvector import Vector
from pgvector.django import CosineDistance

from factdesk.claims.models import Claim, Verdict
from factdesk.claims.workflow import ClaimStatus
from factdesk.core import languages
from factdesk.core.models import SEARCH_CONFIG
from factdesk.intake import embeddings
from factdesk.intake.models import ExternalFactCheck

CANDIDATES = 40  # read from each index, then compared
# How many neighbours the HNSW scan keeps while it walks (pgvector's hnsw.ef_search): at least
# CANDIDATES. More finds the true nearest more often, at a cost (benchmarks/matching.py).
EF_SEARCH = 40
SHOWN = 5  # per group
SEMANTIC_FLOOR = 0.3  # a cosine at or below this is "unrelated" for this model
HEADLINE_WEIGHT = 0.25  # of a fact check's headline's meaning, beside its claim's


# A pasted post's signature, "\u2014 Name (@handle) January 6, 2020": the name is kept (a fact
# check often names who said it), the handle and the date are not.
SIGNATURE = re.compile(
    r"[\u2014\u2013]\s*([^\u2014\u2013()\n]{1,80}?)\s*\(@\w{1,15}\)"
    r"(?:\s*[A-Z][a-z]{2,8}\.? \d{1,2}, \d{4})?"
)
# Addresses, also as a post glues them to the word before ("#Soleimanipic.twitter.com/x").
ADDRESS = re.compile(r"(?:https?://|www\.|pic\.twitter\.com/)\S*", re.IGNORECASE)
# A handle (not an address's user@), a hashtag even glued to the one before ("#WWII#WW3").
HANDLE_OR_HASHTAG = re.compile(r"(?<!\w)@(\w+)|#(\w+)")
# Where words meet inside a handle or hashtag: "realDonaldTrump", "FreeIran2020", "GE19".
WORD_JOIN = re.compile(r"_|(?<=[a-z])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])|(?<=[A-Za-z])(?=\d)")


def as_compared(text: str) -> str:
    """`text` as it is matched: without addresses, a pasted post's signature cut to the
    name, and handles and hashtags as the words they join ("#FreeIran2020" as "Free Iran
    2020"). (Measured on the task's training tweets: 0.83 MAP@5 by meaning alone, 0.82 as
    pasted; benchmarks/matching.py.)"""
    text = SIGNATURE.sub(r" \1 ", text)
    text = ADDRESS.sub(" ", text)
    text = HANDLE_OR_HASHTAG.sub(
        lambda found: " " + WORD_JOIN.sub(" ", found[1] or found[2]) + " ", text
    )
    return " ".join(text.split())


def semantic(cosine: float) -> float:
    """A cosine on the matching scale: SEMANTIC_FLOOR and below is 0, 1 is 1."""
    return max(0.0, (cosine - SEMANTIC_FLOOR) / (1 - SEMANTIC_FLOOR))


def combined(lexical: float, cosine: float | None) -> float:
    """One score from both ways of being alike: their sum, 0 to 2, read against the same
    thresholds. (The sum ranked the right fact check first more often than the better of the
    two did, and weighting either more did not pay: benchmarks/matching.py, weights compared
    on the task's training tweets.) Not capped at 1, so that two texts alike in both ways
    stay ordered."""
    return lexical if cosine is None else lexical + semantic(cosine)


def fact_check_score(lexical: float, cosine: float | None, headline_cosine: float | None) -> float:
    """An external fact check's score: `combined` (its words being those of its claim and
    headline), plus its headline's meaning at HEADLINE_WEIGHT when the headline has a
    vector (0 to 2.25)."""
    score = combined(lexical, cosine)
    if headline_cosine is None:
        return score
    return score + HEADLINE_WEIGHT * semantic(headline_cosine)


def word_count(text: str) -> int:
    return len(text.split())


def text_vector(text: str) -> list[float] | None:
    """The text's embedding, made now (one sentence: tens of milliseconds), when it is long
    enough to be matched by meaning."""
    return embeddings.embed_one(text) if word_count(text) >= embeddings.MIN_WORDS else None


class _Lexemes(Func):
    """tsvector_to_array(to_tsvector('factdesk', text)): the stemmed words of a column."""

    template = f"tsvector_to_array(to_tsvector('{SEARCH_CONFIG}', %(expressions)s))"
    output_field = ArrayField(TextField())


class _Weighted(Func):
    """ts_filter(vector, '{a}'): the part of a stored search vector given these weights."""

    template = "ts_filter(%(expressions)s, '%(weights)s')"
    output_field = SearchVectorField()


class _StoredLexemes(Func):
    """tsvector_to_array(column): the words of a stored search vector."""

    function = "tsvector_to_array"
    output_field = ArrayField(TextField())


def lexemes(text: str) -> set[str]:
    """The stemmed words of `text`, as the desk's search configuration makes them."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tsvector_to_array(to_tsvector(%s::regconfig, %s))", [SEARCH_CONFIG, text]
        )
        return set(cursor.fetchone()[0])


def any_of(words: set[str]) -> str:
    """A raw tsquery matching any of these lexemes, each quoted: a lexeme of a pasted address
    ("t.co/x1") or a time ("12:30") holds characters the query syntax reads otherwise."""
    quoted = ("'" + word.replace("\\", "\\\\").replace("'", "''") + "'" for word in sorted(words))
    return " | ".join(quoted) or "''"


def similarity(query: set[str], other: Set[str]) -> float:
    """Jaccard similarity of two sets of words: 1 for the same words, 0 for none shared."""
    return len(query & other) / len(query | other) if query and other else 0.0


@dataclass(frozen=True)
class Match:
    claim: Claim
    similarity: float
    shared: int  # words shared with the text
    rating: str = ""  # the published verdict's rating, for "already checked"

    @property
    def likely_same(self) -> bool:
        return self.similarity >= settings.MATCH_LIKELY_SAME


@dataclass(frozen=True)
class ElsewhereMatch:
    """A fact check by another newsroom (ExternalFactCheck) like the text."""

    fact_check: ExternalFactCheck
    similarity: float
    shared: int


@dataclass
class Matches:
    on_desk: list[Match]
    checked: list[Match]
    words: int  # how many words the text has, as compared
    elsewhere: list[ElsewhereMatch] = field(default_factory=list)
    by_meaning: bool = False  # False: matched by its words only (short, or not English)
    language: str = ""  # the text's, as detected or set

    @property
    def language_unsupported(self) -> str:
        """The language's name, when meaning could not be compared for it."""
        return "" if languages.models_apply(self.language) else languages.name(self.language)

    @property
    def likely_same(self) -> list[Match]:
        return [match for match in [*self.checked, *self.on_desk] if match.likely_same]

    def __bool__(self) -> bool:
        return bool(self.on_desk or self.checked or self.elsewhere)


def _candidates(
    rows: QuerySet[Any],
    query: SearchQuery,
    vector: list[float] | None,
    other_distances: dict[str, str] | None = None,
) -> list[Any]:
    """The `rows` to compare with the text. Without a vector, the CANDIDATES sharing most
    words (GIN index). With one, the CANDIDATES nearest in meaning (HNSW index, their
    `distance` annotated, and the distance to each of `other_distances`' vector fields by
    name), and by their words only those that have no embedding (not made yet, or not
    English): ranking every row sharing a word cost more than the rest of the lookup
    together and found almost nothing the nearest missed (benchmarks/matching.py)."""
    by_words = rows.filter(search_vector=query)
    if vector is not None:
        by_words = by_words.filter(embedding__isnull=True)
    found: list[Any] = list(  # annotated rows
        by_words.annotate(rank=SearchRank(F("search_vector"), query)).order_by("-rank", "-id")[
            :CANDIDATES
        ]
    )
    if vector is not None:
        # The vector written out once for every distance: half a millisecond each time.
        as_text = Value(Vector(vector).to_text())
        nearest = rows.filter(embedding__isnull=False).annotate(
            distance=CosineDistance("embedding__vector", as_text),
            # For the rows the index found only: computed as they are read (no index).
            **{
                name: CosineDistance(field, as_text)
                for name, field in (other_distances or {}).items()
            },
        )
        found += nearest.order_by("distance")[:CANDIDATES]
    return found


def cosine(row: Any, distance: str = "distance") -> float | None:
    """The cosine of a row found by meaning (`_candidates`), from the distance annotated
    under that name; None for one found by words (or, for a fact check's headline, one
    without a headline vector)."""
    value = getattr(row, distance, None)
    return None if value is None else 1 - value


def similar_claims(
    text: str,
    *,
    exclude: int | None = None,
    vector: list[float] | None = None,
    language: str | None = None,
) -> Matches:
    """The claims most like `text`, in groups (see the module's docstring), best first.
    Dismissed claims, duplicates and retracted fact checks are left out. `vector` is the
    text's embedding when the caller has it (a claim's stored one); otherwise it is made
    here for a text long enough. `language` is the text's (detected when not given): the
    embeddings are English, so a text in another language is matched by its words only.
    Four queries, eight with a vector, in one transaction."""
    text = as_compared(text)
    words = lexemes(text)
    language = languages.detect(text) if language is None else language
    if not languages.models_apply(language):
        vector = None
    elif vector is None and word_count(text) >= embeddings.MIN_WORDS:
        vector = text_vector(text)
    if not words and vector is None:
        return Matches([], [], 0)
    with transaction.atomic(), connection.cursor() as cursor:
        _lookup_settings(cursor)
        return _similar(words, language, exclude, vector)


def _lookup_settings(cursor: Any) -> None:
    """For the rest of the lookup's transaction: the HNSW scan's breadth, and no parallel
    workers (the words query read some 2,000 rows at 1,000,000 fact checks, and starting two
    workers for it took 8 of its 9 ms)."""
    cursor.execute(
        "SELECT set_config('hnsw.ef_search', %s, true),"
        " set_config('max_parallel_workers_per_gather', '0', true)",
        [str(EF_SEARCH)],
    )


def _similar(
    words: set[str], language: str, exclude: int | None, vector: list[float] | None
) -> Matches:
    query = SearchQuery(any_of(words), search_type="raw", config=SEARCH_CONFIG)
    published_rating = Subquery(
        Verdict.objects.filter(claim=OuterRef("pk"), published_at__isnull=False)
        .order_by("-number")
        .values("rating__label")[:1]
    )
    claims = Claim.objects.all() if exclude is None else Claim.objects.exclude(pk=exclude)
    claims = claims.exclude(
        status__in=[ClaimStatus.DISMISSED, ClaimStatus.DUPLICATE, ClaimStatus.RETRACTED]
    ).annotate(
        text_words=_Lexemes("text"),
        quote_words=_Lexemes("quote"),
        published_rating=published_rating,
    )
    # What the panel shows of a claim, and no more: building and reading the rest took a
    # fifth of the lookup (Django's SQL compiler and row loading).
    claims = claims.select_related("claimant").only(
        "id", "text", "status", "published_at", "claimant__name"
    )
    found = _candidates(claims, query, vector)
    on_desk, checked = [], []
    for claim in found:
        text_words, quote_words = set(claim.text_words), set(claim.quote_words)
        theirs = text_words | quote_words
        lexical = max(similarity(words, text_words), similarity(words, quote_words))
        best = combined(lexical, cosine(claim))
        if best < settings.MATCH_SUGGEST:
            continue
        shared = len(words & theirs)
        if claim.published_at is not None and claim.published_rating:
            checked.append(Match(claim, best, shared, claim.published_rating))
        else:
            on_desk.append(Match(claim, best, shared))
    order = lambda match: (-match.similarity, -match.claim.pk)  # noqa: E731
    return Matches(
        sorted(on_desk, key=order)[:SHOWN],
        sorted(checked, key=order)[:SHOWN],
        len(words),
        _elsewhere(words, query, vector),
        by_meaning=vector is not None,
        language=language,
    )


def _elsewhere(
    words: set[str], query: SearchQuery, vector: list[float] | None
) -> list[ElsewhereMatch]:
    """The external fact checks most like the text, best first. A publisher's fact check
    imported again in other quotation marks or capitals (the same stemmed words: a feed and
    the page, or a site that republished it) is one match, the first imported."""
    checks = ExternalFactCheck.objects.only(
        "id", "url", "claim_reviewed", "headline", "publisher", "rating_text", "date_published"
    ).annotate(
        # The stored search vector holds the stemmed words of the claim (weighted A) and of
        # the headline (B, models.py): all of them, and the claim's alone.
        their_words=_StoredLexemes("search_vector"),
        claim_words=_StoredLexemes(_Weighted("search_vector", weights="{a}")),
    )
    found = _candidates(checks, query, vector, {"headline_distance": "embedding__headline_vector"})
    by_review: dict[tuple[str, frozenset[str]], ElsewhereMatch] = {}
    for fact_check in sorted(found, key=lambda row: row.pk):  # the first imported first
        theirs = frozenset(fact_check.their_words)
        value = fact_check_score(
            similarity(words, theirs), cosine(fact_check), cosine(fact_check, "headline_distance")
        )
        review = (fact_check.publisher.casefold(), frozenset(fact_check.claim_words))
        first = by_review.get(review)
        if first is None:
            by_review[review] = ElsewhereMatch(fact_check, value, len(words & theirs))
        elif value > first.similarity:
            by_review[review] = ElsewhereMatch(first.fact_check, value, first.shared)
    matches = [match for match in by_review.values() if match.similarity >= settings.MATCH_SUGGEST]
    matches.sort(key=lambda match: (-match.similarity, -match.fact_check.pk))
    return matches[:SHOWN]
