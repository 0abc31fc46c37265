"""Fetching a source and archiving what it serves: the work of the `fetch` queue.

A Source row is its own work item: its status, attempts, due time and lease say what
remains to be done, and the broker only carries hints. A worker leases the row with a
conditional update that one delivery alone can win; the sweeper re-sends rows that are due
and rows whose lease ran out (their worker died), so a lost message loses nothing.
"""

from __future__ import annotations

import hashlib
import logging
import random
from collections.abc import Iterable
from datetime import datetime, timedelta
from http import HTTPStatus

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.db.models import Expression, F, Max, Q
from django.utils import timezone

from factdesk.claims.workflow import PUBLIC_STATUSES
from factdesk.core.http import FetchError, FetchResult, GuardedClient
from factdesk.core.queries import CompiledQuery, given, updating
from factdesk.sources import politeness
from factdesk.sources.bounded import read_within_budget
from factdesk.sources.models import Citation, Snapshot, Source
from factdesk.sources.signals import source_archived, source_watch_flagged

logger = logging.getLogger(__name__)

# Messages are sent for rows due within this time; later ones wait for the sweeper, which
# sends what is due every minute. It stays well inside the broker's visibility timeout, past
# which a message held for its due time would be delivered twice.
HINT_HORIZON = timedelta(minutes=10)


def _is_due(now: datetime | Expression) -> Q:
    """Rows a worker may lease: due for a try, or leased to a worker that vanished."""
    return Q(status=Source.Status.PENDING, next_attempt_at__lte=now) | Q(
        status=Source.Status.FETCHING, lease_expires_at__lt=now
    )


def _lease_time() -> timedelta:
    return timedelta(seconds=settings.FETCH_LEASE_SECONDS)


# ── the queue ─────────────────────────────────────────────────────────────────────────


def spread_by_host(rows: Iterable[Source], *, start: datetime) -> list[Source]:
    """Give the pages of one site due times an interval apart (from `start`, or later when
    a row is due later), so that they reach the workers as the site's slots come and not all
    at once, to be turned back but one. Sets `next_attempt_at` on the rows; returns those
    whose time moved."""
    interval = timedelta(seconds=settings.FETCH_HOST_INTERVAL)
    next_slot: dict[str, datetime] = {}
    moved = []
    for row in rows:
        if not row.host:  # an upload: no site to be polite to
            continue
        slot = max(next_slot.get(row.host, start), row.next_attempt_at or start)
        if slot != row.next_attempt_at:
            row.next_attempt_at = slot
            moved.append(row)
        next_slot[row.host] = slot + interval
    return moved


def enqueue_fetches(rows: Iterable[Source]) -> None:
    """Hint the fetch queue, once the transaction commits, for each row due soon: a message
    per row, delivered at the row's due time."""
    from factdesk.sources.tasks import send_fetches

    horizon = timezone.now() + HINT_HORIZON
    due = [(row.pk, row.next_attempt_at) for row in rows]
    soon = [(pk, at) for pk, at in due if at is None or at <= horizon]
    transaction.on_commit(lambda: send_fetches(soon))


def sources_due(limit: int = 500) -> list[Source]:
    """What the sweeper sends again, spread by site (and their due times saved so that the
    next sweep does not send them once more): rows due for a try, and rows whose worker
    vanished."""
    now = timezone.now()
    rows = list(
        Source.objects.filter(_is_due(now))
        .order_by("next_attempt_at", "id")
        .only("id", "host", "next_attempt_at")[:limit]
    )
    Source.objects.bulk_update(spread_by_host(rows, start=now), ["next_attempt_at"])
    return rows


def backoff(attempts: int, retry_after: float | None = None) -> timedelta:
    """Exponential, with jitter so that failures of one host do not come back in step."""
    if retry_after is not None:
        return timedelta(seconds=min(retry_after, 6 * 3600))
    base = min(settings.FETCH_RETRY_BASE_SECONDS * 2 ** max(0, attempts - 1), 3600)
    return timedelta(seconds=base * random.uniform(0.8, 1.2))  # noqa: S311 - jitter


