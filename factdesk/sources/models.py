from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Max
from django.utils import timezone

from factdesk.claims.models import Verdict
from factdesk.core.models import TimeStamped


class Source(TimeStamped):
    """One URL cited as evidence, shared by every claim that cites it.

    The row is also the fetch's work item: PostgreSQL, not the broker, says what remains to
    be done. A worker leases the row (status `fetching` until `lease_expires_at`) by a
    conditional update; a sweeper sends again rows that are due or whose lease expired.
    """

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting to be fetched"
        FETCHING = "fetching", "Fetching"
        DONE = "done", "Archived"
        FAILED = "failed", "Failed"

    class Kind(models.TextChoices):
        WEB = "web", "Web page"
        UPLOAD = "upload", "Uploaded file"

    class WaybackStatus(models.TextChoices):
        PENDING = "pending", "Saving"
        DONE = "done", "Saved"
        FAILED = "failed", "Not saved"

    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.WEB)
    url = models.URLField(
        max_length=2000, blank=True, help_text="The address as first cited; it is fetched."
    )
    # Web pages: the canonical form of the URL. Uploads: "upload:<sha256>", so the same file
    # uploaded twice is one source.
    canonical_url = models.CharField(max_length=2000, unique=True)
    # The site, as politeness counts it (scheme://host:port); blank for uploads.
    host = models.CharField(max_length=300, blank=True)
    filename = models.CharField(max_length=255, blank=True, help_text="An upload's file name.")
    file_type = models.CharField(max_length=100, blank=True, help_text="An upload's type.")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True, default=timezone.now)
    lease_expires_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=500, blank=True)
    # Failed for a reason trying again cannot change (a refused address, 404, 410, too
    # large): the panel offers no "Retry now" for it.
    failed_for_good = models.BooleanField(default=False)
    fetched_at = models.DateTimeField(null=True, blank=True)
    # Set when a re-check finds the page gone (404, 410, name no longer resolves); the
    # archived copy stays available.
    dead_since = models.DateTimeField(null=True, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    # A public copy at the Wayback Machine (optional, WAYBACK_ENABLED): a second work item
    # in the same row, with its own status, attempts and due time.
    wayback_status = models.CharField(
        max_length=10,
        blank=True,
        choices=WaybackStatus.choices,
    )
    wayback_url = models.URLField(max_length=2000, blank=True)
    wayback_error = models.CharField(max_length=300, blank=True)
    wayback_attempts = models.PositiveSmallIntegerField(default=0)
    wayback_next_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(
                fields=["wayback_next_at"],
                condition=models.Q(wayback_status="pending"),
                name="source_wayback_due",
            ),
            models.Index(
                fields=["next_attempt_at"],
                condition=models.Q(status="pending"),
                name="source_due",
            ),
            models.Index(
                fields=["lease_expires_at"],
                condition=models.Q(status="fetching"),
                name="source_leased",
            ),
            # A page sent back for its site's slot goes behind the site's waiting pages
            # (fetching._reschedule).
            models.Index(
                fields=["host", "next_attempt_at"],
                condition=models.Q(status="pending"),
                name="source_site_line",
            ),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        """What the desk calls the source: its URL, or an upload's file name."""
        return self.url or f"{self.filename} (uploaded)"

    @property
    def is_upload(self) -> bool:
        return self.kind == self.Kind.UPLOAD

    @property
    def is_settled(self) -> bool:
        """Archived or failed: nothing more will happen until someone asks."""
        return self.status in (self.Status.DONE, self.Status.FAILED)

    @property
    def can_retry(self) -> bool:
        """Failed, for a reason that trying again may change (a timeout, a server error)."""
        return self.status == self.Status.FAILED and not self.failed_for_good

    @property
    def wants_wayback(self) -> bool:
        """Whether a new archived copy also gets a public copy at the Wayback Machine: web
        pages, when the desk has it turned on."""
        return settings.WAYBACK_ENABLED and not self.is_upload

    def newest_snapshot(self) -> Snapshot | None:
        return self.snapshots.newest().first()


class SnapshotQuerySet(models.QuerySet["Snapshot"]):
    def newest(self) -> SnapshotQuerySet:
        """The newest snapshot of each source: the archived copy the desk reads now."""
        return self.order_by("source_id", "-fetched_at").distinct("source_id")


class Snapshot(models.Model):
    """One fetch of a source whose content was new: a new row only when the body's SHA-256
    changes. Written in one transaction once everything is read: never partial."""

    class Reading(models.TextChoices):
        TEXT = "text", "Text extracted"
        NO_TEXT_LAYER = "no_text_layer", "PDF without a text layer (scanned or encrypted)"
        NOT_READABLE = "not_readable", "Archived, but not a readable type"
        IMAGE = "image", "Image (archived; no text to read)"
        TOO_LARGE = "too_large", "Archived, but too large to read"

    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="snapshots")
    fetched_at = models.DateTimeField(default=timezone.now)
    final_url = models.URLField(max_length=2000, blank=True)
    http_status = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="None: uploaded."
    )
    content_type = models.CharField(max_length=100, blank=True)
    sha256 = models.CharField(max_length=64)
    size = models.PositiveIntegerField()
    body = models.CharField(max_length=200, help_text="Storage path of the archived body.")
    reading = models.CharField(max_length=20, choices=Reading.choices)
    title = models.CharField(max_length=500, blank=True)
    author = models.CharField(max_length=300, blank=True)
    published = models.DateField(null=True, blank=True)
    site_name = models.CharField(max_length=200, blank=True)
    text = models.TextField(blank=True)
    links = models.JSONField(
        default=list, blank=True, help_text="Links in the main text: [{url, text}, ...]."
    )

    objects = SnapshotQuerySet.as_manager()

    class Meta:
        ordering = ["-fetched_at"]
        constraints = [
            models.UniqueConstraint(fields=["source", "sha256"], name="snapshot_once_per_content")
        ]

    def __str__(self) -> str:
        return f"{self.source} at {self.fetched_at:%Y-%m-%d %H:%M}"


