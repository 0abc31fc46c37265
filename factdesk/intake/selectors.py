"""What the article page shows of intake: the furniture lines to fold, and the sentences
suggested as claims, ranked, each with its reasons and the claimant it proposes."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import reduce
from operator import or_

from django.db.models import Q

from factdesk.claims.models import Claim, Claimant
from factdesk.core import languages
from factdesk.intake.furniture import Line, furniture_lines, lines
from factdesk.intake.learning import Model
from factdesk.intake.models import LineDecision, NotAClaim, WorthinessModel
from factdesk.intake.sentences import Sentence, split_sentences
from factdesk.intake.worthiness import Scored, people, score

SUGGESTIONS_SHOWN = 15
SUGGEST_FROM = 0.3  # the lowest score suggested


@dataclass
class Suggestion:
    sentence: Sentence
    scored: Scored
    line: Line  # the line it is in, which the editor may mark as page furniture
    claimant: str = ""  # the name proposed: an existing claimant's, or as written
    claimant_known: bool = False  # the desk has a claimant of that name
    model_version: int = 0  # the learned model that ranked it (0: the cold-start rules)
    # Its "Log" form's idempotency key: a double click logs one claim.
    key: uuid.UUID = field(default_factory=uuid.uuid4)

    @property
    def wording(self) -> str:
        """The claim's wording to start from: the sentence itself."""
        return self.sentence.text[:1000]

    @property
    def rank_key(self) -> tuple[float, int]:
        return (-self.scored.score, self.sentence.start)


@dataclass
class Intake:
    furniture: list[Line] = field(default_factory=list)
    suggestions: list[Suggestion] = field(default_factory=list)
    language_note: str = ""  # why nothing is suggested, when the text is not English
    model_version: int = 0  # the desk's learned model in use (0: none yet, the rules)

    @property
    def furniture_spans(self) -> list[tuple[int, int]]:
        return [(line.start, line.end) for line in self.furniture]


def folded_lines(text: str, *, byline: str = "", decided: dict | None = None) -> list[Line]:
    """The furniture lines of `text`: by the rules, unless an editor decided otherwise
    (`decided`: (start, end) → is furniture)."""
    decided = decided or {}
    by_rule = {(line.start, line.end) for line in furniture_lines(text, byline=byline)}
    return [
        line
        for line in lines(text)
        if decided.get((line.start, line.end), (line.start, line.end) in by_rule)
    ]


def _furniture(article, decisions: list[LineDecision]) -> list[Line]:
    decided = {(d.start, d.end): d.is_furniture for d in decisions}
    return folded_lines(article.text, byline=article.byline, decided=decided)


def overlaps(span: tuple[int, int], spans: Sequence[tuple[int, int]]) -> bool:
    """Whether the text span [start, end) shares a character with any of `spans`."""
    return any(start < span[1] and span[0] < end for start, end in spans)


def _claimants(names: set[str]) -> dict[str, str]:
    """Each proposed name → the desk's claimant it most likely is (full name, or the same
    surname), in one query."""
    if not names:
        return {}
    query = reduce(
        or_,
        (Q(name__iexact=name) | Q(name__iendswith=f" {name.split()[-1]}") for name in names),
    )
    known = list(Claimant.objects.filter(query).values_list("name", flat=True)[:200])
    matched = {}
    for name in names:
        surname = name.split()[-1].lower()
        exact = [k for k in known if k.lower() == name.lower()]
        same_surname = [k for k in known if k.lower().endswith(f" {surname}")]
        if exact or len(same_surname) == 1:
            matched[name] = (exact or same_surname)[0]
    return matched


def _proposed_names(sentences: list[tuple[Sentence, Scored]]) -> list[str]:
    """Who each sentence's words are from: its attribution ("Peskov said"), a pronoun's
    last named person before it, or the transcript turn's speaker."""
    last_named = ""
    proposed = []
    for sentence, scored in sentences:
        who = scored.speaker
        if who.lower() in {"he", "she", "they"}:
            who = last_named
        elif who:
            last_named = who
        elif named := people(sentence.text):
            last_named = named[-1]  # "…council leader, Maren Holt, spoke": she, next
        if not who and sentence.speaker:
            who = sentence.speaker.title() if sentence.speaker.isupper() else sentence.speaker
        proposed.append(who)
    return proposed


def _line_of(sentence: Sentence, all_lines: list[Line]) -> Line:
    return next(line for line in all_lines if line.start <= sentence.start < line.end)


def ranked_sentences(
    text: str,
    *,
    furniture: list[Line],
    logged: Sequence[tuple[int, int]] = (),
    set_aside: Sequence[tuple[int, int]] = (),
    model: Model | None = None,
) -> list[tuple[Sentence, Scored, str]]:
    """Every sentence of `text` that may be suggested (not furniture, not overlapping a
    logged quote, not set aside), scored, with the name it is proposed to be from, best
    first, by the desk's learned `model` when there is one, else by the cold-start rules.
    No queries: the page and the benchmarks rank with this."""
    folded = [(line.start, line.end) for line in furniture]
    candidates = [
        sentence
        for sentence in split_sentences(text)
        if not overlaps(sentence.span, folded)
        and not overlaps(sentence.span, logged)
        and sentence.span not in set_aside
    ]
    scored = [(sentence, score(sentence.text)) for sentence in candidates]
    if model is not None:  # the desk's own model ranks; the rules still say why
        for sentence, result in scored:
            result.score = model.probability(sentence.text, result)
    names = _proposed_names(scored)
    ranked = [
        (sentence, result, name) for (sentence, result), name in zip(scored, names, strict=True)
    ]
    return sorted(ranked, key=lambda row: (-row[1].score, row[0].start))


def article_intake(article, claims: list[Claim]) -> Intake:
    """Furniture and suggestions for `article`, whose claims are `claims` (a sentence that
    overlaps a logged quote is not suggested). Four queries: decisions, the model in use,
    sentences set aside, and the claimants proposed."""
    decisions = list(LineDecision.objects.filter(article=article))
    furniture = _furniture(article, decisions)
    if not languages.models_apply(article.language):
        return Intake(
            furniture,
            language_note="Suggestions are made for English text only, and this article is "
            f"in {languages.name(article.language)}: not supported yet. Select the claims in "
            "the text as usual (or correct the article's language if the desk got it wrong).",
        )
    in_use = WorthinessModel.objects.filter(active=True).only("id", "weights").first()
    model = Model.from_json(in_use.weights) if in_use else None
    version = in_use.pk if in_use else 0
    ranked = ranked_sentences(
        article.text,
        model=model,
        furniture=furniture,
        logged=[
            (claim.quote_start, claim.quote_end)
            for claim in claims
            if claim.quote_start is not None and claim.quote_end is not None
        ],
        set_aside=list(NotAClaim.objects.filter(article=article).values_list("start", "end")),
    )
    shown = [row for row in ranked if row[1].score >= SUGGEST_FROM][:SUGGESTIONS_SHOWN]
    known = _claimants({name for _, _, name in shown if name})
    all_lines = lines(article.text)
    return Intake(
        furniture,
        [
            Suggestion(
                sentence,
                result,
                _line_of(sentence, all_lines),
                known.get(name, name),
                name in known,
                version,
            )
            for sentence, result, name in shown
        ],
        model_version=version,
    )
