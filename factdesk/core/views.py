from pathlib import Path

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.http import require_GET

from factdesk.core.health import health_report
from factdesk.core.sizes import size_words


@require_GET
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """For load balancers and people: 200 when PostgreSQL, Redis and workers answer, else 503."""
    healthy, report = health_report()
    return JsonResponse(report, status=200 if healthy else 503)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """A request the desk could not read. Over the size limit (a huge paste), the page says
    what the limit is and what to do instead; the form's text is still in the previous
    page, one step back."""
    too_big = isinstance(exception, RequestDataTooBig)
    context = {
        "too_big": too_big,
        "limit": size_words(settings.DATA_UPLOAD_MAX_MEMORY_SIZE),
        "adding_article": request.path.startswith("/articles/"),
    }
    return render(request, "400.html", context, status=400)


FAVICON = Path(__file__).resolve().parent.parent / "static" / "factdesk" / "favicon.svg"


@require_GET
@cache_control(max_age=7 * 24 * 3600, public=True)
def favicon(request: HttpRequest) -> HttpResponse:
    """The desk's icon at /favicon.ico, where browsers ask for it on every page (the pages
    also name it, as an SVG; browsers show SVG served here too)."""
    return HttpResponse(FAVICON.read_bytes(), content_type="image/svg+xml")


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "403.html", {"reason": str(exception or "")}, status=403)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    # No context processors that touch the database: it may be what failed.
    from django.template import loader

    return HttpResponse(loader.get_template("500.html").render(), status=500)
