"""Reads that serve the article pages. Each runs a fixed number of queries, whatever the data."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, QuerySet

from factdesk.articles.models import Article
from factdesk.claims.models import Claim
from factdesk.claims.selectors import claim_cards
from factdesk.sources.canonical import canonical_url
from factdesk.sources.models import Snapshot, Source


@dataclass
class Segment:
    text: str
    claim: Claim | None = None


def article_segments(article: Article, claims: list[Claim]) -> list[Segment]:
    """The article's text cut into plain runs and runs quoted by claims, for highlighting.
    Overlapping quotes are shown from the earlier one; the page lists every claim anyway."""
    segments: list[Segment] = []
    position = 0
    anchored = [c for c in claims if c.quote_start is not None and c.quote_end is not None]
    for claim in sorted(anchored, key=lambda c: (c.quote_start, c.quote_end)):
        assert claim.quote_start is not None
        assert claim.quote_end is not None
        if claim.quote_start < position:
            continue
        if claim.quote_start > position:
            segments.append(Segment(article.text[position : claim.quote_start]))
        segments.append(Segment(article.text[claim.quote_start : claim.quote_end], claim))
        position = claim.quote_end
    if position < len(article.text):
        segments.append(Segment(article.text[position:]))
    return segments


def article_page(article_id: int) -> tuple[Article, list[Claim], list[Segment]]:
    article = Article.objects.select_related("outlet", "added_by", "source").get(pk=article_id)
    claims = list(claim_cards(article.claims.all()).order_by("quote_start"))
    return article, claims, article_segments(article, claims)


def article_copy(article: Article) -> Snapshot | None:
    """The newest archived copy of an article added by URL."""
    if article.source_id is None:
        return None
    return (
        Snapshot.objects.filter(source_id=article.source_id)
        .only("id", "reading", "links")
        .order_by("-fetched_at")
        .first()
    )


def article_links(copy: Snapshot | None, claims: list[Claim]) -> list[dict[str, Any]]:
    """The links in an article's archived copy, each marked when a claim of the article
    already cites it."""
    links = copy.links if copy else []
    if not links:
        return []
    cited = set(
        Source.objects.filter(citations__claim__in=claims).values_list("canonical_url", flat=True)
    )
    return [{**link, "cited": canonical_url(link["url"]) in cited} for link in links]


def article_list() -> QuerySet[Article]:
    return (
        Article.objects.select_related("outlet")
        .annotate(claim_count=Count("claims"))
        .only("id", "title", "url", "byline", "published_on", "created_at", "outlet__name")
        .order_by("-created_at")
    )