# ── one fetch ─────────────────────────────────────────────────────────────────────────


def source_fetch(*, source_id: int, client: GuardedClient | None = None) -> Source | None:
    """Fetch a source and archive what it serves. Returns the row as it ends, or None when
    this delivery had nothing to do (the row is not due, done, or leased to a live worker).

    1. Lease the row. A lease counts as an attempt, so a row whose worker keeps dying
       ends failed with a reason rather than being taken again forever.
    2. Obey robots.txt, and take the host's politeness slot; when it is not free, the row
       goes back to pending, due at the next slot (that try is not counted).
    3. Fetch through the guarded client; HTTP errors become reasons an editor can act on.
    4. Store the body under its SHA-256, read it (text, title, author, date), and in one
       transaction add the snapshot if the content is new and mark the row done.

    An uploaded file skips 2 and 3: its body is already stored.
    """
    source = source_lease(source_id)
    if source is None:
        return None
    if source.is_upload:
        with default_storage.open(body_path(source.canonical_url.removeprefix("upload:"))) as f:
            body = f.read()
        return _archive(source, body=body, content_type=source.file_type)
    client = client or GuardedClient()
    try:
        crawl_delay = politeness.check_robots(source.url, client)
    except FetchError as error:
        return _record_failure(source, error)
    slot = politeness.acquire(source.url, crawl_delay)
    if not isinstance(slot, politeness.HostSlot):
        return _reschedule(
            source, wait=slot, interval=max(settings.FETCH_HOST_INTERVAL, crawl_delay)
        )
    try:
        result = client.get(source.url)
        if result.status >= 400:
            raise http_error(result)
    except FetchError as error:
        return _record_failure(source, error)
    finally:
        slot.release()
    return _archive(
        source,
        body=result.body,
        content_type=result.content_type,
        charset=result.charset,
        final_url=result.url,
        http_status=result.status,
    )


# The lease and the row it leased, built once: every fetch runs them, and building them
# with the ORM each time cost a worker more than PostgreSQL took to run them (py-spy on
# benchmarks/fetch.py's workers).
_LEASE = CompiledQuery(
    lambda: updating(
        Source.objects.filter(_is_due(given("now")), pk=given("pk")),
        status=Source.Status.FETCHING,
        lease_expires_at=given("expires"),
        attempts=F("attempts") + 1,
        updated_at=given("now"),
    )
)
_LEASED = CompiledQuery(lambda: Source.objects.filter(pk=given("pk")))


def source_lease(source_id: int) -> Source | None:
    """Lease the row to this worker (the healthchecks way: a conditional update, then the
    row count). None when another delivery has it or it is not due. A row leased more times
    than it may be tried (its workers died with it) is failed here instead."""
    now = timezone.now()
    if _LEASE.execute(pk=source_id, now=now, expires=now + _lease_time()) != 1:
        logger.debug("source %s: not due, or leased to another worker", source_id)
        return None
    (source,) = _LEASED.instances(pk=source_id)
    if source.attempts > settings.FETCH_MAX_ATTEMPTS:
        reason = source.last_error or (
            "The fetch stopped before finishing, several times (the worker may have run out "
            "of time or memory on this page)."
        )
        # Not for good: a worker with more time or memory may finish it ("Retry now").
        _record_failure(source, FetchError(reason, permanent=False))
        return None
    return source


def http_error(result: FetchResult) -> FetchError:
    """The reason, in words, for an answer that is not a page (4xx, 5xx)."""
    try:
        phrase = HTTPStatus(result.status).phrase
    except ValueError:
        phrase = ""
    transient = result.status in (408, 425, 429) or result.status >= 500
    retry_after = result.headers.get("retry-after", "")
    return FetchError(
        f"The server answered {result.status} {phrase}".strip() + ".",
        permanent=not transient,
        retry_after=float(retry_after) if retry_after.isdigit() else None,
        gone=result.status in (404, 410),
    )


