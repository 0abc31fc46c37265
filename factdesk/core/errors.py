"""Errors services raise for rules an editor broke; the message is shown to them as is."""

from __future__ import annotations

from typing import Any


class DeskError(Exception):
    """A rule of the desk stops this change. Nothing was changed."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


def form_error(form: Any, error: DeskError) -> None:
    """Show a service's refusal next to the field it names, or above the form."""
    field = error.field if error.field in form.fields else None
    form.add_error(field, error.message)
