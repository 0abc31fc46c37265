"""Personal data on request: an account erased, a private individual taken out of claims,
and what a Check import brought in deleted after CHECK_PERSONAL_DATA_DAYS. Each change by a
person is audited, without repeating the personal data it removes."""

from __future__ import annotations

import datetime
import json
import logging
import re
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.contrib.sessions.models import Session
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.db import connection, transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from factdesk.accounts.roles import Role, has_role, require_role
from factdesk.api.models import ApiToken
from factdesk.checkimport.models import CheckImport, CheckRecord
from factdesk.claims import audit
from factdesk.claims.models import Activity, Claim, Claimant, Comment, Review, Verdict
from factdesk.claims.workflow import EDITORS
from factdesk.core.errors import DeskError
from factdesk.notifications.models import EmailPreference, Follow, Notification
from factdesk.privacy import scrub
from factdesk.sources.models import Citation

logger = logging.getLogger(__name__)

REPLACEMENT = "a private individual"
NAME_MIN = 3


def erased_username(user: User) -> str:
    return f"erased-user-{user.pk}"


def _redacting() -> None:
    """Let this transaction change the words of verdict versions (privacy migration 0001)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT set_config('factdesk.redacting', 'on', true)")


def _require_publisher_confirmation(actor: User, confirmed_by_publisher: bool, what: str) -> None:
    if not confirmed_by_publisher:
        raise DeskError(
            f"{what} A publisher must confirm this, since published fact checks will read "
            "differently: tick \u201cConfirmed by a publisher\u201d."
        )
    if not has_role(actor, Role.PUBLISHER):
        raise PermissionDenied("Only a publisher can confirm a change to published fact checks.")


# ── an account ──────────────────────────────────────────────────────────────────────────


@dataclass
class Erasure:
    pseudonym: str
    texts: dict[str, int] = field(default_factory=dict)  # "table.column" → rows rewritten
    sessions: int = 0


def user_terms(user: User) -> list[str]:
    """What identifies the account in free text: its user name, email address and full
    name. A first or last name alone is not searched for: it would also take out other
    people who share it."""
    return [term for term in (user.username, user.email, user.get_full_name()) if term.strip()]


def user_published_verdicts(user: User) -> int:
    """How many published verdict versions the account wrote (its name is on them)."""
    return Verdict.objects.filter(author=user, published_at__isnull=False).count()


def user_erase(*, actor: User, user: User, confirmed_by_publisher: bool = False) -> Erasure:
    """Erase an account's personal data (an admin's action, on request): its user name
    becomes `erased-user-<id>`, names and email are blanked, the password made unusable,
    the account inactive and without roles, its sessions and API tokens ended, its own
    notifications, follows and login attempts deleted, and its user name, email address and
    full name replaced by the pseudonym in every text of the desk (scrub.py). Audit entries
    are kept: they point at the same, now pseudonymous, account. An author of published
    verdict versions is erased only when a publisher confirms. Raises DeskError or
    PermissionDenied, having changed nothing."""
    if not (actor.is_active and actor.is_superuser):
        raise PermissionDenied("Only an admin can erase an account's personal data.")
    if user.pk == actor.pk:
        raise DeskError("An admin can't erase their own account: ask another admin.")
    pseudonym = erased_username(user)
    if user.username == pseudonym:
        raise DeskError("This account's personal data was erased already.")
    published = user_published_verdicts(user)
    if published:
        _require_publisher_confirmation(
            actor,
            confirmed_by_publisher,
            f"{pseudonym} wrote {published} published verdict version"
            f"{'s' if published != 1 else ''}; their name goes from those fact checks.",
        )
    terms = user_terms(user)
    with transaction.atomic():
        _redacting()
        erasure = Erasure(pseudonym=pseudonym)
        # Its own things, before its name is rewritten: tokens, follows and notifications
        # are the account's, not the desk's record.
        ApiToken.objects.filter(user=user).delete()
        Notification.objects.filter(recipient=user).delete()
        Follow.objects.filter(user=user).delete()
        EmailPreference.objects.filter(user=user).delete()
        _axes_forget(user.username)
        erasure.sessions = _sessions_end(user)
        before = {
            "is_active": user.is_active,
            "groups": sorted(user.groups.values_list("name", flat=True)),
        }
        user.username = pseudonym
        user.first_name = user.last_name = user.email = ""
        user.set_unusable_password()
        user.is_active = user.is_staff = user.is_superuser = False
        user.save()
        user.groups.clear()
        user.user_permissions.clear()
        erasure.texts = scrub.replace_everywhere(terms, pseudonym)
        audit.record(
            actor=actor,
            action="user.erased",
            target=user,
            summary=f"erased the personal data of {pseudonym}"
            + (f" ({published} published verdict versions, confirmed)" if published else ""),
            changes={
                # The values before are the personal data erased: not repeated here.
                "username": ["(erased)", pseudonym],
                "name": ["(erased)", ""],
                "email": ["(erased)", ""],
                "is_active": [before["is_active"], False],
                "groups": [before["groups"], []],
                "texts rewritten": [None, sum(erasure.texts.values())],
            },
        )
    logger.info("erased account %s: %s", user.pk, erasure.texts)
    return erasure


def _sessions_end(user: User) -> int:
    ended = 0
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if str(session.get_decoded().get("_auth_user_id")) == str(user.pk):
            session.delete()
            ended += 1
    return ended


def _axes_forget(username: str) -> None:
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    for model in (AccessAttempt, AccessFailureLog, AccessLog):
        model.objects.filter(username=username).delete()


# ── a private individual ────────────────────────────────────────────────────────────────

CLAIM_TEXTS = ("quote", "text", "source_description", "dismiss_note", "retraction_note")
VERDICT_TEXTS = ("conclusion", "explanation", "correction_note")
SENTENCE_START = re.compile(r"(?:^|[.!?:]\s+|\n\s*)$")


@dataclass
class Redaction:
    claims: list[int] = field(default_factory=list)
    changed: dict[str, int] = field(default_factory=dict)  # what → how many texts


class _Replacer:
    """Replaces a name, as whole words in any case, by a phrase that reads in its place:
    capitalised where the name, capitalised, starts a sentence ("Maria Privata said" →
    "A private individual said"; a quote's "maria privata said" → "a private ...")."""

    def __init__(self, name: str, replacement: str) -> None:
        words = [re.escape(word) for word in name.split()]
        self.regex = re.compile(r"(?<!\w)" + r"\s+".join(words) + r"(?!\w)", re.IGNORECASE)
        self.replacement = replacement

    def __call__(self, text: str) -> str:
        return self.regex.sub(self._one, text) if text else text

    def _one(self, match: re.Match[str]) -> str:
        if match.group()[:1].isupper() and SENTENCE_START.search(match.string[: match.start()]):
            return self.replacement[:1].upper() + self.replacement[1:]
        return self.replacement

    def found(self, text: str) -> bool:
        return bool(text) and bool(self.regex.search(text))

    def json(self, value: Any) -> Any:
        return json.loads(self(json.dumps(value, ensure_ascii=False)))


def redaction_candidates(name: str, claims: QuerySet[Claim] | None = None) -> QuerySet[Claim]:
    """The claims where `name` may occur in a text person_redact touches (a superset: the
    service then matches whole words)."""
    name = " ".join(name.split())
    contains = Q()
    for field_name in CLAIM_TEXTS:
        contains |= Q(**{f"{field_name}__icontains": name})
    contains |= Q(claimant__name__iexact=name)
    related = (
        Exists(Comment.objects.filter(claim=OuterRef("pk"), body__icontains=name)),
        Exists(
            Citation.objects.filter(claim=OuterRef("pk")).filter(
                Q(note__icontains=name) | Q(pinned__icontains=name)
            )
        ),
        Exists(
            Verdict.objects.filter(claim=OuterRef("pk")).filter(
                Q(conclusion__icontains=name)
                | Q(explanation__icontains=name)
                | Q(correction_note__icontains=name)
            )
        ),
        Exists(Review.objects.filter(verdict__claim=OuterRef("pk"), comment__icontains=name)),
    )
    for exists in related:
        contains |= Q(exists)
    base = claims if claims is not None else Claim.objects.all()
    return base.filter(contains).order_by("pk")


def _published(claim_ids: list[int]) -> list[int]:
    return sorted(
        set(
            Verdict.objects.filter(claim_id__in=claim_ids, published_at__isnull=False)
            .values_list("claim_id", flat=True)
            .distinct()
        )
    )


def person_redact(
    *,
    actor: User,
    name: str,
    replacement: str = REPLACEMENT,
    claims: QuerySet[Claim] | None = None,
    confirmed_by_publisher: bool = False,
) -> Redaction:
    """Take a private individual's name out of the desk's own texts about claims (all the
    claims where it occurs, or only `claims`), replacing it by `replacement`, which reads as
    part of the sentence ("A private individual" at a sentence's start). Claims with a
    published fact check change only when a publisher confirms. Raises DeskError or
    PermissionDenied, having changed nothing.

    Touched, on each such claim: its quote (a quote anchored in an article then no longer
    points into the article's text), wording, where it was said, dismissal and retraction
    notes; its claimant, renamed, when the claimant is the person (same name); comments;
    citations' notes and pinned passages; reviews' comments; the words of verdict versions,
    published ones included; and the claim's audit entries and notifications, which copy
    those texts. Not touched: the article's text (the outlet's published words), archived
    snapshots of sources (a record of a public page, checked by its SHA-256), fact checks
    from elsewhere, and what was sent already (emails, webhooks). Search words no claim uses
    any more are dropped.
    """
    require_role(actor, EDITORS, "remove a private individual's details from claims")
    name = " ".join(name.split())
    replacement = " ".join(replacement.split())
    if len(name) < NAME_MIN:
        raise DeskError(
            "Give the person's name as the desk wrote it (at least 3 characters).", field="name"
        )
    if not replacement:
        raise DeskError("Say what reads in the name's place.", field="replacement")
    replacer = _Replacer(name, replacement)
    if replacer.found(replacement):
        raise DeskError("The replacement can't contain the name itself.", field="replacement")
    candidates = list(redaction_candidates(name, claims).select_related("claimant"))
    if not candidates:
        raise DeskError(f"No claim mentions \u201c{name}\u201d.", field="name")
    published = _published([claim.pk for claim in candidates])
    if published:
        _require_publisher_confirmation(
            actor,
            confirmed_by_publisher,
            f"{len(published)} of these claims {'has' if len(published) == 1 else 'have'} a "
            "published fact check.",
        )
    redaction = Redaction()
    with transaction.atomic():
        _redacting()
        for claim in candidates:
            changed = _redact_claim(claim, replacer, actor=actor, confirmed=claim.pk in published)
            if changed:
                redaction.claims.append(claim.pk)
                for what, count in changed.items():
                    redaction.changed[what] = redaction.changed.get(what, 0) + count
        _drop_search_words(name)
    return redaction


def _redact_claim(
    claim: Claim, replacer: _Replacer, *, actor: User, confirmed: bool
) -> dict[str, int]:
    changed: dict[str, int] = {}

    def count(what: str, number: int = 1) -> None:
        if number:
            changed[what] = changed.get(what, 0) + number

    claim_fields = [name for name in CLAIM_TEXTS if replacer.found(getattr(claim, name))]
    for name in claim_fields:
        setattr(claim, name, replacer(getattr(claim, name)))
        count(f"claim {name.replace('_', ' ')}")
    if "quote" in claim_fields and claim.quote_start is not None:
        claim.quote_start = claim.quote_end = None
        claim_fields += ["quote_start", "quote_end"]
    if claim_fields:
        claim.save(update_fields=[*claim_fields, "updated_at"])
    claimant = claim.claimant
    if replacer.regex.fullmatch(claimant.name.strip()):  # the claimant is the person
        replaced = replacer.replacement
        Claimant.objects.filter(pk=claimant.pk).update(
            name=replaced[:1].upper() + replaced[1:], description=""
        )
        claimant.name = replaced  # other claims of theirs in this redaction see it done
        count("claimant")
    for comment in Comment.objects.filter(claim=claim):
        if replacer.found(comment.body):
            Comment.objects.filter(pk=comment.pk).update(body=replacer(comment.body))
            count("comments")
    for citation in Citation.objects.filter(claim=claim):
        updates: dict[str, Any] = {}
        if replacer.found(citation.note):
            updates["note"] = replacer(citation.note)
        if any(replacer.found(passage) for passage in citation.pinned):
            updates["pinned"] = [replacer(passage) for passage in citation.pinned]
        if updates:
            Citation.objects.filter(pk=citation.pk).update(**updates)
            count("citations")
    for review in Review.objects.filter(verdict__claim=claim):
        if replacer.found(review.comment):
            Review.objects.filter(pk=review.pk).update(comment=replacer(review.comment))
            count("reviews")
    for verdict in Verdict.objects.filter(claim=claim):
        updates = {
            name: replacer(getattr(verdict, name))
            for name in VERDICT_TEXTS
            if replacer.found(getattr(verdict, name))
        }
        if updates:
            Verdict.objects.filter(pk=verdict.pk).update(**updates)
            count("verdict versions")
    for entry in Activity.objects.filter(claim=claim):
        summary, changes = replacer(entry.summary), replacer.json(entry.changes)
        if summary != entry.summary or changes != entry.changes:
            Activity.objects.filter(pk=entry.pk).update(summary=summary, changes=changes)
            count("audit entries")
    for notification in Notification.objects.filter(claim=claim):
        if replacer.found(notification.text):
            Notification.objects.filter(pk=notification.pk).update(text=replacer(notification.text))
            count("notifications")
    if changed:
        audit.record(
            actor=actor,
            action="claim.redacted",
            target=claim,
            claim=claim,
            summary="removed a private individual's details from the claim"
            + (" (published: confirmed by a publisher)" if confirmed else ""),
            # What was there is the personal data removed: only where it was is recorded.
            changes={"redacted": [None, sorted(changed)]},
        )
    return changed


def _drop_search_words(name: str) -> None:
    """Forget the name's words in the search vocabulary unless a claim still uses them."""
    words = [word.casefold() for word in name.split() if len(word) >= 4]
    if not words:
        return
    with connection.cursor() as cursor:
        cursor.execute(
            """
            DELETE FROM claims_searchword w WHERE w.word = ANY(%s) AND NOT EXISTS (
                SELECT 1 FROM claims_claim c
                WHERE to_tsvector('factdesk_words', c.text) @@ to_tsquery('simple', w.word))
            """,
            [words],
        )


# ── retention ───────────────────────────────────────────────────────────────────────────


@dataclass
class Expired:
    exports: int = 0  # stored Check export ZIPs deleted
    reports: int = 0  # imports whose skipped rows (names, addresses) were dropped
    user_ids: int = 0  # Check user ids forgotten


def check_personal_data_expire(*, now: datetime.datetime | None = None) -> Expired:
    """Delete the personal data a Check import brought in that is older than
    CHECK_PERSONAL_DATA_DAYS (the nightly task; a rule of the desk, done for nobody): the
    stored export ZIPs (their tipline requests hold requesters' ids and messages), the
    skipped rows of import reports (they quote names and email addresses), and the Check
    user ids kept beside accounts (a later import of the same workspace matches accounts by
    email address instead). Claims, verdicts and comments imported stay: they are the
    desk's work."""
    cutoff = (now or timezone.now()) - datetime.timedelta(days=settings.CHECK_PERSONAL_DATA_DAYS)
    expired = Expired()
    old = CheckImport.objects.filter(created_at__lt=cutoff).exclude(
        status__in=[CheckImport.Status.WAITING, CheckImport.Status.IMPORTING]
    )
    for check_import in old.exclude(body=""):
        default_storage.delete(check_import.body)
        CheckImport.objects.filter(pk=check_import.pk).update(body="")
        expired.exports += 1
    for check_import in old.only("pk", "plan", "report"):
        plan, report = _without_skipped(check_import.plan), _without_skipped(check_import.report)
        if plan != check_import.plan or report != check_import.report:
            CheckImport.objects.filter(pk=check_import.pk).update(plan=plan, report=report)
            expired.reports += 1
    expired.user_ids, _ = (
        CheckRecord.objects.filter(kind=CheckRecord.Kind.USER)
        .filter(Q(check_import__in=old) | Q(check_import__isnull=True))
        .delete()
    )
    if expired.exports or expired.reports or expired.user_ids:
        logger.info(
            "Check personal data older than %s days deleted: %s",
            settings.CHECK_PERSONAL_DATA_DAYS,
            expired,
        )
    return expired


def _without_skipped(report: dict[str, Any]) -> dict[str, Any]:
    if not report.get("skipped"):
        return report
    return {**report, "skipped": []}  # skipped_total stays: how many, not who
