"""Claims like a given text: "on the desk" (still being worked on), "already checked" (a
verdict of this desk was published) and "checked elsewhere" (external fact checks).

Two ways of being alike, the better one counting: the words the desk's search configuration
stems (so "doubled" meets "doubling"), compared as sets; and, for texts of 8 words or more,
their embeddings (intake/embeddings.py; "jobless" meets "unemployment"), nearest first from
the HNSW index, the cosine mapped onto the same 0-1 scale (SEMANTIC_FLOOR is 0). Shorter
texts are matched by their words only: their vectors say too little (the page says so).

Two thresholds, as Meedan's Alegre has (settings): MATCH_SUGGEST, from which a claim is
shown, and MATCH_LIKELY_SAME, from which it is flagged as likely the same claim, to open
before logging a new one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection
from django.db.models import F, Func, OuterRef, Subquery, TextField
from pgvector.django import CosineDistance

from factdesk.claims.models import Claim, Verdict
from factdesk.claims.workflow import ClaimStatus
from factdesk.core import languages
from factdesk.core.models import SEARCH_CONFIG
from factdesk.intake import embeddings
from factdesk.intake.models import (
    ClaimEmbedding,
    Embedding,
    ExternalFactCheck,
    FactCheckEmbedding,
)

CANDIDATES = 40  # read from each index, then compared
SHOWN = 5  # per group
SEMANTIC_FLOOR = 0.3  # a cosine at or below this is "unrelated" for this model


def semantic(cosine: float) -> float:
    """A cosine on the matching scale: SEMANTIC_FLOOR and below is 0, 1 is 1."""
    return max(0.0, (cosine - SEMANTIC_FLOOR) / (1 - SEMANTIC_FLOOR))


def combined(lexical: float, cosine: float | None) -> float:
    """One score from both ways of being alike: their sum, at most 1. (The sum ranked the
    right fact check first more often than the better of the two did: benchmarks/matching.py,
    weights compared on the task's training tweets, 0.839 MAP@5 against 0.818.)"""
    return lexical if cosine is None else min(1.0, lexical + semantic(cosine))


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


def similarity(query: set[str], other: set[str]) -> float:
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


def _nearest(model: type[Embedding], key: str, vector: list[float] | None) -> dict[int, float]:
    """The cosine of the closest embeddings of `model` to `vector`, by row id (`key`): an
    HNSW index scan, CANDIDATES long."""
    if vector is None:
        return {}
    nearest = model._default_manager.annotate(distance=CosineDistance("vector", vector)).order_by(
        "distance"
    )
    return {pk: 1 - distance for pk, distance in nearest.values_list(key, "distance")[:CANDIDATES]}


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
    Five queries."""
    words = lexemes(text)
    language = languages.detect(text) if language is None else language
    if not languages.models_apply(language):
        vector = None
    elif vector is None and word_count(text) >= embeddings.MIN_WORDS:
        vector = text_vector(text)
    if not words and vector is None:
        return Matches([], [], 0)
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
    found: list[Any] = list(  # annotated rows
        claims.filter(search_vector=query)
        .annotate(rank=SearchRank(F("search_vector"), query))
        .select_related("claimant")
        .order_by("-rank", "-id")[:CANDIDATES]
    )
    cosines = _nearest(ClaimEmbedding, "claim_id", vector)
    if cosines:
        seen = {claim.pk for claim in found}
        found += claims.filter(pk__in=[pk for pk in cosines if pk not in seen]).select_related(
            "claimant"
        )
    on_desk, checked = [], []
    for claim in found:
        theirs = set(claim.text_words) | set(claim.quote_words)
        lexical = max(
            similarity(words, set(claim.text_words)), similarity(words, set(claim.quote_words))
        )
        best = combined(lexical, cosines.get(claim.pk))
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
    checks = ExternalFactCheck.objects.annotate(claim_words=_Lexemes("claim_reviewed"))
    found: list[Any] = list(  # annotated rows
        checks.filter(search_vector=query)
        .annotate(rank=SearchRank(F("search_vector"), query))
        .order_by("-rank", "-id")[:CANDIDATES]
    )
    cosines = _nearest(FactCheckEmbedding, "fact_check_id", vector)
    if cosines:
        seen = {fact_check.pk for fact_check in found}
        found += checks.filter(pk__in=[pk for pk in cosines if pk not in seen])
    matches = []
    for fact_check in found:
        theirs = set(fact_check.claim_words)
        value = combined(similarity(words, theirs), cosines.get(fact_check.pk))
        if value >= settings.MATCH_SUGGEST:
            matches.append(ElsewhereMatch(fact_check, value, len(words & theirs)))
    matches.sort(key=lambda match: (-match.similarity, -match.fact_check.pk))
    return matches[:SHOWN]
