"""The board's claim card, rendered in Python: the board shows fifty of them, and a Django
template include per card cost more than the board's queries together (benchmarks/desk.py)."""

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from factdesk.claims.models import Claim, Priority

register = template.Library()


@register.simple_tag
def claim_card(claim: Claim) -> SafeString:
    rating = (
        format_html(
            '<span class="rating" data-rating="{}">{}</span>',
            claim.current_rating_id,
            claim.current_rating.label,
        )
        if claim.current_rating_id and claim.current_rating
        else ""
    )
    priority = (
        format_html('<span class="badge prio">{}</span>', claim.get_priority_display())
        if claim.priority >= Priority.HIGH
        else ""
    )
    assignee = (
        format_html("{}", claim.assignee.get_full_name() or claim.assignee.username)
        if claim.assignee_id and claim.assignee
        else mark_safe("<em>unassigned</em>")
    )
    days = claim.age_days
    return format_html(
        '<article class="card claimcard prio-{}">'
        '<a class="claimlink" href="{}">{}</a>'
        '<div class="meta"><a href="{}">{}</a> · <span>{} day{} old</span></div>'
        '<div class="meta">{}{}<span class="assignee">{}</span></div>'
        "</article>",
        claim.priority,
        reverse("claims:detail", args=[claim.pk]),
        claim.text,
        reverse("claims:claimant", args=[claim.claimant_id]),
        claim.claimant.name,
        days,
        "" if days == 1 else "s",
        priority,
        rating,
        assignee,
    )
