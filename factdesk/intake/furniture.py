"""Page furniture: the lines that came with an article's text but are not the article
(rating widgets, donation and newsletter appeals, disclaimers, comment prompts, share
buttons, related-story headlines, a byline repeated). They are folded on the article page
and never suggested as claims; the text itself is never changed.

Rules, not a model, read on the plain text line by line (a pasted article has no HTML):
patterns a newsroom would recognise (a share button, a "support us" appeal, a date on its
own), and where the article itself is: the stretch of the text with the most running
text, which the menus, headlines of other stories, captions, comments and footers around
it are not. `furniture_lines` lists the rules. An editor's decision on a line
(`LineDecision`) overrides them.
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
      | you\s+(?:may|might)\s+(?:also\s+)?like | recommended(?:\s+for\s+you)?
      | most\s+(?:read|viewed|shared|commented|popular) | don.?t\s+miss | editor.?s\s+picks?
      | (?:top|latest|trending|more|recent|featured|other)\s+(?:\w+\s+){0,2}
            (?:stories|news|articles|posts|headlines|videos|features)
      | more\s+(?:from|in)\s+.{1,40} | more\s+on\s+this\s+(?:story|topic)
      | (?:read|up|coming)\s+next | next\s+up(?:\s+in)?
      | (?:latest|trending)(?:\s+now|\s+in\s+.{1,30})?
      | (?:sign\s+up|subscribe)(?:\s+now|\s+today)? | log\s*in | sign\s+in | register
      | skip\s+to\s+(?:main\s+)?content | back\s+to\s+top | tags? | filed\s+under
      | close | menu | search | home | videos? | (?:pinterest|vkontakte|odnoklassniki|flipboard)
      | image\s+(?:copyright|caption) | (?:getty|ap|reuters|afp)\s+images?
    )$""",
    re.IGNORECASE | re.VERBOSE,
)

# Lines that appeal, disclaim or credit, wherever the words sit in the line. Matched on
# the line in lower case, and each choice starts with its first letter rather than a word
# boundary: the regex engine then skips to where one could start (four times faster).
# A "Photo:" or "Image:" line is a credit only when a few words follow: a longer one is a
# caption, which inside the article is the article's. A "click here" is furniture when it
# sends the reader to the publication's subscription, account or app; one to more
# information or a report is the article's own link.
_APPEALS = re.compile(
    r"""(?:
        (?:support|donate\s+to|help)\b.{0,60}\b(?:patreon|paypal|donat\w*|subscri\w+|grow)\b
      | become\s+a\s+(?:patron|member|subscriber)\b
      | sign\s+up\s+(?:for|to)\s+(?:our|the)\b.{0,40}\bnewsletter\b
      | subscribe\s+to\s+(?:our|the)\b
      | newsletter\b.{0,40}\b(?:inbox|sign\s+up|subscribe)\b
      | (?:views|opinions)\b.{0,60}\bexpressed\b.{0,80}\b(?:solely|author|necessarily)\b
      | do\s+not\s+necessarily\s+(?:reflect|represent)\b
      | all\s+rights\s+reserved\b | ©\s*\d{4} | copyright\s+\d{4}\b
      | (?:photo(?:graph)?s?|image|picture)\s*(?:credits?)?\s*(?:by)?\s*:\s+  # a credit names
            (?:\S+\s+){0,7}\S+\s*\)?$                   # a source: eight words at most
      | follow\s+us\s+on\b | cookies?\s+(?:policy|settings)\b
      | click\s+here\s+to\s+(?:subscribe|sign\s+(?:up|in)|log\s*in|register
            |(?:get|download)\s+(?:the|our)\b.{0,40}\bapp\b)
      | this\s+(?:article|story)\s+(?:was\s+)?(?:originally\s+)?
            (?:published|appeared)\s+(?:on|in|at)\b
    )""",
    re.VERBOSE,
)

# A photo credit ends with the agency, after a slash, a bar, a comma or "via":
# "Sanjeev Verma/Hindustan Times/Getty Images", "Reuters".
_CREDIT_PARTS = re.compile(r"[/|,;]|\bvia\b")
_PHOTO_AGENCIES = (
    *("getty", "getty images", "reuters", "ap", "ap photo", "afp", "epa", "shutterstock"),
    *("istock", "istockphoto", "alamy"),
)

# What ends a sentence: its punctuation, a closing quote or bracket (Chinese and Japanese
# full stops and corner quotes, French guillemets included), or an emoji, which informal
# writing puts where the full stop would be.
_SENTENCE_END = re.compile(
    r"[.!?…\"'\u201d\u2019)\u00bb\u3002\uff01\uff1f\u300d\u300f\U0001f300-\U0001faff]$"
)


