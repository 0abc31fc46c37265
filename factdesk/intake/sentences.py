"""An article's text as sentences, each with code-point offsets into the text (Python
string indices, the same offsets claim quotes use), so that a sentence becomes a quote
without searching for its words again.

The text is cut into lines first (a sentence never crosses a line break: paragraphs,
furniture and transcript turns are lines), then each line into sentences by the
segmenter. A transcript's line that starts with a speaker's label ("TRUMP: …",
"Jane Holt: …") keeps the speaker for every sentence of that turn, and the label is left
out of the sentence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import syntok.segmenter as syntok

from factdesk.intake.furniture import lines

# "TRUMP:", "Jane Holt:", "MODERATOR (Lester Holt):" at the start of a line; not "Note:".
_SPEAKER = re.compile(
    r"^(?P<speaker>(?:[A-Z][A-Z.'\u2019-]+(?:\s+[A-Z][A-Z.'\u2019-]+){0,3})"
    r"|(?:[A-Z][a-z.'\u2019-]+(?:\s+[A-Z][a-z.'\u2019-]+){1,3}))(?:\s*\([^)]{1,40}\))?:\s+"
)
_NOT_SPEAKERS = {"NOTE", "UPDATE", "EDITOR'S NOTE", "PHOTO", "WATCH", "READ MORE", "SOURCE"}


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    text: str
    speaker: str = ""  # the transcript turn's speaker, as labelled ("TRUMP")

    @property
    def span(self) -> tuple[int, int]:
        return self.start, self.end


# Titles syntok takes for a sentence's end ("I agree with Gov. | Kasich"): a sentence that
# ends in one runs on into the next.
_TITLES = {"gov", "sen", "rep", "gen", "col", "lt", "sgt", "capt", "prof", "rev", "hon", "st"}


def _split(line: str) -> list[tuple[int, int]]:
    """Offsets of the sentences in one line, from syntok's tokens (each knows its offset)."""
    spans: list[tuple[int, int]] = []
    for paragraph in syntok.analyze(line):
        for sentence in paragraph:
            tokens = [token for token in sentence if token.value]
            if not tokens:
                continue
            start, end = tokens[0].offset, tokens[-1].offset + len(tokens[-1].value)
            if spans and _ends_in_title(line[spans[-1][0] : spans[-1][1]]):
                spans[-1] = (spans[-1][0], end)
            else:
                spans.append((start, end))
    return spans


def _ends_in_title(sentence: str) -> bool:
    words = sentence.rstrip(".").split()
    return sentence.endswith(".") and bool(words) and words[-1].lower() in _TITLES


def speaker_label(line: str) -> tuple[str, int]:
    """The speaker a transcript line opens with, and where its words start ("", 0: none)."""
    match = _SPEAKER.match(line)
    if not match or match.group("speaker").upper() in _NOT_SPEAKERS:
        return "", 0
    return match.group("speaker").strip(), match.end()


def split_sentences(text: str) -> list[Sentence]:
    """Every sentence of `text`, in order, with offsets such that
    text[sentence.start:sentence.end] == sentence.text."""
    found = []
    for line in lines(text):
        speaker, skip = speaker_label(line.text)
        body = line.text[skip:]
        for start, end in _split(body):
            begin = line.start + skip + start
            found.append(
                Sentence(
                    begin, line.start + skip + end, text[begin : line.start + skip + end], speaker
                )
            )
    return found