def _record_failure(source: Source, error: FetchError) -> Source:
    """Transient failures wait in the row and stay pending until the last attempt; a
    permanent one (or the last attempt) fails with the reason, in words. A re-check that
    finds an archived page gone flags the dead link and keeps the copy."""
    now = timezone.now()
    source.last_error = error.reason[:500]
    source.lease_expires_at = None
    newly_dead = error.gone and source.fetched_at is not None and source.dead_since is None
    source.failed_for_good = False
    if error.gone and source.fetched_at is not None:
        source.status, source.next_attempt_at, source.dead_since = Source.Status.DONE, None, now
    elif error.permanent or source.attempts >= settings.FETCH_MAX_ATTEMPTS:
        source.status, source.next_attempt_at = Source.Status.FAILED, None
        source.failed_for_good = error.permanent
    else:
        source.status = Source.Status.PENDING
        source.next_attempt_at = now + backoff(source.attempts, error.retry_after)
    source.save(
        update_fields=[
            "status",
            "last_error",
            "failed_for_good",
            "lease_expires_at",
            "next_attempt_at",
            "dead_since",
            "updated_at",
        ]
    )
    if newly_dead:
        transaction.on_commit(lambda: _flag(source.pk, change="dead", marker=now.isoformat()))
    return source


def _reschedule(source: Source, *, wait: float, interval: float) -> Source:
    """The host's slot is not free: back to pending without using up an attempt, due at the
    slot or, when other pages of the site already wait for theirs, an interval after the
    last of them (at the slot it would be due when the next of them is, and the two would
    push each other on); a message for then."""
    now = timezone.now()
    last_in_line = Source.objects.filter(
        host=source.host, status=Source.Status.PENDING, next_attempt_at__gt=now
    ).aggregate(last=Max("next_attempt_at"))["last"]
    due = now + timedelta(seconds=wait)
    if last_in_line is not None:
        due = max(due, last_in_line + timedelta(seconds=interval))
    source.status = Source.Status.PENDING
    source.lease_expires_at = None
    source.next_attempt_at = due
    source.attempts -= 1
    source.save(
        update_fields=["status", "lease_expires_at", "next_attempt_at", "attempts", "updated_at"]
    )
    enqueue_fetches([source])  # outside a transaction: sent at once, for the slot's time
    return source


# ── archiving ─────────────────────────────────────────────────────────────────────────


def body_path(digest: str) -> str:
    return f"snapshots/{digest[:2]}/{digest}"


def store_body(body: bytes) -> str:
    """Keep the body under its SHA-256 (once: the same content is stored once)."""
    digest = hashlib.sha256(body).hexdigest()
    if not default_storage.exists(body_path(digest)):
        default_storage.save(body_path(digest), ContentFile(body))
    return digest


def _archive(
    source: Source,
    *,
    body: bytes,
    content_type: str,
    charset: str | None = None,
    final_url: str = "",
    http_status: int | None = None,
) -> Source:
    """Read the body and, in one transaction, add a snapshot if the content is new (with
    the citations' first archived copy, and a Wayback copy asked for) and mark the row done.
    Content already archived (unchanged, or changed back to an earlier copy) adds nothing."""
    reading = read_within_budget(body, content_type, charset, final_url)
    if reading.soft_404 and not source.is_upload:
        # A "not found" page served with 200: not the source the editor cited.
        error = FetchError(
            "The page says it was not found (the server answered 200 but showed an error "
            "page: a “soft 404”).",
            permanent=True,
            gone=True,
        )
        return _record_failure(source, error)
    digest = store_body(body)
    snapshot = Snapshot(
        source=source,
        sha256=digest,
        fetched_at=timezone.now(),
        final_url=final_url,
        http_status=http_status,
        content_type=content_type[:100],
        size=len(body),
        body=body_path(digest),
        reading=reading.status,
        title=reading.title,
        author=reading.author,
        published=reading.published,
        site_name=reading.site_name,
        text=reading.text,
        links=reading.links,
    )
    _save_archived(source, snapshot, reading.failure)
    return source


