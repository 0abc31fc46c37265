"""A Meedan Check workspace export coming into the desk: the import with its progress and
report, what each Check status becomes on the desk, and which Check ids are imported
already (so that importing the same export again creates nothing)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse


class CheckImport(models.Model):
    """One export taken in: checked (the dry run's report), confirmed, then imported by a
    worker in one transaction. Its progress is written from another connection, so the
    page sees it move while the import's own transaction is still open."""

    class Status(models.TextChoices):
        READY = "ready", "Checked: waiting for your confirmation"
        WAITING = "waiting", "Waiting for a worker"
        IMPORTING = "importing", "Importing"
        DONE = "done", "Done"
        FAILED = "failed", "Stopped: nothing was imported"

    name = models.CharField(max_length=255, help_text="the file's name")
    body = models.CharField(max_length=200, blank=True, help_text="storage path of the ZIP")
    size = models.PositiveBigIntegerField(default=0)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.READY)
    workspace = models.CharField(max_length=200, blank=True, help_text="the Check workspace")
    # The dry run's report (what would be created, skipped and why), then the import's.
    plan = models.JSONField(default=dict, blank=True)
    report = models.JSONField(default=dict, blank=True)
    rows_total = models.PositiveIntegerField(default=0)
    rows_done = models.PositiveIntegerField(default=0)
    phase = models.CharField(max_length=100, blank=True, help_text="what is being read now")
    error = models.TextField(blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "Check import"

    def __str__(self) -> str:
        return f"Check import {self.name[:80]}"

    def get_absolute_url(self) -> str:
        return reverse("checkimport:detail", args=[self.pk])

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        if not self.rows_total:
            return 0
        return min(99, int(100 * self.rows_done / self.rows_total))

    @property
    def working(self) -> bool:
        return self.status in (self.Status.WAITING, self.Status.IMPORTING)


class Outcome(models.TextChoices):
    """Where an item with a Check status goes on the desk."""

    NEW = "new", "New"
    RESEARCHING = "researching", "Researching"
    DISMISSED = "dismissed", "Dismissed"
    # The status is a verdict: the claim carries the mapped rating, published when its
    # fact check was published in Check, a draft verdict otherwise.
    RATED = "rated", "Rated"


class StatusMapping(models.Model):
    """What a Check status id becomes: a workflow status, or a rating of the desk's scale.
    Check's five core ids have defaults (checkimport.mapping); a workspace's own ids need
    a row, made by a publisher on the mapping page."""

    check_status = models.CharField(max_length=100, unique=True)
    outcome = models.CharField(max_length=20, choices=Outcome.choices)
    rating = models.ForeignKey(
        "claims.Rating", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["check_status"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(outcome="rated", rating__isnull=False)
                | (~models.Q(outcome="rated") & models.Q(rating__isnull=True)),
                name="status_mapping_rated_has_rating",
            )
        ]

    def __str__(self) -> str:
        return f"{self.check_status} → {self.outcome}"


class CheckRecord(models.Model):
    """A Check row imported already, and the desk's row it became: the unique key makes a
    second import of the same export create nothing."""

    class Kind(models.TextChoices):
        ITEM = "item", "item (a claim)"
        FACT_CHECK = "fact_check", "fact check (a verdict)"
        EXTERNAL = "external", "fact check (from elsewhere)"
        USER = "user", "user"
        ANNOTATIONS = "annotations", "annotations (a comment)"

    workspace_id = models.BigIntegerField(help_text="the Check workspace's id")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    check_id = models.BigIntegerField()
    object_id = models.BigIntegerField(help_text="the desk's row")
    check_import = models.ForeignKey(
        CheckImport, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["workspace_id", "kind", "check_id"], name="check_record_once"
            )
        ]

    def __str__(self) -> str:
        return f"Check {self.kind} {self.check_id} → {self.object_id}"
