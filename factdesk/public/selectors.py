"""What readers see: published fact checks only. A claim is public once a verdict of it was
published (`Claim.published_at`, set at the first publication and kept); readers see its
newest *published* version, never a draft (a correction in progress included), and never the
desk's notes, discussion, reviews or assignees. A retracted fact check stays, with its notice.
"""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass

from django.contrib.postgres.search import SearchQuery
from django.db.models import Max, OuterRef, Prefetch, Q, QuerySet, Subquery

from factdesk.claims.models import Claim, Claimant, Rating, Verdict
from factdesk.claims.workflow import ClaimStatus
from factdesk.core.models import SEARCH_CONFIG
from factdesk.sources.models import Citation

PER_PAGE = 20


def public_claims() -> QuerySet[Claim]:
    return Claim.objects.filter(published_at__isnull=False)


def published_versions() -> QuerySet[Verdict]:
    """Published verdict versions, newest first, with their rating and its whole scale (the
    ClaimReview gives the scale's best and worst)."""
    return (
        Verdict.objects.filter(published_at__isnull=False)
        .select_related("rating__scale")
        .prefetch_related("rating__scale__ratings")
        .order_by("-number")
    )


def with_published_versions(claims: QuerySet[Claim]) -> QuerySet[Claim]:
    """`claims` with their claimant, article and outlet, each read with its *published*
    versions only, newest first, as `claim.verdicts.all()` (one query for all the claims)."""
    return claims.select_related("claimant", "article__outlet").prefetch_related(
        Prefetch("verdicts", queryset=published_versions())
    )


@dataclass(frozen=True)
class FactCheck:
    claim: Claim
    verdict: Verdict  # the version shown: the newest published one, or the one asked for
    versions: list[Verdict]  # every published version, newest first
    citations: list[Citation]

    @property
    def newest(self) -> Verdict:
        return self.versions[0]

    @property
    def is_newest(self) -> bool:
        return self.verdict.pk == self.newest.pk

    @property
    def retracted(self) -> bool:
        return self.claim.status == ClaimStatus.RETRACTED

    @property
    def first_published(self) -> datetime.datetime:
        return self.versions[-1].published_at or self.claim.published_at  # type: ignore[return-value]

    @property
    def updated(self) -> datetime.datetime:
        times = [self.newest.published_at, self.claim.retracted_at]
        return max(t for t in times if t is not None)

    @property
    def corrections(self) -> list[Verdict]:
        """The published versions after the first, newest first: each a correction."""
        return self.versions[:-1]


def as_fact_check(claim: Claim) -> FactCheck:
    """A claim read by with_published_versions, as its public page shows it (sources
    aside)."""
    versions = list(claim.verdicts.all())
    return FactCheck(claim, versions[0], versions, [])


def fact_check(claim_id: int, version: int | None = None) -> FactCheck:
    """The public fact check of a claim. Raises Claim.DoesNotExist for a claim that was
    never published (or does not exist: the two are not told apart), and Verdict.DoesNotExist
    for a version number that was never published."""
    claim = (
        public_claims()
        .select_related("claimant", "article__outlet", "article__source")
        .get(pk=claim_id)
    )
    versions = list(published_versions().filter(claim=claim))
    if not versions:
        raise Claim.DoesNotExist
    shown = (
        versions[0] if version is None else next((v for v in versions if v.number == version), None)
    )
    if shown is None:
        raise Verdict.DoesNotExist
    # The sources readers saw: those cited when the newest version was published.
    citations = list(
        Citation.objects.filter(claim=claim, created_at__lte=versions[0].published_at)
        .select_related("source", "cited_snapshot")
        .order_by("created_at")
    )
    return FactCheck(claim, shown, versions, citations)


def last_changed(claim_id: int) -> datetime.datetime | None:
    """When the public page of a claim last changed (for ETag and Last-Modified); None when
    it has none."""
    row = (
        public_claims()
        .filter(pk=claim_id)
        .annotate(last=Max("verdicts__published_at"))
        .values_list("last", "retracted_at", "updated_at")
        .first()
    )
    if row is None:
        return None
    return max(t for t in row if t is not None)


