"""The desk's domain: who said what, where it is in the process, what we found, who did what."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone

from factdesk.claims.workflow import OPEN_STATUSES, PUBLIC_STATUSES, ClaimStatus, DismissReason
from factdesk.core.models import SEARCH_CONFIG, TimeStamped, WithoutSearchVector


class Claimant(TimeStamped):
    """Who made a claim: a person or an organisation."""

    class Kind(models.TextChoices):
        PERSON = "person", "Person"
        ORGANISATION = "organisation", "Organisation"
        OTHER = "other", "Other (e.g. viral posts)"

    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.PERSON)
    description = models.CharField(
        max_length=300, blank=True, help_text="e.g. 'Member of Parliament for Leeds Central'"
    )
    search_vector = models.GeneratedField(
        expression=SearchVector("name", "description", config=SEARCH_CONFIG),
        output_field=SearchVectorField(),
        db_persist=True,
    )

    objects = WithoutSearchVector()

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(Lower("name"), name="claimant_name_unique_ci")]
        indexes = [
            GinIndex(fields=["search_vector"], name="claimant_search_gin"),
            GinIndex(fields=["name"], opclasses=["gin_trgm_ops"], name="claimant_name_trgm"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("claims:claimant", args=[self.pk])


class Priority(models.IntegerChoices):
    LOW = 0, "Low"
    NORMAL = 1, "Normal"
    HIGH = 2, "High"
    URGENT = 3, "Urgent"


class Topic(TimeStamped):
    """What a claim is about ("housing", "crime"): how editors group and filter the desk."""

    NAME_MAX = 60

    name = models.CharField(max_length=NAME_MAX)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(Lower("name"), name="topic_name_unique_ci"),
            models.CheckConstraint(condition=~Q(name=""), name="topic_name_not_empty"),
        ]

    def __str__(self) -> str:
        return self.name


class Medium(models.TextChoices):
    ARTICLE = "article", "Article"
    TV = "tv", "TV or radio"
    SPEECH = "speech", "Speech or event"
    SOCIAL = "social", "Social media post"
    OTHER = "other", "Other"


class Claim(TimeStamped):
    """One checkable statement.

    `quote` is the exact words; when the claim comes from an article, `quote_start` and
    `quote_end` are character offsets into `article.text` and the service checks that
    `article.text[quote_start:quote_end] == quote` before saving.
    """

    article = models.ForeignKey(
        "articles.Article",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="claims",
        db_index=False,  # claim_article_status leads with it
    )
    quote = models.TextField(help_text="The exact words, as said or written.")
    quote_start = models.PositiveIntegerField(null=True, blank=True)
    quote_end = models.PositiveIntegerField(null=True, blank=True)
    medium = models.CharField(max_length=20, choices=Medium.choices, default=Medium.ARTICLE)
    source_url = models.URLField(
        max_length=2000, blank=True, help_text="Where it was said, when not in a logged article."
    )
    source_description = models.CharField(
        max_length=500, blank=True, help_text="e.g. 'BBC Question Time, 14 March, 21:40'"
    )
    text = models.TextField(help_text="The claim as the desk words it.")
    claimant = models.ForeignKey(Claimant, on_delete=models.PROTECT, related_name="claims")
    claimed_on = models.DateField(default=timezone.localdate)
    # Detected from the text (core/languages.py), editable; "" while unknown.
    language = models.CharField(max_length=10, blank=True)
    status = models.CharField(
        max_length=20, choices=ClaimStatus.choices, default=ClaimStatus.NEW, db_index=True
    )
    status_changed_at = models.DateTimeField(default=timezone.now)
    dismiss_reason = models.CharField(max_length=20, choices=DismissReason.choices, blank=True)
    dismiss_note = models.CharField(max_length=500, blank=True)
    duplicate_of = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="duplicates"
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_claims",
    )
    priority = models.PositiveSmallIntegerField(choices=Priority.choices, default=Priority.NORMAL)
    # When the check should be done: from the priority when logged (settings.DUE_DAYS), then
    # as editors set it. Overdue means an open claim past this date.
    due_date = models.DateField(null=True, blank=True)
    topics: models.ManyToManyField[Topic, ClaimTopic] = models.ManyToManyField(
        Topic, through="ClaimTopic", related_name="claims", blank=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    published_at = models.DateTimeField(null=True, blank=True)
    # A retraction's public notice and when it was made: the public page shows the fact check
    # struck through, with this note.
    retraction_note = models.TextField(blank=True)
    retracted_at = models.DateTimeField(null=True, blank=True)
    # The rating of the newest verdict version, kept by verdict_save so that the board and
    # list can filter by rating without a subquery per row.
    current_rating = models.ForeignKey(
        "Rating", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    search_vector = models.GeneratedField(
        expression=SearchVector("text", weight="A", config=SEARCH_CONFIG)
        + SearchVector("quote", weight="B", config=SEARCH_CONFIG),
        output_field=SearchVectorField(),
        db_persist=True,
    )

    # Set on the claims a board card or a list row shows (claims.selectors.with_marks).
    topic_names: list[str]
    changes_requested: bool

    objects = WithoutSearchVector()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(article__isnull=True, quote_start__isnull=True, quote_end__isnull=True)
                    | Q(
                        article__isnull=False,
                        quote_start__isnull=False,
                        quote_end__gt=F("quote_start"),
                    )
                ),
                name="claim_quote_offsets_with_article",
            ),
            models.CheckConstraint(
                condition=Q(status=ClaimStatus.DISMISSED, dismiss_reason__gt="")
                | (~Q(status=ClaimStatus.DISMISSED) & Q(dismiss_reason="")),
                name="claim_dismissed_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(status=ClaimStatus.DUPLICATE, duplicate_of__isnull=False)
                | (~Q(status=ClaimStatus.DUPLICATE) & Q(duplicate_of__isnull=True)),
                name="claim_duplicate_points_at_original",
            ),
            models.CheckConstraint(
                condition=~Q(duplicate_of=F("pk")), name="claim_not_duplicate_of_itself"
            ),
            models.CheckConstraint(condition=~Q(text=""), name="claim_text_not_empty"),
            models.CheckConstraint(
                condition=~Q(status=ClaimStatus.RETRACTED)
                | Q(retraction_note__gt="", retracted_at__isnull=False, published_at__isnull=False),
                name="claim_retracted_was_published_with_note",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "-created_at"], name="claim_status_recent"),
            # The board's columns, in their order. With the id and article key in the index, a
            # board filtered by outlet walks it without reading each claim's row to learn
            # its article (the outlet is then checked in article_outlet, also index-only).
            models.Index(
                fields=["status", "-priority", "created_at"],
                include=["id", "article"],
                name="claim_board_order",
            ),
            # The board's published column, newest first, across published and corrected.
            models.Index(
                fields=["-status_changed_at"],
                include=["id", "article"],
                condition=Q(status__in=[ClaimStatus.PUBLISHED, ClaimStatus.CORRECTED]),
                name="claim_recently_published",
            ),
            models.Index(fields=["-priority", "created_at"], name="claim_priority_order"),
            # The public fact checks, newest first (factdesk/public): index, feeds, sitemaps.
            models.Index(
                F("published_at").desc(),
                F("id").desc(),
                condition=Q(published_at__isnull=False),
                name="claim_public_newest",
            ),
            # The few public fact checks under correction (public.selectors.index's rating
            # filter reads their newest published version).
            models.Index(
                fields=["id"],
                condition=Q(published_at__isnull=False)
                & ~Q(status__in=["published", "corrected", "retracted"]),
                name="claim_public_in_correction",
            ),
            models.Index(fields=["-claimed_on", "-created_at"], name="claim_claimed_order"),
            models.Index(fields=["assignee", "status"], name="claim_assignee_status"),
            # The dashboard's overdue claims, soonest due first: only open claims are overdue.
            models.Index(
                fields=["due_date"],
                condition=Q(
                    status__in=[
                        ClaimStatus.NEW,
                        ClaimStatus.RESEARCHING,
                        ClaimStatus.IN_REVIEW,
                        ClaimStatus.APPROVED,
                    ]
                ),
                name="claim_open_due",
            ),
            # Boards filtered by rating: counts by status read it alone (index-only), and each
            # column's first cards are its first entries. Without the order columns the
            # planner walked claim_board_order through every new claim looking for a rating
            # new claims rarely have (440 ms at a million claims).
            models.Index(
                fields=["current_rating", "status", "-priority", "created_at"],
                name="claim_rating_board",
            ),
            # Boards and lists filtered by outlet (through article__outlet): the counts by
            # status read it alone for each of the outlet's articles; the claim's article
            # key is looked up through it too.
            models.Index(fields=["article", "status"], name="claim_article_status"),
            # Written straight into the index (fastupdate off), not kept in a pending list
            # until vacuum: every search and every "similar claims" lookup would read the
            # whole list (up to 4 MB; 15 ms a lookup, benchmarks/matching.py).
            GinIndex(fields=["search_vector"], name="claim_search_gin", fastupdate=False),
            GinIndex(fields=["text"], opclasses=["gin_trgm_ops"], name="claim_text_trgm"),
        ]

    def __str__(self) -> str:
        return self.text[:80]

    def get_absolute_url(self) -> str:
        return reverse("claims:detail", args=[self.pk])

    @property
    def rating_is_public(self) -> bool:
        """Whether the claim's current rating is what readers see (published, not a draft)."""
        return self.status in PUBLIC_STATUSES

    @property
    def age_days(self) -> int:
        return (timezone.now() - self.created_at).days

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def due_in_days(self, today: datetime.date | None = None) -> int | None:
        """Days until the due date (negative: overdue by that many), for an open claim with
        a due date; None otherwise."""
        if self.due_date is None or not self.is_open:
            return None
        return (self.due_date - (today or timezone.localdate())).days

    def due_label(self, today: datetime.date | None = None) -> str:
        """ "due in 2 days", "due today", "overdue by 3 days"; empty when not due."""
        days = self.due_in_days(today)
        if days is None:
            return ""
        if days == 0:
            return "due today"
        if days == 1:
            return "due tomorrow"
        if days > 0:
            return f"due in {days} days"
        return f"overdue by {-days} day{'' if days == -1 else 's'}"

    def verdict_history(self) -> VerdictHistory:
        """The claim's verdict versions, newest first, each with its reviews (two queries):
        what every rule about drafts, publication and sign-off reads."""
        versions = self.verdicts.select_related("rating", "author").prefetch_related(
            models.Prefetch("reviews", queryset=Review.objects.select_related("reviewer"))
        )
        return VerdictHistory(list(versions.order_by("-number")))


