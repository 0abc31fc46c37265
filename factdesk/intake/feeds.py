"""ClaimReview feeds read into the desk's external fact checks: a schema.org DataFeed in
JSON-LD (`dataFeedElement` → DataFeedItem → `item`: ClaimReviews), as the Data Commons
fact-check feed is published, or a plain JSON array of ClaimReviews. Read as a stream
(ijson), so a feed of any size takes little memory; a worker does it and the page shows its
progress. Every review that can be read is imported (again: updated, never doubled); the
others are skipped, each with its reason."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from functools import partial
from typing import IO, Any

import ijson
from django.conf import settings
from django.contrib.auth.models import User
from django.core.files.base import ContentFile, File
from django.core.files.storage import default_storage
from django.db import transaction

from factdesk.accounts.roles import require_role
from factdesk.claims import audit
from factdesk.claims.workflow import RESEARCHERS
from factdesk.core import idempotency
from factdesk.core.errors import DeskError
from factdesk.core.http import FetchError, GuardedClient
from factdesk.core.sizes import size_words
from factdesk.intake.claimreview import ClaimReviewError, read_feed_review
from factdesk.intake.models import ExternalFactCheck, FeedImport
from factdesk.intake.services import external_fact_check_save, send_embed
from factdesk.sources.fetching import http_error
from factdesk.sources.services import url_problem

SKIPS_KEPT = 100  # reasons listed on the page; the count goes on
PROGRESS_EVERY = 0.5  # seconds between progress writes


def feed_import_start(
    *,
    actor: User,
    upload: File | None = None,
    url: str = "",
    idempotency_key: uuid.UUID | None = None,
) -> FeedImport:
    """Take a feed file (or a feed's address) for a worker to read. Raises DeskError saying
    what is wrong with it; nothing is kept then."""
    require_role(actor, RESEARCHERS, "import a ClaimReview feed")
    url = url.strip()
    if bool(upload) == bool(url):
        raise DeskError("Upload a feed file or give a feed's address (one of the two).")
    if url and (problem := url_problem(url)):
        raise DeskError(f"“{url[:200]}” {problem}.", field="url")
    if upload is not None:
        _check_upload(upload)

    def create() -> FeedImport:
        feed = FeedImport.objects.create(
            name=(upload.name if upload is not None else url) or "feed",
            url=url,
            size=upload.size if upload is not None else 0,
            started_by=actor,
        )
        if upload is not None:
            upload.seek(0)
            feed.body = default_storage.save(f"feeds/{uuid.uuid4().hex}.json", upload)
            feed.save(update_fields=["body"])
        audit.record(
            actor=actor,
            action="external.feed_started",
            target=feed,
            summary=f"started importing the ClaimReview feed {feed.name[:200]}",
            changes={"feed": [None, feed.name[:200]]},
        )
        transaction.on_commit(partial(send_feed_import, feed.pk))
        return feed

    with transaction.atomic():
        return idempotency.once(key=idempotency_key, user=actor, create=create)


def _check_upload(upload: File) -> None:
    if not upload.size:
        raise DeskError("The file is empty: choose the feed's JSON file.", field="file")
    if upload.size > settings.FEED_MAX_BYTES:
        raise DeskError(
            f"The file is {size_words(upload.size)}; feeds of up to "
            f"{size_words(settings.FEED_MAX_BYTES)} are read. Split it, or give its address.",
            field="file",
        )
    upload.seek(0)
    start = upload.read(512).lstrip(b"\xef\xbb\xbf \t\r\n")
    if not start.startswith((b"{", b"[")):
        raise DeskError(
            "This is not a JSON file: a ClaimReview feed is schema.org JSON-LD (a DataFeed, "
            "or a list of ClaimReviews), as fact-checkers publish it for search engines.",
            field="file",
        )


def send_feed_import(feed_id: int) -> None:
    from factdesk.intake.tasks import feed_import

    feed_import.delay(feed_id)


def feed_import_run(feed_id: int) -> FeedImport:
    """Read the feed (fetching it first when it was given by address), importing as it
    goes. Run once: a feed already taken by a worker is left to it."""
    taken = FeedImport.objects.filter(pk=feed_id, status=FeedImport.Status.WAITING).update(
        status=FeedImport.Status.READING
    )
    feed = FeedImport.objects.get(pk=feed_id)
    if not taken:
        return feed
    try:
        if not feed.body:
            _fetch(feed)
        with default_storage.open(feed.body, "rb") as stream:
            _read(feed, stream)
    except DeskError as error:
        feed.status, feed.error = FeedImport.Status.FAILED, error.message
    else:
        feed.status = FeedImport.Status.DONE
    feed.save()
    if feed.body:
        default_storage.delete(feed.body)  # its reviews are rows now
    if feed.started_by is None:  # their account was erased meanwhile
        return feed
    audit.record(
        actor=feed.started_by,
        action="external.feed_imported",
        target=feed,
        summary=f"imported the ClaimReview feed {feed.name[:200]}: {feed.imported} new, "
        f"{feed.updated} updated, {feed.skipped} skipped"
        + (f" (stopped: {feed.error})" if feed.error else ""),
        changes={
            "imported": [0, feed.imported],
            "updated": [0, feed.updated],
            "skipped": [0, feed.skipped],
        },
    )
    return feed


def _fetch(feed: FeedImport) -> None:
    try:
        result = GuardedClient(max_bytes=settings.FEED_MAX_BYTES).get(feed.url)
        if result.status >= 400:
            raise http_error(result)
    except FetchError as error:
        raise DeskError(f"The feed could not be fetched: {error.reason}") from None
    if not result.body.lstrip(b"\xef\xbb\xbf \t\r\n").startswith((b"{", b"[")):
        raise DeskError(
            "The address did not give JSON: a ClaimReview feed is schema.org JSON-LD (a "
            "DataFeed, or a list of ClaimReviews)."
        )
    feed.body = default_storage.save(f"feeds/{uuid.uuid4().hex}.json", ContentFile(result.body))
    feed.size = len(result.body)
    feed.save(update_fields=["body", "size"])


def _reviews(stream: IO[bytes]) -> Iterator[Any]:
    """Each ClaimReview-to-be of the feed, in order, as parsed JSON."""
    first = stream.read(1024).lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    stream.seek(0)
    if first == b"[":
        yield from ijson.items(stream, "item", use_float=True)
        return
    for element in ijson.items(stream, "dataFeedElement.item", use_float=True):
        items = element.get("item") if isinstance(element, dict) else None
        if isinstance(items, list):
            yield from items
        elif items is not None:
            yield items
        else:
            yield element  # a ClaimReview put straight in dataFeedElement


def _read(feed: FeedImport, stream: IO[bytes]) -> None:
    position, saved_at, saved_ids = 0, time.monotonic(), []
    try:
        for position, item in enumerate(_reviews(stream), 1):
            try:
                review = read_feed_review(item)
            except ClaimReviewError as error:
                feed.skipped += 1
                if len(feed.skipped_reasons) < SKIPS_KEPT:
                    feed.skipped_reasons.append({"position": position, "reason": error.message})
            else:
                row, created = external_fact_check_save(
                    review, origin=ExternalFactCheck.Origin.FEED, imported_by=feed.started_by
                )
                # An updated one too: its headline may have changed (the embedding skips
                # a row whose texts did not).
                saved_ids.append(row.pk)
                if created:
                    feed.imported += 1
                else:
                    feed.updated += 1
            if time.monotonic() - saved_at >= PROGRESS_EVERY:
                feed.read = stream.tell()
                feed.save()
                saved_at = time.monotonic()
    except ijson.JSONError as error:
        raise DeskError(
            f"The file stops being valid JSON after review {position:,} ({error}): the reviews "
            "before that point were imported. Fix the file and import it again: nothing is "
            "doubled."
        ) from None
    finally:
        feed.read = feed.size
        _embed(saved_ids)
    if not position:
        raise DeskError(
            "No ClaimReview in it: a feed is a schema.org DataFeed whose dataFeedElement "
            "items hold ClaimReviews, or a list of ClaimReviews."
        )


def _embed(ids: list[int]) -> None:
    for start in range(0, len(ids), 200):
        send_embed("fact_check", ids[start : start + 200])
