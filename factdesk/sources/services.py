"""Citing sources on a claim (one URL, a paste of many, an uploaded file), pinning evidence,
and asking for a fetch again. The fetch itself is fetching.py's."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone

from factdesk.accounts.roles import require_role
from factdesk.claims import audit
from factdesk.claims.models import Activity, Claim
from factdesk.claims.workflow import RESEARCHERS
from factdesk.core.errors import DeskError
from factdesk.core.http import BlockedURL, PrivateAddress, check_fetchable
from factdesk.sources import politeness, uploads
from factdesk.sources.canonical import NotFetchable, canonical_url
from factdesk.sources.fetching import enqueue_fetches, spread_by_host, store_body
from factdesk.sources.models import Citation, Snapshot, Source, last_published_at

_validate_url = URLValidator(schemes=["http", "https"])


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
    if problem := url_problem(url):
        raise DeskError(f"“{url}” {problem}.", field="url")
    source, new_source = Source.objects.get_or_create(
        canonical_url=canonical_url(url),
        defaults={"url": url, "host": politeness.host_of(url), "added_by": added_by},
    )
    if new_source:
        enqueue_fetches([source])
    return source


def url_problem(url: str) -> str | None:
    """What the desk would refuse in an address it is given to fetch (its form, then its
    site's address, resolved but not fetched), finishing a sentence that starts with the
    URL; None when it can be fetched."""
    return _url_problem(url) or _address_problem(url, {})


def _url_problem(url: str) -> str | None:
    """What is wrong with a URL to cite, finishing a sentence that starts with the URL; None
    when it can be fetched."""
    try:
        _validate_url(url)
        canonical_url(url)
    except ValidationError:
        return "is not a web address. Paste a full URL starting with http:// or https://"
    except NotFetchable as problem:
        return f"is not a web address that can be fetched: {problem}"
    return None


def _address_problem(url: str, checked: dict[str, str | None]) -> str | None:
    """What the guarded client would refuse in a well-formed URL's address (resolved, not
    fetched), finishing a sentence that starts with the URL; None when it may be fetched.
    `checked` keeps each site's answer, so a paste looks up each site once."""
    site = urlsplit(url).netloc.lower()
    if site not in checked:
        try:
            check_fetchable(url)
        except PrivateAddress as refused:
            checked[site] = (
                f"is on a private network ({refused.address}); the desk fetches only public "
                "web pages"
            )
        except BlockedURL as refused:
            checked[site] = f"is not a web address that can be fetched: {refused.reason}".rstrip(
                "."
            )
        else:
            checked[site] = None
    return checked[site]


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
    digest = store_body(body)
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
            enqueue_fetches([source])
        return _cite(actor=actor, claim=claim, source=source, stance=stance, note=note)


