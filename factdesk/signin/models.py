"""How people sign in: the desk's security settings (one row, an admin's)."""

from __future__ import annotations

from django.conf import settings
from django.db import models


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