class ClaimTopic(models.Model):
    """A claim's topic. The topic's index lists its claims for the board's topic filter."""

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="+")
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="+", db_index=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["topic", "claim"], name="claim_topic_unique"),
        ]

    def __str__(self) -> str:
        return f"#{self.claim_id}: {self.topic_id}"


class RatingScale(TimeStamped):
    name = models.CharField(max_length=100, unique=True)
    is_default = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["is_default"], condition=Q(is_default=True), name="one_default_scale"
            )
        ]

    def __str__(self) -> str:
        return self.name


class Rating(TimeStamped):
    """One verdict label. `value` is its ClaimReview ratingValue (worst=1 … best); labels off
    the true-false line (Unproven, Missing context) have none and are published by name."""

    scale = models.ForeignKey(RatingScale, on_delete=models.CASCADE, related_name="ratings")
    label = models.CharField(max_length=60)
    description = models.CharField(max_length=300)
    colour = models.CharField(max_length=7, default="#6b7280", help_text="#rrggbb")
    value = models.PositiveSmallIntegerField(null=True, blank=True)
    position = models.PositiveSmallIntegerField(default=0, help_text="Order on pages.")

    class Meta:
        ordering = ["scale", "position"]
        constraints = [
            models.UniqueConstraint(fields=["scale", "label"], name="rating_label_unique"),
            models.UniqueConstraint(fields=["scale", "value"], name="rating_value_unique"),
            models.CheckConstraint(
                condition=Q(value__gte=1) | Q(value__isnull=True), name="rating_value_positive"
            ),
            models.CheckConstraint(
                condition=Q(colour__regex=r"^#[0-9a-fA-F]{6}$"), name="rating_colour_hex"
            ),
        ]

    def __str__(self) -> str:
        return self.label


