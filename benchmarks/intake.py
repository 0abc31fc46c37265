"""The seed article as an editor pastes it: where each expert pick ranks among the desk's
suggestions, and what page furniture was folded or (wrongly) suggested.

    .venv/bin/python benchmarks/intake.py ../shared/seed/article-kremlin-nato.txt \\
        ../shared/seed/expected-claims.md

The ranking is the article page's own (`intake.selectors.ranked_sentences` over the lines
`folded_lines` leaves). The picks and the furniture list are read from the expected-claims
file: each numbered pick is matched to the article's sentence sharing most of its content
words. Baseline, in the same run: the sentences in article order (an editor reading from the
top), furniture included. Target: all nine picks in the top 15, no furniture suggested,
every listed furniture line folded.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from pathlib import Path

import django

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "factdesk.settings")
django.setup()  # the ranking itself runs no query

from factdesk.intake.selectors import (  # noqa: E402
    SUGGEST_FROM,
    SUGGESTIONS_SHOWN,
    folded_lines,
    ranked_sentences,
)
from factdesk.intake.sentences import Sentence, split_sentences  # noqa: E402

STOP = {
    "the",
    "a",
    "an",
    "of",
    "to",
    "in",
    "on",
    "and",
    "or",
    "that",
    "this",
    "with",
    "for",
    "from",
    "was",
    "were",
    "is",
    "are",
    "be",
    "been",
    "has",
    "have",
    "had",
    "his",
    "her",
    "their",
    "its",
    "they",
    "he",
    "she",
    "it",
    "by",
    "as",
    "at",
    "would",
    "will",
    "should",
    "could",
    "about",
    "into",
    "than",
    "then",
    "also",
    "said",
    "says",
    "told",
}


def content_words(text: str) -> set[str]:
    return {w for w in re.findall(r"[a-z0-9]+", text.lower()) if len(w) > 2 and w not in STOP}


def expected(path: Path) -> tuple[list[str], list[str]]:
    """The numbered picks, and the quoted furniture lines, of the expected-claims file."""
    text = path.read_text(encoding="utf-8")
    picks_part = text.split("## Check-worthy", 1)[1].split("## Not claims", 1)[0]
    picks = [" ".join(item.split()) for item in re.split(r"\n\d+\.\s", "\n" + picks_part)[1:]]
    furniture_part = text.split("Page furniture", 1)[1]
    furniture = [
        " ".join(quoted.split()).strip(" .…")
        for quoted in re.findall(r"[\"“]([^\"”]+)[\"”]", furniture_part)
    ]
    return picks, furniture


def match(pick: str, sentences: list[Sentence]) -> Sentence:
    words = content_words(pick)
    return max(sentences, key=lambda s: len(words & content_words(s.text)) / (len(words) or 1))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("article", type=Path)
    parser.add_argument("expected", type=Path)
    args = parser.parse_args()
    text = args.article.read_text(encoding="utf-8")
    picks, furniture_quotes = expected(args.expected)

    folded = folded_lines(text)
    ranked = ranked_sentences(text, furniture=folded)
    suggested = [s for s, scored, _ in ranked if scored.score >= SUGGEST_FROM][:SUGGESTIONS_SHOWN]
    ranks = {s.span: rank for rank, (s, _, _) in enumerate(ranked, start=1)}
    everything = split_sentences(text)
    in_order = {s.span: rank for rank, s in enumerate(everything, start=1)}

    print(
        f"{len(everything)} sentences, {len(folded)} lines folded as furniture, "
        f"{len(suggested)} suggested\n"
    )
    print(f"{'pick':>4}  {'desk':>5}  {'order':>5}  sentence")
    rows = []
    for number, pick in enumerate(picks, start=1):
        sentence = match(pick, everything)
        rank = ranks.get(sentence.span)
        rows.append({"pick": number, "desk_rank": rank, "order_rank": in_order[sentence.span]})
        shown = str(rank) if rank else "—"
        print(f"{number:>4}  {shown:>5}  {in_order[sentence.span]:>5}  {sentence.text[:90]}")

    folded_text = [line.text for line in folded]
    not_folded = [q for q in furniture_quotes if not any(q in line for line in folded_text)]
    furniture_suggested = [s.text for s in suggested if any(q in s.text for q in furniture_quotes)]
    top = sum(1 for row in rows if row["desk_rank"] and row["desk_rank"] <= SUGGESTIONS_SHOWN)
    baseline_top = sum(1 for row in rows if row["order_rank"] <= SUGGESTIONS_SHOWN)
    print(
        f"\npicks in the top {SUGGESTIONS_SHOWN}: desk {top}/{len(rows)}, "
        f"article order (baseline) {baseline_top}/{len(rows)}  (target: all)"
    )
    print(
        f"furniture lines listed: {len(furniture_quotes)}, folded: "
        f"{len(furniture_quotes) - len(not_folded)}, suggested: {len(furniture_suggested)}"
    )
    for quote in not_folded:
        print(f"  not folded: {quote}")
    for sentence in furniture_suggested:
        print(f"  suggested furniture: {sentence}")
    print(
        json.dumps(
            {
                "picks_in_top_15": top,
                "picks": len(rows),
                "baseline_picks_in_top_15": baseline_top,
                "furniture_listed": len(furniture_quotes),
                "furniture_folded": len(furniture_quotes) - len(not_folded),
                "furniture_suggested": len(furniture_suggested),
                "ranks": rows,
            }
        )
    )


if __name__ == "__main__":
    main()