def citations_paste(
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
    checked: dict[str, str | None] = {}
    problems = [
        f"line {number}: “{line[:80]}” {problem}"
        for number, line in enumerate(lines, start=1)
        if (problem := _url_problem(line) or _address_problem(line, checked))
    ]
    if problems:
        raise DeskError("; ".join(problems) + ". Nothing was cited.", field="urls")
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
        sources, new = sources_for_urls(wanted, added_by=actor)
        cited = set(
            Citation.objects.filter(claim=claim, source__in=sources.values()).values_list(
                "source_id", flat=True
            )
        )
        archived = dict(
            Snapshot.objects.filter(source__in=sources.values())
            .newest()
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
        enqueue_fetches(new)
    return added, already


def sources_for_urls(
    wanted: dict[str, str], *, added_by: User
) -> tuple[dict[str, Source], list[Source]]:
    """The Source of each address in `wanted` (canonical URL → the URL as given), those
    not on the desk yet made in one insert, a site's pages an interval apart. Returns every
    source by canonical URL, and the new ones (for `enqueue_fetches` once committed)."""
    known = set(Source.objects.filter(canonical_url__in=wanted).values_list("id", flat=True))
    now = timezone.now()
    new_rows = [
        Source(
            canonical_url=key,
            url=url,
            host=politeness.host_of(url),
            added_by=added_by,
            next_attempt_at=now,
        )
        for key, url in wanted.items()
    ]
    spread_by_host(new_rows, start=now)
    Source.objects.bulk_create(
        new_rows,
        ignore_conflicts=True,  # cited meanwhile by someone else: theirs is the one
    )
    sources = {s.canonical_url: s for s in Source.objects.filter(canonical_url__in=wanted)}
    return sources, [s for s in sources.values() if s.pk not in known]


PASSAGE_MAX_CHARS = 5_000


def citation_pin(*, actor: User, citation: Citation, passage: str, unpin: bool = False) -> Citation:
    """Pin a passage of the source as quoted evidence, or unpin it. Pinning a pinned passage
    (or unpinning one that is not) changes nothing: a double click does what one does."""
    require_role(actor, RESEARCHERS, "pin evidence")
    passage = " ".join(passage.split())
    if not passage:
        raise DeskError("Choose a passage to pin.")
    if len(passage) > PASSAGE_MAX_CHARS:
        raise DeskError(
            f"A pinned passage is at most {PASSAGE_MAX_CHARS:,} characters (this one has "
            f"{len(passage):,}): pin the sentences that matter."
        )
    latest = citation.source.newest_snapshot()
    if latest is None or passage not in " ".join(latest.text.split()):
        raise DeskError("That passage is not in the archived copy of the source.")
    with transaction.atomic():
        citation = Citation.objects.select_for_update().get(pk=citation.pk)
        unpinning = unpin
        if (passage in citation.pinned) != unpinning:
            return citation  # already as asked
        with audit.change(
            actor=actor,
            action="citation.pinned",
            target=citation,
            claim=citation.claim,
            fields=("pinned",),
            summary=("unpinned" if unpinning else "pinned")
            + f" a passage of {citation.source.label}",
        ):
            citation.pinned = (
                [p for p in citation.pinned if p != passage]
                if unpinning
                else [*citation.pinned, passage]
            )
            citation.save(update_fields=["pinned", "updated_at"])
    return citation


def citation_remove(*, actor: User, citation: Citation) -> None:
    """Remove a citation that no published verdict rests on. One cited when a version was
    published stays as readers saw it, during a correction too (whatever the status)."""
    require_role(actor, RESEARCHERS, "remove a citation")
    with transaction.atomic():
        # The claim's row, as a publication takes it: no verdict is published meanwhile.
        Claim.objects.select_for_update().filter(pk=citation.claim_id).first()
        if citation.is_published(last_published_at(citation.claim_id)):
            raise DeskError(
                "This source was cited when the verdict was published: it stays as readers "
                "saw it. Add a note to the correction instead of removing it."
            )
        with audit.change(
            actor=actor,
            action="citation.removed",
            target=citation,
            claim=citation.claim,
            fields=("source", "stance", "note"),
            summary=f"removed the citation of {citation.source.label}",
        ) as change:
            change.changes = {name: [value, None] for name, value in change.before_values().items()}
        citation.delete()  # after the entry is recorded: it names the row by its id


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
        if source.failed_for_good:
            raise DeskError(
                f"Trying again would get the same answer ({source.last_error.rstrip('.')}): "
                "check the address, or cite another copy of the page."
            )
        with audit.change(
            actor=actor,
            action="source.retry",
            target=source,
            fields=("status", "attempts"),
            summary=f"retried {source.label}",
        ):
            source.status, source.attempts, source.last_error = Source.Status.PENDING, 0, ""
            source.next_attempt_at, source.failed_for_good = timezone.now(), False
            source.save(
                update_fields=[
                    "status",
                    "attempts",
                    "last_error",
                    "failed_for_good",
                    "next_attempt_at",
                    "updated_at",
                ]
            )
        enqueue_fetches([source])
    return source


def citations_carry_over(*, actor: User, claim: Claim, into: Claim) -> int:
    """A claim merged into another (marked as its duplicate) hands on its evidence: each of
    its citations whose source `into` does not cite yet is cited there too, with its stance,
    note (saying where it came from) and pinned passages. Returns how many; a second call
    finds none to carry."""
    cited = set(Citation.objects.filter(claim=into).values_list("source_id", flat=True))
    carried = [
        Citation(
            claim=into,
            source_id=citation.source_id,
            stance=citation.stance,
            cited_snapshot_id=citation.cited_snapshot_id,
            pinned=citation.pinned,
            note=(f"{citation.note} " if citation.note else "")
            + f"(cited on claim #{claim.pk}, merged into this one)",
            added_by=actor,
        )
        for citation in Citation.objects.filter(claim=claim).order_by("created_at")
        if citation.source_id not in cited
    ]
    if not carried:
        return 0
    with transaction.atomic():
        Citation.objects.bulk_create(carried, ignore_conflicts=True)
        audit.record(
            actor=actor,
            action="citation.carried_over",
            target=into,
            claim=into,
            summary=f"carried over {len(carried)} source{'s' if len(carried) != 1 else ''} "
            f"from claim #{claim.pk}, merged into this one",
            changes={"sources": [None, [citation.source_id for citation in carried]]},
        )
    return len(carried)
