"""ClaimReview markup read the way a crawler reads it: JSON-LD and microdata (extruct),
one `ReviewRead` per ClaimReview found, with its rating normalised to 0..1 where the page
gives a scale, and its headline: the ClaimReview's own, else the page's (the `headline` of
the article the markup describes). Nothing is fetched here: the page's HTML comes in."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

import extruct

from factdesk.core.errors import DeskError


class ClaimReviewError(DeskError):
    """The page carries no usable ClaimReview; the message says why."""


@dataclass(frozen=True)
class ReviewRead:
    url: str
    claim_reviewed: str
    publisher: str
    rating_text: str
    rating_value: float | None  # 0 (worst) to 1 (best), when the page gives a scale
    date_published: datetime.date | None
    claimant: str = ""
    language: str = ""
    headline: str = ""  # the title of the fact-check article


def _first(value: Any) -> Any:
    return value[0] if isinstance(value, list) and value else value


def _name(value: Any) -> str:
    """A Person's or Organization's name, or the text itself."""
    value = _first(value)
    if isinstance(value, dict):
        return str(_first(value.get("name")) or "").strip()
    return str(value or "").strip()


def _types(item: dict) -> set[str]:
    kind = item.get("@type") or item.get("type") or []
    kinds = kind if isinstance(kind, list) else [kind]
    return {str(k).rsplit("/", 1)[-1] for k in kinds}


def _walk(node: Any):
    """Every dict in a JSON-LD document (graphs, lists, nested properties)."""
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from _walk(value)
    elif isinstance(node, list):
        for value in node:
            yield from _walk(value)


def _microdata_as_jsonld(item: dict) -> dict:
    """extruct's microdata item ({"type", "properties"}) as JSON-LD-like dicts."""
    flat: dict[str, Any] = {"@type": item.get("type")}
    for key, value in (item.get("properties") or {}).items():
        if isinstance(value, dict) and "properties" in value:
            flat[key] = _microdata_as_jsonld(value)
        elif isinstance(value, list):
            flat[key] = [
                _microdata_as_jsonld(v) if isinstance(v, dict) and "properties" in v else v
                for v in value
            ]
        else:
            flat[key] = value
    return flat


def _number(value: Any) -> float | None:
    try:
        return float(str(_first(value)).strip())
    except (TypeError, ValueError):
        return None


def _rating(review: dict) -> tuple[str, float | None]:
    rating = _first(review.get("reviewRating")) or {}
    if not isinstance(rating, dict):
        return str(rating), None
    label = _name(rating.get("alternateName")) or _name(rating.get("name"))
    value, best, worst = (
        _number(rating.get(key)) for key in ("ratingValue", "bestRating", "worstRating")
    )
    normalised = None
    if value is not None and best is not None and worst is not None and best != worst:
        normalised = min(1.0, max(0.0, (value - worst) / (best - worst)))
    return label or (str(_first(rating.get("ratingValue")) or "")), normalised


def read_date(value: Any) -> datetime.date | None:
    """An ISO 8601 date or date-time, as schema.org asks ("2026-03-04T10:00:00Z")."""
    try:
        return datetime.date.fromisoformat(str(_first(value)).strip()[:10]) if value else None
    except ValueError:
        return None


def _headline(node: dict) -> str:
    # `headline` says what it is; a CreativeWork's `name` is the next best (Google's markup
    # tool and feeds give the title there).
    return str(_first(node.get("headline")) or _first(node.get("name")) or "").strip()


def _read(review: dict, page_url: str, page_headline: str = "") -> ReviewRead | None:
    claim = str(_first(review.get("claimReviewed")) or "").strip()
    item = _first(review.get("itemReviewed")) or {}
    if not claim and isinstance(item, dict):
        claim = str(_first(item.get("name")) or _first(item.get("text")) or "").strip()
    if not claim:
        return None
    label, value = _rating(review)
    claimant = _name(item.get("author")) if isinstance(item, dict) else ""
    return ReviewRead(
        url=str(_first(review.get("url")) or page_url).strip()[:2000],
        claim_reviewed=claim[:2000],
        publisher=(_name(review.get("author")) or _name(review.get("publisher")))[:200],
        rating_text=label[:200],
        rating_value=value,
        date_published=read_date(review.get("datePublished")),
        claimant=claimant[:200],
        language=str(_first(review.get("inLanguage")) or "")[:10],
        headline=_headline(review) or page_headline,
    )


def read_feed_review(review: Any) -> ReviewRead:
    """One ClaimReview of a feed (JSON-LD). Raises ClaimReviewError saying why it is unusable."""
    if not isinstance(review, dict):
        raise ClaimReviewError("it is not an object")
    if "ClaimReview" not in _types(review):
        raise ClaimReviewError(f"its @type is {review.get('@type')!r}, not ClaimReview")
    if not str(_first(review.get("url")) or "").startswith(("http://", "https://")):
        raise ClaimReviewError("it has no url (the fact check's address)")
    read = _read(review, "")
    if read is None:
        raise ClaimReviewError("it does not say which claim it reviews (no claimReviewed)")
    return read


def _nodes(found: dict) -> list[dict]:
    """Every item of the page's markup, JSON-LD first (nested ones and those of a @graph
    included), then microdata, read as JSON-LD."""
    nodes = [node for document in found.get("json-ld", []) for node in _walk(document)]
    nodes += [
        _microdata_as_jsonld(item)
        for document in found.get("microdata", [])
        for item in _walk(document)
        if "properties" in item
    ]
    return nodes


def _page_headline(nodes: list[dict]) -> str:
    """The headline of the page's article: the first item of its markup, other than a
    ClaimReview, that has a `headline` (a ClaimReview is often nested in the NewsArticle,
    or beside it in a @graph). "" when there is none."""
    headlines = (
        str(_first(node.get("headline")) or "").strip()
        for node in nodes
        if "ClaimReview" not in _types(node)
    )
    return next((headline for headline in headlines if headline), "")


def read_claim_reviews(html: str, url: str) -> list[ReviewRead]:
    """Every ClaimReview of the page (JSON-LD first, then microdata). Raises ClaimReviewError,
    saying why, when there is none that names the claim it reviews."""
    try:
        found = extruct.extract(
            html, base_url=url, syntaxes=["json-ld", "microdata"], errors="ignore", uniform=False
        )
    except Exception as error:
        raise ClaimReviewError(f"The page could not be read as HTML ({error}).") from error
    nodes = _nodes(found)
    candidates = [node for node in nodes if "ClaimReview" in _types(node)]
    if not candidates:
        raise ClaimReviewError(
            "The page has no ClaimReview markup (schema.org, in JSON-LD or microdata): it may "
            "not be a fact check, or its publisher does not mark its fact checks up."
        )
    headline = _page_headline(nodes)
    reviews = [read for review in candidates if (read := _read(review, url, headline))]
    if not reviews:
        raise ClaimReviewError(
            "The page's ClaimReview does not say which claim it reviews (no claimReviewed)."
        )
    unique = {(review.url, review.claim_reviewed): review for review in reviews}
    return list(unique.values())
