"""Which sentence segmenter splits article text into sentences with exact character offsets?

    .venv/bin/python benchmarks/sentences.py ../shared/eval/checkworthiness/train

Gold sentences are the rows of the CLEF CheckThat! check-worthiness transcripts (line_number,
speaker, text, label; one human-segmented sentence a row). Consecutive rows of one speaker
become a paragraph (sentences joined with one space), paragraphs are joined with a blank line,
and a document is cut every 200 rows, about a long news article. Each segmenter returns
(start, end, sentence) with start and end as Python str indices into the document.

- boundary P/R/F1: a predicted sentence end (trailing whitespace stripped) is right when a
  gold sentence ends at the same offset; the document's own end is not counted.
- exact F1: the predicted span, stripped, equals a gold sentence's span.
- offset violations: spans where text[start:end].strip() != sentence.strip(); lost chars:
  non-space characters of the document in no span, or in more than one.
- speed: ms per 1,000 gold sentences over the whole set, and the best of 5 runs on one
  200-sentence document, single process.
- probes: hand-written sentences with curly quotes, an emoji, accents, "U.S.", "Jan. 20"
  and "Mr. Smith": offsets must hold, and the count of probes split exactly as written.

The segmenters: pysbd (Segmenter(language="en", clean=False, char_span=True)), syntok
(segmenter.analyze; spans from the first and last token's offset) and a regex baseline.
The last line printed is JSON with the figures per segmenter.
"""

from __future__ import annotations

import argparse
import json
import re
import time
from collections.abc import Callable
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
ROWS_PER_DOCUMENT = 200
Span = tuple[int, int, str]

# ruff: noqa: RUF001 (the probes hold curly quotes on purpose)
PROBES = [
    ["“I’m not sure,” said Mr. Smith.", "He left the U.S. on Jan. 20 for Zürich."],
    ["🎉 Café owners cheered!", "Was it worth it?", "Señora Núñez thinks so."],
    ["He said, “We will win.”", "Then he left for the U.S. Senate."],
    ["Mrs. O’Brien paid €20 on Jan. 20.", "The U.S. economy grew 2.5% in Q3.", "It was naïve."],
    ["Prices rose 3% — a record 🚀.", "“Why now?” asked Dr. Müller.", "Nobody knew."],
    ["Thank you, Gov. Kasich.", "Sen. Cruz left at 5 p.m. on Monday.", "So did I."],
]


def read_documents(folder: Path) -> list[tuple[str, list[tuple[int, int]]]]:
    """Documents and their gold sentence spans, built from every .tsv in the folder."""
    documents = []
    for path in sorted(folder.glob("*.tsv")):
        rows = []
        for line in path.read_text(encoding="utf-8").splitlines():
            fields = line.split("\t")
            if len(fields) >= 3 and fields[2].strip():
                rows.append((fields[1], fields[2].strip()))
        for first in range(0, len(rows), ROWS_PER_DOCUMENT):
            text, gold, speaker = "", [], None
            for who, sentence in rows[first : first + ROWS_PER_DOCUMENT]:
                if text:
                    text += " " if who == speaker else "\n\n"
                gold.append((len(text), len(text) + len(sentence)))
                text += sentence
                speaker = who
            documents.append((text, gold))
    return documents


def pysbd_segmenter() -> Callable[[str], list[Span]]:
    import pysbd

    segmenter = pysbd.Segmenter(language="en", clean=False, char_span=True)
    return lambda text: [(s.start, s.end, s.sent) for s in segmenter.segment(text)]


def syntok_segmenter() -> Callable[[str], list[Span]]:
    from syntok import segmenter

    def segment(text: str) -> list[Span]:
        spans = []
        for paragraph in segmenter.analyze(text):
            for sentence in paragraph:
                start, last = sentence[0].offset, sentence[-1]
                words = "".join(token.spacing + token.value for token in sentence)
                spans.append((start, last.offset + len(last.value), words))
        return spans

    return segment


TITLES = {"Mr", "Mrs", "Ms", "Dr", "St", "Sen", "Rep", "Gov", "Gen", "Prof", "Jr", "Sr"}
ENDING = re.compile(r"[.!?][\"'\u201d\u2019)\]]*(?=\s+[\"'\u201c\u2018(]*[A-ZÀ-ÖØ-Þ])|\n\s*\n")


def regex_segment(text: str) -> list[Span]:
    """Split after . ! ? (and closing quotes) before space and a capital, and on blank lines."""
    ends = []
    for match in ENDING.finditer(text):
        word = re.search(r"(\w+)\.$", text[max(0, match.start() - 12) : match.start() + 1])
        if not (word and word.group(1) in TITLES):
            ends.append(match.end())
    spans, start = [], 0
    for end in [*ends, len(text)]:
        piece = text[start:end]
        if piece.strip():
            left = start + len(piece) - len(piece.lstrip())
            spans.append((left, left + len(piece.strip()), piece.strip()))
        start = end
    return spans


