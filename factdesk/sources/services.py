"""Citing sources on a claim, and fetching them (the work the `fetch` queue does)."""

from __future__ import annotations

import hashlib
import random
from collections import Counter
from contextlib import nullcontext
from dataclasses import dataclass
from datetime import datetime, timedelta
from http import HTTPStatus
from typing import Any, cast

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import URLValidator
from django.db import connection, models, transaction
from django.db.models import F, Q
from django.utils import timezone

from factdesk.accounts.roles import require_role
from factdesk.articles.models import Article
from factdesk.articles.services import articles_fill_from_source
from factdesk.claims import audit
from factdesk.claims.models import Activity, Claim
from factdesk.claims.workflow import PUBLIC_STATUSES, RESEARCHERS
from factdesk.core.errors import DeskError
from factdesk.core.http import FetchError, FetchResult, GuardedClient
from factdesk.sources import politeness, uploads, wayback
from factdesk.sources.canonical import canonical_url
from factdesk.sources.models import Citation, Snapshot, Source
from factdesk.sources.reading import read_body

_validate_url = URLValidator(schemes=["http", "https"])
SOURCE, SNAPSHOT, ARTICLE = Source._meta.db_table, Snapshot._meta.db_table, Article._meta.db_table
CITATION = Citation._meta.db_table
# How long past its turn a page waiting behind another of its site is left to that chain
# before the sweeper sends it anyway.
HAND_ON_GRACE = timedelta(minutes=1)


def citation_add(
    *, actor: User, claim: Claim, url: str, stance: str = Citation.Stance.CONTEXT, note: str = ""
) -> Citation:
    require_role(actor, RESEARCHERS, "cite a source")
    _check_stance(stance)
    with transaction.atomic():
        Claim.objects.select_for_update().filter(pk=claim.pk).first()  # as a paste does
        source = source_for_url(url, added_by=actor)
        return _cite(actor=actor, claim=claim, source=source, stance=stance, note=note)


def source_for_url(url: str, *, added_by: User) -> Source:
    """The one Source of a URL, made (and queued for fetching) if new. get_or_create on the
    unique canonical URL: twenty editors citing one page at once make one Source (the
    losers of the race read the winner's row)."""
    url = url.strip()
    try:
        _validate_url(url)
    except ValidationError:
        raise DeskError(
            f"“{url}” is not a web address. Paste a full URL starting with http:// or https://.",
            field="url",
        ) from None
    source, new_source = Source.objects.get_or_create(
        canonical_url=canonical_url(url),
        defaults={"url": url, "host": politeness.host_of(url), "added_by": added_by},
    )
    if new_source:
        enqueue_fetch(source.pk)
    return source


def _check_stance(stance: str) -> None:
    if stance not in Citation.Stance.values:
        raise DeskError(
            "Choose whether the source supports, refutes or gives context.", field="stance"
        )


def _cite(*, actor: User, claim: Claim, source: Source, stance: str, note: str) -> Citation:
    """Link a source to the claim (the caller has checked the actor and the stance)."""
    citation, created = Citation.objects.get_or_create(
        claim=claim,
        source=source,
        defaults={
            "stance": stance,
            "note": note.strip(),
            "added_by": actor,
            # Cited as archived now; a source not fetched yet gets its first copy.
            "cited_snapshot": source.newest_snapshot(),
        },
    )
    if not created and source.is_upload:
        raise DeskError(
            f"This file is already cited on the claim (as “{source.filename}”).", field="file"
        )
    if not created:
        raise DeskError("This source is already cited on the claim.", field="url")
    _citation_added(actor, citation).save()
    return citation


def _citation_added(actor: User, citation: Citation) -> Activity:
    """The audit entry of a new citation (unsaved: a paste saves them in bulk)."""
    return audit.creation(
        actor=actor,
        action="citation.added",
        target=citation,
        claim=citation.claim,
        fields=("source", "stance", "note"),
        summary=f"cited {citation.source.label}",
    )


