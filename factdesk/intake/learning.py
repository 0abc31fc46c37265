"""The desk's own model of check-worthiness, learned from its editors' decisions.

Every sentence an editor logged is a positive; every "Not a claim", and every sentence of an
article marked "Triage done" that nobody logged, is a negative. The model is a logistic
regression over the cold-start rules' reasons and the sentence's words (unigrams and
bigrams), trained here in plain Python: a few thousand decisions train in a second, and
the weights are a dict, stored as a row in PostgreSQL.

Nothing here reads or writes the database: `services.worthiness_retrain` gathers the
decisions and keeps the model; benchmarks/checkworthiness.py trains with the same code.
"""

from __future__ import annotations

import itertools
import math
import random
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from factdesk.intake.worthiness import Scored, score

_WORD = re.compile(r"[a-z0-9][a-z0-9'\u2019%.,-]*[a-z0-9%]|[a-z0-9]")


@dataclass(frozen=True)
class Example:
    text: str
    positive: bool


def features(text: str, rules: Scored) -> set[str]:
    """What the model weighs: each reason the rules gave (`rules`, their score of `text`),
    each word, each pair of words."""
    words = [word.strip(".,") for word in _WORD.findall(text.lower())]
    found = {f"r:{reason.what}" for reason in rules.reasons}
    found |= {f"w:{word}" for word in words}
    found |= {f"b:{a} {b}" for a, b in itertools.pairwise(words)}
    found.add(f"len:{min(len(words) // 5, 8)}")
    return found


def _vector(text: str, rules: Scored | None = None) -> tuple[dict[str, float], float]:
    """The features, each 1/sqrt(n) (so a long sentence does not outweigh a short one by
    its length alone), and the cold-start score's log-odds, which the model starts from.
    `rules`: the rules' score of `text`, when the caller has it already."""
    rules = rules or score(text)
    found = features(text, rules)
    value = 1 / math.sqrt(len(found) or 1)
    cold = min(max(rules.score, 1e-6), 1 - 1e-6)
    return dict.fromkeys(found, value), math.log(cold / (1 - cold))


def _sigmoid(total: float) -> float:
    return 1 / (1 + math.exp(-max(-30.0, min(30.0, total))))


@dataclass
class Model:
    bias: float
    weights: dict[str, float]
    cold_weight: float = 1.0  # how much of the cold-start rules' log-odds it keeps

    def probability(self, text: str, rules: Scored | None = None) -> float:
        """How likely `text` holds a claim; `rules` as for `_vector`."""
        vector, cold = _vector(text, rules)
        # fsum: the same total whatever order the features come in (a set's order varies
        # between processes), so equal sentences score exactly equal.
        total = math.fsum(
            [self.bias, self.cold_weight * cold]
            + [self.weights.get(feature, 0.0) * value for feature, value in vector.items()]
        )
        return _sigmoid(total)

    def as_json(self) -> dict:
        return {"bias": self.bias, "weights": self.weights, "cold_weight": self.cold_weight}

    @classmethod
    def from_json(cls, stored: dict) -> Model:
        return cls(stored["bias"], stored["weights"], stored.get("cold_weight", 1.0))


def train(
    examples: Sequence[Example], *, epochs: int = 15, rate: float = 0.5, l2: float = 1e-4
) -> Model:
    """A logistic regression by stochastic gradient descent that starts from the cold-start
    rules (their log-odds a feature of weight 1) and learns what the desk's decisions add;
    classes weighted to balance (claims are few among sentences), features seen in fewer
    than two examples left out. The same examples train the same model (a fixed shuffle)."""
    vectors = [(_vector(example.text), example.positive) for example in examples]
    seen = Counter(feature for (vector, _), _ in vectors for feature in vector)
    kept = [
        ({f: v for f, v in vector.items() if seen[f] >= 2}, cold, positive)
        for (vector, cold), positive in vectors
    ]
    positives = sum(positive for _, _, positive in kept) or 1
    negatives = (len(kept) - positives) or 1
    weight_of = {True: len(kept) / (2 * positives), False: len(kept) / (2 * negatives)}
    weights: dict[str, float] = {}
    bias, cold_weight = 0.0, 1.0
    order = list(range(len(kept)))
    shuffle = random.Random(7)  # noqa: S311 - a reproducible order, not a secret
    for epoch in range(epochs):
        shuffle.shuffle(order)
        step = rate / (1 + epoch)
        for index in order:
            vector, cold, positive = kept[index]
            total = bias + cold_weight * cold
            total += sum(weights.get(feature, 0.0) * value for feature, value in vector.items())
            error = (float(positive) - _sigmoid(total)) * weight_of[positive]
            bias += step * error
            cold_weight += step * error * cold * 0.1
            for feature, value in vector.items():
                current = weights.get(feature, 0.0)
                weights[feature] = current + step * (error * value - l2 * current)
    kept_weights = {f: round(w, 5) for f, w in weights.items() if abs(w) > 1e-4}
    return Model(round(bias, 5), kept_weights, round(cold_weight, 5))


def average_precision(scores: Sequence[float], labels: Sequence[bool]) -> float:
    """AP of a ranking by `scores` (ties keep the given order), as CheckThat! scores it."""
    ranked = sorted(range(len(scores)), key=lambda i: -scores[i])
    hits, total = 0, 0.0
    for rank, index in enumerate(ranked, start=1):
        if labels[index]:
            hits += 1
            total += hits / rank
    return total / hits if hits else 0.0


def held_back(examples: Sequence[Example], every: int = 5) -> tuple[list, list]:
    """Training and held-back examples: every `every`-th decision is held back, so the
    same decisions split the same way each time."""
    train_part = [e for i, e in enumerate(examples) if i % every]
    test_part = [e for i, e in enumerate(examples) if not i % every]
    return train_part, test_part
