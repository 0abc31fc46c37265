"""Evidence passages: a source's text cut into passages and ranked against the claim."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db import connection
from django.utils.safestring import SafeString

from factdesk.core.highlight import HIT_START, HIT_STOP, mark_hits

PASSAGE_CHARS = 600
SHORT_CHARS = 40  # a heading, a dateline: read with the paragraph after it


@dataclass
class Passage:
    key: int  # citation id
    text: str
    rank: float
    highlighted: SafeString


def split_passages(text: str, size: int = PASSAGE_CHARS) -> list[str]:
    """Paragraphs; a very short one (a heading) joins the paragraph after it."""
    passages: list[str] = []
    for paragraph in re.split(r"\n\s*\n|\n", text):
        paragraph = " ".join(paragraph.split())
        if not paragraph:
            continue
        if (
            passages
            and len(passages[-1]) < SHORT_CHARS
            and len(passages[-1]) + len(paragraph) < size
        ):
            passages[-1] += " " + paragraph
        else:
            passages.append(paragraph)
    return passages


def rank_passages(claim_text: str, texts: dict[int, str], top: int = 3) -> dict[int, list[Passage]]:
    """For each key's text, its `top` passages that share words with the claim, best first.

    One query for all sources: PostgreSQL ranks each passage (ts_rank_cd, stemmed and
    accent-free with the desk's search configuration) against the claim's words joined
    with OR, and highlights the matching words."""
    keys, passages = [], []
    for key, text in texts.items():
        for passage in split_passages(text):
            keys.append(key)
            passages.append(passage)
    if not passages:
        return {}
    sql = """
        WITH q AS (
            SELECT replace(plainto_tsquery('factdesk', %s)::text, '&', '|')::tsquery AS query
        )
        SELECT key, passage, rank, headline FROM (
            SELECT p.key, p.passage,
                   ts_rank_cd(to_tsvector('factdesk', p.passage), q.query) AS rank,
                   ts_headline('factdesk', p.passage, q.query,
                               'StartSel=' || %s || ', StopSel=' || %s
                               || ', HighlightAll=true') AS headline,
                   row_number() OVER (
                       PARTITION BY p.key
                       ORDER BY ts_rank_cd(to_tsvector('factdesk', p.passage), q.query) DESC
                   ) AS place
            FROM unnest(%s::bigint[], %s::text[]) AS p(key, passage), q
            WHERE q.query::text <> '' AND to_tsvector('factdesk', p.passage) @@ q.query
        ) ranked
        WHERE place <= %s
        ORDER BY key, rank DESC
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, [claim_text, HIT_START, HIT_STOP, keys, passages, top])
        rows = cursor.fetchall()
    ranked: dict[int, list[Passage]] = {}
    for key, passage, rank, headline in rows:
        ranked.setdefault(key, []).append(Passage(key, passage, float(rank), mark_hits(headline)))
    return ranked
