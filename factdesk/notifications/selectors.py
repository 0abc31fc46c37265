"""Reads for the notifications pages, the bell and the mention autocomplete."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.contrib.auth.models import User
from django.core.paginator import Page, Paginator
from django.db.models import Count, Q
from django.utils import timezone

from factdesk.accounts.roles import DESK_ROLES
from factdesk.core.queries import CompiledQuery, given
from factdesk.notifications.models import EmailPreference, Follow, Notification

PER_PAGE = 30


# Every page's bell, and every claim page's follow button: compiled once (core.queries).
_UNREAD = CompiledQuery(
    lambda: (
        Notification.objects.filter(recipient_id=given("user"), read_at__isnull=True)
        .values("recipient_id")
        .annotate(unread=Count("*"))
        .values_list("unread")
    )
)
_FOLLOWING = CompiledQuery(
    lambda: Follow.objects.filter(user_id=given("user"), claim_id=given("claim")).values_list("pk")[
        :1
    ]
)


def unread_count(user: User) -> int:
    """The bell's number: one count over the partial index of unread notifications."""
    found = _UNREAD.rows(user=user.pk)
    return found[0][0] if found else 0


def inbox(user: User, page_number: str | int | None) -> Page:
    """`user`'s notifications, newest first, a page of them with their claims."""
    notifications = (
        Notification.objects.filter(recipient=user)
        .select_related("claim")
        .only("id", "kind", "text", "created_at", "read_at", "claim__id", "claim__text")
    )
    return Paginator(notifications, PER_PAGE).get_page(page_number)


def is_following(user: User, claim_id: int) -> bool:
    return bool(_FOLLOWING.rows(user=user.pk, claim=claim_id))


def email_preference(user: User) -> EmailPreference | None:
    return EmailPreference.objects.filter(user=user).first()


@dataclass(frozen=True)
class Person:
    """Someone on the desk, as the mention autocomplete offers them."""

    username: str
    name: str


def people_matching(text: str, *, limit: int = 8) -> list[Person]:
    """Active desk members whose login, first or last name starts with `text` (any case),
    by name."""
    text = text.strip().lstrip("@")
    members = (
        User.objects.filter(is_active=True)
        .filter(Q(groups__name__in=DESK_ROLES) | Q(is_superuser=True))
        .distinct()
    )
    if text:
        members = members.filter(
            Q(username__istartswith=text)
            | Q(first_name__istartswith=text)
            | Q(last_name__istartswith=text)
        )
    rows = members.order_by("first_name", "last_name", "username").values_list(
        "username", "first_name", "last_name"
    )[:limit]
    return [
        Person(username=username, name=f"{first} {last}".strip() or username)
        for username, first, last in rows
    ]


def emails_due(*, older_than: timedelta = timedelta(minutes=2)) -> list[int]:
    """Emails wanted and not sent a while after their notification was made: those whose
    message was lost (or whose mail server was down), for the sweeper."""
    return list(
        Notification.objects.filter(
            email_wanted=True, emailed_at=None, created_at__lt=timezone.now() - older_than
        ).values_list("pk", flat=True)[:500]
    )
