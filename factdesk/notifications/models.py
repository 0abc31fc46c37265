"""Who follows which claim, what each person is told, and how they want to be emailed."""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from factdesk.core.models import TimeStamped


class Kind(models.TextChoices):
    """What a notification is about; each can be emailed or not (EmailPreference.kinds)."""

    ASSIGNED = "assigned", "A claim is assigned to you"
    CHANGES_REQUESTED = "changes_requested", "Changes are requested on your draft"
    APPROVED = "approved", "Your draft is approved"
    FOLLOWED = "followed", "A claim you follow is published, corrected or retracted"
    MENTION = "mention", "Someone mentions you (@name)"
    SOURCE = "source", "A source of a published fact check you follow changed or died"


class Follow(models.Model):
    """`user` is told when `claim` is published, corrected, retracted or its sources change."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="follows"
    )
    claim = models.ForeignKey("claims.Claim", on_delete=models.CASCADE, related_name="followers")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "claim"], name="follow_once")]
        indexes = [models.Index(fields=["claim"], name="follow_claim")]

    def __str__(self) -> str:
        return f"{self.user} follows claim #{self.claim_id}"


class Notification(models.Model):
    """One thing one person is told. `key` names the event (an activity, a source's change):
    each person is told of an event once, whichever way it reaches here twice."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    claim = models.ForeignKey("claims.Claim", on_delete=models.CASCADE, related_name="+")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    text = models.CharField(max_length=300)
    key = models.CharField(max_length=100)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    # Email: wanted when created (the recipient's preference then), sent once by the task.
    email_wanted = models.BooleanField(default=False)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "key"], name="notification_once")
        ]
        indexes = [
            models.Index(fields=["recipient", "-created_at"], name="notification_inbox"),
            # The bell's count on every page: only the unread rows are in it.
            models.Index(
                fields=["recipient"], condition=Q(read_at__isnull=True), name="notification_unread"
            ),
            # The sweeper's emails wanted and not sent: few rows, whatever the inbox holds.
            models.Index(
                fields=["created_at"],
                condition=Q(email_wanted=True, emailed_at__isnull=True),
                name="notification_email_due",
            ),
        ]

    def __str__(self) -> str:
        return f"to {self.recipient}: {self.text}"

    def get_absolute_url(self) -> str:
        return reverse("notifications:open", args=[self.pk])

    @property
    def is_unread(self) -> bool:
        return self.read_at is None


class EmailPreference(TimeStamped):
    """Whether, where and about what a person is emailed. No row: not emailed."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="email_preference"
    )
    enabled = models.BooleanField(default=False)
    address = models.EmailField(blank=True, help_text="Empty: the account's address.")
    kinds = ArrayField(models.CharField(max_length=20, choices=Kind.choices), default=list)

    def __str__(self) -> str:
        return f"email for {self.user}: {'on' if self.enabled else 'off'}"

    def wants(self, kind: str) -> bool:
        return self.enabled and kind in self.kinds and bool(self.send_to)

    @property
    def send_to(self) -> str:
        return self.address or self.user.email
