"""The desk's API: per-person tokens, stored hashed, shown once, revocable, read-only or
read-and-write; the same services and role checks as the pages, as a persona matrix;
idempotent creates; refusals in the desk's words."""

import uuid

import pytest
from django.db import connection
from django.urls import reverse

from factdesk.api import services
from factdesk.api.models import ApiToken, digest_of
from factdesk.claims.models import Activity, Claim, Claimant
from factdesk.claims.workflow import ClaimStatus
from tests.claims.flow import Desk, log_claim
from tests.servers import local_site

CLAIMS = "/api/v1/desk/claims/"
NEW_CLAIM = {
    "text": "Bus fares in Harbridge doubled in 2025.",
    "quote": "our bus fares doubled last year",
    "claimant": "Jo Harbridge",
    "claimed_on": "2026-03-02",
    "medium": "speech",
    "source_description": "Harbridge council meeting",
}


def token_for(user, scope=ApiToken.Scope.READ_WRITE) -> str:
    _, plain = services.api_token_create(actor=user, name="Script", scope=scope)
    assert plain is not None
    return plain


def bearer(token: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


@pytest.fixture
def desk(reporter, editor, publisher, ratings):
    return Desk(reporter=reporter, editor=editor, publisher=publisher, ratings=ratings)


def test_a_token_is_stored_hashed_and_shown_once(client, reporter):
    client.force_login(reporter)
    page = client.post(
        reverse("api:tokens"),
        {"name": "CMS import", "scope": "read", "idempotency_key": str(uuid.uuid4())},
    )
    plain = page.context["made"]
    assert plain.startswith("fd_")
    assert len(plain) > 40
    assert plain in page.content.decode()
    assert page["Cache-Control"] == "no-store"
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM api_apitoken")
        stored = " ".join(str(value) for row in cursor.fetchall() for value in row)
    assert plain not in stored
    assert plain[7:20] not in stored  # nothing past the few characters shown on the page
    again = client.get(reverse("api:tokens")).content.decode()
    assert plain not in again
    assert "CMS import" in again
    assert client.get(CLAIMS, **bearer(plain)).status_code == 200


def test_a_double_submission_makes_one_token_and_says_so(client, reporter):
    client.force_login(reporter)
    form = {"name": "CMS import", "scope": "read", "idempotency_key": str(uuid.uuid4())}
    client.post(reverse("api:tokens"), form)
    second = client.post(reverse("api:tokens"), form, follow=True)
    assert ApiToken.objects.count() == 1
    assert "was made by your first click" in second.content.decode()


def test_the_token_form_refuses_bad_input_and_keeps_nothing(client, reporter):
    client.force_login(reporter)
    cases = [
        ({"name": "", "scope": "read"}, "Name the token after what will use it."),
        ({"name": "x" * 101, "scope": "read"}, "Keep the name to 100 characters"),
        ({"name": "   ", "scope": "read"}, "Name the token after what will use it"),
        ({"name": "CMS", "scope": "admin"}, "Choose read only, or read and write."),
    ]
    for form, message in cases:
        response = client.post(reverse("api:tokens"), form)
        assert response.status_code == 400
        assert message in response.content.decode()
    assert not ApiToken.objects.exists()


def test_revoked_missing_and_malformed_tokens_are_refused(client, reporter, editor):
    token = token_for(reporter)
    assert client.get(CLAIMS, **bearer(token)).status_code == 200
    client.force_login(reporter)
    row = ApiToken.objects.get()
    response = client.post(reverse("api:token_revoke", args=[row.pk]), follow=True)
    assert "is revoked: it is refused from now on" in response.content.decode()
    client.logout()
    refused = client.get(CLAIMS, **bearer(token))
    assert refused.status_code == 401
    assert "revoked or never existed" in refused.json()["detail"]
    assert client.get(CLAIMS).status_code == 401
    assert client.get(CLAIMS, HTTP_AUTHORIZATION="Bearer nonsense").status_code == 401
    assert client.get(CLAIMS, **bearer("fd_" + "x" * 43)).status_code == 401
    # Someone else's token is not theirs to revoke.
    other = token_for(editor)
    client.force_login(reporter)
    theirs = ApiToken.objects.get(user=editor)
    assert client.post(reverse("api:token_revoke", args=[theirs.pk])).status_code == 404
    assert client.get(CLAIMS, **bearer(other)).status_code == 200
    assert Activity.objects.filter(action="api_token.revoked").count() == 1


def test_an_inactive_persons_token_is_refused(client, reporter):
    token = token_for(reporter)
    reporter.is_active = False
    reporter.save()
    assert client.get(CLAIMS, **bearer(token)).status_code == 401


@pytest.mark.parametrize(
    ("persona", "reads", "writes"),
    [("reporter", 200, 201), ("editor", 200, 201), ("publisher", 200, 201), ("outsider", 403, 403)],
)
def test_every_endpoint_by_persona(client, personas, persona, reads, writes, settings):
    user = personas[persona]
    claim = log_claim(personas["reporter"])
    if persona == "outsider":  # made while they had a role, since taken away
        token = "fd_" + "o" * 43
        ApiToken.objects.create(user=user, name="Old", scope="read_write", digest=digest_of(token))
    else:
        token = token_for(user)
    assert client.get(CLAIMS, **bearer(token)).status_code == reads
    assert client.get(f"{CLAIMS}{claim.pk}/", **bearer(token)).status_code == reads
    created = client.post(CLAIMS, {**NEW_CLAIM, "quote": f"said by {persona}"}, **bearer(token))
    assert created.status_code == writes, created.content
    cited = client.post(
        f"{CLAIMS}{claim.pk}/sources/",
        {"url": f"https://stats.example/{persona}", "stance": "supports"},
        **bearer(token),
    )
    assert cited.status_code == writes, cited.content
    if writes == 403:
        assert Claim.objects.count() == 1
        assert not claim.citations.exists()


def test_a_read_only_token_reads_and_changes_nothing(client, reporter):
    token = token_for(reporter, ApiToken.Scope.READ)
    assert client.get(CLAIMS, **bearer(token)).status_code == 200
    refused = client.post(CLAIMS, NEW_CLAIM, **bearer(token))
    assert refused.status_code == 403
    assert "This token is read only" in refused.json()["detail"]
    assert not Claim.objects.exists()


def test_logging_a_claim_is_idempotent_under_a_repeated_key(client, reporter):
    token = token_for(reporter)
    key = str(uuid.uuid4())
    first = client.post(CLAIMS, NEW_CLAIM, **bearer(token), HTTP_IDEMPOTENCY_KEY=key)
    second = client.post(CLAIMS, NEW_CLAIM, **bearer(token), HTTP_IDEMPOTENCY_KEY=key)
    assert first.status_code == second.status_code == 201
    assert first.json()["id"] == second.json()["id"]
    assert Claim.objects.count() == 1
    claim = Claim.objects.get()
    assert (claim.claimant.name, claim.created_by, str(claim.claimed_on)) == (
        "Jo Harbridge",
        reporter,
        "2026-03-02",
    )
    assert first.json()["status"] == ClaimStatus.NEW
    assert first.json()["url"] == f"http://testserver{claim.get_absolute_url()}"
    bad_key = client.post(CLAIMS, NEW_CLAIM, **bearer(token), HTTP_IDEMPOTENCY_KEY="twice")
    assert bad_key.status_code == 400
    assert "Send a UUID" in str(bad_key.json())


def test_the_same_words_again_are_a_409_naming_the_claim_and_nothing_is_made(client, reporter):
    token = token_for(reporter)
    first = client.post(CLAIMS, {**NEW_CLAIM, "claimant": "New Person"}, **bearer(token))
    again = client.post(CLAIMS, {**NEW_CLAIM, "claimant": "New Person"}, **bearer(token))
    assert again.status_code == 409
    assert again.json()["existing_claim"] == first.json()["id"]
    assert again.json()["can_log_anyway"] is True
    anyway = client.post(
        CLAIMS, {**NEW_CLAIM, "claimant": "New Person", "new_appearance": True}, **bearer(token)
    )
    assert anyway.status_code == 201
    assert Claim.objects.count() == 2
    assert Claimant.objects.filter(name="New Person").count() == 1


def test_bad_input_is_refused_in_words_and_nothing_is_made(client, reporter):
    token = token_for(reporter)
    cases = [
        ({}, "text"),
        ({**NEW_CLAIM, "text": ""}, "text"),
        ({**NEW_CLAIM, "text": "x" * 1001}, "text"),
        ({**NEW_CLAIM, "quote": "q" * 5001}, "quote"),
        ({**NEW_CLAIM, "claimed_on": "2026-02-30"}, "claimed_on"),
        ({**NEW_CLAIM, "medium": "pigeon"}, "medium"),
        ({**NEW_CLAIM, "claimant": " "}, "claimant"),
    ]
    for body, field in cases:
        response = client.post(CLAIMS, body, **bearer(token), content_type="application/json")
        assert response.status_code == 400, (body, response.content)
        assert field in response.json() or response.json().get("field"), response.json()
    assert not Claim.objects.exists()
    assert not Claimant.objects.exists()
    for query in ("status=eaten", "claimant=\u00b2", "assignee=x"):
        answer = client.get(f"{CLAIMS}?{query}", **bearer(token))
        assert answer.status_code == 400
    assert client.get(f"{CLAIMS}abc/", **bearer(token)).status_code == 404
    assert client.get(f"{CLAIMS}999999/", **bearer(token)).status_code == 404


def test_citing_a_source_queues_it_and_refuses_a_private_address(
    client, reporter, settings, archive_storage
):
    claim = log_claim(reporter)
    token = token_for(reporter)
    refused = client.post(
        f"{CLAIMS}{claim.pk}/sources/", {"url": "http://10.0.0.3/report"}, **bearer(token)
    )
    assert refused.status_code == 400
    assert "private network" in refused.json()["detail"]
    with local_site("127.0.0.42", settings) as site:
        cited = client.post(
            f"{CLAIMS}{claim.pk}/sources/",
            {"url": site.base + "/report", "stance": "refutes", "note": "The council's table."},
            **bearer(token),
        )
    assert cited.status_code == 201
    detail = client.get(f"{CLAIMS}{claim.pk}/", **bearer(token)).json()
    assert [(s["url"], s["stance"]) for s in detail["sources"]] == [
        (site.base + "/report", "refutes")
    ]
    assert detail["sources"][0]["fetch_status"]


def test_the_list_filters_and_reads_in_a_fixed_number_of_queries(
    client, desk, reporter, django_assert_max_num_queries
):
    new = log_claim(reporter, "One new claim.")
    researching = desk.claim_in(ClaimStatus.RESEARCHING)
    token = token_for(reporter)
    listed = client.get(f"{CLAIMS}?status=researching", **bearer(token)).json()
    assert [row["id"] for row in listed["results"]] == [researching.pk]
    for n in range(20):
        log_claim(reporter, f"Claim number {n}.")
    with django_assert_max_num_queries(6):
        page = client.get(CLAIMS, **bearer(token)).json()
    assert page["count"] == 22
    assert len(page["results"]) == 20
    assert new.pk not in [row["id"] for row in page["results"]]  # the oldest, on page 2