def citation_upload(
    *,
    actor: User,
    claim: Claim,
    upload: UploadedFile,
    stance: str = Citation.Stance.CONTEXT,
    note: str = "",
) -> Citation:
    """Cite a file: a paywalled page saved as PDF or HTML, a document received by email, a
    screenshot. The type is read from the bytes, not from the name. The same file uploaded
    twice is one source; a worker reads it like a fetched page."""
    require_role(actor, RESEARCHERS, "cite a source")
    _check_stance(stance)
    name = (upload.name or "file").rsplit("/", 1)[-1][:255]
    body = uploads.read_upload(upload, name=name, max_bytes=settings.FETCH_MAX_BYTES)
    file_type = uploads.sniff_type(body, name)
    digest = _store_body(body)
    with transaction.atomic():
        source, new_source = Source.objects.get_or_create(
            canonical_url=f"upload:{digest}",
            defaults={
                "kind": Source.Kind.UPLOAD,
                "filename": name,
                "file_type": file_type,
                "added_by": actor,
            },
        )
        if new_source:
            enqueue_fetch(source.pk)
        return _cite(actor=actor, claim=claim, source=source, stance=stance, note=note)


def citations_add(
    *,
    actor: User,
    claim: Claim,
    urls: list[str],
    stance: str = Citation.Stance.CONTEXT,
    note: str = "",
) -> tuple[list[Citation], list[str]]:
    """Cite several URLs at once (pasted one per line). Every line is checked first: one bad
    line refuses them all, naming it, so the editor can fix it and lose nothing. Returns the
    new citations and the URLs the claim already cited."""
    require_role(actor, RESEARCHERS, "cite a source")
    lines = [line.strip() for line in urls if line.strip()]
    if not lines:
        raise DeskError("Paste at least one web address.", field="urls")
    problems = []
    for number, line in enumerate(lines, start=1):
        try:
            _validate_url(line)
        except ValidationError:
            problems.append(f"line {number} (“{line[:80]}”)")
    if problems:
        raise DeskError(
            "Not a web address: " + ", ".join(problems) + ". Each line must start with "
            "http:// or https://. Nothing was cited.",
            field="urls",
        )
    _check_stance(stance)
    wanted: dict[str, str] = {}  # canonical URL -> the line as typed
    already = []
    for line in dict.fromkeys(lines):
        if (key := canonical_url(line)) in wanted:
            already.append(line)  # the same page twice in one paste
        else:
            wanted[key] = line
    # A few statements for the whole paste, however long: pastes of hundreds of links from
    # a document are common, and the workers start on them only once this commits.
    with transaction.atomic():
        Claim.objects.select_for_update().filter(pk=claim.pk).first()  # one paste at a time
        known = set(Source.objects.filter(canonical_url__in=wanted).values_list("id", flat=True))
        Source.objects.bulk_create(
            _queued_by_site(actor, wanted),
            ignore_conflicts=True,  # cited meanwhile by someone else: theirs is the one
        )
        sources = {s.canonical_url: s for s in Source.objects.filter(canonical_url__in=wanted)}
        cited = set(
            Citation.objects.filter(claim=claim, source__in=sources.values()).values_list(
                "source_id", flat=True
            )
        )
        archived = dict(
            Snapshot.objects.filter(source__in=sources.values())
            .order_by("source_id", "-fetched_at")
            .distinct("source_id")
            .values_list("source_id", "id")
        )
        citations = []
        for key, line in wanted.items():
            source = sources[key]
            if source.pk in cited:
                already.append(line)
                continue
            citations.append(
                Citation(
                    claim=claim,
                    source=source,
                    stance=stance,
                    note=note.strip(),
                    added_by=actor,
                    cited_snapshot_id=archived.get(source.pk),
                )
            )
        added = Citation.objects.bulk_create(citations)
        Activity.objects.bulk_create(_citation_added(actor, citation) for citation in added)
        enqueue_fetches(
            [s.pk for s in sources.values() if s.pk not in known and not s.awaiting_host]
        )
    return added, already