@dataclass(frozen=True)
class IndexFilters:
    query: str = ""
    rating: int | None = None
    claimant: int | None = None
    topic: int | None = None


def updated_since(claims: QuerySet[Claim], since: datetime.datetime) -> QuerySet[Claim]:
    """The fact checks published, corrected or retracted since `since`. Each of those moves
    also set the claim's status_changed_at (indexed), which only grows: the claims whose
    status changed since are the few to look at."""
    newest = (
        Verdict.objects.filter(claim=OuterRef("pk"), published_at__isnull=False)
        .order_by("-published_at")
        .values("published_at")[:1]
    )
    # A subquery per claim looked at (by the claim's index of versions), not a scan of every
    # version for a hashed set, which is what an EXISTS beside an OR became.
    return (
        claims.filter(status_changed_at__gte=since)
        .annotate(last_published=Subquery(newest))
        .filter(Q(last_published__gte=since) | Q(retracted_at__gte=since))
    )


def index(filters: IndexFilters) -> QuerySet[Claim]:
    """Public fact checks, newest first, with the rating readers see."""
    claims = with_published_versions(public_claims()).order_by("-published_at", "-pk")
    if filters.query:
        # The claim's own text index, as the desk's search reads it (words stemmed).
        words = SearchQuery(filters.query, search_type="websearch", config=SEARCH_CONFIG)
        claims = claims.filter(search_vector=words)
    if filters.claimant:
        claims = claims.filter(claimant_id=filters.claimant)
    if filters.topic:
        claims = claims.filter(topics__id=filters.topic)
    if filters.rating:
        # The rating readers see: the newest published version's. Out of a correction that
        # is the claim's current rating (kept on the row, indexed); during one (few claims),
        # the newest published version says. Two sets joined, not a subquery per claim.
        settled = [ClaimStatus.PUBLISHED, ClaimStatus.CORRECTED, ClaimStatus.RETRACTED]
        shown = (
            Verdict.objects.filter(claim=OuterRef("pk"), published_at__isnull=False)
            .order_by("-number")
            .values("rating_id")[:1]
        )
        under_correction = (
            Claim.objects.filter(published_at__isnull=False)
            .exclude(status__in=settled)  # claim_public_in_correction: a handful of rows
            .annotate(shown_rating=Subquery(shown))
            .filter(shown_rating=filters.rating)
            .values("pk")
        )
        claims = claims.filter(
            Q(status__in=settled, current_rating_id=filters.rating) | Q(pk__in=under_correction)
        )
    return claims


def default_ratings() -> list[Rating]:
    return list(Rating.objects.filter(scale__is_default=True).order_by("position"))


def corrections() -> list[Verdict]:
    """Every published correction and retraction, newest first (the IFCN code asks for a
    corrections log)."""
    return list(
        Verdict.objects.filter(published_at__isnull=False, number__gt=1)
        .select_related("claim", "rating")
        .order_by("-published_at")[:200]
    )


def retractions() -> list[Claim]:
    return list(
        Claim.objects.filter(status=ClaimStatus.RETRACTED, published_at__isnull=False).order_by(
            "-retracted_at"
        )[:200]
    )


@dataclass(frozen=True)
class ClaimantPage:
    claimant: Claimant
    fact_checks: list[FactCheck]
    tally: list[tuple[Rating, int]]  # the ratings readers see, in the scale's order


def claimant_page(claimant_id: int) -> ClaimantPage | None:
    """A claimant's published fact checks and the tally of the ratings readers see (the
    newest published version's: a correction in progress changes nothing yet). None when
    the claimant has none published."""
    claimant = Claimant.objects.filter(pk=claimant_id).first()
    if claimant is None:
        return None
    claims = with_published_versions(public_claims().filter(claimant=claimant)).order_by(
        "-published_at", "-pk"
    )
    fact_checks = [as_fact_check(claim) for claim in claims]
    if not fact_checks:
        return None
    # A retracted one is withdrawn: not a verdict on what they said.
    counts = Counter(fc.newest.rating for fc in fact_checks if not fc.retracted)
    tally = sorted(counts.items(), key=lambda pair: pair[0].position)
    return ClaimantPage(claimant, fact_checks, tally)
