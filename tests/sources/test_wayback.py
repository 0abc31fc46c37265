"""The optional Wayback Machine copy, against a local fake of its two endpoints."""

import datetime
import json
from urllib.parse import quote

import pytest
from django.utils import timezone

import factdesk.settings as configured
from factdesk.sources import fetching, services, wayback
from factdesk.sources.models import Source
from factdesk.sources.tasks import sources_sweep
from tests.claims.flow import log_claim
from tests.servers import local_site
from tests.sources.panel import sources_panel

SITE, ARCHIVE = "127.0.0.8", "127.0.0.9"
PAGE = (200, {"Content-Type": "text/html"}, b"<html><title>Rates</title><p>Rates fell.</p>")
NOTHING = {"url": "x", "archived_snapshots": {}}


@pytest.fixture
def servers(settings, archive_storage):
    with local_site(SITE, settings) as site, local_site(ARCHIVE, settings) as archive:
        settings.WAYBACK_ENABLED = True
        settings.WAYBACK_AVAILABILITY_URL = f"{archive.base}/wayback/available"
        settings.WAYBACK_SAVE_URL = f"{archive.base}/save/"
        site["/rates"] = PAGE
        yield site, archive


def availability_path(url):
    return f"/wayback/available?url={quote(url, safe='')}"


def json_page(data):
    return (200, {"Content-Type": "application/json"}, json.dumps(data).encode())


def archived(reporter, site):
    """Cite the page and let the worker archive it: that queues the Wayback copy."""
    url = f"{site.base}/rates"
    source = services.citation_add(actor=reporter, claim=log_claim(reporter), url=url).source
    fetching.source_fetch(source_id=source.pk)
    source.refresh_from_db()
    return source, url


def run(source):
    wayback.source_wayback(source_id=source.pk)
    source.refresh_from_db()
    return source


def test_a_page_without_a_recent_capture_is_saved(servers, reporter, ratings):
    site, archive = servers
    source, url = archived(reporter, site)
    assert source.wayback_status == "pending"
    capture = f"/web/20261127120000/{url}"
    archive[availability_path(url)] = json_page(NOTHING)
    archive[f"/save/{url}"] = (302, {"Location": capture}, b"")
    archive[capture] = PAGE
    source = run(source)
    assert source.wayback_status == "done"
    assert source.wayback_url == f"{archive.base}{capture}"
    assert archive.hits == [availability_path(url), f"/save/{url}", capture]


def test_a_capture_from_the_last_day_is_used_without_saving_again(servers, reporter, ratings):
    site, archive = servers
    source, url = archived(reporter, site)
    stamp = (timezone.now() - datetime.timedelta(hours=3)).strftime("%Y%m%d%H%M%S")
    closest = {"available": True, "url": f"https://web.archive.org/web/{stamp}/{url}",
               "timestamp": stamp, "status": "200"}  # fmt: skip
    archive[availability_path(url)] = json_page({"archived_snapshots": {"closest": closest}})
    source = run(source)
    assert source.wayback_url == f"https://web.archive.org/web/{stamp}/{url}"
    assert archive.hits == [availability_path(url)]


def test_too_many_captures_is_final_and_never_asked_again(servers, reporter, ratings):
    site, archive = servers
    source, url = archived(reporter, site)
    archive[availability_path(url)] = json_page(NOTHING)
    archive[f"/save/{url}"] = (
        429,
        {"Content-Type": "text/html"},
        b"<p>This URL has been already captured 10 times today. Please try again tomorrow.</p>",
    )
    source = run(source)
    assert source.wayback_status == "failed"
    assert source.wayback_error == (
        "The Wayback Machine refused: this page was captured too many times today (not retried)."
    )
    assert source.wayback_next_at is None
    sources_sweep()  # nothing due
    assert run(source).wayback_attempts == 1
    assert archive.hits.count(f"/save/{url}") == 1


def test_a_busy_archive_is_retried_later_then_given_up(servers, reporter, ratings, settings):
    site, archive = servers
    source, url = archived(reporter, site)
    archive[availability_path(url)] = (503, {}, b"")
    source = run(source)
    assert source.wayback_status == "pending"
    assert source.wayback_error == "The Wayback Machine's availability lookup answered 503."
    assert source.wayback_next_at > timezone.now()
    for _ in range(settings.WAYBACK_MAX_ATTEMPTS - 1):
        Source.objects.filter(pk=source.pk).update(wayback_next_at=timezone.now())
        source = run(source)
    assert source.wayback_status == "failed"
    assert source.wayback_attempts == settings.WAYBACK_MAX_ATTEMPTS


def test_the_claim_page_links_the_public_copy(servers, reporter, ratings, client):
    site, archive = servers
    source, url = archived(reporter, site)
    archive[availability_path(url)] = json_page(NOTHING)
    archive[f"/save/{url}"] = (200, {"Content-Location": f"/web/20261127120000/{url}"}, b"ok")
    source = run(source)
    client.force_login(reporter)
    claim = source.citations.get().claim
    page = sources_panel(client, claim)
    assert f'Wayback Machine: <a href="{archive.base}/web/20261127120000/{url}"' in page


def test_off_by_default_nothing_is_asked_of_the_archive(servers, reporter, ratings, settings):
    site, archive = servers
    assert configured.WAYBACK_ENABLED is False  # what the settings read with no variable set
    settings.WAYBACK_ENABLED = configured.WAYBACK_ENABLED
    source, _ = archived(reporter, site)
    assert source.wayback_status == ""
    sources_sweep()
    assert archive.hits == []