class Verdict(models.Model):
    """One version of the desk's verdict on a claim. Versions are never edited: a change is a
    new version (a database trigger enforces it). A version is published once, by publishing
    the claim; a later published version is a correction and carries a public note."""

    claim = models.ForeignKey(Claim, on_delete=models.PROTECT, related_name="verdicts")
    number = models.PositiveIntegerField()
    rating = models.ForeignKey(Rating, on_delete=models.PROTECT, related_name="verdicts")
    conclusion = models.CharField(max_length=280, help_text="One line: what we found.")
    explanation = models.TextField()
    correction_note = models.TextField(
        blank=True, help_text="For a correction: what changed and why, shown to readers."
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["claim", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["claim", "number"], name="verdict_version_unique"),
            models.CheckConstraint(condition=Q(number__gte=1), name="verdict_number_positive"),
            models.CheckConstraint(condition=~Q(conclusion=""), name="verdict_conclusion_set"),
        ]

    def __str__(self) -> str:
        return f"v{self.number}: {self.rating} — {self.conclusion[:60]}"

    @property
    def approvals(self) -> list[Review]:
        """The reviews that approved this version (from prefetched reviews: no query)."""
        return [review for review in self.reviews.all() if review.decision == "approve"]

    @property
    def change_requests(self) -> list[Review]:
        return [review for review in self.reviews.all() if review.decision != "approve"]


