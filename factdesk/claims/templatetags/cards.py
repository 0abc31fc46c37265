"""The board's claim cards and the list's claim rows, rendered in Python: a page shows fifty
of them, and a Django template include per card cost more than the board's queries together
(benchmarks/desk.py). Each is one f-string over escaped values (the standard library's
html.escape, which Django's escape wraps, less its lazy-string check: ten calls a card); a
column's cards, or a page's rows, are one tag, whose two links are reversed once
(core.links.page_urls), not per card."""

import datetime
from collections.abc import Callable, Iterable
from functools import lru_cache
from html import escape
from typing import Any

from django import template
from django.utils.dates import MONTHS_3
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import localtime
from django.utils.translation import get_language

from factdesk.claims.models import Claim, Priority
from factdesk.claims.workflow import ClaimStatus
from factdesk.core.links import page_urls

register = template.Library()


def day_label(day: datetime.date) -> str:
    """`7 Dec 2026`: what date_format(day, "j M Y") writes, without the DateFormat that call
    builds each time (three a row of the list: half of a row's rendering)."""
    return f"{day.day} {_month(get_language(), day.month)} {day.year}"


@lru_cache(maxsize=64)
def _month(language: str | None, month: int) -> str:
    """The month's short name in the language (a lazy translation made text once, not
    twice a row)."""
    return str(MONTHS_3[month]).title()


# A status's label (plain text, as a claim's get_status_display() gives it).
_STATUS_LABELS = dict(ClaimStatus.choices)
ROW_TEXT_CHARS = 180


def _shortened(text: str) -> str:
    """The claim's wording cut to ROW_TEXT_CHARS, ending in "…" when cut (Truncator.chars,
    without its normalising of each text: a tenth of a row's rendering)."""
    return text if len(text) <= ROW_TEXT_CHARS else f"{text[: ROW_TEXT_CHARS - 1]}\u2026"


@register.simple_tag
def rating_chip(claim: Claim, big: bool = False) -> SafeString:
    """The claim's current rating: as published, or outlined and marked "draft" while
    readers don't see it (in research or review, or a correction's), struck through once
    retracted."""
    if not (claim.current_rating_id and claim.current_rating):
        return mark_safe("")
    label = escape(claim.current_rating.label)
    size = " big" if big else ""
    if claim.rating_is_public:
        state, word = "", ""
    elif claim.status == ClaimStatus.RETRACTED:
        state, word = " retracted", ' <span class="chipword">retracted</span>'
    else:
        state, word = " draft", ' <span class="chipword">draft</span>'
    return mark_safe(  # noqa: S308 - the label is escaped, the rest is fixed markup
        f'<span class="rating{size}{state}" data-rating="{int(claim.current_rating_id)}">'
        f"{label}{word}</span>"
    )


@register.simple_tag
def claim_cards(claims: Iterable[Claim], today: datetime.date) -> SafeString:
    """A board column's cards."""
    detail, claimant = page_urls("claims:detail"), page_urls("claims:claimant")
    # Each card is escaped values, ints and fixed markup (_claim_card).
    return mark_safe(  # noqa: S308
        "".join(_claim_card(claim, today, detail, claimant) for claim in claims)
    )


def _claim_card(
    claim: Claim,
    today: datetime.date,
    detail: Callable[[int], str],
    claimant: Callable[[int], str],
) -> str:
    rating = rating_chip(claim)
    changes = (
        '<span class="mark-changes">changes requested</span>'
        if getattr(claim, "changes_requested", False)
        else ""
    )
    priority = (
        f'<span class="badge prio">{escape(Priority(claim.priority).label)}</span>'
        if claim.priority >= Priority.HIGH
        else ""
    )
    assignee = (
        escape(claim.assignee.get_full_name() or claim.assignee.username)
        if claim.assignee_id and claim.assignee
        else "<em>unassigned</em>"
    )
    days = claim.age_days
    # An open claim says when it is due; a finished one, how old it is.
    due_in = claim.due_in_days(today)
    overdue = " overdue" if due_in is not None and due_in < 0 else ""
    when = (
        f'<span class="due{overdue}">{escape(claim.due_label(today))}</span>'
        if due_in is not None
        else f"<span>{days} day{'' if days == 1 else 's'} old</span>"
    )
    # Read with the cards (selectors.with_marks): no query per card.
    topics = "".join(f'<span class="topic">{escape(name)}</span>' for name in claim.topic_names)
    if topics:
        topics = f'<div class="topics">{topics}</div>'
    # Every value below is escaped, or an int, or markup built above from escaped values.
    return (
        f'<article class="card claimcard prio-{int(claim.priority)}" data-nav-item>'
        f'<a class="claimlink" href="{detail(claim.pk)}">'
        f"{escape(claim.text)}</a>"
        f'<div class="meta"><a href="{claimant(claim.claimant_id)}">'
        f"{escape(claim.claimant.name)}</a> · "
        f"{when}</div>"
        f'<div class="meta">{priority}{rating}{changes}<span class="assignee">{assignee}</span>'
        "</div>"
        f"{topics}"
        "</article>"
    )


