"""Matched words from PostgreSQL's ts_headline, made safe to show.

The database wraps matches in control characters that no text contains; the text is escaped
first and only those markers become <mark> tags, so nothing in a claim or a fetched page is
ever rendered as HTML.
"""

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

HIT_START, HIT_STOP = "\x02", "\x03"


def mark_hits(raw: str | None) -> SafeString:
    escaped = escape(raw or "")
    return mark_safe(  # noqa: S308 - escaped above; only our markers become tags
        escaped.replace(HIT_START, "<mark>").replace(HIT_STOP, "</mark>")
    )
