"""Following claims, telling people what concerns them, emailing those who asked.

`notify_activity` and `notify_source_flagged` run once the change they are told of is
committed (receivers.py); the rest act for the person using the desk.
"""

from __future__ import annotations

import logging
import re
import smtplib
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import User
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone

from factdesk.accounts.roles import DESK_ROLES, require_role
from factdesk.claims import audit
from factdesk.claims.models import Activity, Claim, Comment, Review
from factdesk.claims.workflow import OPEN_STATUSES, PUBLIC_STATUSES, RESEARCHERS, ClaimStatus
from factdesk.core.errors import DeskError
from factdesk.notifications.models import EmailPreference, Follow, Kind, Notification
from factdesk.sources.models import Source

logger = logging.getLogger(__name__)

# `@rita`, `@Rita`, `@rita.jones`: a name ends in a letter or digit, so "@rita." at the end of
# a sentence is Rita.
MENTION = re.compile(r"(?<![\w@])@([\w.+-]*\w)")
ADDRESS_MAX = 254  # RFC 5321's longest address


def _name(user: User | None) -> str:
    if user is None:
        return "The desk"
    return user.get_full_name() or user.username


# ── following ───────────────────────────────────────────────────────────────────────────


def follow_set(*, actor: User, claim: Claim, following: bool) -> bool:
    """Follow or stop following `claim`; returns whether `actor` follows it now. Asking for
    what already holds changes nothing (a second click, a double submission)."""
    require_role(actor, RESEARCHERS, "follow a claim")
    with transaction.atomic():
        existing = Follow.objects.filter(user=actor, claim=claim)
        if existing.exists() == following:
            return following
        # Off the claim's timeline (claim=None): following is the follower's business.
        with audit.change(
            actor=actor,
            action="claim.followed" if following else "claim.unfollowed",
            target=claim,
            fields=(),
            summary=f"{'followed' if following else 'stopped following'} claim #{claim.pk}",
        ) as change:
            if following:
                Follow.objects.get_or_create(user=actor, claim=claim)
            else:
                existing.delete()
            change.changes = {"following": [not following, following]}
    return following


def _follow(user_ids: Iterable[int], claim: Claim) -> None:
    """The desk's own follows (who logs, is assigned, drafts or reviews a claim)."""
    Follow.objects.bulk_create(
        [Follow(user_id=user_id, claim=claim) for user_id in set(user_ids)],
        ignore_conflicts=True,
    )


# ── telling people ──────────────────────────────────────────────────────────────────────


def mentioned(text: str) -> list[User]:
    """The desk's people that `text` mentions, by `@username` or `@FirstName` (any case)."""
    names = {name.lower() for name in MENTION.findall(text)}
    if not names:
        return []
    return list(
        User.objects.filter(is_active=True)
        .filter(Q(groups__name__in=DESK_ROLES) | Q(is_superuser=True))
        .alias(login=Lower("username"), first=Lower("first_name"))
        .filter(Q(login__in=names) | Q(first__in=names))
        .distinct()
    )


@dataclass
class Telling:
    """Who is told what about one event: the first reason found for a person wins."""

    actor: User | None
    told: dict[int, tuple[str, str]]

    def tell(self, user_id: int | None, kind: str, text: str) -> None:
        if user_id is None or (self.actor is not None and user_id == self.actor.pk):
            return
        self.told.setdefault(user_id, (kind, text[:300]))


def _quoted(text: str, limit: int = 140) -> str:
    text = " ".join(text.split())
    return f"“{text if len(text) <= limit else text[: limit - 1] + '…'}”"


def _goes_public(activity: Activity, claim: Claim) -> bool:
    """A move readers see: into a public status (published, corrected), or out of
    publication to anything but more work (retracted), whatever the workflow calls it."""
    if not activity.action.startswith("status."):
        return False
    status = activity.action.removeprefix("status.")
    return status in PUBLIC_STATUSES or (
        claim.published_at is not None and status not in OPEN_STATUSES
    )


