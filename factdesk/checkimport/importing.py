"""A Check workspace export read into the desk, or only read to say what would come in (the
dry run): one engine, so that the dry run's counts are the import's.

What becomes what (the export links almost nothing: docs in the format description):
- items → claims: the claim's wording, the original submission as the quote, the media's
  address as where it was said (and cited, fetched after the import commits), tags as
  topics, the item's date; claimant "Unknown claimant (imported from Check)", an ordinary
  claimant editors rename or merge; the importing user as creator.
- an item's Check status → its workflow status and rating (mapping.py).
- fact checks → the verdict of the item they pair with (equal title, or for Fetch imports
  equal summary and description: the only pairings the export allows), published when
  Check published them; the others → fact checks from elsewhere, never lost.
- users → inactive accounts with the matching role (bots left out).
- annotation answers → one comment on the item's claim.
Explainers, tipline requests and newsletters have no place on the desk yet: counted in
the report, left in the ZIP.
"""

from __future__ import annotations

import hashlib
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import Any
from urllib.parse import urlsplit

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group, User
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.db import connection, transaction
from django.utils import timezone

from factdesk.accounts.roles import Role, require_role
from factdesk.checkimport import reader
from factdesk.checkimport.mapping import Mapped, humanised, status_mappings
from factdesk.checkimport.models import CheckImport, CheckRecord, Outcome
from factdesk.checkimport.reader import Export, Row
from factdesk.claims import audit
from factdesk.claims.models import (
    Activity,
    Claim,
    Claimant,
    ClaimTopic,
    Comment,
    Medium,
    Rating,
    Topic,
    Verdict,
)
from factdesk.claims.services import CLAIM_FIELDS, VERDICT_FIELDS, _topic_named, claimant_create
from factdesk.claims.workflow import PUBLISHERS, ClaimStatus, DismissReason
from factdesk.core import languages
from factdesk.core.errors import DeskError
from factdesk.intake.claimreview import ReviewRead
from factdesk.intake.models import ExternalFactCheck
from factdesk.intake.services import external_fact_check_save, send_embed
from factdesk.sources.canonical import NotFetchable, canonical_url
from factdesk.sources.fetching import enqueue_fetches
from factdesk.sources.models import Citation
from factdesk.sources.services import sources_for_urls

UNKNOWN_CLAIMANT = "Unknown claimant (imported from Check)"
ROLES = {"admin": Role.PUBLISHER, "editor": Role.EDITOR, "collaborator": Role.REPORTER}
MEDIA_WITH_URL = {"Link", "UploadedImage", "UploadedVideo", "UploadedAudio"}
BATCH = 500  # items written per round of bulk inserts
PROGRESS_EVERY = 0.5  # seconds between progress reports
SKIPS_KEPT = 1000  # skipped rows listed; the count goes on
EMBED_BATCH = 200
# pg_advisory_xact_lock's first key: two imports of one workspace queue up, so the second
# finds the first's records instead of failing on their unique key.
LOCK_CLASS = 4217

Progress = Callable[[int, int, str], None]  # rows done, rows in all, what is being read

_validate_url = URLValidator(schemes=["http", "https"])


@dataclass
class Report:
    """What an import created (or, dry, would create), what it found imported already, what
    it skipped and why, the Check statuses it could not map, and notes for the editor."""

    workspace: dict[str, Any] = field(default_factory=dict)
    created: Counter[str] = field(default_factory=Counter)
    already: Counter[str] = field(default_factory=Counter)
    skipped: list[dict[str, Any]] = field(default_factory=list)
    skipped_total: int = 0
    unmapped: Counter[str] = field(default_factory=Counter)
    statuses: Counter[str] = field(default_factory=Counter)
    notes: list[str] = field(default_factory=list)
    dry_run: bool = False

    def skip(self, row: Row | None, reason: str, *, file: str = "") -> None:
        self.skipped_total += 1
        if len(self.skipped) < SKIPS_KEPT:
            self.skipped.append(
                {
                    "file": row.file if row else file,
                    "row": row.number if row else None,
                    "reason": reason,
                }
            )

    def as_json(self) -> dict[str, Any]:
        keys = ("claims", "verdicts", "users", "external_fact_checks", "comments", "topics")
        return {
            "created": {key: self.created[key] for key in keys} | dict(self.created),
            "skipped": self.skipped,
            "skipped_total": self.skipped_total,
            "unmapped_statuses": sorted(self.unmapped),
            "unmapped_items": dict(sorted(self.unmapped.items())),
            "already_imported": dict(self.already),
            "statuses": dict(sorted(self.statuses.items())),
            "workspace": self.workspace,
            "notes": self.notes,
            "dry_run": self.dry_run,
        }


