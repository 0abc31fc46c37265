"""Claims like a given text: "on the desk" (still being worked on) and "already checked"
(a verdict of this desk was published). Lexical for now: the words the desk's search
configuration stems (so "doubled" meets "doubling"), compared as sets.

Two thresholds, as Meedan's Alegre has (settings): MATCH_SUGGEST, from which a claim is
shown, and MATCH_LIKELY_SAME, from which it is flagged as likely the same claim, to open
before logging a new one.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection
from django.db.models import F, Func, OuterRef, Subquery, TextField

from factdesk.claims.models import Claim, Verdict
from factdesk.claims.workflow import ClaimStatus
from factdesk.core.models import SEARCH_CONFIG
from factdesk.intake.models import ExternalFactCheck

CANDIDATES = 40  # read from the text index, then compared word by word
SHOWN = 5  # per group


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

    @property
    def likely_same(self) -> bool:
        return self.similarity >= settings.MATCH_LIKELY_SAME


@dataclass
class Matches:
    on_desk: list[Match]
    checked: list[Match]
    words: int  # how many words the text has, as compared
    elsewhere: list[ElsewhereMatch] = field(default_factory=list)

    @property
    def likely_same(self) -> list[Match]:
        return [match for match in [*self.checked, *self.on_desk] if match.likely_same]

    def __bool__(self) -> bool:
        return bool(self.on_desk or self.checked or self.elsewhere)


def similar_claims(text: str, *, exclude: int | None = None) -> Matches:
    """The claims most like `text`, in two groups (see the module's docstring), best first.
    Dismissed claims, duplicates and retracted fact checks are left out; fact checks by
    other newsrooms come third ("checked elsewhere"). Three queries."""
    words = lexemes(text)
    if not words:
        return Matches([], [], 0)
    query = SearchQuery(" | ".join(sorted(words)), search_type="raw", config=SEARCH_CONFIG)
    published_rating = Subquery(
        Verdict.objects.filter(claim=OuterRef("pk"), published_at__isnull=False)
        .order_by("-number")
        .values("rating__label")[:1]
    )
    claims = Claim.objects.all() if exclude is None else Claim.objects.exclude(pk=exclude)
    candidates = (
        claims.filter(search_vector=query)
        .exclude(status__in=[ClaimStatus.DISMISSED, ClaimStatus.DUPLICATE, ClaimStatus.RETRACTED])
        .annotate(
            text_words=_Lexemes("text"),
            quote_words=_Lexemes("quote"),
            published_rating=published_rating,
            rank=SearchRank(F("search_vector"), query),
        )
        .select_related("claimant")
        .order_by("-rank", "-id")[:CANDIDATES]
    )
    on_desk, checked = [], []
    for claim in candidates:
        best = max(
            similarity(words, set(claim.text_words)), similarity(words, set(claim.quote_words))
        )
        if best < settings.MATCH_SUGGEST:
            continue
        shared = len(words & (set(claim.text_words) | set(claim.quote_words)))
        if claim.published_at is not None and claim.published_rating:
            checked.append(Match(claim, best, shared, claim.published_rating))
        else:
            on_desk.append(Match(claim, best, shared))
    order = lambda match: (-match.similarity, -match.claim.pk)  # noqa: E731
    return Matches(
        sorted(on_desk, key=order)[:SHOWN],
        sorted(checked, key=order)[:SHOWN],
        len(words),
        _elsewhere(words, query),
    )


def _elsewhere(words: set[str], query: SearchQuery) -> list[ElsewhereMatch]:
    candidates = (
        ExternalFactCheck.objects.filter(search_vector=query)
        .annotate(
            claim_words=_Lexemes("claim_reviewed"), rank=SearchRank(F("search_vector"), query)
        )
        .order_by("-rank", "-id")[:CANDIDATES]
    )
    found = []
    for fact_check in candidates:
        theirs = set(fact_check.claim_words)
        if (value := similarity(words, theirs)) >= settings.MATCH_SUGGEST:
            found.append(ElsewhereMatch(fact_check, value, len(words & theirs)))
    found.sort(key=lambda match: (-match.similarity, -match.fact_check.pk))
    return found[:SHOWN]
