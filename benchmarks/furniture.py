"""Page furniture on saved news pages: how much of what is not the article gets folded, and
how much of the article gets folded with it.

    .venv/bin/python benchmarks/furniture.py ../shared/eval/extraction/dev

Each page's visible text is taken line by line (a line break around block-level elements,
whitespace collapsed, empty lines and lines without a word dropped) and given, joined, to
`intake.selectors.folded_lines` (the article page's own call; no byline, no decisions). A
line is "body" when it belongs to the human-written article body (lower-case \\w+ tokens; a
line of four tokens or more when 80 % of its token 3-grams occur in the body's, a shorter
one when its tokens occur contiguously in the body's), "furniture" otherwise. Figures: the
share of furniture lines folded and of body lines (wrongly) folded, over all lines (micro)
and averaged per page (macro). Baselines, in the same run: trafilatura on default options
(a line is folded when it is not body by the same rule against trafilatura's text), and the
two combined (folded by either). Target: 90 % of furniture folded, at most 2 % of body.
`--show-body-folded` lists every body line the rules fold, with the rule that folds it.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import re
import sys
from collections import Counter
from pathlib import Path

import django
import lxml.etree
import lxml.html

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "factdesk.settings")
django.setup()  # the rules themselves run no query

import trafilatura  # noqa: E402
from trafilatura.utils import decode_file  # noqa: E402

from factdesk.intake.furniture import (  # noqa: E402
    is_appeal,
    is_comment_heading,
    is_dateline,
    is_widget,
)
from factdesk.intake.selectors import folded_lines  # noqa: E402

DROPPED = {"script", "style", "noscript", "template", "svg", "head"}
BLOCKS = {
    *("p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "br", "tr", "section", "article"),
    *("header", "footer", "nav", "aside", "ul", "ol", "table", "blockquote", "figure"),
    *("figcaption", "form", "dd", "dt", "pre", "main"),
}
TARGET_FURNITURE, TARGET_BODY = 90.0, 2.0


def visible_lines(raw: bytes) -> list[str]:
    """The page's visible text, one string per line (no recursion, so any depth will do)."""
    utf8 = decode_file(raw).encode("utf-8")  # the page's own charset, as trafilatura reads it
    root = lxml.html.document_fromstring(utf8, parser=lxml.html.HTMLParser(encoding="utf-8"))
    parts: list[str] = []
    walker = lxml.etree.iterwalk(root, events=("start", "end", "comment", "pi"))
    for event, element in walker:
        tag = element.tag.lower() if isinstance(element.tag, str) else ""
        if event == "start":
            if tag in DROPPED or tag.rpartition("}")[2] == "svg":
                walker.skip_subtree()  # its "end" still comes, and brings the tail
                continue
            parts.append("\n" if tag in BLOCKS else "")
            parts.append(element.text or "")
            continue
        if event == "end" and tag in BLOCKS:
            parts.append("\n")
        parts.append(element.tail or "")
    found = (re.sub(r"\s+", " ", line).strip() for line in "".join(parts).split("\n"))
    return [line for line in found if re.search(r"\w", line)]


def tokens(text: str) -> list[str]:
    return re.findall(r"\w+", text.lower())


class Reference:
    """A text that lines are labelled against: its token 3-grams and token sequence."""

    def __init__(self, text: str) -> None:
        words = tokens(text)
        self.trigrams = {tuple(words[i : i + 3]) for i in range(len(words) - 2)}
        self.sequence = f" {' '.join(words)} "

    def holds(self, line: str) -> bool:
        words = tokens(line)
        if len(words) >= 4:
            grams = [tuple(words[i : i + 3]) for i in range(len(words) - 2)]
            return sum(gram in self.trigrams for gram in grams) >= 0.8 * len(grams)
        return f" {' '.join(words)} " in self.sequence


def folding_rule(line: str) -> str:
    """Which rule of `furniture_lines` folds `line`: the first pattern it matches, or
    "around" (outside the article's stretch) when it matches none."""
    patterns = {
        "widget": is_widget,
        "appeal": is_appeal,
        "dateline": is_dateline,
        "comments": is_comment_heading,
    }
    return next((name for name, matches in patterns.items() if matches(line)), "around")