def is_widget(line: str) -> bool:
    return bool(_WIDGETS.match(line.strip().rstrip(".:!·|").strip()))


def is_appeal(line: str) -> bool:
    """An appeal, disclaimer or credit: a short line (long ones are paragraphs that mention
    a newsletter, which an article may do)."""
    if len(line) > 300:
        return False
    lower = line.lower()
    return _is_credit(lower) or bool(_APPEALS.search(lower))


def _is_credit(lower: str) -> bool:
    tail = lower.rstrip(" )")
    return tail.endswith(_PHOTO_AGENCIES) and (
        _CREDIT_PARTS.split(tail)[-1].strip(" (") in _PHOTO_AGENCIES
    )


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


# A comment section's heading or prompt: the article does not run on past one.
_COMMENTS = re.compile(
    r"""^[\[(]?\s*(?:
        (?:\(?\d+\)?\s*)?(?:user\s+|reader\s+|top\s+rated\s+|all\s+|latest\s+)?comments?
            (?:\s*\(\d+\))?
      | (?:leave|post|add|write)\s+(?:a\s+|your\s+)?(?:comment|reply|response)s?\b.*
      | (?:read|view|show|see)\s+(?:all\s+)?(?:\d+\s+)?comments?\b.*
      | (?:want\s+to\s+)?join\s+the\s+(?:discussion|conversation)\??
      | comments\s+are\s+closed | no\s+comments\s+yet | share\s+your\s+thoughts\b.*
      | what\s+do\s+you\s+think\?? | notify\s+of
    )\s*[\])]?\.?$""",
    re.IGNORECASE | re.VERBOSE,
)

_INTRODUCES = re.compile(r"[:?\uff1a\uff1f]$")

# Chinese and Japanese are written without spaces, and one of their characters says what
# takes two or three letters: there, a character counts as two, and two make a word.
_UNSPACED = re.compile(r"[\u3040-\u30ff\u3400-\u9fff]")
_NUMBER = re.compile(r"^[\d\s.,:;%/+*()$\u20ac\u00a3-]+$")

PARAGRAPH_CHARACTERS = 50  # a line this long that ends a sentence is a paragraph
LONG_LINE_CHARACTERS = 150  # a line this long is a paragraph wherever it stops
SHORT_LINE_WEIGHT = 20  # what any other line counts against the article, in characters
PATTERN_WEIGHT = 60  # what a line of furniture by pattern counts against it
TABLE_ROWS = 6  # a run of this many short lines or more, a third of them numbers, is a table
LIST_ITEMS = 8  # a list under an introduction, just before the article, has fewer items
COMMENTS_AFTER = 2  # paragraphs after which a comment section's heading ends the article


def is_comment_heading(line: str) -> bool:
    """The heading or prompt of a comment section ("12 Comments", "Leave a reply")."""
    return bool(_COMMENTS.match(line.strip()))


def _words(line: str) -> int:
    return len(line.split()) + len(_UNSPACED.findall(line)) // 2


def _length(line: str) -> int:
    return len(line) + len(_UNSPACED.findall(line))


def _is_paragraph(line: str) -> bool:
    """Running text: a sentence's worth of characters that ends a sentence, or a long line."""
    length = _length(line)
    return length >= LONG_LINE_CHARACTERS or (
        length >= PARAGRAPH_CHARACTERS and bool(_SENTENCE_END.search(line))
    )


def _runs(flags: list[bool]) -> list[range]:
    """The runs of consecutive True in `flags`, as ranges of indexes."""
    found, start = [], None
    for index, flag in enumerate([*flags, False]):
        if flag and start is None:
            start = index
        elif not flag and start is not None:
            found.append(range(start, index))
            start = None
    return found


def _menus(texts: list[str]) -> list[bool]:
    """Which lines are in a menu: a run of three or more short labels in a row (a menu
    item, a section name, a tag: four words or fewer that do not end a sentence)."""
    label = [_words(text) <= 4 and not _SENTENCE_END.search(text) for text in texts]
    menu = [False] * len(texts)
    for run in _runs(label):
        if len(run) >= 3:
            for index in run:
                menu[index] = True
    return menu


def _introduced_list(texts: list[str], by_pattern: list[bool], first: int) -> int:
    """Where the article starts when the lines just before `first` are a short list under
    a line that introduces it ("What's new in this version?", "Key points:"): at that line.
    A menu has no such introduction; a list of LIST_ITEMS lines or more is not taken."""
    for start in range(first - 1, max(first - LIST_ITEMS - 1, -1), -1):
        if by_pattern[start]:
            return first
        if _INTRODUCES.search(texts[start]):
            return start if start < first - 1 and _words(texts[start]) >= 3 else first
    return first


