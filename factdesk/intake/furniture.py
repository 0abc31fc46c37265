"""Page furniture: the lines that came with an article's text but are not the article
(rating widgets, donation and newsletter appeals, disclaimers, comment prompts, share
buttons, related-story headlines, a byline repeated). They are folded on the article page
and never suggested as claims; the text itself is never changed.

Rules, not a model: each rule is a pattern a newsroom would recognise, and a line is
furniture when one matches. An editor's decision on a line (`LineDecision`) overrides them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Line:
    """One line of a text: its code-point offsets, without the line break."""

    start: int
    end: int
    text: str


def lines(text: str) -> list[Line]:
    """The non-blank lines of `text`, with offsets into it (surrounding spaces left out)."""
    found = []
    for match in re.finditer(r"[^\n]+", text):
        stripped = match.group().strip()
        if stripped:
            start = match.start() + match.group().index(stripped)
            found.append(Line(start, start + len(stripped), stripped))
    return found


# Whole lines that are widgets, prompts or buttons (compared without case or end punctuation).
_WIDGETS = re.compile(
    r"""^(?:
        \d+\s+\d+\s+votes?                                   # a ratings widget: "0 0 vote"
      | (?:article|post|user)\s+rating                       # its heading
      | \d+(?:\.\d+)?\s*(?:/|out\s+of)\s*\d+(?:\s+stars?)?   # "4.5 out of 5"
      | what\s+do\s+you\s+think\?? | notify\s+of | inline\s+feedbacks?
      | view\s+all\s+comments | (?:leave|post|add)\s+a\s+(?:comment|reply)
      | \d*\s*comments? | show\s+comments | load\s+more(?:\s+comments)?
      | share(?:\s+this(?:\s+(?:article|story|page|post))?|\s+on\s+\w+|\s+via\s+\w+)?
      | tweet | email | print | copy\s+link
      | (?:facebook|twitter|whatsapp|linkedin|telegram|reddit)(?:\s*[·|,]\s*\w+)*
      | advertisement | sponsored(?:\s+content)? | (?:read|see)\s+(?:more|also)
      | related(?:\s+(?:articles?|stories|posts|news))? | (?:most\s+)?popular(?:\s+now)?
      | you\s+may\s+(?:also\s+)?like | recommended(?:\s+for\s+you)?
      | (?:sign\s+up|subscribe)(?:\s+now|\s+today)? | log\s*in | sign\s+in | register
      | skip\s+to\s+(?:main\s+)?content | back\s+to\s+top | tags? | filed\s+under
      | close | menu | search | home | videos? | (?:pinterest|vkontakte|odnoklassniki|flipboard)
      | image\s+(?:copyright|caption) | (?:getty|ap|reuters|afp)\s+images?
    )$""",
    re.IGNORECASE | re.VERBOSE,
)

# Lines that appeal, disclaim or credit, wherever the words sit in the line.
_APPEALS = re.compile(
    r"""(?:
        \b(?:support|donate\s+to|help)\b.{0,60}\b(?:patreon|paypal|donat\w*|subscri\w+|grow)\b
      | \bbecome\s+a\s+(?:patron|member|subscriber)\b
      | \bsign\s+up\s+(?:for|to)\s+(?:our|the)\b.{0,40}\bnewsletter\b
      | \bsubscribe\s+to\s+(?:our|the)\b
      | \bnewsletter\b.{0,40}\b(?:inbox|sign\s+up|subscribe)\b
      | \b(?:views|opinions)\b.{0,60}\bexpressed\b.{0,80}\b(?:solely|author|necessarily)\b
      | \bdo\s+not\s+necessarily\s+(?:reflect|represent)\b
      | \ball\s+rights\s+reserved\b | ©\s*\d{4} | \bcopyright\s+\d{4}\b
      | \b(?:photo|image|picture)\s*(?:credit)?\s*:\s
      | \bfollow\s+us\s+on\b | \bclick\s+here\b | \bcookies?\s+(?:policy|settings)\b
      | \bthis\s+(?:article|story)\s+(?:was\s+)?(?:originally\s+)?
            (?:published|appeared)\s+(?:on|in|at)\b
    )""",
    re.IGNORECASE | re.VERBOSE,
)

_SENTENCE_END = re.compile(r"[.!?…\"'\u201d\u2019)]$")


def is_widget(line: str) -> bool:
    return bool(_WIDGETS.match(line.strip().rstrip(".:!·|").strip()))


def is_appeal(line: str) -> bool:
    """An appeal, disclaimer or credit: a short line (long ones are paragraphs that mention
    a newsletter, which an article may do)."""
    return len(line) <= 300 and bool(_APPEALS.search(line))


_DATELINE = re.compile(
    r"""^(?:(?:updated|published|posted)\s*:?\s*)?
        (?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*,?\s+)?
        (?:
          (?:\d{1,2}\s+)?(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4}
        | \d{1,2}\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d{4}
        | \d{1,4}[/.-]\d{1,2}[/.-]\d{1,4}
        )
        (?:,?\s*(?:at\s+)?\d{1,2}[:.]\d{2}\s*(?:am|pm|a\.m\.|p\.m\.)?(?:\s*[a-z]{2,4})?)?$""",
    re.IGNORECASE | re.VERBOSE,
)


def is_dateline(line: str) -> bool:
    """A date or time stamp on its own ("Tuesday, November 19, 2019", "12/03/2019 10:30 am")."""
    return bool(_DATELINE.match(line.strip().strip(".|")))


def is_byline(line: str, byline: str) -> bool:
    """The byline repeated in the text ("By Jane Holt", "Jane Holt, Political Editor")."""
    if not byline.strip():
        return False
    bare = re.sub(r"^by\s+", "", line.strip(), flags=re.IGNORECASE).strip(" .,|")
    name = re.sub(r"^by\s+", "", byline.strip(), flags=re.IGNORECASE).strip(" .,|")
    return bool(name) and len(bare) <= len(name) + 40 and bare.lower().startswith(name.lower())


def _is_short_label(line: str) -> bool:
    """A menu item, a section name, a tag: a few words that do not end a sentence."""
    return len(line.split()) <= 4 and not _SENTENCE_END.search(line)


def furniture_lines(text: str, *, byline: str = "") -> list[Line]:
    """The lines of `text` that are page furniture.

    1. A line is furniture when it is a widget, prompt or button (the whole line), an
       appeal, disclaimer or credit, a date or time stamp on its own, or the byline repeated.
    2. Menus: a run of three or more short labels in a row ("News", "Politics", "Sport").
       An article's own subheadings stand alone between paragraphs, not in runs.
    3. Related-story headlines: once the text's last quarter has had a comment prompt or an
       appeal, the short lines after it that do not end a sentence are furniture too.
    """
    all_lines = lines(text)
    furniture = [
        is_widget(line.text)
        or is_appeal(line.text)
        or is_dateline(line.text)
        or is_byline(line.text, byline)
        for line in all_lines
    ]
    run: list[int] = []
    for index, line in enumerate([*all_lines, None]):
        if line is not None and _is_short_label(line.text):
            run.append(index)
            continue
        if len(run) >= 3:
            for member in run:
                furniture[member] = True
        run = []
    tail_from = len(text) * 3 // 4
    in_tail = False
    for index, line in enumerate(all_lines):
        if furniture[index]:
            in_tail = in_tail or (line.start >= tail_from and not _is_short_label(line.text))
        elif in_tail and len(line.text) <= 160 and not _SENTENCE_END.search(line.text):
            furniture[index] = True
    return [line for line, is_furniture in zip(all_lines, furniture, strict=True) if is_furniture]
