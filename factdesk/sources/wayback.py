"""A public copy at the Wayback Machine, besides factdesk's own (off unless WAYBACK_ENABLED).

Once a web page is archived here, the row's second work item asks the Internet Archive's
availability API for a capture from the last day and, if there is none, sends a "save page
now" request. Both go through the guarded client. Like fetches, the work lives in the row
(status, attempts, due time); the sweeper picks up what is due. A refusal because the page
was "captured too many times today" is final: asking again only adds to the count.
"""

from __future__ import annotations

import datetime
import json
import re
from urllib.parse import quote, urljoin

from django.conf import settings
from django.db.models import F
from django.utils import timezone

from factdesk.core.http import FetchError, FetchResult, GuardedClient
from factdesk.sources.fetching import backoff
from factdesk.sources.models import Source

RECENT = datetime.timedelta(days=1)
LEASE = datetime.timedelta(minutes=5)
_TOO_MANY = re.compile(r"captured \d+ times today|too many captures", re.IGNORECASE)
_CAPTURE = re.compile(r"/web/(\d{14})/")


def wayback_due(limit: int = 200) -> list[int]:
    return list(
        Source.objects.filter(
            wayback_status=Source.WaybackStatus.PENDING, wayback_next_at__lte=timezone.now()
        )
        .order_by("wayback_next_at")
        .values_list("id", flat=True)[:limit]
    )


def _lease(source_id: int) -> Source | None:
    """Take the row's Wayback work (a second delivery finds it taken). The due time moves
    a lease ahead, so that a worker that dies mid-request is retried by the sweeper."""
    now = timezone.now()
    taken = Source.objects.filter(
        pk=source_id, wayback_status=Source.WaybackStatus.PENDING, wayback_next_at__lte=now
    ).update(wayback_next_at=now + LEASE, wayback_attempts=F("wayback_attempts") + 1)
    return Source.objects.get(pk=source_id) if taken else None


def source_wayback(*, source_id: int, client: GuardedClient | None = None) -> Source | None:
    source = _lease(source_id)
    if source is None:
        return None
    client = client or GuardedClient()
    try:
        capture = _recent_capture(source.url, client) or _save(source.url, client)
    except FetchError as error:
        return _failed(source, error)
    Source.objects.filter(pk=source.pk).update(
        wayback_status=Source.WaybackStatus.DONE,
        wayback_url=capture,
        wayback_error="",
        wayback_next_at=None,
    )
    source.refresh_from_db()
    return source


def _recent_capture(url: str, client: GuardedClient) -> str | None:
    """A capture from the last day, if the availability API knows one."""
    result = client.get(f"{settings.WAYBACK_AVAILABILITY_URL}?url={quote(url, safe='')}")
    if result.status != 200:
        raise _refusal(result, "The Wayback Machine's availability lookup")
    try:
        closest = json.loads(result.body)["archived_snapshots"].get("closest") or {}
    except (ValueError, KeyError, AttributeError):
        raise FetchError(
            "The Wayback Machine's availability lookup answered something unreadable.",
            permanent=False,
        ) from None
    if not closest.get("available") or not closest.get("url"):
        return None
    try:
        taken = datetime.datetime.strptime(closest["timestamp"], "%Y%m%d%H%M%S").replace(
            tzinfo=datetime.UTC
        )
    except (KeyError, ValueError):
        return None
    return str(closest["url"]) if timezone.now() - taken <= RECENT else None


def _save(url: str, client: GuardedClient) -> str:
    result = client.get(settings.WAYBACK_SAVE_URL + url)
    if _TOO_MANY.search(result.body[:20000].decode("utf-8", "replace")):
        raise FetchError(
            "The Wayback Machine refused: this page was captured too many times today "
            "(not retried).",
            permanent=True,
        )
    if result.status >= 400:
        raise _refusal(result, "The Wayback Machine's save request")
    location = result.headers.get("content-location", "")
    capture = urljoin(result.url, location) if location else result.url
    if not _CAPTURE.search(capture):
        raise FetchError(
            "The Wayback Machine did not say where it saved the page.", permanent=False
        )
    return capture


def _refusal(result: FetchResult, what: str) -> FetchError:
    transient = result.status == 429 or result.status >= 500
    return FetchError(f"{what} answered {result.status}.", permanent=not transient)


def _failed(source: Source, error: FetchError) -> Source:
    if error.permanent or source.wayback_attempts >= settings.WAYBACK_MAX_ATTEMPTS:
        update: dict[str, object] = {
            "wayback_status": Source.WaybackStatus.FAILED,
            "wayback_next_at": None,
        }
    else:
        update = {"wayback_next_at": timezone.now() + backoff(source.wayback_attempts)}
    Source.objects.filter(pk=source.pk).update(wayback_error=error.reason[:300], **update)
    source.refresh_from_db()
    return source
