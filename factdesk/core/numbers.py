"""Numbers that come in as text (query strings, hidden fields)."""

from __future__ import annotations

MAX_DIGITS = 18  # a bigint's worth: more is no row's id


def whole_number(value: str | None) -> int | None:
    """The non-negative whole number `value` writes in ASCII digits, or None for anything
    else ("", "-3", "1e9", "²", twenty digits): `str.isdigit()` alone also takes digits that
    `int()` refuses, such as superscripts."""
    if not value or len(value) > MAX_DIGITS or not (value.isascii() and value.isdigit()):
        return None
    return int(value)