def _queued_by_site(actor: User, wanted: dict[str, str]) -> list[Source]:
    """New rows for a paste. The first page of each site goes to the queue; the site's other
    pages wait behind it, and each page, as it starts, sends the next one for the site's
    next slot (_hand_on): they are fetched an interval apart without a trip to a worker only
    to be told to come back. Should that chain break, the sweeper takes a waiting page
    HAND_ON_GRACE after it would have been its turn."""
    now = timezone.now()
    interval = timedelta(seconds=settings.FETCH_HOST_INTERVAL)
    ahead: Counter[str] = Counter()  # pages of the site before this one in the paste
    rows = []
    for key, url in wanted.items():
        host = politeness.host_of(url)
        row = Source(canonical_url=key, url=url, host=host, added_by=actor, next_attempt_at=now)
        if ahead[host]:
            row.awaiting_host = True
            row.next_attempt_at = now + ahead[host] * interval + HAND_ON_GRACE
        rows.append(row)
        ahead[host] += 1
    return rows


def citation_pin(*, actor: User, citation: Citation, passage: str) -> Citation:
    """Pin a passage of the source as quoted evidence (pinning it again unpins it)."""
    require_role(actor, RESEARCHERS, "pin evidence")
    passage = " ".join(passage.split())
    latest = citation.source.newest_snapshot()
    if not passage or latest is None or passage not in " ".join(latest.text.split()):
        raise DeskError("That passage is not in the archived copy of the source.")
    with transaction.atomic():
        citation = Citation.objects.select_for_update().get(pk=citation.pk)
        before = list(citation.pinned)
        pinned = [p for p in before if p != passage] if passage in before else [*before, passage]
        citation.pinned = pinned
        citation.save(update_fields=["pinned", "updated_at"])
        audit.record(
            actor=actor,
            action="citation.pinned",
            target=citation,
            claim=citation.claim,
            summary=("pinned" if len(pinned) > len(before) else "unpinned")
            + f" a passage of {citation.source.label}",
            changes={"pinned": [before, pinned]},
        )
    return citation


def citation_remove(*, actor: User, citation: Citation) -> None:
    require_role(actor, RESEARCHERS, "remove a citation")
    if citation.claim.status in PUBLIC_STATUSES:
        raise DeskError("The claim is published: its citations stay as readers saw them.")
    with transaction.atomic():
        audit.record(
            actor=actor,
            action="citation.removed",
            target=citation,
            claim=citation.claim,
            summary=f"removed the citation of {citation.source.label}",
            changes={
                name: [value, None]
                for name, value in audit.field_values(
                    citation, ("source", "stance", "note")
                ).items()
            },
        )
        citation.delete()


# ── fetching ────────────────────────────────────────────────────────────────────────────


def enqueue_fetch(source_id: int) -> None:
    enqueue_fetches([source_id])


def enqueue_fetches(source_ids: list[int]) -> None:
    """Hint the fetch queue once the transaction commits. The row is the truth: a lost
    message is found again by the sweeper."""
    from factdesk.sources.tasks import send_each, source_fetch_task

    transaction.on_commit(lambda: send_each(source_fetch_task, source_ids))


def source_retry(*, actor: User, source: Source) -> Source:
    """ "Retry now": back to the queue, with a fresh count of attempts."""
    require_role(actor, RESEARCHERS, "retry a fetch")
    with transaction.atomic():
        source = Source.objects.select_for_update().get(pk=source.pk)
        if source.status != Source.Status.FAILED:
            raise DeskError(
                f"This source is {source.get_status_display().lower()}: only a failed fetch "
                "can be retried."
            )
        before = audit.field_values(source, ("status", "attempts"))
        Source.objects.filter(pk=source.pk).update(
            status=Source.Status.PENDING,
            attempts=0,
            next_attempt_at=timezone.now(),
            last_error="",
            updated_at=timezone.now(),
        )
        source.refresh_from_db()
        audit.record(
            actor=actor,
            action="source.retry",
            target=source,
            summary=f"retried {source.label}",
            changes=audit.diff(before, audit.field_values(source, ("status", "attempts"))),
        )
        enqueue_fetch(source.pk)
    return source


def _lease() -> timedelta:
    return timedelta(seconds=settings.FETCH_LEASE_SECONDS)


@dataclass(frozen=True)
class Claimed:
    """A row this worker took, with what the claim statement learnt on the way."""

    source: Source
    next_in_line: int | None  # the site's next waiting page, released by the claim
    latest_sha256: str | None  # the newest snapshot's hash; None before the first
    awaited_by_article: bool  # an article added by URL waits for this page's text


