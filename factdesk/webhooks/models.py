"""Webhooks: the newsroom's other systems (its CMS, a partner's aggregator) told when a fact
check is published, corrected or retracted, by a signed POST (the Standard Webhooks scheme)."""

from __future__ import annotations

import base64
import secrets
import uuid

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.urls import reverse
from django.utils import timezone

from factdesk.claims.models import Activity, Claim
from factdesk.core.models import TimeStamped


class Event(models.TextChoices):
    PUBLISHED = "fact_check.published", "A fact check is published"
    CORRECTED = "fact_check.corrected", "A correction is published"
    RETRACTED = "fact_check.retracted", "A fact check is retracted"


TEST_EVENT = "webhook.test"  # sent from the subscription's page, to every subscription


def new_secret() -> str:
    """A signing secret as Standard Webhooks writes it: `whsec_` and 32 random bytes in
    base64 (the bytes are the HMAC key)."""
    return "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()


def new_message_id() -> str:
    return f"msg_{uuid.uuid4().hex}"


class Subscription(TimeStamped):
    url = models.URLField("Address", max_length=2000)
    description = models.CharField(max_length=200, blank=True)
    events = ArrayField(models.CharField(max_length=40, choices=Event.choices))
    secret = models.CharField(max_length=100, default=new_secret)
    active = models.BooleanField(default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.description or self.url

    def get_absolute_url(self) -> str:
        return reverse("webhooks:subscription", args=[self.pk])

    @property
    def event_labels(self) -> list[str]:
        return [Event(event).label for event in self.events if event in Event.values]


class Delivery(models.Model):
    """One event for one subscription, sent until the receiver answers 2xx or the retries
    run out. `message_id` stays the same across attempts: the receiver deduplicates on it."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        DELIVERED = "delivered", "Delivered"
        FAILED = "failed", "Failed"

    subscription = models.ForeignKey(
        Subscription, on_delete=models.CASCADE, related_name="deliveries"
    )
    message_id = models.CharField(max_length=40, unique=True, default=new_message_id)
    event = models.CharField(max_length=40)
    # The change that caused it: one delivery per subscription and change, however often
    # the change is announced.
    activity = models.ForeignKey(
        Activity, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    claim = models.ForeignKey(
        Claim, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    payload = models.JSONField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    # A worker's hold on the row while it sends; a worker that dies lets it lapse, and the
    # sweeper sends the delivery again.
    leased_until = models.DateTimeField(null=True, blank=True)
    last_status = models.PositiveIntegerField(null=True, blank=True)
    last_response = models.CharField(max_length=500, blank=True)
    last_error = models.CharField(max_length=300, blank=True)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "deliveries"
        constraints = [
            models.UniqueConstraint(
                fields=["subscription", "activity"], name="delivery_once_per_change"
            ),
        ]
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                name="delivery_due",
                condition=models.Q(status="pending"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.event} → {self.subscription.url} ({self.status})"