def stripped(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def f1(hits: int, predicted: int, gold: int) -> tuple[float, float, float]:
    precision = hits / predicted if predicted else 0.0
    recall = hits / gold if gold else 0.0
    return precision, recall, 2 * precision * recall / (precision + recall) if hits else 0.0


def offset_faults(text: str, spans: list[Span]) -> tuple[int, int]:
    """Spans whose text is not the sentence, and non-space characters covered not once."""
    violations = sum(text[s:e].strip() != sentence.strip() for s, e, sentence in spans)
    cover = [0] * len(text)
    for start, end, _ in spans:
        for i in range(max(start, 0), min(end, len(text))):
            cover[i] += 1
    lost = sum(1 for i, ch in enumerate(text) if not ch.isspace() and cover[i] != 1)
    return violations, lost


def evaluate(segment: Callable[[str], list[Span]], documents: list) -> dict:
    hits = predicted = gold_count = exact = spans_seen = violations = lost = 0
    elapsed = 0.0
    for text, gold in documents:
        began = time.perf_counter()
        spans = segment(text)
        elapsed += time.perf_counter() - began
        found = {stripped(text, s, e) for s, e, _ in spans} - {(0, 0)}
        ends = {e for _, e in found} - {len(text)}
        gold_ends = {e for _, e in gold} - {len(text)}
        hits += len(ends & gold_ends)
        predicted, gold_count = predicted + len(ends), gold_count + len(gold_ends)
        exact += len(found & set(gold))
        spans_seen += len(found)
        bad, missing = offset_faults(text, spans)
        violations, lost = violations + bad, lost + missing
    sentences = sum(len(gold) for _, gold in documents)
    precision, recall, boundary_f1 = f1(hits, predicted, gold_count)
    article = next(text for text, gold in documents if len(gold) == ROWS_PER_DOCUMENT)
    runs = []
    for _ in range(5):
        began = time.perf_counter()
        segment(article)
        runs.append(time.perf_counter() - began)
    probes_ok = probe_offsets_ok = 0
    for probe in PROBES:
        text = (
            " ".join(probe[:2]) + "\n\n" + " ".join(probe[2:])
            if len(probe) > 2
            else " ".join(probe)
        )
        spans = segment(text)
        probe_offsets_ok += offset_faults(text, spans) == (0, 0)
        probes_ok += [text[s:e].strip() for s, e, _ in spans] == probe
    return {
        "boundary_precision": round(precision, 4),
        "boundary_recall": round(recall, 4),
        "boundary_f1": round(boundary_f1, 4),
        "exact_f1": round(f1(exact, spans_seen, sentences)[2], 4),
        "offset_violations": violations,
        "lost_chars": lost,
        "ms_per_1000_sentences": round(elapsed * 1000 / sentences * 1000, 1),
        "ms_200_sentence_article": round(min(runs) * 1000, 1),
        "probes_split_right": f"{probes_ok}/{len(PROBES)}",
        "probes_offsets_right": f"{probe_offsets_ok}/{len(PROBES)}",
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    default = BASE_DIR.parent / "shared" / "eval" / "checkworthiness" / "train"
    parser.add_argument("folder", type=Path, nargs="?", default=default, help="holds *.tsv")
    args = parser.parse_args()
    documents = read_documents(args.folder)
    sentences = sum(len(gold) for _, gold in documents)
    print(f"{sentences} sentences in {len(documents)} documents from {args.folder}\n")
    header = f"{'segmenter':<10}{'bP':>7}{'bR':>7}{'bF1':>7}{'exactF1':>9}{'viol':>6}{'lost':>6}"
    print(header + f"{'ms/1k':>9}{'ms/200':>8}{'probes':>8}{'offs':>6}")
    results = {}
    for name, make in (
        ("regex", lambda: regex_segment),
        ("pysbd", pysbd_segmenter),
        ("syntok", syntok_segmenter),
    ):
        r = results[name] = evaluate(make(), documents)
        print(
            f"{name:<10}{r['boundary_precision']:>7.3f}{r['boundary_recall']:>7.3f}"
            f"{r['boundary_f1']:>7.3f}{r['exact_f1']:>9.3f}{r['offset_violations']:>6}"
            f"{r['lost_chars']:>6}{r['ms_per_1000_sentences']:>9.1f}"
            f"{r['ms_200_sentence_article']:>8.1f}{r['probes_split_right']:>8}"
            f"{r['probes_offsets_right']:>6}"
        )
    print(json.dumps(results))


if __name__ == "__main__":
    main()
