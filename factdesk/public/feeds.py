"""What machines read: Atom and RSS feeds of new fact checks and of corrections (Django's
syndication framework), the sitemaps (Django's sitemaps, and a Google News sitemap of the
last two days), robots.txt, and a schema.org DataFeed of every ClaimReview, as fact-check
aggregators ingest. Published content only, as on the pages."""

from __future__ import annotations

import datetime
import json
from collections.abc import Iterator
from dataclasses import dataclass

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.contrib.syndication.views import Feed
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.views.decorators.http import require_GET

from factdesk.claims.models import Claim
from factdesk.claims.workflow import ClaimStatus
from factdesk.public import selectors
from factdesk.public.jsonld import claim_review
from factdesk.public.views import public_url

FEED_ITEMS = 50


class NewFactChecks(Feed):
    title = "New fact checks"
    description = "Fact checks as they are published."

    def link(self) -> str:
        return reverse("public:index")

    def items(self) -> list[Claim]:
        return list(
            selectors.with_published_versions(selectors.public_claims()).order_by("-published_at")[
                :FEED_ITEMS
            ]
        )

    def item_title(self, claim: Claim) -> str:
        newest = claim.verdicts.all()[0]
        retracted = " (retracted)" if claim.status == ClaimStatus.RETRACTED else ""
        return f"{newest.rating.label}{retracted}: {claim.text}"

    def item_description(self, claim: Claim) -> str:
        return claim.verdicts.all()[0].conclusion

    def item_link(self, claim: Claim) -> str:
        return public_url(claim)

    def item_pubdate(self, claim: Claim) -> datetime.datetime | None:
        return claim.published_at

    def item_updateddate(self, claim: Claim) -> datetime.datetime | None:
        return selectors.as_fact_check(claim).updated


class NewFactChecksAtom(NewFactChecks):
    feed_type = Atom1Feed
    subtitle = NewFactChecks.description


@dataclass(frozen=True)
class Change:
    claim: Claim
    when: datetime.datetime
    what: str  # "Corrected" or "Retracted"
    note: str


class Corrections(Feed):
    title = "Corrections and retractions"
    description = "Every correction and retraction of a published fact check."

    def link(self) -> str:
        return reverse("public:corrections")

    def items(self) -> list[Change]:
        corrected = [
            Change(v.claim, v.published_at, "Corrected", v.correction_note)  # type: ignore[arg-type]
            for v in selectors.corrections()
        ]
        retracted = [
            Change(c, c.retracted_at, "Retracted", c.retraction_note)  # type: ignore[arg-type]
            for c in selectors.retractions()
        ]
        return sorted(corrected + retracted, key=lambda c: c.when, reverse=True)[:FEED_ITEMS]

    def item_title(self, change: Change) -> str:
        return f"{change.what}: {change.claim.text}"

    def item_description(self, change: Change) -> str:
        return change.note

    def item_link(self, change: Change) -> str:
        return f"{public_url(change.claim)}#{change.what.lower()}-{change.when.timestamp():.0f}"

    def item_pubdate(self, change: Change) -> datetime.datetime:
        return change.when


class CorrectionsAtom(Corrections):
    feed_type = Atom1Feed
    subtitle = Corrections.description


class FactCheckSitemap(Sitemap):
    changefreq = "weekly"
    limit = 10_000

    def items(self):
        return selectors.public_claims().only("id", "text", "published_at", "updated_at")

    def location(self, claim: Claim) -> str:
        return public_url(claim)

    def lastmod(self, claim: Claim) -> datetime.datetime:
        return claim.updated_at


class PagesSitemap(Sitemap):
    changefreq = "daily"

    def items(self) -> list[str]:
        return ["public:index", "public:methodology", "public:corrections"]

    def location(self, name: str) -> str:
        return reverse(name)


SITEMAPS = {"fact-checks": FactCheckSitemap, "pages": PagesSitemap}


@require_GET
def news_sitemap(request: HttpRequest) -> HttpResponse:
    """Google News: the fact checks of the last two days."""
    since = timezone.now() - datetime.timedelta(days=2)
    claims = selectors.public_claims().filter(published_at__gte=since).order_by("-published_at")
    return render(
        request,
        "public/news_sitemap.xml",
        {"claims": [(claim, request.build_absolute_uri(public_url(claim))) for claim in claims]},
        content_type="application/xml",
    )


@require_GET
def robots(request: HttpRequest) -> HttpResponse:
    """Crawlers may read the public fact checks; the desk itself is not for them."""
    lines = [
        "User-agent: *",
        f"Allow: {reverse('public:index')}",
        "Disallow: /",
        f"Sitemap: {request.build_absolute_uri(reverse('public:sitemap'))}",
        f"Sitemap: {request.build_absolute_uri(reverse('public:news_sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain")


@require_GET
def data_feed(request: HttpRequest) -> StreamingHttpResponse:
    """Every public fact check's ClaimReview in one schema.org DataFeed, written as it is
    read (a few hundred claims at a time), however many there are."""

    def chunks() -> Iterator[str]:
        head = {"@context": "https://schema.org", "@type": "DataFeed", "name": settings.SITE_NAME}
        yield json.dumps(head)[:-1] + ', "dataFeedElement": ['
        claims = selectors.with_published_versions(selectors.public_claims()).order_by("pk")
        for index, claim in enumerate(claims.iterator(chunk_size=500)):
            found = selectors.as_fact_check(claim)
            url = request.build_absolute_uri(public_url(claim))
            element = {
                "@type": "DataFeedItem",
                "dateCreated": found.first_published.isoformat(),
                "dateModified": found.updated.isoformat(),
                "item": [claim_review(found, url)],
            }
            yield ("," if index else "") + json.dumps(element, ensure_ascii=False)
        yield "]}"

    return StreamingHttpResponse(chunks(), content_type="application/ld+json")