@register.simple_tag
def claim_rows(rows: Iterable[Any], pick: bool, today: datetime.date) -> SafeString:
    """The claim list's rows (selectors.ClaimRow): a search's rows carry the claim's text,
    quote and article passage with the matched words marked (safe HTML), and `why` it
    matched. `pick`: a checkbox for the bulk actions."""
    detail, claimant = page_urls("claims:detail"), page_urls("claims:claimant")
    # Each row is escaped values, ints and fixed markup (_claim_row).
    return mark_safe(  # noqa: S308
        "".join(_claim_row(row, pick, today, detail, claimant) for row in rows)
    )


def _claim_row(
    row: Any,
    pick: bool,
    today: datetime.date,
    detail: Callable[[int], str],
    claimant: Callable[[int], str],
) -> str:
    claim = row.claim
    checkbox = (
        f'<td class="pick"><input type="checkbox" name="claims" value="{int(claim.pk)}" '
        f'form="bulk" data-bulk-pick aria-label="Select claim #{int(claim.pk)}"></td>'
        if pick
        else ""
    )
    text = (
        conditional_escape(row.text_highlighted)
        if row.text_highlighted
        else escape(_shortened(claim.text))
    )
    snippets = ""
    if row.quote_highlighted and "<mark>" in row.quote_highlighted:
        snippets += (
            f'<div class="snippet">\u201c{conditional_escape(row.quote_highlighted)}\u201d</div>'
        )
    if row.article_highlighted:
        passage = conditional_escape(row.article_highlighted)
        snippets += f'<div class="snippet">In the article: \u2026{passage}\u2026</div>'
    due = claim.is_open and claim.due_date
    meta = ""
    if due:
        overdue = " overdue" if claim.due_date < today else ""
        meta = (
            f'<span class="due{overdue}" title="{day_label(claim.due_date)}">'
            f"{escape(claim.due_label())}</span>"
        )
    meta += "".join(f'<span class="topic">{escape(name)}</span>' for name in claim.topic_names)
    if meta:
        meta = f'<div class="rowmeta">{meta}</div>'
    if row.why:
        snippets_after = f'<div class="snippet why">{conditional_escape(row.why)}</div>'
    else:
        snippets_after = ""
    changes = (
        ' <span class="mark-changes">changes requested</span>'
        if getattr(claim, "changes_requested", False)
        else ""
    )
    assignee = (
        escape(claim.assignee.get_full_name() or claim.assignee.username)
        if claim.assignee_id and claim.assignee
        else "\u2014"
    )
    created = localtime(claim.created_at)
    # Every value below is escaped, or an int, or markup built above from escaped values.
    return (
        f'<tr class="prio-{int(claim.priority)}" data-nav-item>{checkbox}'
        f'<td><a href="{detail(claim.pk)}">{text}</a>'
        f"{snippets}{meta}{snippets_after}</td>"
        f'<td><a href="{claimant(claim.claimant_id)}">'
        f"{escape(claim.claimant.name)}</a></td>"
        f'<td><span class="status status-{escape(claim.status)}">'
        f"{escape(_STATUS_LABELS[claim.status])}</span></td>"
        f"<td>{rating_chip(claim)}{changes}</td>"
        f"<td>{assignee}</td>"
        f'<td title="{day_label(created)} {created:%H:%M}">{day_label(created)}</td>'
        "</tr>"
    )