@dataclass(frozen=True)
class Signoff:
    """Where a draft stands against the desk's sign-off rule (settings.SIGNOFF_*)."""

    needed: int
    rejections_needed: int
    approvals: tuple[Review, ...] = ()
    requests: tuple[Review, ...] = ()

    @classmethod
    def of(cls, reviews: Iterable[Review]) -> Signoff:
        """The rule applied to a draft's reviews (none: no draft, or not reviewed yet)."""
        reviews = list(reviews)
        return cls(
            needed=settings.SIGNOFF_APPROVALS,
            rejections_needed=settings.SIGNOFF_REJECTIONS,
            approvals=tuple(r for r in reviews if r.decision == Review.Decision.APPROVE),
            requests=tuple(r for r in reviews if r.decision != Review.Decision.APPROVE),
        )

    @property
    def met(self) -> bool:
        return len(self.approvals) >= self.needed

    @property
    def sent_back(self) -> bool:
        return len(self.requests) >= self.rejections_needed

    @property
    def missing(self) -> int:
        return max(0, self.needed - len(self.approvals))


@dataclass(frozen=True)
class VerdictHistory:
    """A claim's verdict versions, newest first (from `Claim.verdict_history`), and what the
    desk's rules read from them."""

    versions: list[Verdict]

    @property
    def latest(self) -> Verdict | None:
        return self.versions[0] if self.versions else None

    @property
    def published(self) -> Verdict | None:
        """The newest published version: what readers see."""
        return next((version for version in self.versions if version.published_at), None)

    @property
    def draft(self) -> Verdict | None:
        """The newest version, if it is not published yet: what is being worked on."""
        latest = self.latest
        return latest if latest and latest.published_at is None else None

    @property
    def contributors(self) -> set[int]:
        """Who wrote any version since the last publication: none of them may approve it."""
        floor = self.published.number if self.published else 0
        return {version.author_id for version in self.versions if version.number > floor}

    @property
    def signoff(self) -> Signoff:
        return Signoff.of(self.draft.reviews.all() if self.draft else ())

    @property
    def requested_changes(self) -> list[Review]:
        """What reviewers asked to change in the draft, for its author to fix (none once the
        draft is revised: the new version has no reviews yet)."""
        return self.draft.change_requests if self.draft else []


class Review(models.Model):
    class Decision(models.TextChoices):
        APPROVE = "approve", "Approve"
        REQUEST_CHANGES = "changes", "Request changes"

    verdict = models.ForeignKey(Verdict, on_delete=models.PROTECT, related_name="reviews")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decision = models.CharField(max_length=10, choices=Decision.choices)
    comment = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at"]
        constraints = [
            # One vote per reviewer per version: a panel of three is three people.
            models.UniqueConstraint(fields=["verdict", "reviewer"], name="review_once_per_version"),
            models.CheckConstraint(
                condition=Q(decision="approve") | ~Q(comment=""),
                name="review_changes_need_comment",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_decision_display()} by {self.reviewer}"


class Comment(models.Model):
    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at"]
        constraints = [models.CheckConstraint(condition=~Q(body=""), name="comment_not_empty")]

    def __str__(self) -> str:
        return f"{self.author}: {self.body[:60]}"


class Activity(models.Model):
    """The audit trail. `changes` maps each changed field to [before, after]; a creation
    records every field with before = null. Rows are only ever inserted."""

    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    action = models.CharField(max_length=40)
    claim = models.ForeignKey(
        Claim, on_delete=models.PROTECT, null=True, blank=True, related_name="activities"
    )
    target_type = models.CharField(max_length=40)
    target_id = models.BigIntegerField()
    summary = models.CharField(max_length=300)
    changes = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name_plural = "activities"
        indexes = [
            models.Index(fields=["claim", "created_at"], name="activity_claim_time"),
            models.Index(fields=["target_type", "target_id"], name="activity_target"),
        ]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor} {self.summary}"