def source_claim(source_id: int) -> Claimed | None:
    """Take the row for this worker: a conditional update that only one delivery can win.
    Returns None when the row is not due, already done, or leased to a live worker.

    In the same statement (one round trip, on the path every fetch takes): the next page of
    its site waiting behind it is released (sent on by _hand_on), and what archiving will
    need to know: the newest snapshot's hash (is the content new?) and whether an article
    added by URL waits for this page's text."""
    now = timezone.now()
    claimed = Source.objects.raw(
        f"WITH claimed AS (UPDATE {SOURCE} "  # noqa: S608 - table names are ours
        "SET status = %s, lease_expires_at = %s, attempts = attempts + 1, updated_at = %s, "
        "awaiting_host = false WHERE id = %s AND ((status = %s AND next_attempt_at <= %s) "
        "OR (status = %s AND lease_expires_at < %s)) RETURNING *), "
        f"next_in_line AS (UPDATE {SOURCE} SET awaiting_host = false, next_attempt_at = %s, "
        f"updated_at = %s WHERE id = (SELECT id FROM {SOURCE} WHERE status = 'pending' "
        "AND awaiting_host AND id <> %s AND host = (SELECT host FROM claimed WHERE host <> '') "
        "ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED) RETURNING id) "
        "SELECT claimed.*, (SELECT id FROM next_in_line) AS next_in_line, "
        f"(SELECT sha256 FROM {SNAPSHOT} WHERE source_id = claimed.id "
        "ORDER BY fetched_at DESC LIMIT 1) AS latest_sha256, "
        f"EXISTS (SELECT 1 FROM {ARTICLE} WHERE source_id = claimed.id AND text = '') "
        "AS awaited_by_article FROM claimed",
        [
            Source.Status.FETCHING,
            now + _lease(),
            now,
            source_id,
            Source.Status.PENDING,
            now,
            Source.Status.FETCHING,
            now,
            now,  # the next page is due at once: politeness says when it may start
            now,
            source_id,
        ],
    )
    row = next(iter(claimed), None)
    if row is None:
        return None
    learnt = vars(row)  # raw() sets the statement's extra columns on the instance
    return Claimed(
        row, learnt["next_in_line"], learnt["latest_sha256"], learnt["awaited_by_article"]
    )


def sources_due(limit: int = 500) -> list[int]:
    """What the sweeper re-enqueues: rows due for a try, and rows whose worker vanished."""
    now = timezone.now()
    return list(
        Source.objects.filter(
            Q(status=Source.Status.PENDING, next_attempt_at__lte=now)
            | Q(status=Source.Status.FETCHING, lease_expires_at__lt=now)
        ).values_list("id", flat=True)[:limit]
    )


def backoff(attempts: int, retry_after: float | None = None) -> timedelta:
    """Exponential, with jitter so that failures of one host do not come back in step."""
    if retry_after is not None:
        return timedelta(seconds=min(retry_after, 6 * 3600))
    base = min(settings.FETCH_RETRY_BASE_SECONDS * 2 ** max(0, attempts - 1), 3600)
    return timedelta(seconds=base * random.uniform(0.8, 1.2))  # noqa: S311 - jitter


def _http_error(result: FetchResult) -> FetchError:
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


def _record_failure(claimed: Claimed, error: FetchError) -> Source:
    """Transient failures wait in the row and stay pending until the last attempt; a
    permanent one (or the last attempt) fails with the reason, in words."""
    source, now = claimed.source, timezone.now()
    update: dict[str, object]
    if error.gone and claimed.latest_sha256 is not None:
        # A re-check of an archived source found it gone: flag the dead link, keep the copy.
        update = {"status": Source.Status.DONE, "next_attempt_at": None, "dead_since": now}
    elif error.permanent or source.attempts >= settings.FETCH_MAX_ATTEMPTS:
        update = {"status": Source.Status.FAILED, "next_attempt_at": None}
    else:
        update = {
            "status": Source.Status.PENDING,
            "next_attempt_at": now + backoff(source.attempts, error.retry_after),
        }
    Source.objects.filter(pk=source.pk).update(
        last_error=error.reason[:500], lease_expires_at=None, updated_at=now, **update
    )
    source.refresh_from_db()
    return source


