"""The public side: fact-check pages, their index, the methodology and the corrections log.
No login; published content only (selectors.py). Pages carry ETag and Last-Modified and may
be cached by a CDN for PUBLIC_CACHE_SECONDS."""

from __future__ import annotations

import json

from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.text import slugify
from django.views.decorators.http import condition, require_GET

from factdesk.claims.models import Claim, Claimant, Topic, Verdict
from factdesk.public import selectors
from factdesk.public.jsonld import claim_review


def public_url(claim: Claim) -> str:
    return reverse("public:fact_check", args=[claim.pk, slugify(claim.text)[:60] or "claim"])


def _cached(response: HttpResponse) -> HttpResponse:
    patch_cache_control(response, public=True, max_age=settings.PUBLIC_CACHE_SECONDS)
    return response


def _last_modified(request: HttpRequest, claim_id: int, slug: str = ""):
    return selectors.last_changed(claim_id)


def _etag(request: HttpRequest, claim_id: int, slug: str = "") -> str | None:
    changed = selectors.last_changed(claim_id)
    version = request.GET.get("version", "")
    return f"{claim_id}-{changed.timestamp() if changed else 0}-{version}" if changed else None


@require_GET
@condition(etag_func=_etag, last_modified_func=_last_modified)
def fact_check(request: HttpRequest, claim_id: int, slug: str = "") -> HttpResponse:
    """A published fact check at its stable address (the words after its number follow the
    claim's wording; an old or missing one redirects). Never published: a 404, as for a
    number that does not exist."""
    version = request.GET.get("version")
    try:
        found = selectors.fact_check(
            claim_id, int(version) if version and version.isdigit() else None
        )
    except (Claim.DoesNotExist, Verdict.DoesNotExist):
        raise Http404("No such fact check") from None
    canonical = public_url(found.claim)
    if request.path != canonical:
        query = f"?{request.GET.urlencode()}" if request.GET else ""
        return redirect(canonical + query, permanent=True)
    url = request.build_absolute_uri(canonical)
    context = {
        "fc": found,
        "claim": found.claim,
        "verdict": found.verdict,
        "canonical": url,
        "jsonld": json.dumps(claim_review(found, url), ensure_ascii=False).replace("</", "<\\/"),
        "scale": selectors.default_ratings(),
    }
    return _cached(render(request, "public/fact_check.html", context))


def _number(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    filters = selectors.IndexFilters(
        query=(request.GET.get("q") or "").strip()[:200],
        rating=_number(request.GET.get("rating")),
        claimant=_number(request.GET.get("claimant")),
        topic=_number(request.GET.get("topic")),
    )
    page = Paginator(selectors.index(filters), selectors.PER_PAGE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    context = {
        "page": page,
        "filters": filters,
        "query_string": params.urlencode(),
        "ratings": selectors.default_ratings(),
        "claimants": Claimant.objects.filter(claims__in=selectors.public_claims())
        .distinct()
        .order_by("name")[:500],
        "topics": Topic.objects.filter(claims__in=selectors.public_claims())
        .distinct()
        .order_by("name"),
    }
    return _cached(render(request, "public/index.html", context))


@require_GET
def methodology(request: HttpRequest) -> HttpResponse:
    return _cached(
        render(request, "public/methodology.html", {"ratings": selectors.default_ratings()})
    )


@require_GET
def corrections(request: HttpRequest) -> HttpResponse:
    context = {"corrections": selectors.corrections(), "retractions": selectors.retractions()}
    return _cached(render(request, "public/corrections.html", context))
