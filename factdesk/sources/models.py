from django.conf import settings
from django.db import models

from factdesk.core.models import TimeStamped


class Source(TimeStamped):
    """One URL cited as evidence, shared by every claim that cites it."""

    url = models.URLField(max_length=2000, unique=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    def __str__(self) -> str:
        return self.url


class Citation(TimeStamped):
    """A claim ↔ source link: what the source does for the claim, and the editor's note."""

    class Stance(models.TextChoices):
        SUPPORTS = "supports", "Supports the claim"
        REFUTES = "refutes", "Refutes the claim"
        CONTEXT = "context", "Context"

    claim = models.ForeignKey("claims.Claim", on_delete=models.CASCADE, related_name="citations")
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="citations")
    stance = models.CharField(max_length=10, choices=Stance.choices, default=Stance.CONTEXT)
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
