"""Every URL of the desk, asked with hostile query strings and form bodies, answers with a
page or a clear refusal: never a 500. The URLs are read from the URLconf, so a new view is
covered on its own."""

from __future__ import annotations

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from tests.claims.flow import log_claim
from tests.factories import SnapshotFactory

HOSTILE = [
    {"page": "99999999999999999999999"},
    {"page": "-1"},
    {"page": "0"},
    {"page": "abc"},
    {"q": "x", "page": "99999999999999999999999"},
    {"q": "unemployment", "page": "-3"},
    {"q": "x\x00y"},
    {"claimant_name": "a\x00b"},
    {"q": "x" * 20_000},
    {"q": "'); DROP TABLE claims_claim; --"},
    {"q": "&|!:*()<->"},
    {"status": "nonsense", "rating": "99999999999999999999", "assignee": "-5", "outlet": "x"},
    {"rating": "1e9", "outlet": "99999999999999999999999", "priority": "NaN"},
    {"sort": "../../etc/passwd", "stance": "<script>alert(1)</script>"},
    {"passage": "\x00", "text": "\x00", "note": "\x00", "url": "http://127.0.0.1:65536/"},
    {"urls": "http://127.0.0.1:0/\nhttp://ex\ufffdample.com/"},
    {"claimed_on": "99999-99-99", "published_on": "0000-00-00", "due": "tomorrow"},
    # Digits int() refuses though str.isdigit() takes them; a date that does not exist.
    {"page": "\u00b2", "version": "\u00b2", "rating": "\u00b2", "older": "\u00b2"},
    {"assignee": "\u00b2", "model_version": "\u00b2", "updated_since": "2026-02-30T00:00:00Z"},
]
# Bytes that are not UTF-8, sent as they come in a raw query string.
RAW = ["q=%FF%FE", "page=%C0%AF", "claimant_name=%00"]


def _patterns(resolver: URLResolver, prefix: str = "") -> list[tuple[str, URLPattern]]:
    found = []
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            if getattr(entry, "namespace", None) == "admin":
                continue  # Django's own admin
            found += _patterns(entry, route)
        else:
            found.append((route, entry))
    return found


@pytest.fixture
def ids(reporter, ratings, archive_storage):
    """A row of each kind the URLs name, so every route resolves to a real page."""
    from factdesk.sources import services

    claim = log_claim(reporter)
    citation = services.citation_add(actor=reporter, claim=claim, url="https://a.example/x")
    snapshot = SnapshotFactory(source=citation.source, text="Some text.")
    return {
        "claim_id": claim.pk,
        "article_id": claim.article_id,
        "claimant_id": claim.claimant_id,
        "citation_id": citation.pk,
        "source_id": citation.source_id,
        "snapshot_id": snapshot.pk,
    }


def _urls(ids: dict[str, int]) -> list[str]:
    urls = []
    for route, _ in _patterns(get_resolver()):
        if route == "healthz":
            continue  # reads no parameters; its 503s are tested in tests/core/test_worker.py
        path = re.sub(r"<int:(\w+)>", lambda m: str(ids.get(m.group(1), 1)), route)
        urls.append("/" + path.lstrip("^").rstrip("$"))
    return sorted(set(urls))


def test_every_url_is_covered(ids):
    urls = _urls(ids)
    assert "/claims/" in urls
    assert f"/claims/{ids['claim_id']}/passages/" in urls
    assert len(urls) > 30


@pytest.mark.parametrize("persona", ["editor", "outsider", None])
def test_hostile_queries_never_answer_500(client, personas, ids, persona):
    if persona:
        client.force_login(personas[persona])
    failures = []
    for url in _urls(ids):
        for params in HOSTILE:
            for method in ("get", "post"):
                response = getattr(client, method)(url, params)
                if response.status_code >= 500:
                    failures.append(f"{method.upper()} {url} {params!r}: {response.status_code}")
        for raw in RAW:
            response = client.get(f"{url}?{raw}")
            if response.status_code >= 500:
                failures.append(f"GET {url}?{raw}: {response.status_code}")
    assert not failures, "\n".join(failures)