def _article_stretch(texts: list[str], by_pattern: list[bool], menu: list[bool]) -> range:
    """Where the article is among the text's lines (rule 2 of `furniture_lines`); an empty
    range when the text has no paragraph.

    1. The lines looked at end at a comment section's heading after two paragraphs.
    2. Each line weighs: a paragraph its length, a table's cell nothing, a line of
       furniture by pattern -60, any other line -20.
    3. The stretch is the run of lines whose weights add up to the most (one pass, keeping
       the best run ending at each line).
    4. It takes in the sentences just before it (and a list they follow, under its
       introduction: `_introduced_list`), and the lines after it up to the first
       menu or line of furniture by pattern (a table's cells included).
    """
    paragraph = [
        _is_paragraph(text) and not pattern for text, pattern in zip(texts, by_pattern, strict=True)
    ]
    end, seen = len(texts), 0
    for index, text in enumerate(texts):
        if seen >= COMMENTS_AFTER and is_comment_heading(text):
            end = index
            break
        seen += paragraph[index]
    table = [False] * end
    for run in _runs([not (paragraph[i] or by_pattern[i]) for i in range(end)]):
        numbers = sum(bool(_NUMBER.match(texts[index])) for index in run)
        if len(run) >= TABLE_ROWS and numbers * 3 >= len(run):
            for index in run:
                table[index] = True
    best, best_sum, start, running = range(0), 0, 0, 0
    for index in range(end):
        if running <= 0:  # a run that weighs nothing or less is no start for a better one
            start, running = index, 0
        if paragraph[index]:
            running += _length(texts[index])
        elif by_pattern[index]:
            running -= PATTERN_WEIGHT
        elif not table[index]:
            running -= SHORT_LINE_WEIGHT
        if running > best_sum:
            best, best_sum = range(start, index + 1), running
    if not best:
        return best
    first, last = best.start, best.stop
    while first > 0 and not (by_pattern[first - 1] or menu[first - 1]):
        if not _SENTENCE_END.search(texts[first - 1]):
            break
        first -= 1
    first = _introduced_list(texts, by_pattern, first)
    while last < end and not by_pattern[last] and (table[last] or not menu[last]):
        last += 1
    return range(first, last)


def furniture_lines(text: str, *, byline: str = "") -> list[Line]:
    """The lines of `text` that are page furniture.

    1. Patterns. A line is furniture when it is a widget, prompt or button (the whole
       line), an appeal, disclaimer or photo credit, a date or time stamp on its own, the
       byline repeated, or a comment section's heading.
    2. The article. It is the stretch of the text with the most running text: paragraphs
       (a line of 50 characters or more that ends a sentence, or any line of 150) count
       for it by their length, every other line counts 20 characters against it and a
       line of rule 1 counts 60; a table's cells (a run of six short lines or more, a third
       of them numbers) count nothing, so a table between paragraphs stays in. The article
       does not run past a comment section's heading once two paragraphs have come. It
       takes in the sentences just before its first paragraph (a short opening line) and a
       short list just before them under a line that introduces it ("Key points:"), and
       the lines after its last (a list, a table, a sign-off) up to the first menu (three
       or more short labels in a row: "News", "Politics", "Sport") or line of rule 1.
    3. Around the article. Every line before or after it is furniture: menus, other
       stories' headlines, captions, bylines, comments, footers. Inside it, only rule 1
       folds: its subheadings, short quotes and lists are its own.
    4. The headline. A pasted article starts with it: the text's first line, when it has
       four words or more and is neither in a menu nor furniture by rule 1, is kept.
    5. A text without a paragraph has no article stretch: rule 1 applies, and menus are
       folded.
    """
    all_lines = lines(text)
    texts = [line.text for line in all_lines]
    by_pattern = [
        is_widget(line)
        or is_appeal(line)
        or is_dateline(line)
        or is_byline(line, byline)
        or is_comment_heading(line)
        for line in texts
    ]
    menu = _menus(texts)
    article = _article_stretch(texts, by_pattern, menu)
    if article:
        around = [index not in article for index in range(len(texts))]
        if not (by_pattern[0] or menu[0]) and _words(texts[0]) >= 4:
            around[0] = False  # the headline
    else:
        around = menu
    return [line for line, *why in zip(all_lines, by_pattern, around, strict=True) if any(why)]