class Citation(TimeStamped):
    """A claim ↔ source link: what the source does for the claim, and the editor's note."""

    class Stance(models.TextChoices):
        SUPPORTS = "supports", "Supports the claim"
        REFUTES = "refutes", "Refutes the claim"
        CONTEXT = "context", "Context"

    claim = models.ForeignKey("claims.Claim", on_delete=models.CASCADE, related_name="citations")
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="citations")
    stance = models.CharField(max_length=10, choices=Stance.choices, default=Stance.CONTEXT)
    # The snapshot the desk read when citing (the first archived copy): a newer snapshot of
    # the source means "source changed since cited".
    cited_snapshot = models.ForeignKey(
        "Snapshot", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    pinned = models.JSONField(
        default=list, blank=True, help_text="Passages an editor pinned as quoted evidence."
    )
    note = models.TextField(blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(fields=["claim", "source"], name="citation_once_per_claim")
        ]

    def __str__(self) -> str:
        return f"{self.source} ({self.get_stance_display()})"

    def is_published(self, last_published_at: datetime.datetime | None) -> bool:
        """Whether a published verdict rests on this citation: it was there when the claim's
        last version was published (`last_published_at`). Readers saw it, so it stays."""
        return last_published_at is not None and self.created_at <= last_published_at

    def changed_since_cited(self, latest: Snapshot | None) -> bool:
        return bool(latest and self.cited_snapshot_id and latest.pk != self.cited_snapshot_id)


def last_published_at(claim_id: int) -> datetime.datetime | None:
    """When the claim's newest published verdict version was published (None: never)."""
    return Verdict.objects.filter(claim_id=claim_id).aggregate(last=Max("published_at"))["last"]
