"""Highlighting: matched words from PostgreSQL's ts_headline, made safe to show, and a text
cut into runs by the spans that mark it (the claims quoting an article).

The database wraps matches in control characters that no text contains; the text is escaped
first and only those markers become <mark> tags, so nothing in a claim or a fetched page is
ever rendered as HTML.
"""

import itertools
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

HIT_START, HIT_STOP = "\x02", "\x03"

Item = TypeVar("Item")


def mark_hits(raw: str | None) -> SafeString:
    escaped = escape(raw or "")
    return mark_safe(  # noqa: S308 - escaped above; only our markers become tags
        escaped.replace(HIT_START, "<mark>").replace(HIT_STOP, "</mark>")
    )


@dataclass
class Layer(Generic[Item]):
    """A run of a text and the items (claims) whose spans cover all of it, in span order."""

    text: str
    items: list[Item] = field(default_factory=list)


def layered_runs(text: str, spans: list[tuple[int, int, Item]]) -> list[Layer[Item]]:
    """`text` cut at every start and end of `spans`, each run with the items covering it,
    so that overlapping and nested spans all show: a run inside two spans carries both.

    1. Every span's start and end, and the text's ends, are cut points (spans outside the
       text are clipped to it; empty ones are left out).
    2. Between two neighbouring cut points the covering items are the same; the run carries
       them, ordered by where their spans start.
    """
    spans = [
        (max(start, 0), min(end, len(text)), item)
        for start, end, item in spans
        if max(start, 0) < min(end, len(text))
    ]
    spans.sort(key=lambda span: (span[0], -span[1]))
    cuts = sorted({0, len(text), *(s for s, _, _ in spans), *(e for _, e, _ in spans)})
    return [
        Layer(
            text[left:right], [item for start, end, item in spans if start <= left and right <= end]
        )
        for left, right in itertools.pairwise(cuts)
        if left < right
    ]