def _key(text: str) -> bytes:
    """What two texts are compared by when pairing: their words, case aside (a digest, so
    that the fact checks' index holds 16 bytes a text, not the text)."""
    words = " ".join(text.casefold().split())
    return hashlib.blake2b(words.encode(), digest_size=16).digest()


def _number(value: str) -> int | None:
    value = value.strip()
    return int(value) if value.isascii() and value.isdigit() else None


def _web_address(value: str) -> str:
    """`value` when it is an address the fetch workers can take, else ""."""
    value = value.strip()
    if not value or len(value) > 2000:
        return ""
    try:
        _validate_url(value)
        canonical_url(value)
    except (ValidationError, NotFetchable):
        return ""
    return value


@dataclass
class _Item:
    """An item read, waiting for its batch to be written."""

    row: Row
    check_id: int
    claim: Claim
    tags: list[str]
    media_url: str
    mapped: Mapped
    fact_check: int | None


@dataclass
class _Paired:
    """A fact check paired with an item: the item's claim and what its status meant."""

    item_id: int
    claim_id: int | None  # None in a dry run
    mapped: Mapped
    published: bool
    when: Any  # the item's date: the verdict's, which the export does not give


class Importer:
    """One pass of an export: `run()` reads it in order (workspace, users, fact checks'
    titles, items, fact checks, annotations) and, unless `dry_run`, writes as it goes.
    The caller holds the transaction; `progress` hears how far it is."""

    def __init__(
        self,
        export: Export,
        *,
        actor: User | None,
        dry_run: bool,
        check_import: CheckImport | None = None,
        progress: Progress | None = None,
    ) -> None:
        if not dry_run and actor is None:
            raise ValueError("an import is made by someone")
        self.export = export
        self.actor = actor
        self.dry_run = dry_run
        self.check_import = check_import
        self.progress = progress
        self.report = Report(dry_run=dry_run)
        self.done = 0
        self.total = 0
        self.phase = ""
        self._reported_at = 0.0
        self.workspace_id = 0
        self.workspace_name = ""
        self.workspace_url = ""
        self.records: dict[str, dict[int, int]] = {kind: {} for kind in CheckRecord.Kind.values}
        self.claims: dict[int, int | None] = {}  # item id → claim id (None: dry run)
        self.paired: dict[int, _Paired] = {}  # fact check id → its item
        self.fact_check_state: dict[int, str] = {}
        self.by_title: dict[bytes, list[int]] = {}
        self.by_summary: dict[bytes, list[int]] = {}
        self.topics: dict[str, Topic | None] = {}
        self.claimant: Claimant | None = None
        self.new_claim_ids: list[int] = []
        self.new_fact_check_ids: list[int] = []
        self.undated = 0

    # ── the pass ────────────────────────────────────────────────────────────────────────

    def run(self) -> Report:
        self._workspace()
        counts = {
            name: self.export.count(name)
            for name in (reader.USERS, reader.FACT_CHECKS, reader.ITEMS, reader.ANNOTATIONS)
        }
        # The fact checks are read twice: for their titles, then to import them.
        self.total = sum(counts.values()) + counts[reader.FACT_CHECKS]
        self._tell("starting", force=True)
        if not self.dry_run:
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT pg_advisory_xact_lock(%s, %s)", [LOCK_CLASS, self.workspace_id % 2**31]
                )
        for kind, check_id, object_id in CheckRecord.objects.filter(
            workspace_id=self.workspace_id
        ).values_list("kind", "check_id", "object_id"):
            self.records[kind][check_id] = object_id
        self.claims.update(self.records[CheckRecord.Kind.ITEM])
        self.mappings = status_mappings()
        self._users()
        self._index_fact_checks()
        self._items()
        self._fact_checks()
        self._annotations()
        self._left_out()
        if self.undated:
            self.report.notes.append(
                f"{self.undated} fact check{'s' if self.undated != 1 else ''} paired with "
                f"{'an item' if self.undated == 1 else 'items'}: Check's export gives fact "
                "checks no date, so each takes its item's date."
            )
        if self.report.unmapped:
            self.report.notes.append(
                "Items with a Check status the desk has no mapping for are left out: map "
                f"{', '.join(sorted(self.report.unmapped))} on the statuses page, then import "
                "again (what came in already is not doubled)."
            )
        self._tell("done", force=True)
        if not self.dry_run:
            self._finish()
        return self.report

    def _tell(self, phase: str, *, force: bool = False) -> None:
        self.phase = phase
        now = time.monotonic()
        if self.progress is not None and (force or now - self._reported_at >= PROGRESS_EVERY):
            self.progress(min(self.done, self.total), self.total, phase)
            self._reported_at = now

    def _record(self, kind: str, check_id: int, object_id: int) -> CheckRecord:
        self.records[kind][check_id] = object_id
        return CheckRecord(
            workspace_id=self.workspace_id,
            kind=kind,
            check_id=check_id,
            object_id=object_id,
            check_import=self.check_import,
        )

    # ── workspace and users ─────────────────────────────────────────────────────────────

    def _workspace(self) -> None:
        row = next(self.export.rows(reader.WORKSPACE), None)
        workspace_id = _number(row.get("ID")) if row else None
        if row is None or workspace_id is None:
            raise DeskError(
                "workspace_data.csv does not name the workspace (no row with its ID): the "
                "export is incomplete. Download it from Check again."
            )
        self.workspace_id = workspace_id
        self.workspace_name = row.get("Name") or f"Check workspace {workspace_id}"
        self.workspace_url = _web_address(row.get("URL"))
        slug = urlsplit(self.workspace_url).path.rstrip("/").rsplit("/", 1)[-1]
        self.report.workspace = {"id": workspace_id, "name": self.workspace_name, "slug": slug}

    def _users(self) -> None:
        self._tell("users")
        rows = []
        for row in self.export.rows(reader.USERS):
            self.done += 1
            check_id = _number(row.get("ID"))
            if check_id is not None and check_id in self.records[CheckRecord.Kind.USER]:
                self.report.already["users"] += 1
                continue
            email, role = row.get("Email"), row.get("Role").lower()
            if not email:
                self.report.skip(
                    row,
                    f"{row.get('Name') or 'this account'} has no e-mail address: a bot "
                    "(such as Check's tipline bot), not a person to give an account",
                )
                continue
            try:
                validate_email(email)
            except ValidationError:
                self.report.skip(row, f"\u201c{email[:100]}\u201d is not an e-mail address")
                continue
            if role not in ROLES:
                self.report.skip(
                    row,
                    f"its role \u201c{role[:40]}\u201d is not one of Check's (admin, "
                    "editor, collaborator)",
                )
                continue
            rows.append((row, check_id, email, ROLES[role]))
        linked = 0
        for row, check_id, email, role in rows:
            user = User.objects.filter(email__iexact=email).order_by("pk").first()
            if user is not None:
                linked += 1
            elif self.dry_run:
                self.report.created["users"] += 1
                continue
            else:
                user = self._user_create(row, check_id, email, role)
                self.report.created["users"] += 1
            if check_id is not None and not self.dry_run:
                self._record(CheckRecord.Kind.USER, check_id, user.pk).save()
        if linked:
            self.report.notes.append(
                f"{linked} Check user{'s' if linked != 1 else ''} had an account on the desk "
                "already (the same e-mail address): kept as they are, roles unchanged."
            )

    def _user_create(self, row: Row, check_id: int | None, email: str, role: Role) -> User:
        """An inactive account (no password: an admin turns it on) with the role matching
        the Check role."""
        assert self.actor is not None
        username = email.lower()[:150]
        if User.objects.filter(username__iexact=username).exists():
            username = f"check-{check_id or row.number}-{username}"[:150]
        first, _, last = row.get("Name").partition(" ")
        user = User.objects.create(
            username=username,
            email=email,
            first_name=first[:150],
            last_name=last[:150],
            is_active=False,
            password=make_password(None),
            date_joined=reader.timestamp(row.get("Joined date")) or timezone.now(),
        )
        user.groups.add(Group.objects.get_or_create(name=role.value)[0])
        audit.record(
            actor=self.actor,
            action="user.imported",
            target=user,
            summary=f"imported the Check user {user.username} as an inactive {role.value}",
            changes={
                "username": [None, user.username],
                "role": [None, role.value],
                "is_active": [None, False],
            },
        )
        return user

    # ── fact checks, first: what items can pair with ──────────────────────────────────

    def _index_fact_checks(self) -> None:
        self._tell("fact checks")
        imported = (
            self.records[CheckRecord.Kind.FACT_CHECK] | self.records[CheckRecord.Kind.EXTERNAL]
        )
        for row in self.export.rows(reader.FACT_CHECKS):
            self.done += 1
            fact_check = _number(row.get("ID"))
            if fact_check is None or fact_check in imported:
                continue
            title, summary = row.get("Title"), row.get("Summary")
            self.fact_check_state[fact_check] = row.get("Report Status").lower()
            if title and title != reader.NO_ANSWER:
                self.by_title.setdefault(_key(title), []).append(fact_check)
            if summary and summary != reader.NO_ANSWER:
                self.by_summary.setdefault(_key(summary), []).append(fact_check)

    def _pair(self, title: str, description: str) -> int | None:
        """The fact check an item goes with, when exactly one fact check matches it and no
        earlier item took it: equal titles (an item made from a fact check without a
        claim takes its title), else, for Fetch imports, the item's description equal to
        the fact check's summary."""
        for text, index in ((title, self.by_title), (description, self.by_summary)):
            if not text or text == reader.NO_ANSWER:
                continue
            found = index.get(_key(text), [])
            if len(found) == 1 and found[0] not in self.paired:
                return found[0]
        return None

    # ── items ───────────────────────────────────────────────────────────────────────────

    def _items(self) -> None:
        self._tell("items")
        batch: list[_Item] = []
        for row in self.export.rows(reader.ITEMS):
            self.done += 1
            item = self._item(row)
            if item is not None:
                batch.append(item)
            if len(batch) >= BATCH:
                self._write_items(batch)
                batch = []
            self._tell("items")
        self._write_items(batch)

    def _item(self, row: Row) -> _Item | None:
        item_id = _number(row.get("ID"))
        if item_id is None:
            self.report.skip(row, f"its ID \u201c{row.get('ID')[:40]}\u201d is not a number")
            return None
        if item_id in self.records[CheckRecord.Kind.ITEM]:
            self.report.already["claims"] += 1
            return None
        status = row.get("Status")
        self.report.statuses[status] += 1
        mapped = self.mappings.get(status)
        if mapped is None:
            self.report.unmapped[status] += 1
            self.report.skip(
                row,
                f"its status \u201c{status[:60]}\u201d ({humanised(status)}) is not mapped to "
                "the desk yet",
            )
            return None
        title, description = row.get("Title"), row.get("Description")
        media_type, media = row.get("Media type"), row.get("Media data")
        text = description if description not in ("", reader.NO_ANSWER) else title
        if text in ("", reader.NO_ANSWER):
            text = media if media_type == "Claim" else ""
        if not text:
            self.report.skip(row, "it has no text to word a claim from (no title or description)")
            return None
        media_url = _web_address(media) if media_type in MEDIA_WITH_URL else ""
        if media_type in MEDIA_WITH_URL and media and not media_url:
            self.report.notes.append(
                f"Item {item_id}: its media address \u201c{media[:80]}\u201d can't be "
                "fetched; the claim is imported without it."
            )
        when = reader.timestamp(row.get("Creation date"))
        if when is None:
            when = timezone.now()
            self.report.notes.append(
                f"Item {item_id}: its creation date \u201c{row.get('Creation date')[:40]}\u201d "
                "is not a date; the claim is dated today."
            )
        fact_check = self._pair(title, description)
        published = fact_check is not None and self.fact_check_state[fact_check] == "published"
        status_now = {
            Outcome.NEW: ClaimStatus.NEW,
            Outcome.RESEARCHING: ClaimStatus.RESEARCHING,
            Outcome.DISMISSED: ClaimStatus.DISMISSED,
            Outcome.RATED: ClaimStatus.PUBLISHED if published else ClaimStatus.RESEARCHING,
        }[mapped.outcome]
        source = row.get("Source")
        described = f"Check item {item_id} in {self.workspace_name}"
        claim = Claim(
            **({"created_by": self.actor} if self.actor is not None else {}),
            quote=(media if media_type == "Claim" and media else text),
            medium=Medium.OTHER,
            source_url=media_url,
            source_description=(f"{described}, from {source}" if source else described)[:500],
            text=text,
            claimed_on=timezone.localdate(when),
            language=languages.detect(text),
            status=status_now,
            status_changed_at=when,
            dismiss_reason=DismissReason.OTHER if status_now == ClaimStatus.DISMISSED else "",
            dismiss_note=(
                f"Check status \u201c{status}\u201d" if status_now == ClaimStatus.DISMISSED else ""
            ),
            # An import is not a week's work arriving at once: no due dates to go overdue.
            due_date=None,
            published_at=when if status_now == ClaimStatus.PUBLISHED else None,
            current_rating=mapped.rating if mapped.outcome == Outcome.RATED else None,
        )
        if fact_check is not None:
            self.paired[fact_check] = _Paired(item_id, None, mapped, published, when)
        return _Item(
            row, item_id, claim, reader.tags(row.get("Tags")), media_url, mapped, fact_check
        )

    def _write_items(self, batch: list[_Item]) -> None:
        """Count the batch (dry run) or write it: claims, their records, topics, cited
        media, draft verdicts for ratings without a fact check, and their activities."""
        if not batch:
            return
        self.report.created["claims"] += len(batch)
        names = {name for item in batch for name in item.tags}
        for name in names:
            self._topic(name)
        unpaired_ratings = [
            item
            for item in batch
            if item.mapped.outcome == Outcome.RATED and item.fact_check is None
        ]
        self.report.created["verdicts"] += len(unpaired_ratings)
        self.report.created["sources"] += len({item.media_url for item in batch if item.media_url})
        if self.dry_run:
            for item in batch:
                self.claims[item.check_id] = None
            return
        assert self.actor is not None
        if self.claimant is None:
            self.claimant = claimant_create(
                actor=self.actor, name=UNKNOWN_CLAIMANT, kind=Claimant.Kind.OTHER
            )
        for item in batch:
            item.claim.claimant = self.claimant
        claims = Claim.objects.bulk_create([item.claim for item in batch])
        activities = []
        topic_ids: dict[int, set[int]] = {}
        for item, claim in zip(batch, claims, strict=True):
            topics = [self.topics.get(name.casefold()) for name in item.tags]
            topic_ids[claim.pk] = {topic.pk for topic in topics if topic is not None}
            self.claims[item.check_id] = claim.pk
            self.new_claim_ids.append(claim.pk)
            if item.fact_check is not None:
                self.paired[item.fact_check].claim_id = claim.pk
            created = audit.creation(
                actor=self.actor,
                action="claim.imported",
                target=claim,
                claim=claim,
                fields=CLAIM_FIELDS,
                summary=f"imported the claim from Check (item {item.check_id} of "
                f"{self.workspace_name})",
            )
            if topic_ids[claim.pk]:
                created.changes["topics"] = [None, sorted(item.tags, key=str.lower)]
            activities.append(created)
        CheckRecord.objects.bulk_create(
            self._record(CheckRecord.Kind.ITEM, item.check_id, claim.pk)
            for item, claim in zip(batch, claims, strict=True)
        )
        ClaimTopic.objects.bulk_create(
            ClaimTopic(claim_id=claim_id, topic_id=topic_id)
            for claim_id, ids in topic_ids.items()
            for topic_id in ids  # a set: "Harbor" and "harbor" are one topic
        )
        activities += self._cite_media(list(zip(batch, claims, strict=True)))
        claim_of = {item.check_id: claim for item, claim in zip(batch, claims, strict=True)}
        activities += self._save_verdicts(
            [
                self._verdict(
                    claim_id=claim_of[item.check_id].pk,
                    rating=item.mapped.rating,
                    conclusion=f"Rated \u201c{item.mapped.rating}\u201d in Check",
                    explanation="Imported from Check, where the item had this status. Check's "
                    "export does not carry the fact check's text: write it before review.",
                    published_at=None,
                )
                for item in unpaired_ratings
                if item.mapped.rating is not None
            ]
        )
        Activity.objects.bulk_create(activities)

    def _topic(self, name: str) -> None:
        """The topic a tag becomes (made, audited, the first time it is seen)."""
        key = name.casefold()
        if key in self.topics:
            return
        if len(name) > Topic.NAME_MAX:
            self.topics[key] = None
            self.report.notes.append(
                f"The tag \u201c{name[:80]}…\u201d is longer than a topic's name may be "
                f"({Topic.NAME_MAX} characters): not made a topic."
            )
            return
        existing = Topic.objects.filter(name__iexact=name).first()
        if existing is None:
            self.report.created["topics"] += 1
            if self.dry_run:
                self.topics[key] = None
                return
            assert self.actor is not None
            existing = _topic_named(actor=self.actor, name=name)
        self.topics[key] = existing

    def _cite_media(self, pairs: list[tuple[_Item, Claim]]) -> list[Activity]:
        """Cite each item's media address on its claim (in a few statements, as a paste of
        links is cited): new sources are fetched once the import commits. The address is
        checked for its form only; the fetch workers' guard refuses a private address."""
        assert self.actor is not None
        wanted = {
            canonical_url(item.media_url): item.media_url for item, _ in pairs if item.media_url
        }
        if not wanted:
            return []
        sources, new = sources_for_urls(wanted, added_by=self.actor)
        citations = Citation.objects.bulk_create(
            [
                Citation(
                    claim=claim,
                    source=sources[canonical_url(item.media_url)],
                    stance=Citation.Stance.CONTEXT,
                    note="The item's media in Check",
                    added_by=self.actor,
                )
                for item, claim in pairs
                if item.media_url
            ]
        )
        enqueue_fetches(new)
        return [
            audit.creation(
                actor=self.actor,
                action="citation.added",
                target=citation,
                claim=citation.claim,
                fields=("source", "stance", "note"),
                summary=f"cited {citation.source.label}",
            )
            for citation in citations
        ]

    def _verdict(
        self, *, claim_id: int, rating: Rating, conclusion: str, explanation: str, published_at: Any
    ) -> Verdict:
        """Version 1 of a claim's verdict, unsaved (`_save_verdicts` writes them together)."""
        assert self.actor is not None
        conclusion = " ".join(conclusion.split())[:280]
        return Verdict(
            claim_id=claim_id,
            number=1,
            rating=rating,
            conclusion=conclusion,
            explanation=explanation.strip() or conclusion,
            author=self.actor,
            published_at=published_at,
        )

    def _save_verdicts(self, verdicts: list[Verdict]) -> list[Activity]:
        assert self.actor is not None
        saved = Verdict.objects.bulk_create(verdicts)
        return [
            audit.creation(
                actor=self.actor,
                action="verdict.imported",
                target=verdict,
                claim=Claim(pk=verdict.claim_id),
                fields=VERDICT_FIELDS,
                summary=f"imported {'the published' if verdict.published_at else 'a draft'} "
                f"verdict from Check: {verdict.rating.label}",
            )
            for verdict in saved
        ]

    # ── fact checks: verdicts, comments, or fact checks from elsewhere ─────────────────

    def _fact_checks(self) -> None:
        self._tell("fact checks")
        imported = (
            self.records[CheckRecord.Kind.FACT_CHECK] | self.records[CheckRecord.Kind.EXTERNAL]
        )
        records: list[CheckRecord] = []
        activities: list[Activity] = []
        verdicts: list[Verdict] = []
        for row in self.export.rows(reader.FACT_CHECKS):
            self.done += 1
            self._tell("fact checks")
            fact_check = _number(row.get("ID"))
            if fact_check is None:
                self.report.skip(row, f"its ID \u201c{row.get('ID')[:40]}\u201d is not a number")
                continue
            if fact_check in imported:
                self.report.already["fact_checks"] += 1
                continue
            title, summary = row.get("Title"), row.get("Summary")
            if not (title or summary):
                self.report.skip(row, "it has neither a title nor a summary")
                continue
            paired = self.paired.get(fact_check)
            if paired is None:
                activities += self._external(row, fact_check, records)
            elif paired.mapped.outcome == Outcome.RATED:
                self.report.created["verdicts"] += 1
                self.undated += 1
                if self.dry_run:
                    continue
                assert paired.claim_id is not None
                assert paired.mapped.rating is not None
                url = row.get("URL")
                verdicts.append(
                    self._verdict(
                        claim_id=paired.claim_id,
                        rating=paired.mapped.rating,
                        conclusion=title or summary.splitlines()[0],
                        explanation="\n\n".join(part for part in (summary, url) if part),
                        published_at=paired.when if paired.published else None,
                    )
                )
                records.append(
                    self._record(CheckRecord.Kind.FACT_CHECK, fact_check, paired.claim_id)
                )
            else:
                # The item's status is no verdict (in progress, say): the draft's text is
                # kept on the claim for whoever writes the verdict.
                self.report.created["comments"] += 1
                if self.dry_run:
                    continue
                assert paired.claim_id is not None
                comment = self._comment(
                    paired.claim_id,
                    "\n\n".join(
                        part
                        for part in (
                            "Fact check drafted in Check (not rated there), "
                            f"{row.get('Report Status') or 'unpublished'}:",
                            title,
                            summary,
                            row.get("URL"),
                        )
                        if part
                    ),
                )
                activities.append(self._comment_activity(comment))
                records.append(self._record(CheckRecord.Kind.FACT_CHECK, fact_check, comment.pk))
        if not self.dry_run:
            activities += self._save_verdicts(verdicts)
            CheckRecord.objects.bulk_create(records)
            Activity.objects.bulk_create(activities)

    def _external(self, row: Row, fact_check: int, records: list[CheckRecord]) -> list[Activity]:
        """An unpaired fact check kept as a fact check from elsewhere (with the workspace as
        its publisher), so it is matched against the desk's claims like any other."""
        self.report.created["external_fact_checks"] += 1
        if self.dry_run:
            return []
        assert self.actor is not None
        title, summary = row.get("Title"), row.get("Summary")
        # Check gives an unpublished fact check no address: the workspace's stands in.
        url = _web_address(row.get("URL")) or (
            f"{self.workspace_url or 'https://checkmedia.org/'}#fact-check-{fact_check}"
        )
        # The export has no claim text: the title (the fact check's headline) stands in for
        # it, and is its headline too (shown; not embedded twice: distinct_headline).
        saved, created = external_fact_check_save(
            ReviewRead(
                url=url[:2000],
                claim_reviewed=title or summary,
                publisher=self.workspace_name[:200],
                rating_text="",
                rating_value=None,
                date_published=None,
                language=row.get("Language")[:10],
                headline=title,
            ),
            origin=ExternalFactCheck.Origin.CHECK,
            imported_by=self.actor,
        )
        records.append(self._record(CheckRecord.Kind.EXTERNAL, fact_check, saved.pk))
        if created:
            self.new_fact_check_ids.append(saved.pk)
        return [
            audit.activity(
                actor=self.actor,
                action="external.imported",
                target=saved,
                summary=f"imported a fact check by {saved.publisher} from Check: "
                f"\u201c{saved.claim_reviewed[:100]}\u201d",
                changes={"url": [None, saved.url], "check_id": [None, fact_check]},
            )
        ]

    def _comment(self, claim_id: int, body: str) -> Comment:
        assert self.actor is not None
        return Comment.objects.create(claim_id=claim_id, author=self.actor, body=body.strip())

    def _comment_activity(self, comment: Comment) -> Activity:
        assert self.actor is not None
        return audit.activity(
            actor=self.actor,
            action="comment.imported",
            target=comment,
            claim=Claim(pk=comment.claim_id),
            summary="imported a note from Check",
            changes={"body": [None, comment.body]},
        )

    # ── annotations ─────────────────────────────────────────────────────────────────────

    def _annotations(self) -> None:
        self._tell("annotations")
        if not self.export.has(reader.ANNOTATIONS):
            return
        columns = reader.annotation_columns(self.export.headers(reader.ANNOTATIONS))
        comments: list[tuple[int, Comment]] = []
        for row in self.export.rows(reader.ANNOTATIONS):
            self.done += 1
            self._tell("annotations")
            item_id = _number(row.get("Item ID"))
            if item_id is None:
                self.report.skip(
                    row, f"its Item ID \u201c{row.get('Item ID')[:40]}\u201d is not a number"
                )
                continue
            if item_id in self.records[CheckRecord.Kind.ANNOTATIONS]:
                self.report.already["comments"] += 1
                continue
            if item_id not in self.claims:
                self.report.skip(row, f"its item {item_id} was not imported (see above)")
                continue
            answers = [
                f"- {label}: {answer}"
                for column, label in columns
                if (answer := reader.answer_text(row.values.get(column) or ""))
            ]
            if not answers:
                continue
            self.report.created["comments"] += 1
            if self.dry_run:
                continue
            claim_id = self.claims[item_id]
            assert claim_id is not None
            body = "Answers to the workspace's tasks in Check:\n" + "\n".join(answers)
            comments.append((item_id, Comment(claim_id=claim_id, author=self.actor, body=body)))
            if len(comments) >= BATCH:
                self._write_comments(comments)
                comments = []
        self._write_comments(comments)

    def _write_comments(self, comments: list[tuple[int, Comment]]) -> None:
        if not comments:
            return
        saved = Comment.objects.bulk_create([comment for _, comment in comments])
        CheckRecord.objects.bulk_create(
            [
                self._record(CheckRecord.Kind.ANNOTATIONS, item_id, comment.pk)
                for (item_id, _), comment in zip(comments, saved, strict=True)
            ]
        )
        Activity.objects.bulk_create(self._comment_activity(comment) for comment in saved)

    def _left_out(self) -> None:
        counts = {
            what: self.export.count(name)
            for what, name in (
                ("explainer", reader.EXPLAINERS),
                ("tipline request", reader.REQUESTS),
                ("newsletter", reader.NEWSLETTERS),
            )
        }
        kept = [f"{n} {what}{'s' if n != 1 else ''}" for what, n in counts.items() if n]
        if kept:
            self.report.notes.append(
                f"Not imported: {', '.join(kept)}. The desk has no place for them yet; they "
                "stay in the ZIP."
            )

    # ── after the rows ──────────────────────────────────────────────────────────────────

    def _finish(self) -> None:
        """The import's own activity, and the embeddings of what came in, queued once the
        transaction commits (in batches: one message per claim would be 10,000 messages)."""
        assert self.actor is not None
        created = {key: n for key, n in self.report.created.items() if n}
        if self.check_import is not None:
            audit.record(
                actor=self.actor,
                action="check.imported",
                target=self.check_import,
                summary=f"imported the Check workspace {self.workspace_name}: "
                + (
                    ", ".join(f"{n} {key.replace('_', ' ')}" for key, n in created.items())
                    or "nothing new"
                ),
                changes={key: [0, n] for key, n in created.items()} or {"claims": [0, 0]},
            )
        claims, checks = list(self.new_claim_ids), list(self.new_fact_check_ids)
        transaction.on_commit(partial(_embed, claims, checks))


def _embed(claim_ids: list[int], fact_check_ids: list[int]) -> None:
    for start in range(0, len(claim_ids), EMBED_BATCH):
        send_embed("claim", claim_ids[start : start + EMBED_BATCH])
    for start in range(0, len(fact_check_ids), EMBED_BATCH):
        send_embed("fact_check", fact_check_ids[start : start + EMBED_BATCH])


def export_plan(export: Export, *, progress: Progress | None = None) -> Report:
    """The dry run: what importing `export` now would create, skip (and why), and which
    statuses it could not map. Writes nothing."""
    return Importer(export, actor=None, dry_run=True, progress=progress).run()


def export_import(
    export: Export,
    *,
    actor: User,
    check_import: CheckImport,
    progress: Progress | None = None,
) -> Report:
    """Import `export` in one transaction, made by `actor` (a publisher or admin), as
    `check_import`. Raises DeskError when the export can't be read; then nothing is
    imported."""
    require_role(actor, PUBLISHERS, "import a Check export")
    with transaction.atomic():
        return Importer(
            export, actor=actor, dry_run=False, check_import=check_import, progress=progress
        ).run()
