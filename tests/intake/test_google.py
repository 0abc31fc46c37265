"""Google's Fact Check Tools, against a local fake of its claims:search API: off by default,
on when a key is set and a publisher opts in (the settings page says it sends the claim's
wording to Google); a worker searches each claim logged and keeps what it finds; the API's
errors are written on the claim's timeline in its own words."""

import html
import json
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

from factdesk.claims.models import Activity
from factdesk.intake import google
from factdesk.intake.models import ExternalFactCheck, IntakeSettings
from factdesk.intake.services import intake_settings_update
from tests.claims.flow import log_claim
from tests.conftest import WorkerProcess, wait_until
from tests.servers import local_site

HOST = "127.0.0.24"
ANSWER = {
    "claims": [
        {
            "text": "Unemployment fell to 4% last year",
            "claimant": "A. Minister",
            "claimReview": [
                {
                    "publisher": {"name": "Checkers Weekly", "site": "checkers.example"},
                    "url": "https://checkers.example/unemployment",
                    "title": "Did unemployment fall to 4%?",
                    "reviewDate": "2026-02-01T10:00:00Z",
                    "textualRating": "Mostly true",
                    "languageCode": "en",
                }
            ],
        }
    ]
}


@pytest.fixture
def api(settings):
    with local_site(HOST, settings) as pages:
        pages["/v1alpha1/claims:search"] = (
            200,
            {"Content-Type": "application/json"},
            json.dumps(ANSWER).encode(),
        )
        settings.FACT_CHECK_TOOLS_URL = f"{pages.base}/v1alpha1/claims:search"
        settings.FACT_CHECK_TOOLS_API_KEY = "test-key"
        yield pages


def test_it_is_off_by_default_and_nothing_is_sent(api, reporter):
    assert not IntakeSettings.current().search_google
    assert not google.enabled()
    claim = log_claim(reporter)
    assert google.search_for_claim(claim.pk) == []
    assert api.hits == []


def test_opted_in_a_claim_is_searched_and_what_is_found_is_kept_once(api, reporter, publisher):
    intake_settings_update(actor=publisher, search_google=True)
    claim = log_claim(reporter)
    [found] = google.search_for_claim(claim.pk)
    assert (found.publisher, found.rating_text, found.origin) == (
        "Checkers Weekly",
        "Mostly true",
        ExternalFactCheck.Origin.API,
    )
    assert str(found.date_published) == "2026-02-01"
    assert found.headline == "Did unemployment fall to 4%?"
    query = parse_qs(urlsplit(api.hits[0]).query)
    assert query["query"] == [claim.text]
    assert query["key"] == ["test-key"]
    google.search_for_claim(claim.pk)
    assert ExternalFactCheck.objects.count() == 1
    assert Activity.objects.filter(claim=claim, action="external.searched").count() == 2


def test_the_api_answering_an_error_is_written_on_the_timeline(api, reporter, publisher):
    api["/v1alpha1/claims:search"] = (
        400,
        {"Content-Type": "application/json"},
        json.dumps(
            {"error": {"code": 400, "message": "API key not valid.", "status": "INVALID"}}
        ).encode(),
    )
    intake_settings_update(actor=publisher, search_google=True)
    claim = log_claim(reporter)
    assert google.search_for_claim(claim.pk) == []
    failed = Activity.objects.get(claim=claim, action="external.search_failed")
    assert "it answered 400: API key not valid." in failed.summary
    assert not ExternalFactCheck.objects.exists()


def test_a_claim_logged_is_searched_by_the_worker(
    transactional_db, api, reporter, publisher, django_capture_on_commit_callbacks
):
    worker = WorkerProcess(
        env={
            "FACT_CHECK_TOOLS_URL": f"{api.base}/v1alpha1/claims:search",
            "FACT_CHECK_TOOLS_API_KEY": "test-key",
            "FETCH_ALLOW_NETWORKS": f"{HOST}/32",
            "FETCH_HOST_INTERVAL": "0",
        }
    )
    try:
        intake_settings_update(actor=publisher, search_google=True)
        with django_capture_on_commit_callbacks(execute=True):
            log_claim(reporter)
        wait_until(lambda: ExternalFactCheck.objects.exists(), timeout=60, what="its answer")
    finally:
        worker.stop()


def test_the_settings_page_says_what_is_sent_and_only_a_publisher_changes_it(
    client, api, editor, publisher, settings
):
    client.force_login(editor)
    page = html.unescape(client.get(reverse("intake:settings")).content.decode())
    assert "This sends the wording of every claim logged to Google." in page
    assert "A publisher changes this." in page
    assert client.post(reverse("intake:settings"), {"search_google": "on"}).status_code == 403
    assert not IntakeSettings.current().search_google

    client.force_login(publisher)
    client.post(reverse("intake:settings"), {"search_google": "on"})
    assert IntakeSettings.current().search_google
    assert Activity.objects.filter(action="intake.settings").count() == 1
    client.post(reverse("intake:settings"), {"search_google": "on"})  # sent twice: once
    assert Activity.objects.filter(action="intake.settings").count() == 1

    settings.FACT_CHECK_TOOLS_API_KEY = ""
    page = html.unescape(client.get(reverse("intake:settings")).content.decode())
    assert "No API key is set" in page
    assert not google.enabled()