def notify_activity(*, activity: Activity) -> list[Notification]:
    """Tell the people an audited change concerns; returns the notifications made.

    1. A change to no claim concerns nobody here.
    2. The desk follows on the claim's behalf whoever logs it, is assigned it, drafts its
       verdict or reviews it.
    3. Told, the first reason winning for each person, never the actor: the new assignee;
       the author of a reviewed draft (changes requested, approved); whoever a comment or a
       review's comment mentions; the claim's followers, when it goes public or leaves
       publication.
    4. One notification per person per activity (the key says which); email queued, once
       this transaction commits, for those whose preferences ask for it.
    """
    claim = activity.claim
    if claim is None:
        return []
    actor = activity.actor
    telling = Telling(actor=actor, told={})
    follows: set[int] = set()
    assignee = (activity.changes.get("assignee") or [None, None])[1]
    if activity.action == "claim.created":
        follows.add(actor.pk)
    if assignee:
        # The audit trail names the assignee as it was then (a user's str is their login):
        # the claim may have been passed on since, in the same transaction.
        assignee_id = User.objects.filter(username=assignee).values_list("pk", flat=True).first()
        if assignee_id is not None:
            follows.add(assignee_id)
            telling.tell(assignee_id, Kind.ASSIGNED, f"{_name(actor)} assigned you a claim")
    if activity.action == "verdict.saved":
        follows.add(actor.pk)
    if activity.target_type == "review":
        review = Review.objects.select_related("verdict").get(pk=activity.target_id)
        follows.add(actor.pk)
        number = review.verdict.number
        if review.decision == Review.Decision.APPROVE:
            text = f"{_name(actor)} approved your draft (version {number})"
            telling.tell(review.verdict.author_id, Kind.APPROVED, text)
        else:
            text = f"{_name(actor)} requested changes on your draft: {_quoted(review.comment)}"
            telling.tell(review.verdict.author_id, Kind.CHANGES_REQUESTED, text)
        for person in mentioned(review.comment):
            text = f"{_name(actor)} mentioned you in a review: {_quoted(review.comment)}"
            telling.tell(person.pk, Kind.MENTION, text)
    if activity.target_type == "comment":
        comment = Comment.objects.get(pk=activity.target_id)
        for person in mentioned(comment.body):
            text = f"{_name(actor)} mentioned you: {_quoted(comment.body)}"
            telling.tell(person.pk, Kind.MENTION, text)
    if follows:
        _follow(follows, claim)
    if _goes_public(activity, claim):
        status = activity.action.removeprefix("status.")
        status = dict(ClaimStatus.choices).get(status, status).lower()
        text = f"{_name(actor)} {activity.summary} (now {status})"
        for user_id in Follow.objects.filter(claim=claim).values_list("user_id", flat=True):
            telling.tell(user_id, Kind.FOLLOWED, text)
    return _notify(telling, claim=claim, key=f"activity:{activity.pk}")


def notify_source_flagged(*, source_id: int, change: str, marker: str) -> list[Notification]:
    """Tell the followers of each fact check published with this source that it changed or
    died; returns the notifications made. Told once per source, claim and change."""
    source = Source.objects.get(pk=source_id)
    made: list[Notification] = []
    claims = Claim.objects.filter(citations__source=source, published_at__isnull=False).distinct()
    for claim in claims:
        if change == "dead":
            text = (
                f"A source of this fact check is gone ({source.last_error or 'dead link'}); "
                f"the archived copy stays: {source.url}"
            )
        else:
            text = f"A source of this fact check changed since it was cited: {source.url}"
        telling = Telling(actor=None, told={})
        for user_id in Follow.objects.filter(claim=claim).values_list("user_id", flat=True):
            telling.tell(user_id, Kind.SOURCE, text)
        made += _notify(
            telling, claim=claim, key=f"source:{source_id}:{claim.pk}:{change}:{marker}"
        )
    return made


def _notify(telling: Telling, *, claim: Claim, key: str) -> list[Notification]:
    if not telling.told:
        return []
    preferences = {
        preference.user_id: preference
        for preference in EmailPreference.objects.filter(
            user_id__in=telling.told, enabled=True
        ).select_related("user")
    }
    made = []
    for user_id, (kind, text) in telling.told.items():
        preference = preferences.get(user_id)
        notification, created = Notification.objects.get_or_create(
            recipient_id=user_id,
            key=key[:100],
            defaults={
                "kind": kind,
                "claim": claim,
                "actor": telling.actor,
                "text": text,
                "email_wanted": bool(preference and preference.wants(kind)),
            },
        )
        if created:
            made.append(notification)
    wanted = [notification.pk for notification in made if notification.email_wanted]
    if wanted:
        from factdesk.notifications.tasks import send_emails

        transaction.on_commit(lambda: send_emails(wanted))
    return made


