"""Check-worthiness, cold start: how likely a sentence is to hold a claim an editor would
check, with the reasons in an editor's words. Rules a new desk can use on its first day,
with no history: every rule is written here (no weights or vocabularies from elsewhere).

A sentence scores for what checkable claims carry (numbers, attribution, named
organisations, comparisons, dates, a verb of record) and loses for what opinion and rhetoric
carry (questions, exclamations, first-person belief, hedges, exhortation).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

NUMBER_WORDS = [
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "fifteen",
    "twenty",
    "thirty",
    "forty",
    "fifty",
    "hundred",
    "hundreds",
    "thousand",
    "thousands",
    "million",
    "millions",
    "billion",
    "billions",
    "trillion",
    "half",
    "third",
    "quarter",
    "double",
    "doubled",
    "twice",
    "triple",
    "tripled",
    "dozen",
    "dozens",
]
_NUMBER = re.compile(
    r"(?:[$£€]\s?)?\b\d[\d,.]*(?:\s?(?:%|(?:per\s?cent|percent|million|billion|bn|m|k)\b))?"
    r"|\b(?:" + "|".join(NUMBER_WORDS) + r")\b",
    re.IGNORECASE,
)
_YEAR = re.compile(r"^(?:1[89]|20)\d\d$")
_ATTRIBUTION_VERBS = (
    "said|says|told|tells|claimed|claims|stated|states|added|adds|announced|announces|"
    "insisted|insists|argued|argues|warned|warns|denied|denies|wrote|writes|reported|reports|"
    "confirmed|confirms|admitted|admits|suggested|suggests|alleged|alleges|noted|notes|"
    "explained|declared|boasted|promised|pledged|revealed"
)
_NAME = r"(?:[A-Z][\w\u2019'.-]+(?:\s+(?:[A-Z][\w\u2019'.-]+|de|van|von|al|bin|of|the))*)"
_ATTRIBUTED = re.compile(
    rf"(?P<who>{_NAME}|\b(?:[Hh]e|[Ss]he|[Tt]hey)\b)(?:,[^,]{{1,60}},)?\s+(?:also\s+|has\s+|had\s+)?"
    rf"(?P<verb>{_ATTRIBUTION_VERBS})\b"
    rf"|\b(?P<verb2>{_ATTRIBUTION_VERBS})\s+(?P<who2>{_NAME})"
    rf"|\b[Aa]ccording\s+to\s+(?P<who3>(?:the\s+)?{_NAME})"
)
_ACRONYM = re.compile(r"\b[A-Z]{2,6}s?\b")
_ORGANISATION = re.compile(
    r"\b(?:[A-Z][\w&\u2019'-]+\s+)+(?:Ministry|Department|Council|Committee|Commission|Bank|Banks|"
    r"Federation|Association|Agency|Office|Party|University|Institute|Foundation|Union|"
    r"Parliament|Congress|Senate|Court|Police|Army|Government|Authority|Board|Service|"
    r"Corporation|Company|Group|Organisation|Organization|Journal|Times|Post|Press)\b"
    r"|\b(?:the\s+)?(?:Kremlin|White\s+House|Pentagon|Treasury|Downing\s+Street|Congress|"
    r"Parliament|Senate|United\s+Nations|European\s+Union)\b"
)
_COMPARISON = re.compile(
    r"\b(?:more|less|fewer|higher|lower|bigger|smaller|larger|greater|better|worse|"
    r"most|least|largest|biggest|highest|lowest|fastest|slowest|first|record|"
    r"increased?|decreased?|rose|risen|rising|fell|fallen|falling|doubled|halved|tripled|"
    r"grew|grown|dropped|cut|compared|than|since|up\s+from|down\s+from)\b",
    re.IGNORECASE,
)
_DATE = re.compile(
    r"\b(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|"
    r"January|February|March|April|May|June|July|August|September|October|November|December|"
    r"Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\b\.?(?:\s+\d{1,2})?"
    r"|\b(?:yesterday|last\s+(?:week|month|year)|this\s+(?:week|month|year)|(?:1[89]|20)\d\d)\b"
)
_RECORD_VERBS = re.compile(
    r"\b(?:is|are|was|were|has|have|had|will\s+be|signed|voted|passed|spent|paid|cost|costs|"
    r"killed|died|won|lost|met|visited|invited|attended|opened|closed|banned|approved|"
    r"launched|threatened|repelled|attacked|sworn|elected|appointed|resigned|scheduled)\b",
    re.IGNORECASE,
)
_FIRST_PERSON_BELIEF = re.compile(
    r"\b(?:I|we)\s+(?:think|believe|feel|hope|guess|suppose|wonder)\b|\bin\s+my\s+(?:view|opinion)\b",
    re.IGNORECASE,
)
_HEDGE_OR_EXHORT = re.compile(
    r"\b(?:perhaps|maybe|might|could\s+we|let's|let\s+us|should|must|ought|surely|"
    r"of\s+course|clearly|obviously|apparently|seems?|appears?|welcome|wonderful|terrible|"
    r"disgrace\w*|shame\w*|absurd|ridiculous|destructive|panic)\b",
    re.IGNORECASE,
)
_PRONOUNS = {"he", "she", "they"}
# Capitalised words that start sentences or name no one.
_NOT_NAMES = {
    "The", "A", "An", "In", "On", "At", "But", "And", "Or", "If", "When", "It", "This",
    "That", "These", "Those", "There", "Here", "We", "I", "You", "Our", "His", "Her",
    "Their", "Its", "Yesterday", "Today", "Also", "Meanwhile", "However",
}  # fmt: skip


@dataclass(frozen=True)
class Reason:
    """Why a sentence scored as it did: a few words, and the words of the sentence."""

    what: str  # "a number", "attributed", …
    words: str = ""
    weight: float = 0.0

    def __str__(self) -> str:
        return f"{self.what}: \u2018{self.words}\u2019" if self.words else self.what


@dataclass
class Scored:
    score: float  # 0 to 1
    reasons: list[Reason] = field(default_factory=list)
    speaker: str = ""  # who the sentence attributes its words to, as written ("Peskov")

    @property
    def for_it(self) -> list[Reason]:
        return [reason for reason in self.reasons if reason.weight > 0]

    @property
    def against(self) -> list[Reason]:
        return [reason for reason in self.reasons if reason.weight < 0]


def _first(pattern: re.Pattern[str], text: str) -> str:
    """The first match, without the punctuation that ends the sentence after it."""
    match = pattern.search(text)
    return match.group().strip().rstrip(".,;:") if match else ""


def attribution(sentence: str) -> tuple[str, str]:
    """(who, the words that attribute): "Peskov said" gives ("Peskov", "Peskov said");
    a pronoun is returned as written ("She"), for the caller to resolve."""
    for match in _ATTRIBUTED.finditer(sentence):
        who = match.group("who") or match.group("who2") or match.group("who3") or ""
        who = re.sub(r"^the\s+", "", who.strip(), flags=re.IGNORECASE).rstrip(".,")
        words = [w for w in who.split() if w not in _NOT_NAMES]
        if not words and who.lower() not in _PRONOUNS:
            continue
        return (who if who.lower() in _PRONOUNS else " ".join(words)), match.group().strip(" .,")
    return "", ""


_PERSON = re.compile(r"\b[A-Z][a-z\u2019'-]+(?:\s+[A-Z][a-z\u2019'-]+)+")


def people(sentence: str) -> list[str]:
    """Names of two or more capitalised words ("Maren Holt"), without a sentence's first
    word when it names no one ("The Harbridge …" gives "Harbridge …")."""
    found = []
    for match in _PERSON.finditer(sentence):
        words = match.group().split()
        while words and words[0] in _NOT_NAMES:
            words.pop(0)
        if len(words) >= 2 and not words[0].endswith(("\u2019s", "'s")):
            found.append(" ".join(words))
    return found


def numbers(sentence: str) -> list[str]:
    """The numbers a sentence states, figures before words ("4.2 million" before "two"),
    leaving out years (a date, not a quantity)."""
    found = [
        number
        for match in _NUMBER.finditer(sentence)
        if (number := match.group().strip().rstrip(".,")) and not _YEAR.match(number)
    ]
    return sorted(found, key=lambda number: not any(c.isdigit() for c in number))


def score(sentence: str) -> Scored:
    """The sentence's check-worthiness and why (see the module's docstring)."""
    reasons: list[Reason] = []
    words = sentence.split()
    if found := numbers(sentence):
        reasons.append(Reason("a number", found[0], 1.4))
    who, attributed = attribution(sentence)
    if attributed:
        reasons.append(Reason("attributed", attributed, 1.0))
    organisation = re.sub(r"^the\s+", "", _first(_ORGANISATION, sentence), flags=re.I) or next(
        (a for a in _ACRONYM.findall(sentence) if a not in {"I", "OK", "TV"}), ""
    )
    if organisation:
        reasons.append(Reason("names an organisation", organisation, 0.6))
    if comparison := _first(_COMPARISON, sentence):
        reasons.append(Reason("a comparison", comparison, 0.5))
    if date := _first(_DATE, sentence):
        reasons.append(Reason("a date", date, 0.6))
    if record := _first(_RECORD_VERBS, sentence):
        reasons.append(Reason("states what happened", record, 0.3))
    named = [name for name in people(sentence) if name not in organisation and name != who]
    if named:
        reasons.append(Reason("names someone", named[0], 0.4))
    # A hedge or an exhortation reported of someone ("Peskov suggested Trump should…") is
    # what they said, which can be checked; the writer's own is opinion.
    rhetoric = (
        _first(re.compile(r"[?!]\s*[\u201d\"\u2019']?\s*$"), sentence)
        or _first(_FIRST_PERSON_BELIEF, sentence)
        or ("" if attributed else _first(_HEDGE_OR_EXHORT, sentence))
    )
    if rhetoric:
        reasons.append(Reason("opinion or rhetoric", rhetoric, -1.3))
    if len(words) < 6:
        reasons.append(Reason("too short to check", "", -1.5))
    elif len(words) > 60:
        reasons.append(Reason("very long", "", -0.4))
    total = sum(reason.weight for reason in reasons) - 1.6
    return Scored(1 / (1 + math.exp(-total)), reasons, who)