# The citations of a page archived for the first time get its copy (as the lease, built once).
_FIRST_COPY = CompiledQuery(
    lambda: updating(
        Citation.objects.filter(source_id=given("source"), cited_snapshot=None),
        cited_snapshot_id=given("snapshot"),
    )
)


def _save_archived(source: Source, snapshot: Snapshot, failure: str) -> None:
    try:
        # A row never archived has no copy to look for (as it was leased).
        _commit_archive(source, snapshot, failure, look=source.fetched_at is not None)
    except IntegrityError:
        # The same content archived meanwhile by a worker whose lease had run out: the
        # second try finds it there, and only marks the row done.
        _commit_archive(source, snapshot, failure, look=True)


def _commit_archive(source: Source, snapshot: Snapshot, failure: str, *, look: bool) -> None:
    """One transaction: the snapshot if its content is new (and the citations' first copy,
    and a Wayback copy asked for), the row done, and what the apps above read from it.
    Whether the content is new is asked when `look`; otherwise the snapshots' unique
    (source, sha256) says so, by an IntegrityError."""
    with transaction.atomic():
        exists = look and Snapshot.objects.filter(source=source, sha256=snapshot.sha256).exists()
        if new_content := not exists:
            changed = source.fetched_at is not None and source.snapshots.exists()
            snapshot.save(force_insert=True)
            if changed:
                transaction.on_commit(
                    lambda: _flag(source.pk, change="changed", marker=str(snapshot.pk))
                )
            _FIRST_COPY.execute(source=source.pk, snapshot=snapshot.pk)
        source.status = Source.Status.DONE
        source.fetched_at = snapshot.fetched_at
        source.last_error = failure  # archived, but why its text is missing
        source.dead_since = source.lease_expires_at = source.next_attempt_at = None
        fields = ["status", "fetched_at", "last_error", "dead_since", "lease_expires_at"]
        if wayback := new_content and source.wants_wayback:
            source.wayback_status = Source.WaybackStatus.PENDING
            source.wayback_attempts = 0
            source.wayback_error = ""
            source.wayback_next_at = snapshot.fetched_at
            fields += ["wayback_status", "wayback_attempts", "wayback_error", "wayback_next_at"]
        source.save(update_fields=[*fields, "next_attempt_at", "updated_at"])
        # In this transaction: no one sees the page archived before the apps above have
        # read it (an article added by this URL, filled in from it).
        for receiver, outcome in source_archived.send_robust(Source, source_id=source.pk):
            if isinstance(outcome, Exception):
                logger.error("%s failed for source %s: %r", receiver, source.pk, outcome)
        if wayback:
            from factdesk.sources.tasks import send_each, source_wayback_task

            transaction.on_commit(lambda: send_each(source_wayback_task, [source.pk]))


# ── watching ──────────────────────────────────────────────────────────────────────────


def _flag(source_id: int, *, change: str, marker: str) -> None:
    """Tell the apps above that an archived source changed or died (once committed)."""
    for receiver, outcome in source_watch_flagged.send_robust(
        Source, source_id=source_id, change=change, marker=marker
    ):
        if isinstance(outcome, Exception):
            logger.error("%s failed for source %s", receiver, source_id, exc_info=outcome)


def sources_recheck_published() -> int:
    """Queue a fresh fetch of every archived source cited by a published fact check (beat,
    daily), each site's pages spread over its interval. New content makes a new snapshot,
    and the citation shows it changed; a page gone is flagged as a dead link."""
    now = timezone.now()
    rows = list(
        Source.objects.filter(
            kind=Source.Kind.WEB,
            status=Source.Status.DONE,
            citations__claim__status__in=PUBLIC_STATUSES,
        )
        .distinct()
        .only("id", "host")
    )
    for row in rows:
        row.status, row.attempts, row.next_attempt_at, row.updated_at = (
            Source.Status.PENDING,
            0,
            None,
            now,
        )
    spread_by_host(rows, start=now)
    Source.objects.bulk_update(
        rows, ["status", "attempts", "next_attempt_at", "updated_at"], batch_size=1000
    )
    enqueue_fetches(rows)
    return len(rows)