# ── reading ─────────────────────────────────────────────────────────────────────────────


def notifications_mark_read(*, user: User, notification_id: int | None = None) -> int:
    """Mark one of `user`'s notifications read, or all of them (no id); returns how many
    were unread. Not audited: what a person has read changes nothing on the desk."""
    unread = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if notification_id is not None:
        unread = unread.filter(pk=notification_id)
    return unread.update(read_at=timezone.now())


# ── email ───────────────────────────────────────────────────────────────────────────────


def email_preference_save(
    *, actor: User, enabled: bool, address: str, kinds: Iterable[str]
) -> EmailPreference:
    """Set whether, where and about what `actor` is emailed."""
    require_role(actor, RESEARCHERS, "choose email notifications")
    address = address.strip()
    kinds = sorted(set(kinds))
    if len(address) > ADDRESS_MAX:
        raise DeskError(
            f"That address is {len(address)} characters long; an email address has at most "
            f"{ADDRESS_MAX}. Nothing was changed.",
            field="address",
        )
    if unknown := set(kinds) - set(Kind.values):
        raise DeskError(
            f"There is no notification called {', '.join(sorted(unknown))}. Nothing was changed.",
            field="kinds",
        )
    if enabled and not (address or actor.email):
        raise DeskError(
            "Your account has no email address: give the address to send to, or leave email off.",
            field="address",
        )
    if enabled and not kinds:
        raise DeskError(
            "Tick what you want to be emailed about, or leave email off.", field="kinds"
        )
    EmailPreference.objects.get_or_create(user=actor)
    with transaction.atomic():
        preference = EmailPreference.objects.select_for_update().get(user=actor)
        with audit.change(
            actor=actor,
            action="notifications.email",
            target=preference,
            fields=("enabled", "address", "kinds"),
            summary=f"turned email notifications {'on' if enabled else 'off'}",
        ) as change:
            preference.enabled, preference.address, preference.kinds = enabled, address, kinds
            if change.differences():
                preference.save()
    return preference


def notification_email_send(*, notification_id: int) -> bool:
    """Email one notification, if its recipient still wants it; returns whether it was sent.

    1. Claim the row: a conditional update of `emailed_at`, then the row count. A second
       delivery of the same message finds it claimed and sends nothing.
    2. Send through Django's email backend (console in development, SMTP by settings).
    3. Sending failed: release the claim, so that the retry (or the sweeper) sends it.
    """
    notification = Notification.objects.select_related("recipient", "claim", "actor").get(
        pk=notification_id
    )
    preference = EmailPreference.objects.filter(user=notification.recipient).first()
    if preference is None or not preference.wants(notification.kind):
        Notification.objects.filter(pk=notification_id, emailed_at=None).update(email_wanted=False)
        return False
    claimed = Notification.objects.filter(
        pk=notification_id, email_wanted=True, emailed_at=None
    ).update(emailed_at=timezone.now())
    if not claimed:
        return False
    claim = notification.claim
    link = settings.DESK_URL.rstrip("/") + notification.get_absolute_url()
    try:
        send_mail(
            subject=f"[factdesk] {notification.text}"[:150],
            message=(
                f"{notification.text}\n\nClaim #{claim.pk}: {claim.text}\n\nOpen it: {link}\n\n"
                "You get this email because you asked for it on the desk's notifications "
                f"page: {settings.DESK_URL.rstrip('/')}/notifications/"
            ),
            from_email=None,
            recipient_list=[preference.send_to],
        )
    except smtplib.SMTPRecipientsRefused as error:
        # The address is refused for good: not sent, and not tried again.
        logger.warning(
            "notification %s: %s refused (%s)", notification_id, preference.send_to, error
        )
        Notification.objects.filter(pk=notification_id).update(emailed_at=None, email_wanted=False)
        return False
    except Exception:
        Notification.objects.filter(pk=notification_id).update(emailed_at=None)
        raise
    return True