class StatusCount(models.Model):
    """How many claims are in each status, kept by triggers on claims_claim (migration 0007).

    The board and the unfiltered list show these counts on every request; counting them
    from the status index takes 150 ms at a million claims, reading this table well under
    one. The triggers update one row per status, so two transactions moving claims between
    the same statuses wait for each other: fine at a desk's rate of writes."""

    status = models.CharField(max_length=20, choices=ClaimStatus.choices, primary_key=True)
    claims = models.BigIntegerField(default=0)

    # The counts from scratch: after a load that bypassed the triggers (benchmarks/desk_seed
    # writes with COPY and triggers off) and when the table is created.
    RECOUNT_SQL = """
        DELETE FROM claims_statuscount;
        INSERT INTO claims_statuscount (status, claims)
            SELECT status, count(*) FROM claims_claim GROUP BY status;
    """

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(claims__gte=0), name="status_count_not_negative")
        ]

    def __str__(self) -> str:
        return f"{self.status}: {self.claims}"


class TopicStatusCount(models.Model):
    """How many claims of each topic are in each status, kept by triggers on
    claims_claimtopic and claims_claim (migration 0010), as StatusCount is for all claims.

    A board filtered by a big topic counted its claims by status through the links: 27,000
    of them at 100,000 claims, 47 ms of a 25 ms budget (benchmarks/desk.py, /?topic=);
    reading these rows takes well under one."""

    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(max_length=20, choices=ClaimStatus.choices)
    claims = models.BigIntegerField(default=0)

    # The counts from scratch, after a load that bypassed the triggers.
    RECOUNT_SQL = """
        DELETE FROM claims_topicstatuscount;
        INSERT INTO claims_topicstatuscount (topic_id, status, claims)
            SELECT link.topic_id, claim.status, count(*)
            FROM claims_claimtopic link JOIN claims_claim claim ON claim.id = link.claim_id
            GROUP BY link.topic_id, claim.status;
    """

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["topic", "status"], name="topic_status_count_unique"),
            models.CheckConstraint(
                condition=Q(claims__gte=0), name="topic_status_count_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.topic_id} {self.status}: {self.claims}"


class OutletStatusCount(models.Model):
    """How many claims from each outlet's articles are in each status, kept by triggers on
    claims_claim and articles_article (migration 0016), as TopicStatusCount is for topics.

    A board filtered by an outlet counted its claims by status through the articles: 20,000
    of them at 1,000,000 claims, 15-19 ms of a 50 ms budget (benchmarks/desk.py --claims
    1000000, /?outlet=)."""

    outlet = models.ForeignKey("articles.Outlet", on_delete=models.CASCADE, related_name="+")
    status = models.CharField(max_length=20, choices=ClaimStatus.choices)
    claims = models.BigIntegerField(default=0)

    # The counts from scratch, after a load that bypassed the triggers.
    RECOUNT_SQL = """
        DELETE FROM claims_outletstatuscount;
        INSERT INTO claims_outletstatuscount (outlet_id, status, claims)
            SELECT article.outlet_id, claim.status, count(*)
            FROM claims_claim claim JOIN articles_article article ON article.id = claim.article_id
            WHERE article.outlet_id IS NOT NULL
            GROUP BY article.outlet_id, claim.status;
    """

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["outlet", "status"], name="outlet_status_count_unique"),
            models.CheckConstraint(
                condition=Q(claims__gte=0), name="outlet_status_count_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.outlet_id} {self.status}: {self.claims}"


class SearchWord(models.Model):
    """Every word of the claims' wording (lower case, accents off), kept by a
    trigger on claims_claim (migration 0008): the vocabulary a search that found nothing
    corrects its words against (selectors.search_words_corrected), through a trigram index
    over a few thousand words instead of every claim's text. Words are only added: one no
    claim uses any more corrects to a search that finds nothing. Not the quotes': a quote
    cut from an article can end in part of a word ("stad"), a closer match than the word."""

    word = models.TextField(primary_key=True)

    # The vocabulary from scratch, after a load that bypassed the trigger.
    REFILL_SQL = """
        INSERT INTO claims_searchword (word)
            SELECT DISTINCT word FROM claims_claim,
                unnest(tsvector_to_array(to_tsvector('factdesk_words', text)))
                    AS word
            WHERE word ~ '^[a-z]{4,}$'
        ON CONFLICT DO NOTHING;
    """

    class Meta:
        indexes = [GinIndex(fields=["word"], opclasses=["gin_trgm_ops"], name="search_word_trgm")]

    def __str__(self) -> str:
        return self.word
