"""The public API: published fact checks only, as the public pages show them, filtered and
paged; clear errors for bad filters; the OpenAPI schema generates without warnings and its
documentation is served by the desk itself."""

import datetime

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from factdesk.claims.workflow import ClaimStatus
from tests.claims.flow import Desk, draft
from tests.public.test_pages import NEVER_PUBLISHED, PUBLISHED

LIST = "/api/v1/fact-checks/"


@pytest.fixture
def desk(reporter, editor, publisher, ratings):
    return Desk(reporter=reporter, editor=editor, publisher=publisher, ratings=ratings)


@pytest.mark.parametrize("state", NEVER_PUBLISHED + PUBLISHED)
def test_the_api_answers_for_published_fact_checks_only(client, desk, state):
    claim = desk.claim_in(state)
    if claim.status == ClaimStatus.RESEARCHING and claim.published_at:
        draft(
            claim,
            desk.reporter,
            desk.rating,
            conclusion="A draft nobody outside may read.",
            correction_note="Not yet.",
        )
    listed = client.get(LIST).json()
    detail = client.get(f"{LIST}{claim.pk}/")
    if state in NEVER_PUBLISHED:
        assert listed["count"] == 0
        assert detail.status_code == 404
    else:
        assert [row["id"] for row in listed["results"]] == [claim.pk]
        assert detail.status_code == 200
        assert detail.json()["conclusion"] == "It fell to 4.2%."
    assert "A draft nobody outside may read." not in str(listed)
    assert "assignee" not in str(listed)


def test_a_fact_check_as_data(client, desk):
    claim = desk.claim_in(ClaimStatus.CORRECTED)
    answer = client.get(f"{LIST}{claim.pk}/").json()
    assert answer["claim"] == claim.text
    assert answer["claimant"] == "A. Minister"
    assert answer["rating"]["label"] == "Mostly true"
    assert answer["url"].startswith(f"http://testserver/fact-checks/{claim.pk}-")
    assert [c["note"] for c in answer["corrections"]] == ["We misread the table."]
    assert answer["retraction"] is None
    retracted = desk.claim_in(ClaimStatus.RETRACTED)
    assert client.get(f"{LIST}{retracted.pk}/").json()["retraction"]["note"] == (
        "The figures were misread."
    )


def test_filters_and_their_errors(client, desk, ratings):
    claim = desk.claim_in(ClaimStatus.PUBLISHED)
    assert client.get(LIST, {"rating": ratings["Mostly true"].pk}).json()["count"] == 1
    assert client.get(LIST, {"rating": ratings["False"].pk}).json()["count"] == 0
    assert client.get(LIST, {"claimant": claim.claimant_id}).json()["count"] == 1
    future = (timezone.now() + datetime.timedelta(days=1)).isoformat()
    assert client.get(LIST, {"updated_since": future}).json()["count"] == 0
    past = (timezone.now() - datetime.timedelta(days=1)).isoformat()
    assert client.get(LIST, {"updated_since": past}).json()["count"] == 1
    bad = client.get(LIST, {"rating": "true"})
    assert bad.status_code == 400
    assert bad.json() == {"rating": "rating is a number (an id), not \u201ctrue\u201d."}
    bad_date = client.get(LIST, {"updated_since": "yesterday"})
    assert bad_date.status_code == 400
    assert "ISO 8601" in bad_date.json()["updated_since"]
    no_such_day = client.get(LIST, {"updated_since": "2026-02-30T00:00:00Z"})
    assert no_such_day.status_code == 400
    assert "ISO 8601" in no_such_day.json()["updated_since"]
    assert client.get(LIST, {"rating": "\u00b2"}).status_code == 400


def test_the_list_is_paged_in_a_fixed_number_of_queries(
    client, desk, django_assert_max_num_queries
):
    for _ in range(3):
        desk.claim_in(ClaimStatus.PUBLISHED)
    with django_assert_max_num_queries(6):
        answer = client.get(LIST, {"page_size": 2}).json()
    assert answer["count"] == 3
    assert len(answer["results"]) == 2
    assert answer["next"]


def test_writing_is_not_allowed(client, desk):
    claim = desk.claim_in(ClaimStatus.PUBLISHED)
    assert client.post(LIST, {"claim": "x"}).status_code == 405
    assert client.delete(f"{LIST}{claim.pk}/").status_code == 405


def test_the_schema_generates_without_warnings_and_the_docs_are_served_here(client, tmp_path):
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "s.yml"))
    assert "/api/v1/fact-checks/" in (tmp_path / "s.yml").read_text()
    docs = client.get(reverse("api:docs")).content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/" in docs
    assert "cdn" not in docs.lower()


def test_the_lists_total_is_counted_once_a_while_and_is_right(
    client, desk, django_assert_num_queries
):
    """Counting tens of thousands of fact checks under a filter costs more than the page:
    the total is kept as long as a CDN keeps a public page (PUBLIC_CACHE_SECONDS)."""
    desk.claim_in(ClaimStatus.PUBLISHED)
    desk.claim_in(ClaimStatus.CORRECTED)
    first = client.get(LIST, {"rating": desk.rating.pk})
    assert first.json()["count"] == 2
    with django_assert_num_queries(3):  # the page, its versions, its topics: no count
        again = client.get(LIST, {"rating": desk.rating.pk})
    assert again.json()["count"] == 2
    assert [row["id"] for row in again.json()["results"]] == [
        row["id"] for row in first.json()["results"]
    ]
