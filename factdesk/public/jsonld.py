"""The ClaimReview of a public fact check, as schema.org and Google's fact-check markup ask:
https://schema.org/ClaimReview and Google Search Central's "Fact check (ClaimReview)" rules
(required: claimReviewed, reviewRating with alternateName, url, author; recommended:
datePublished, itemReviewed as a Claim with author, datePublished, appearance and
firstAppearance)."""

from __future__ import annotations

from typing import Any

from django.conf import settings

from factdesk.claims.models import Claim, Claimant, Rating
from factdesk.public.selectors import FactCheck


def organisation() -> dict[str, Any]:
    return {
        "@type": "Organization",
        "name": settings.ORGANISATION_NAME,
        **({"url": settings.ORGANISATION_URL} if settings.ORGANISATION_URL else {}),
    }


def rating(rating: Rating) -> dict[str, Any]:
    """The scale's numbers when the label has one; a label without a number by name only."""
    values = [r.value for r in rating.scale.ratings.all() if r.value is not None]
    shown: dict[str, Any] = {"@type": "Rating", "alternateName": rating.label}
    if rating.value is not None and values:
        shown.update(ratingValue=rating.value, bestRating=max(values), worstRating=min(values))
    return shown


def _appearance(claim: Claim) -> dict[str, Any] | None:
    article = claim.article
    if article is not None and article.url:
        work: dict[str, Any] = {"@type": "CreativeWork", "url": article.url}
        if article.title:
            work["headline"] = article.title[:110]
        if article.published_on:
            work["datePublished"] = article.published_on.isoformat()
        if article.outlet:
            work["publisher"] = {"@type": "Organization", "name": article.outlet.name}
        return work
    if claim.source_url:
        return {"@type": "CreativeWork", "url": claim.source_url}
    return None


def claim_review(fact_check: FactCheck, url: str) -> dict[str, Any]:
    claim, verdict = fact_check.claim, fact_check.verdict
    item: dict[str, Any] = {
        "@type": "Claim",
        "author": {
            "@type": "Person" if claim.claimant.kind == Claimant.Kind.PERSON else "Organization",
            "name": claim.claimant.name,
        },
        "datePublished": claim.claimed_on.isoformat(),
    }
    if appearance := _appearance(claim):
        item["appearance"] = appearance
        item["firstAppearance"] = appearance
    return {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": url,
        "claimReviewed": claim.text,
        "author": organisation(),
        "datePublished": fact_check.first_published.date().isoformat(),
        "dateModified": fact_check.updated.isoformat(),
        "reviewRating": rating(verdict.rating),
        "itemReviewed": item,
        "reviewBody": verdict.conclusion,
    }
