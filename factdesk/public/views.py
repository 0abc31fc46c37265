"""The public side: fact-check pages, their index, the methodology and the corrections log.
No login; published content only (selectors.py). Pages carry ETag and Last-Modified and may
be cached by a CDN for PUBLIC_CACHE_SECONDS."""

from __future__ import annotations

import hashlib
import json
import logging
from urllib.parse import urlsplit

from csp.constants import NONE
from django.conf import settings
from django.core.cache import cache
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import Resolver404, resolve, reverse
from django.utils.cache import patch_cache_control
from django.utils.html import escape
from django.utils.text import slugify
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.http import condition, require_GET

from factdesk.claims.models import Claim, Claimant, Topic, Verdict
from factdesk.core.numbers import whole_number
from factdesk.public import selectors
from factdesk.public.jsonld import claim_review

logger = logging.getLogger(__name__)


def public_url(claim: Claim) -> str:
    return reverse("public:fact_check", args=[claim.pk, slugify(claim.text)[:60] or "claim"])


def _cached(response: HttpResponse) -> HttpResponse:
    patch_cache_control(response, public=True, max_age=settings.PUBLIC_CACHE_SECONDS)
    return response


def _changed(request: HttpRequest, claim_id: int):
    """When the page last changed, read once per request (ETag and Last-Modified both ask)."""
    if not hasattr(request, "_public_changed"):
        request._public_changed = selectors.last_changed(claim_id)  # type: ignore[attr-defined]
    return request._public_changed  # type: ignore[attr-defined]


def _last_modified(request: HttpRequest, claim_id: int, slug: str = ""):
    return _changed(request, claim_id)


def _etag(request: HttpRequest, claim_id: int, slug: str = "") -> str | None:
    changed = _changed(request, claim_id)
    version = request.GET.get("version", "")
    return f"{claim_id}-{changed.timestamp()}-{version}" if changed else None


@require_GET
@condition(etag_func=_etag, last_modified_func=_last_modified)
def fact_check(request: HttpRequest, claim_id: int, slug: str = "") -> HttpResponse:
    """A published fact check at its stable address (the words after its number follow the
    claim's wording; an old or missing one redirects). Never published: a 404, as for a
    number that does not exist."""
    changed = _changed(request, claim_id)
    key = (
        "public:page:"
        + hashlib.sha256(
            f"{request.get_host()}|{request.get_full_path()}|{changed}".encode()
        ).hexdigest()
    )
    if changed is not None and (kept := _remembered(key)) is not None:
        return _cached(HttpResponse(kept))
    try:
        found = selectors.fact_check(claim_id, whole_number(request.GET.get("version")))
    except (Claim.DoesNotExist, Verdict.DoesNotExist):
        raise Http404("No such fact check") from None
    canonical = public_url(found.claim)
    if request.path != canonical:
        query = f"?{request.GET.urlencode()}" if request.GET else ""
        return redirect(canonical + query, permanent=True)
    url = request.build_absolute_uri(canonical)
    jsonld = _jsonld(found, url)
    context = {
        "fc": found,
        "claim": found.claim,
        "verdict": found.verdict,
        "canonical": url,
        "jsonld": jsonld,
        "embed_code": _embed_html(request, found, url, jsonld),
    }
    response = render(request, "public/fact_check.html", context)
    _remember(key, response.content)
    return _cached(response)


# A fact check's page, as rendered, kept under the time it last changed (published, corrected
# or retracted): a new version is a new key. Kept as long as a CDN keeps it; other changes
# it shows (a claimant's name) reach readers within that time, as through a CDN. Without
# Redis the page is rendered every time.
def _remembered(key: str) -> bytes | None:
    try:
        return cache.get(key)
    except Exception:
        logger.warning("The page cache could not be read", exc_info=True)
        return None


