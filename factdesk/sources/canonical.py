"""Canonical form of a cited URL, so that the same page cited twice is one Source."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

# Query parameters that only say where a reader came from.
TRACKING_PARAMETERS = frozenset(
    {
        "fbclid",
        "gclid",
        "dclid",
        "msclkid",
        "mc_cid",
        "mc_eid",
        "igshid",
        "yclid",
        "_ga",
        "ref_src",
        "spm",
    }
)
DEFAULT_PORTS = {"http": 80, "https": 443}


class NotFetchable(ValueError):  # noqa: N818 - reads as the reason
    """A URL that passes as a web address but names no page that could be fetched; the
    message says why, in words that finish "… is not a web address that can be fetched:"."""


def canonical_url(url: str) -> str:
    """1. Lower-case scheme and host (IDNA-encoded), drop the default port and the fragment.
    2. Drop tracking parameters (utm_*, fbclid, gclid, ...) and sort the rest.
    3. Keep the path as given (paths are case-sensitive), "/" when empty.
    Raises NotFetchable for a port out of range (0 included) or a host IDNA cannot encode."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    try:
        port = parts.port
    except ValueError:
        port = -1
    if port is not None and not 0 < port < 65536:
        raise NotFetchable("its port must be a number from 1 to 65535")
    try:
        host = (parts.hostname or "").encode("idna").decode("ascii").lower()
    except UnicodeError:
        raise NotFetchable("its site name has characters no site name can have") from None
    netloc = host if ":" not in host else f"[{host}]"
    if port is not None and port != DEFAULT_PORTS.get(scheme):
        netloc += f":{port}"
    query = sorted(
        (key, value)
        for key, value in parse_qsl(parts.query, keep_blank_values=True)
        if not key.lower().startswith("utm_") and key.lower() not in TRACKING_PARAMETERS
    )
    return urlunsplit((scheme, netloc, parts.path or "/", urlencode(query), ""))