def share(part: int, whole: int) -> float | None:
    return 100.0 * part / whole if whole else None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "folder",
        type=Path,
        nargs="?",
        default=Path("../shared/eval/extraction/dev"),
        help="holds ground-truth.json and html/<id>.html.gz",
    )
    parser.add_argument(
        "--show-body-folded",
        action="store_true",
        help="list every body line the rules fold, with its page and the rule that folds it",
    )
    args = parser.parse_args()
    truth = json.loads((args.folder / "ground-truth.json").read_text(encoding="utf-8"))
    methods = ("factdesk rules", "trafilatura, default", "either (combined)")
    # per method: totals [furniture folded, furniture, body folded, body, the same for body
    # lines of 4+ tokens (a short line is "body" whenever its words occur in the article, so
    # a menu's "World" or a button's "Share" often is)], and per-page shares
    totals = {name: [0] * 6 for name in methods}
    pages: dict[str, tuple[list[float], list[float]]] = {name: ([], []) for name in methods}
    unfolded, wrongly_folded = Counter(), Counter()
    body_folded_by_rule: list[tuple[str, int, str, str]] = []  # page, line number, rule, line
    page_count = line_count = 0
    for page_id, expected in truth.items():
        raw = gzip.decompress((args.folder / "html" / f"{page_id}.html.gz").read_bytes())
        page_lines = visible_lines(raw)
        if not page_lines:
            continue
        page_count += 1
        line_count += len(page_lines)
        text = "\n".join(page_lines)
        starts = [0]
        for line in page_lines[:-1]:
            starts.append(starts[-1] + len(line) + 1)
        by_rules = {line.start for line in folded_lines(text)}
        body = Reference(expected["articleBody"])
        extracted = Reference(trafilatura.extract(raw, url=expected.get("url")) or "")
        is_long = [len(tokens(line)) >= 4 for line in page_lines]
        is_body = [body.holds(line) for line in page_lines]
        # A short line ("World", "Share") is body only inside the article's own span, from
        # its first body line of 4+ tokens to its last: outside, it is a menu or a button.
        long_body = [
            i for i, (b, long) in enumerate(zip(is_body, is_long, strict=True)) if b and long
        ]
        if long_body:
            first, last = long_body[0], long_body[-1]
            is_body = [
                b and (long or first <= i <= last)
                for i, (b, long) in enumerate(zip(is_body, is_long, strict=True))
            ]
        folded = {
            "factdesk rules": [start in by_rules for start in starts],
            "trafilatura, default": [not extracted.holds(line) for line in page_lines],
        }
        folded["either (combined)"] = [
            a or b
            for a, b in zip(folded["factdesk rules"], folded["trafilatura, default"], strict=True)
        ]
        for name in methods:
            counts = [0] * 6
            for line_is_body, long, line_folded in zip(is_body, is_long, folded[name], strict=True):
                counts[2 if line_is_body else 0] += line_folded
                counts[3 if line_is_body else 1] += 1
                if line_is_body and long:
                    counts[4] += line_folded
                    counts[5] += 1
            totals[name] = [t + c for t, c in zip(totals[name], counts, strict=True)]
            for page_shares, part, whole in zip(
                pages[name], counts[0:4:2], counts[1:4:2], strict=True
            ):
                if whole:
                    page_shares.append(100.0 * part / whole)
        for number, (line, line_is_body, line_folded) in enumerate(
            zip(page_lines, is_body, folded["factdesk rules"], strict=True)
        ):
            if not line_is_body and not line_folded:
                unfolded[" ".join(tokens(line))[:90]] += 1
            elif line_is_body and line_folded:
                wrongly_folded[" ".join(tokens(line))[:90]] += 1
                body_folded_by_rule.append((page_id, number, folding_rule(line), line))

    print(f"{page_count} pages in {args.folder}, {line_count} visible lines with a word")
    furniture_lines = totals[methods[0]][1]
    print(f"{furniture_lines} furniture lines, {line_count - furniture_lines} body lines\n")
    print(f"{'method':<24}{'furniture folded %':>26}{'body folded %':>26}{'body, 4+ tokens':>18}")
    print(f"{'':<24}{'micro':>13}{'macro':>13}{'micro':>13}{'macro':>13}{'micro':>18}")
    figures = {}
    for name in methods:
        furniture_folded, furniture, body_folded, body_lines, long_folded, longs = totals[name]
        macro = [sum(values) / len(values) if values else None for values in pages[name]]
        row = {
            "furniture_folded_micro": share(furniture_folded, furniture),
            "furniture_folded_macro": macro[0],
            "body_folded_micro": share(body_folded, body_lines),
            "body_folded_macro": macro[1],
            "body_4plus_folded_micro": share(long_folded, longs),
        }
        figures[name] = {key: round(value, 2) for key, value in row.items() if value is not None}
        widths = (13, 13, 13, 13, 18)
        cells = "".join(
            f"{v:>{w}.1f}" if v is not None else f"{'-':>{w}}"
            for v, w in zip(row.values(), widths, strict=True)
        )
        print(f"{name:<24}{cells}")
    rules = figures[methods[0]]
    met = (
        rules.get("furniture_folded_micro", 0.0) >= TARGET_FURNITURE
        and rules.get("body_folded_micro", 100.0) <= TARGET_BODY
    )
    print(
        f"\ntarget (factdesk rules, micro): >= {TARGET_FURNITURE:.0f} % furniture folded, "
        f"<= {TARGET_BODY:.0f} % body folded: {'met' if met else 'NOT met'}"
    )
    print("\nmost frequent furniture lines the rules leave unfolded (count, normalised text):")
    for line, count in unfolded.most_common(15):
        print(f"{count:>6}  {line}")
    print("\nmost frequent body lines the rules fold (count, normalised text):")
    for line, count in wrongly_folded.most_common(10):
        print(f"{count:>6}  {line}")
    if args.show_body_folded:
        print("\nevery body line the rules fold (page id's start, line number, rule, line):")
        for page_id, number, rule, line in body_folded_by_rule:
            print(f"{page_id[:12]} {number:>5}  {rule:<9} {line[:120]}")
    summary = {"pages": page_count, "lines": line_count, "target_met": met, **figures}
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