def _remember(key: str, content: bytes) -> None:
    try:
        cache.set(key, content, settings.PUBLIC_CACHE_SECONDS)
    except Exception:
        logger.warning("The page cache could not be written", exc_info=True)


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    filters = selectors.IndexFilters(
        query=(request.GET.get("q") or "").replace("\x00", "").strip()[:200],
        rating=whole_number(request.GET.get("rating")),
        claimant=whole_number(request.GET.get("claimant")),
        topic=whole_number(request.GET.get("topic")),
    )
    page = Paginator(selectors.index(filters), selectors.PER_PAGE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    context = {
        "page": page,
        "filters": filters,
        "query_string": params.urlencode(),
        "ratings": selectors.default_ratings(),
        # A claimant is chosen from a fact check's page (there are thousands): named here.
        "claimant": Claimant.objects.filter(pk=filters.claimant).first()
        if filters.claimant
        else None,
        "topics": Topic.objects.order_by("name"),
    }
    return _cached(render(request, "public/index.html", context))


@require_GET
def brand_styles(request: HttpRequest) -> HttpResponse:
    """The newsroom's colour (SITE_COLOUR, checked as #rrggbb at start-up) as CSS: the
    Content-Security-Policy allows no inline style."""
    response = HttpResponse(f".public{{--accent:{settings.SITE_COLOUR}}}", content_type="text/css")
    return _cached(response)


@require_GET
def claimant(request: HttpRequest, claimant_id: int, slug: str = "") -> HttpResponse:
    """A claimant's public page: their published fact checks, newest first, and the tally
    of what they were rated. Someone with none published is a 404."""
    found = selectors.claimant_page(claimant_id)
    if found is None:
        raise Http404("No such claimant")
    canonical = reverse(
        "public:claimant", args=[found.claimant.pk, slugify(found.claimant.name) or "claimant"]
    )
    if request.path != canonical:
        return redirect(canonical, permanent=True)
    return _cached(render(request, "public/claimant.html", {"page": found}))


@require_GET
def methodology(request: HttpRequest) -> HttpResponse:
    return _cached(
        render(request, "public/methodology.html", {"ratings": selectors.default_ratings()})
    )


@require_GET
def corrections(request: HttpRequest) -> HttpResponse:
    context = {"corrections": selectors.corrections(), "retractions": selectors.retractions()}
    return _cached(render(request, "public/corrections.html", context))


EMBED_WIDTH, EMBED_HEIGHT = 480, 260


def _jsonld(found: selectors.FactCheck, url: str) -> str:
    """The ClaimReview as a script element's text (no "</" that would end it)."""
    return json.dumps(claim_review(found, url), ensure_ascii=False).replace("</", "<\\/")


def _embed_html(request: HttpRequest, found: selectors.FactCheck, url: str, jsonld: str) -> str:
    """What a newsroom pastes into its CMS: the card in a frame, and the ClaimReview (of the
    fact check at `url`) beside it so that search engines read the verdict where it is."""
    src = request.build_absolute_uri(reverse("public:embed", args=[found.claim.pk]))
    return (
        f'<iframe src="{escape(src)}" width="{EMBED_WIDTH}" height="{EMBED_HEIGHT}" '
        f'title="{escape("Fact check: " + found.claim.text[:100])}" loading="lazy" '
        'style="border:0;max-width:100%"></iframe>\n'
        f'<script type="application/ld+json">{jsonld}</script>'
    )


@require_GET
@xframe_options_exempt  # framed by the origins EMBED_FRAME_ANCESTORS names, and only those
def embed(request: HttpRequest, claim_id: int) -> HttpResponse:
    """The fact check as a small card, for a frame on another site."""
    try:
        found = selectors.fact_check(claim_id)
    except (Claim.DoesNotExist, Verdict.DoesNotExist):
        raise Http404("No such fact check") from None
    response = render(
        request,
        "public/embed.html",
        {
            "fc": found,
            "claim": found.claim,
            "verdict": found.verdict,
            "link": public_url(found.claim),
        },
    )
    # django-csp: this response's frame-ancestors, in place of the desk's 'none'.
    response._csp_replace = {  # type: ignore[attr-defined]
        "frame-ancestors": settings.EMBED_FRAME_ANCESTORS or [NONE]
    }
    return _cached(response)


@require_GET
def oembed(request: HttpRequest) -> HttpResponse:
    """oEmbed (https://oembed.com): a public fact check's address in, its embed out."""
    if request.GET.get("format", "json") != "json":
        return HttpResponse("Only the JSON format is served.", status=501)
    path = urlsplit(request.GET.get("url", "")).path
    try:
        match = resolve(path)
    except Resolver404:
        raise Http404("That address is not a fact check of this site") from None
    if match.view_name not in ("public:fact_check", "public:fact_check_short"):
        raise Http404("That address is not a fact check of this site")
    try:
        found = selectors.fact_check(match.kwargs["claim_id"])
    except (Claim.DoesNotExist, Verdict.DoesNotExist):
        raise Http404("No such fact check") from None
    url = request.build_absolute_uri(public_url(found.claim))
    return _cached(
        JsonResponse(
            {
                "version": "1.0",
                "type": "rich",
                "provider_name": settings.SITE_NAME,
                "title": f"{found.verdict.rating.label}: {found.claim.text}",
                "html": _embed_html(request, found, url, _jsonld(found, url)),
                "width": EMBED_WIDTH,
                "height": EMBED_HEIGHT,
                "cache_age": settings.PUBLIC_CACHE_SECONDS,
            }
        )
    )
