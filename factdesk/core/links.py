"""Links to the desk's own pages, for pages that print dozens of them.

`reverse()` walks the URL resolver and checks its result against the pattern on every
call: a claim page prints forty links, and reversing them was a third of its template's
rendering (benchmarks/desk.py). `page_url` reverses a view once, with stand-in ids, and
then only puts each link's ids in place."""

from collections.abc import Callable
from functools import lru_cache

from django.urls import URLResolver, get_resolver, get_script_prefix, get_urlconf, reverse

# Stand-in ids: digits, as the int converter takes, and in no path of the desk's.
_STAND_INS = ("900000001", "900000002", "900000003")


@lru_cache(maxsize=256)
def _reversed(resolver: URLResolver, script_prefix: str, viewname: str, ids: int) -> str:
    """The view's URL with stand-ins for its ids. The resolver and the script prefix are
    in the key: a test that swaps the URLconf, or a desk served under a path, gets its own."""
    return reverse(viewname, args=[int(stand_in) for stand_in in _STAND_INS[:ids]])


def _shape(viewname: str, ids: int) -> str:
    """The view's URL with stand-ins for its `ids` ids, for this request's URLconf."""
    return _reversed(get_resolver(get_urlconf()), get_script_prefix(), viewname, ids)


def page_url(viewname: str, *ids: int) -> str:
    """`reverse(viewname, args=ids)` for views whose arguments are ids (at most three)."""
    url = _shape(viewname, len(ids))
    for stand_in, value in zip(_STAND_INS, ids, strict=False):
        url = url.replace(stand_in, str(int(value)))
    return url


def page_urls(viewname: str) -> Callable[[int], str]:
    """`page_url` for a view of one id, reversed once: a board prints two links a card."""
    before, _, after = _shape(viewname, 1).partition(_STAND_INS[0])
    return lambda pk: f"{before}{int(pk)}{after}"
