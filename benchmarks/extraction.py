"""Extraction quality on a folder of saved news pages with human-written article bodies.

    .venv/bin/python benchmarks/extraction.py ../shared/eval/extraction/dev

The metric is the article-extraction benchmark's: word 4-gram shingles per document (lower
case, \\w+ tokens), TP/FP/FN over shingle counts; precision and recall averaged over documents,
F1 from those averages. factdesk's reader (the workers' code path) is compared with
trafilatura on default options, run in the same process on the same pages.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import re
import sys
from collections import Counter
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def shingles(text: str, size: int = 4) -> Counter:
    tokens = re.findall(r"\w+", text.lower())
    return Counter(tuple(tokens[i : i + size]) for i in range(max(0, len(tokens) - size + 1)))


def precision_recall(predicted: str, expected: str) -> tuple[float, float]:
    guess, truth = shingles(predicted), shingles(expected)
    true_positive = sum((guess & truth).values())
    precision = true_positive / sum(guess.values()) if guess else 0.0
    recall = true_positive / sum(truth.values()) if truth else 1.0
    return precision, recall


def score(extract: Callable[[str, str], str], pages: dict[str, tuple[str, str, str]]) -> dict:
    pairs = [precision_recall(extract(html, url), body) for html, url, body in pages.values()]
    precision = sum(p for p, _ in pairs) / len(pairs)
    recall = sum(r for _, r in pairs) / len(pairs)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", type=Path, help="holds ground-truth.json and html/<id>.html.gz")
    args = parser.parse_args()
    truth = json.loads((args.folder / "ground-truth.json").read_text(encoding="utf-8"))
    pages = {}
    for page_id, expected in truth.items():
        raw = gzip.decompress((args.folder / "html" / f"{page_id}.html.gz").read_bytes())
        pages[page_id] = (raw, expected.get("url", ""), expected["articleBody"])

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "factdesk.settings")
    import django

    django.setup()
    import trafilatura

    from factdesk.sources.reading import read_body

    def factdesk_reader(raw, url):
        return read_body(raw, "text/html", None, url).text

    def trafilatura_default(raw, url):
        return trafilatura.extract(raw, url=url) or ""

    print(f"{len(pages)} pages in {args.folder}\n")
    print(f"{'extractor':<34}{'precision':>10}{'recall':>9}{'F1':>8}")
    for name, extract in (
        ("trafilatura, default options", trafilatura_default),
        ("factdesk reader (workers' path)", factdesk_reader),
    ):
        result = score(extract, pages)
        print(f"{name:<34}{result['precision']:>10.3f}{result['recall']:>9.3f}{result['f1']:>8.3f}")


if __name__ == "__main__":
    main()
