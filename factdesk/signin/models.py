"""How people sign in: the desk's security settings (one row, an admin's)."""

from __future__ import annotations

from django.conf import settings
from django.core.cache import caches
from django.db import models

REQUIRED_KEY = "signin:two-factor-required"


class SecuritySettings(models.Model):
    """How people must sign in, as the desk's admins set it (one row)."""

    require_two_factor_for_editors = models.BooleanField(
        "Require two-factor sign-in for editors and publishers",
        default=False,
        help_text="They set it up at their next page view; reporters may still choose it.",
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "security settings"

    def __str__(self) -> str:
        return "Security settings"

    @classmethod
    def current(cls) -> SecuritySettings:
        return cls.objects.get_or_create(pk=1)[0]

    @classmethod
    def requires_two_factor(cls) -> bool:
        """Asked by every page an editor opens: kept a minute in the process's own memory
        (an admin's change reaches the other processes within it)."""
        cached = caches["process"].get(REQUIRED_KEY)
        if cached is None:
            row = cls.objects.filter(pk=1).values_list("require_two_factor_for_editors").first()
            cached = bool(row and row[0])
            caches["process"].set(REQUIRED_KEY, cached)
        return cached