def _reschedule(source: Source, *, wait: float) -> Source:
    """The host is busy: back to pending without using up an attempt, and a hint to the
    queue for when the slot frees (the row's next_attempt_at stays the truth)."""
    now = timezone.now()
    due = now + timedelta(seconds=wait)
    pending = {
        "status": Source.Status.PENDING,
        "lease_expires_at": None,
        "next_attempt_at": due,
        "updated_at": now,
    }
    Source.objects.filter(pk=source.pk, status=Source.Status.FETCHING).update(
        attempts=F("attempts") - 1, **pending
    )
    _send_at(source.pk, due)
    for name, value in pending.items():
        setattr(source, name, value)
    source.attempts -= 1
    return source


def source_fetch(*, source_id: int, client: GuardedClient | None = None) -> Source | None:
    """Fetch a source and archive what it serves.

    1. Claim the row (a second delivery of the same task stops here), and release the next
       page of its site waiting behind it, if any.
    2. Obey robots.txt; take a slot for the host, or give the row back with a time to
       come back (the worker does not wait). Send the next page for the slot after.
    3. Fetch through the guarded client; HTTP errors become reasons an editor can act on.
    4. Store the body under its SHA-256 and read it (text, title, author, date).
    5. At once (one statement, or one transaction when an article waits for the text): a
       snapshot if the content is new, and the row marked done.

    An uploaded file skips 2 and 3: its body is already stored.
    """
    claimed = source_claim(source_id)
    if claimed is None:
        return None
    source = claimed.source
    if source.is_upload:
        with default_storage.open(_body_path(source.canonical_url.removeprefix("upload:"))) as f:
            body = f.read()
        return _archive(claimed, body=body, content_type=source.file_type)
    client = client or GuardedClient()
    try:
        crawl_delay = politeness.check_robots(source.url, client)
    except FetchError as error:
        _hand_on(claimed)  # the next page learns its own outcome
        return _record_failure(claimed, error)
    slot = politeness.acquire(source.url, crawl_delay, ticket=f"source-{source.pk}")
    _hand_on(claimed, crawl_delay)  # the slot after this page's, taken now or promised
    if not isinstance(slot, politeness.HostSlot):
        return _reschedule(source, wait=slot)
    try:
        result = client.get(source.url)
        if result.status >= 400:
            raise _http_error(result)
    except FetchError as error:
        return _record_failure(claimed, error)
    finally:
        slot.release()
    return _archive(
        claimed,
        body=result.body,
        content_type=result.content_type,
        charset=result.charset,
        final_url=result.url,
        http_status=result.status,
    )


def _hand_on(claimed: Claimed, crawl_delay: float = 0.0) -> None:
    """Send on the page of the site that waited behind this one (released by the claim),
    promised the site's next slot. Its row is due at once: the promise, not the row, says
    when it may start, so however early its message comes it is not lost (the page is told
    to come back), and the sweeper sends it again should the message be lost."""
    if (next_in_line := claimed.next_in_line) is not None:
        wait = politeness.reserve(claimed.source.url, f"source-{next_in_line}", crawl_delay)
        _send_at(next_in_line, timezone.now() + timedelta(seconds=wait))


def _send_at(source_id: int, due: datetime) -> None:
    """A message for the fetch queue, delivered a little after `due` (the row's time, or its
    politeness slot), so that it never comes early and finds nothing to do yet."""
    from factdesk.sources.tasks import source_fetch_task

    source_fetch_task.apply_async((source_id,), eta=due + timedelta(milliseconds=20))


def _body_path(digest: str) -> str:
    return f"snapshots/{digest[:2]}/{digest}"


def _store_body(body: bytes) -> str:
    """Keep the body under its SHA-256 (once: the same content is stored once)."""
    digest = hashlib.sha256(body).hexdigest()
    if not default_storage.exists(_body_path(digest)):
        default_storage.save(_body_path(digest), ContentFile(body))
    return digest


