"""Check-worthiness ranking on debate and speech transcripts labelled sentence by sentence
(CLEF CheckThat! 2019 task 1 data: TSV rows of line number, speaker, text, label 0/1, no
header line).

    .venv/bin/pip install -e '.[bench]'   # scikit-learn, for the baseline only
    .venv/bin/python benchmarks/checkworthiness.py \\
        [--train ../shared/eval/checkworthiness/train] [--test DIR]

The metrics are the task's: per transcript, every sentence is ranked by score (ties keep
transcript order, as the task's scorer does) for average precision, R-precision (R = the
transcript's positives) and P@5; each is averaged over transcripts (MAP, mean R-prec, mean
P@5). Transcripts without a positive are skipped and counted. Methods, in the same run:

- cold_start: factdesk's rules, `intake.worthiness.score(text)`, on the text alone.
- cold_start_speaker: the same, but 0 for a sentence that no participant asserts: speaker
  field holding a role word (MODERATOR, QUESTION, AUDIENCE, UNIDENTIFIED, or SYSTEM/SYSYTEM,
  the stage directions such as "(APPLAUSE)") or the surname of a moderator or panellist in
  these files (Todd, Maddow, Blitzer, Bash, Hewitt, Celeste, Louis, Holt, Quijano, Cooper,
  Raddatz, Wallace, Schwab), matched as a whole word anywhere in the field.
- baseline: TF-IDF (word 1-2 grams, sublinear tf, min_df=2) and a logistic regression
  (class_weight="balanced", liblinear), leave-one-transcript-out over --train; with --test,
  trained on all of --train and scored on --test (cold start is then scored on --test too).
- learned: the desk's own model (`intake.learning.train`, the retraining task's code),
  trained on the other transcripts as a simulated desk history (with --test: on --train).

Targets: cold start MAP >= 0.10; learned MAP >= 0.20. Speed: ms for the cold-start rules to
score a 200-sentence article on one core, median of 5 timings over 200 real sentences.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import re
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import django

for _threads in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_threads, "1")  # another process runs the test suite
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "factdesk.settings")
django.setup()  # scoring runs no query

from factdesk.intake.worthiness import score  # noqa: E402

DEFAULT_TRAIN = Path("../shared/eval/checkworthiness/train")
ROLES = {"MODERATOR", "QUESTION", "AUDIENCE", "UNIDENTIFIED", "SYSTEM", "SYSYTEM"}
MODERATORS = {
    "TODD", "MADDOW", "BLITZER", "BASH", "HEWITT", "CELESTE", "LOUIS", "HOLT", "QUIJANO",
    "COOPER", "RADDATZ", "WALLACE", "SCHWAB",
}  # fmt: skip
METHODS = ["learned", "cold_start", "cold_start_speaker", "baseline"]

Row = tuple[str, str, int]  # speaker, text, label
Transcripts = dict[str, list[Row]]


def read_folder(folder: Path) -> Transcripts:
    transcripts: Transcripts = {}
    for path in sorted(folder.glob("*.tsv")):
        with path.open(encoding="utf-8", newline="") as handle:
            rows = [r for r in csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE) if r]
        if rows and not rows[0][0].strip().isdigit():
            rows = rows[1:]  # a header line, should a file have one
        transcripts[path.stem] = [(r[1], r[2], int(r[3])) for r in rows]
    return transcripts


def not_a_participant(speaker: str) -> bool:
    words = set(re.findall(r"[A-Z]+", speaker.upper()))
    return bool(words & (ROLES | MODERATORS))


def cold_start(rows: list[Row]) -> list[float]:
    return [score(text).score for _, text, _ in rows]


def cold_start_speaker(rows: list[Row]) -> list[float]:
    return [0.0 if not_a_participant(speaker) else score(text).score for speaker, text, _ in rows]


def learned(train: list[Row], rows: list[Row]) -> list[float]:
    """The desk's own model, trained by the code the retraining task runs
    (`intake.learning.train`) on the other transcripts: a simulated desk history, every
    labelled sentence a decision. Trained in memory here, never shipped."""
    from factdesk.intake.learning import Example
    from factdesk.intake.learning import train as train_model

    model = train_model([Example(text, bool(label)) for _, text, label in train])
    return [model.probability(text) for _, text, _ in rows]


def baseline(train: list[Row], rows: list[Row]) -> list[float]:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    vectorizer = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, min_df=2)
    features = vectorizer.fit_transform([text for _, text, _ in train])
    model = LogisticRegression(class_weight="balanced", solver="liblinear")
    model.fit(features, [label for _, _, label in train])
    return list(model.predict_proba(vectorizer.transform([text for _, text, _ in rows]))[:, 1])


def measures(scores: list[float], labels: list[int]) -> dict[str, float]:
    """AP, R-precision and P@5 of one transcript ranked by score (a stable sort)."""
    ranked = [labels[i] for i in sorted(range(len(scores)), key=lambda i: -scores[i])]
    positives = sum(labels)
    hits, precision_sum = 0, 0.0
    for rank, label in enumerate(ranked, 1):
        if label:
            hits += 1
            precision_sum += hits / rank
    return {
        "map": precision_sum / positives,
        "r_prec": sum(ranked[:positives]) / positives,
        "p_at_5": sum(ranked[:5]) / 5,
    }


def ms_per_200(sentences: list[str], repeats: int = 5) -> float:
    timings = []
    for _ in range(repeats):
        start = time.perf_counter()
        for sentence in sentences:
            score(sentence)
        timings.append((time.perf_counter() - start) * 1000)
    return statistics.median(timings)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--train", type=Path, default=DEFAULT_TRAIN, help="folder of *.tsv")
    parser.add_argument("--test", type=Path, help="score this folder (default: leave one out)")
    args = parser.parse_args()
    train = read_folder(args.train)
    test = read_folder(args.test) if args.test else train
    if not train or not test:
        sys.exit(f"no *.tsv in {args.train if not train else args.test}")

    rankers: dict[str, Callable[[str, list[Row]], list[float]]] = {
        "cold_start": lambda _name, rows: cold_start(rows),
        "cold_start_speaker": lambda _name, rows: cold_start_speaker(rows),
    }
    if args.test:
        pool = [row for rows in train.values() for row in rows]
        rankers["baseline"] = lambda _name, rows: baseline(pool, rows)
        rankers["learned"] = lambda _name, rows: learned(pool, rows)
    else:
        rankers["baseline"] = lambda name, rows: baseline(
            [row for other, held in train.items() if other != name for row in held], rows
        )
        rankers["learned"] = lambda name, rows: learned(
            [row for other, held in train.items() if other != name for row in held], rows
        )

    per: dict[str, list[dict[str, float]]] = {method: [] for method in METHODS}
    skipped = []
    mode = f"trained on {args.train}, scored on {args.test}" if args.test else "leave one out"
    print(f"Check-worthiness, {len(test)} transcripts ({mode})\n")
    print(f"{'transcript':28} {'sents':>6} {'pos':>4}  " + "  ".join(f"{m:>18}" for m in METHODS))
    for name, rows in test.items():
        labels = [label for _, _, label in rows]
        if not any(labels):
            skipped.append(name)
            continue
        cells = []
        for method in METHODS:
            result = measures(rankers[method](name, rows), labels)
            per[method].append(result)
            cells.append(f"{result['map']:18.3f}")
        print(f"{name:28} {len(rows):6d} {sum(labels):4d}  " + "  ".join(cells))
    listed = f" ({', '.join(skipped)})" if skipped else ""
    print(f"\nskipped (no positive): {len(skipped)}{listed}")

    means = {
        method: {k: round(statistics.mean(r[k] for r in per[method]), 4) for k in per[method][0]}
        for method in METHODS
    }
    print(f"\n{'method':20} {'MAP':>7} {'R-prec':>7} {'P@5':>7}")
    for method, mean in means.items():
        print(f"{method:20} {mean['map']:7.3f} {mean['r_prec']:7.3f} {mean['p_at_5']:7.3f}")

    cold = means["cold_start"]["map"]
    print(f"\ntarget: cold start MAP >= 0.10: {cold:.3f} {'met' if cold >= 0.10 else 'NOT met'}")
    mine = means["learned"]["map"]
    print(f"target: learned MAP >= 0.20: {mine:.3f} {'met' if mine >= 0.20 else 'NOT met'}")

    folders = [*test.values(), *train.values()]  # a short --test is topped up from --train
    spoken = [text for rows in folders for who, text, _ in rows if "SYS" not in who]
    sentences = spoken[:200]  # the first 200 said aloud (no "(APPLAUSE)")
    speed = round(ms_per_200(sentences), 2)
    print(f"speed: {speed:.2f} ms to score 200 sentences with the cold-start rules (one core)\n")
    print(json.dumps({**means, "ms_per_200_sentences": speed}))


if __name__ == "__main__":
    main()
