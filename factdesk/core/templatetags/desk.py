import html
import uuid
from typing import Any

from django import template
from django.utils.safestring import SafeString, mark_safe

from factdesk.core import links, sizes

register = template.Library()


@register.filter
def get_item(mapping: dict, key: Any) -> Any:
    """`counts|get_item:status`: a dict lookup by a variable key."""
    return mapping.get(key, 0) if mapping else 0


@register.filter
def percent_of(value: float, total: float) -> float:
    return round(100 * value / total, 1) if total else 0


@register.filter
def person(user: Any) -> str:
    """How the desk names someone: their full name, or their username."""
    if user is None:
        return ""
    return user.get_full_name() or user.username


@register.filter
def possessive(name: str) -> str:
    """`Dana Whitcombe's`, but `Viral social media posts'`."""
    return f"{name}'" if name.endswith(("s", "S")) else f"{name}'s"


@register.filter
def size_words(size: int) -> str:
    """`snapshot.size|size_words`: as the desk's limits and messages write sizes."""
    return sizes.size_words(size)


@register.simple_tag
def options(choices: Any, selected: Any) -> SafeString:
    """`{% options outlets filter_form.data.outlet %}`: an <option> per (value, label), the
    one whose value is `selected` (compared as text, as a form's data is) marked selected.
    A filter menu has fifty outlets: a template loop over them cost milliseconds a page,
    and so did Django's escape (the standard library's, which it wraps, costs a third).
    Values and labels are plain text (names, ids), never markup."""
    chosen = "" if selected is None else str(selected)
    return mark_safe(  # noqa: S308 - value and label escaped, the rest fixed markup
        "".join(
            f'<option value="{html.escape(str(value))}"'
            f"{' selected' if str(value) == chosen else ''}>{html.escape(str(label))}</option>"
            for value, label in choices
        )
    )


@register.simple_tag
def page_url(viewname: str, *ids: int) -> str:
    """`{% page_url 'claims:transition' claim.id %}`: `{% url %}` for a view whose
    arguments are ids, reversed once per view (core/links.py). The pages that print many
    links use it; the rest use `{% url %}`."""
    return links.page_url(viewname, *ids)


@register.simple_tag
def new_idempotency_key() -> str:
    """A fresh key for a hand-written form's hidden `idempotency_key` (core/idempotency.py)."""
    return str(uuid.uuid4())
