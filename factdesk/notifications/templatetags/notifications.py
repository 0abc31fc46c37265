"""The bell's count and the claim page's Follow button, for templates of the apps below,
which cannot import this app (they load this library by name)."""

from typing import Any

from django import template

from factdesk.accounts.roles import is_desk_member
from factdesk.notifications import selectors

register = template.Library()


@register.simple_tag(takes_context=True)
def unread_notifications(context: Any) -> int:
    """How many of the signed-in person's notifications are unread (one indexed query)."""
    user = context["request"].user
    return selectors.unread_count(user) if is_desk_member(user) else 0


@register.simple_tag(takes_context=True)
def follows_claim(context: Any, claim: Any) -> bool:
    return selectors.is_following(context["request"].user, claim.pk)
