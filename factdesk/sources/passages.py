"""Evidence passages: a source's text cut into passages and ranked against the claim."""

from __future__ import annotations

import math
import re
from collections import Counter
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

    PostgreSQL reads the words (the desk's stemmed, accent-free search configuration) and
    highlights them; the ranking is BM25, which found the matching text first more often
    than ts_rank_cd (MAP@5 0.80 against 0.72: benchmarks/passages.py). The passages of all
    the claim's sources make the collection the words' rarity is measured in."""
    keys, passages = [], []
    for key, text in texts.items():
        for passage in split_passages(text):
            keys.append(key)
            passages.append(passage)
    if not passages:
        return {}
    with connection.cursor() as cursor:
        # Row 0 is the claim; rows 1.. the passages.
        cursor.execute(
            "SELECT p.place - 1, v.lexeme, coalesce(array_length(v.positions, 1), 1) "
            "FROM unnest(%s::text[]) WITH ORDINALITY AS p(passage, place), "
            "unnest(to_tsvector('factdesk', p.passage)) AS v",
            [[claim_text, *passages]],
        )
        counts: list[Counter] = [Counter() for _ in range(len(passages) + 1)]
        for row, lexeme, count in cursor.fetchall():
            counts[row][lexeme] = count
        scores = bm25_scores(counts[0], counts[1:])
        best: dict[int, list[int]] = {}
        for index in sorted(range(len(passages)), key=lambda i: -scores[i]):
            if scores[index] > 0 and len(best.setdefault(keys[index], [])) < top:
                best[keys[index]].append(index)
        chosen = [index for indexes in best.values() for index in indexes]
        if not chosen:
            return {}
        cursor.execute(
            "SELECT ts_headline('factdesk', p.passage, "
            "replace(plainto_tsquery('factdesk', %s)::text, '&', '|')::tsquery, "
            "'StartSel=' || %s || ', StopSel=' || %s || ', HighlightAll=true') "
            "FROM unnest(%s::text[]) WITH ORDINALITY AS p(passage, place) ORDER BY place",
            [claim_text, HIT_START, HIT_STOP, [passages[index] for index in chosen]],
        )
        headlines = dict(zip(chosen, (row[0] for row in cursor.fetchall()), strict=True))
    return {
        key: [Passage(key, passages[i], scores[i], mark_hits(headlines[i])) for i in indexes]
        for key, indexes in best.items()
    }


def bm25_scores(
    query: Counter, documents: list[Counter], k1: float = 1.2, b: float = 0.75
) -> list[float]:
    """Okapi BM25 of each document (lexeme counts) for the query's lexemes."""
    if not documents:
        return []
    lengths = [sum(document.values()) for document in documents]
    average = sum(lengths) / len(documents) or 1.0
    scores = [0.0] * len(documents)
    for term in query:
        holding = [i for i, document in enumerate(documents) if term in document]
        if not holding:
            continue
        idf = math.log(1 + (len(documents) - len(holding) + 0.5) / (len(holding) + 0.5))
        for i in holding:
            count = documents[i][term]
            norm = k1 * (1 - b + b * lengths[i] / average)
            scores[i] += idf * count * (k1 + 1) / (count + norm)
    return scores
