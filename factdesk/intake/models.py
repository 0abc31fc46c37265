"""What editors decided about an article's lines and sentences. The text is never changed:
decisions name a span of it by code-point offsets."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from factdesk.core.models import TimeStamped


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