def _archive(
    claimed: Claimed,
    *,
    body: bytes,
    content_type: str,
    charset: str | None = None,
    final_url: str = "",
    http_status: int | None = None,
) -> Source:
    source = claimed.source
    reading = read_body(body, content_type, charset, final_url)
    if reading.soft_404 and not source.is_upload:
        # A "not found" page served with 200: not the source the editor cited.
        return _record_failure(
            claimed,
            FetchError(
                "The page says it was not found (the server answered 200 but showed an "
                "error page: a “soft 404”).",
                permanent=True,
                gone=True,
            ),
        )
    digest = _store_body(body)
    now = timezone.now()
    # The row is leased to this worker: nobody else adds a snapshot of it meanwhile. Content
    # unlike the newest copy may still be an older one's (changed, then changed back).
    latest = claimed.latest_sha256
    new_content = digest != latest and (
        latest is None or not Snapshot.objects.filter(source=source, sha256=digest).exists()
    )
    done = {
        "status": Source.Status.DONE,
        "dead_since": None,
        "fetched_at": now,
        "last_error": "",
        "lease_expires_at": None,
        "next_attempt_at": None,
        "updated_at": now,
    }
    snapshot = (
        {
            "source": source.pk,
            "sha256": digest,
            "fetched_at": now,
            "final_url": final_url,
            "http_status": http_status,
            "content_type": content_type[:100],
            "size": len(body),
            "body": _body_path(digest),
            "reading": reading.status,
            "title": reading.title,
            "author": reading.author,
            "published": reading.published,
            "site_name": reading.site_name,
            "text": reading.text,
            "links": reading.links,
        }
        if new_content
        else None
    )
    awaited = claimed.awaited_by_article
    wayback_wanted = new_content and wayback.wanted(source)
    # Usually one statement does it all; an article waiting for the text, or a Wayback copy
    # to ask for, adds steps that must commit with it.
    with transaction.atomic() if awaited or wayback_wanted else nullcontext():
        _mark_archived(source, snapshot, done)
        if awaited:
            articles_fill_from_source(source_id=source.pk)
        if wayback_wanted:
            wayback.wayback_request(source)
    for name, value in done.items():
        setattr(source, name, value)
    return source


def _mark_archived(source: Source, snapshot: dict | None, done: dict) -> None:
    """The row done, with its new snapshot (if the content is new) and the citations' first
    archived copy: one SQL statement, atomic by itself and one round trip on the path every
    fetch takes. Columns and values come from the models' own fields."""
    assignments = ", ".join(f"{_field(Source, name).column} = %s" for name in done)
    params: list[Any] = [_db_value(Source, name, value) for name, value in done.items()]
    if snapshot is None:
        sql = f"UPDATE {SOURCE} SET {assignments} WHERE id = %s"  # noqa: S608 - our names
    else:
        columns = ", ".join(_field(Snapshot, name).column for name in snapshot)
        placeholders = ", ".join(["%s"] * len(snapshot))
        sql = (
            f"WITH snapshot AS (INSERT INTO {SNAPSHOT} ({columns}) "  # noqa: S608 - our names
            f"VALUES ({placeholders}) RETURNING id), "
            f"cited AS (UPDATE {CITATION} SET cited_snapshot_id = (SELECT id FROM snapshot) "
            "WHERE source_id = %s AND cited_snapshot_id IS NULL) "
            f"UPDATE {SOURCE} SET {assignments} WHERE id = %s"
        )
        params = [
            *(_db_value(Snapshot, name, value) for name, value in snapshot.items()),
            source.pk,
            *params,
        ]
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, source.pk])


def _field(model: type[models.Model], name: str) -> models.Field:
    return cast(models.Field, model._meta.get_field(name))


def _db_value(model: type[models.Model], name: str, value: object) -> Any:
    return _field(model, name).get_db_prep_save(value, connection)


def sources_recheck_published() -> int:
    """Queue a fresh fetch of every archived source cited by a published fact check (beat,
    daily). New content makes a new snapshot, and the citation shows it changed."""
    sources = Source.objects.filter(
        kind=Source.Kind.WEB,
        status=Source.Status.DONE,
        citations__claim__status__in=PUBLIC_STATUSES,
    ).distinct()
    ids = list(sources.values_list("id", flat=True))
    Source.objects.filter(id__in=ids).update(
        status=Source.Status.PENDING, attempts=0, next_attempt_at=timezone.now()
    )
    enqueue_fetches(ids)
    return len(ids)
