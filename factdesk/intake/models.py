"""What editors decided about an article's lines and sentences. The text is never changed:
decisions name a span of it by code-point offsets."""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import MD5
from django.utils import timezone
from pgvector.django import HnswIndex, VectorField

from factdesk.core.models import SEARCH_CONFIG, TimeStamped
from factdesk.core.words import plain_words


class LineDecision(TimeStamped):
    """An editor's word on one line of an article: page furniture or article text. It
    overrides the furniture rules for that line, on every later look at the article."""

    article = models.ForeignKey(
        "articles.Article", on_delete=models.CASCADE, related_name="line_decisions"
    )
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    is_furniture = models.BooleanField()
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["article", "start", "end"], name="line_decided_once"),
            models.CheckConstraint(condition=Q(start__lt=F("end")), name="line_span_not_empty"),
        ]

    def __str__(self) -> str:
        kind = "furniture" if self.is_furniture else "article text"
        return f"article {self.article_id} [{self.start}:{self.end}] is {kind}"


class NotAClaim(TimeStamped):
    """A suggested sentence an editor said is not a claim: never suggested again, and a
    negative example for the desk's own model of check-worthiness."""

    article = models.ForeignKey(
        "articles.Article", on_delete=models.CASCADE, related_name="not_claims"
    )
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    text = models.TextField()  # the sentence as it was, for learning
    model_version = models.PositiveIntegerField(
        null=True, blank=True, help_text="the model that suggested it (0: the cold-start rules)"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = "sentence that is not a claim"
        constraints = [
            models.UniqueConstraint(fields=["article", "start", "end"], name="not_a_claim_once"),
            models.CheckConstraint(condition=Q(start__lt=F("end")), name="not_a_claim_not_empty"),
        ]

    def __str__(self) -> str:
        return f"not a claim: {self.text[:60]}"


class ExternalFactCheck(TimeStamped):
    """A fact check published by another newsroom, read from its ClaimReview: what the desk
    shows as "checked elsewhere" beside a claim like it, by its headline (the title of the
    fact-check article) when it has one."""

    class Origin(models.TextChoices):
        PAGE = "page", "a fact-check page"
        FEED = "feed", "a ClaimReview feed"
        API = "api", "Google's Fact Check Tools"
        CHECK = "check", "a Meedan Check export"

    url = models.URLField(max_length=2000)
    claim_reviewed = models.TextField()
    headline = models.TextField(blank=True)
    publisher = models.CharField(max_length=200, blank=True)
    rating_text = models.CharField(max_length=200, blank=True)
    # 0 (the scale's worst) to 1 (its best), when the page gives a scale.
    rating_value = models.FloatField(null=True, blank=True)
    date_published = models.DateField(null=True, blank=True)
    claimant = models.CharField(max_length=200, blank=True)
    language = models.CharField(max_length=10, blank=True)
    origin = models.CharField(max_length=10, choices=Origin.choices)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The claim's words weighted A, the headline's B: matching reads them apart (ts_filter).
    search_vector = models.GeneratedField(
        expression=SearchVector("claim_reviewed", config=SEARCH_CONFIG, weight="A")
        + SearchVector("headline", config=SEARCH_CONFIG, weight="B"),
        output_field=SearchVectorField(),
        db_persist=True,
    )

    class Meta:
        constraints = [
            # The same review imported again (from the page, then a feed) is one row.
            models.UniqueConstraint(
                F("url"), MD5("claim_reviewed"), name="external_fact_check_once"
            ),
        ]
        # fastupdate off, as the claims' (claims/models.py): a feed's rows go straight into
        # the index instead of a pending list that every lookup would read until vacuum.
        indexes = [
            GinIndex(fields=["search_vector"], name="external_fact_check_search", fastupdate=False)
        ]

    def __str__(self) -> str:
        return f"{self.publisher or 'elsewhere'}: {self.headline_or_claim[:60]}"

    @property
    def headline_or_claim(self) -> str:
        """What an editor knows the fact check by: its headline, else the claim it reviews."""
        return self.headline or self.claim_reviewed

    @property
    def distinct_headline(self) -> str:
        """The headline, or "" when it only repeats the claim reviewed (as some publishers
        write it, and as a Check import keeps it): a repeat is neither shown beside the claim
        nor embedded, where it would count the claim's meaning twice."""
        repeats = plain_words(self.headline) == plain_words(self.claim_reviewed)
        return "" if repeats else self.headline


class FeedImport(TimeStamped):
    """A ClaimReview feed (schema.org DataFeed in JSON-LD, as the Data Commons fact-check
    feed is published) being read into external fact checks by a worker, with its progress
    and what it skipped and why. The file is kept in the desk's storage while it is read."""

    class Status(models.TextChoices):
        WAITING = "waiting", "Waiting for a worker"
        READING = "reading", "Reading"
        DONE = "done", "Done"
        FAILED = "failed", "Stopped"

    name = models.CharField(max_length=2000, help_text="the file's name or the feed's address")
    url = models.URLField(max_length=2000, blank=True)
    body = models.CharField(max_length=200, blank=True, help_text="storage path of the file")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.WAITING)
    size = models.PositiveBigIntegerField(default=0)
    read = models.PositiveBigIntegerField(default=0, help_text="bytes read so far")
    imported = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    skipped = models.PositiveIntegerField(default=0)
    skipped_reasons = models.JSONField(default=list, help_text="the first skipped reviews")
    error = models.TextField(blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"feed {self.name[:80]}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("intake:feed", args=[self.pk])

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        return min(99, int(100 * self.read / self.size)) if self.size else 0

    @property
    def working(self) -> bool:
        return self.status in (self.Status.WAITING, self.Status.READING)


class IntakeSettings(models.Model):
    """The desk's intake choices (one row): whether each claim logged is searched on Google's
    Fact Check Tools (which sends its wording to Google; off until a publisher opts in)."""

    search_google = models.BooleanField(default=False)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = verbose_name_plural = "intake settings"

    def __str__(self) -> str:
        return "intake settings"

    @classmethod
    def current(cls) -> IntakeSettings:
        return cls.objects.get_or_create(pk=1)[0]


EMBEDDING_DIMENSIONS = 384  # intake.embeddings.DIMENSIONS (a test checks they agree)


class Embedding(models.Model):
    """The vector of a text (intake/embeddings.py) and a digest of the text it was made from,
    so that a text embedded already is not embedded again. Cosine distance, HNSW index."""

    vector = VectorField(dimensions=EMBEDDING_DIMENSIONS)
    text_digest = models.CharField(max_length=64)
    embedded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        abstract = True


class ClaimEmbedding(Embedding):
    """A claim's wording, embedded (by a task when the claim is logged or reworded)."""

    claim = models.OneToOneField(
        "claims.Claim", on_delete=models.CASCADE, primary_key=True, related_name="embedding"
    )

    class Meta:
        indexes = [
            HnswIndex(
                name="claim_embedding_hnsw", fields=["vector"], opclasses=["vector_cosine_ops"]
            )
        ]

    def __str__(self) -> str:
        return f"embedding of claim #{self.claim_id}"


class FactCheckEmbedding(Embedding):
    """An external fact check's claim reviewed, embedded (by a task when it comes in), and
    its headline (no HNSW index: matching reads it for the rows the claim's vector found)."""

    fact_check = models.OneToOneField(
        ExternalFactCheck, on_delete=models.CASCADE, primary_key=True, related_name="embedding"
    )
    headline_vector = VectorField(dimensions=EMBEDDING_DIMENSIONS, null=True, blank=True)

    class Meta:
        indexes = [
            HnswIndex(
                name="fact_check_embedding_hnsw",
                fields=["vector"],
                opclasses=["vector_cosine_ops"],
            )
        ]

    def __str__(self) -> str:
        return f"embedding of fact check #{self.fact_check_id}"


class TriageDone(models.Model):
    """An editor read the whole article: every sentence of it nobody logged is a negative
    example for the desk's model (one they looked at and passed over)."""

    article = models.OneToOneField(
        "articles.Article", on_delete=models.CASCADE, related_name="triage_done"
    )
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    done_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"article {self.article_id} triaged by {self.done_by}"


class WorthinessModel(models.Model):
    """A version of the desk's learned check-worthiness model: its weights (learning.Model
    as JSON), what it was trained on, and how it scored on decisions held back from it
    beside the model it replaced. At most one is active: the one suggestions use."""

    created_at = models.DateTimeField(default=timezone.now)
    decisions = models.PositiveIntegerField(help_text="decisions it learned from and was tested on")
    held_back_ap = models.FloatField(help_text="average precision on the decisions held back")
    previous_ap = models.FloatField(help_text="the same for the model in use before it")
    weights = models.JSONField()
    active = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["active"], condition=Q(active=True), name="one_active_worthiness_model"
            )
        ]

    def __str__(self) -> str:
        return f"model v{self.pk} ({self.decisions} decisions, AP {self.held_back_ap:.2f})"


class SuggestionLogged(models.Model):
    """Which model version suggested a claim that was then logged from its suggestion (0: the
    cold-start rules), and the score it gave."""

    claim = models.OneToOneField("claims.Claim", on_delete=models.CASCADE, related_name="+")
    model_version = models.PositiveIntegerField()
    score = models.FloatField()

    def __str__(self) -> str:
        return f"claim {self.claim_id} suggested by model v{self.model_version}"
