"""Personal data on request: an account erased leaves no trace of its name in any table or
public page; a private individual taken out of claims; Check import data expired."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.utils import timezone

from factdesk.api.services import api_token_create
from factdesk.checkimport.models import CheckImport, CheckRecord
from factdesk.claims import services as claims
from factdesk.claims.models import Activity, Claim, Claimant, Verdict
from factdesk.claims.workflow import ClaimStatus
from factdesk.core.errors import DeskError
from factdesk.notifications.models import Notification
from factdesk.privacy import services
from factdesk.sources import services as sources
from tests.claims.flow import Desk, log_claim
from tests.factories import UserFactory

TRACES = ("jdoe-rep", "doemann", "jane.doemann@example.org")


def text_columns_containing(*needles: str) -> list[str]:
    """Every text, varchar and json column of every table, searched for `needles` (any
    case): "table.column: value" for each hit. Written here, apart from the code tested."""
    hits = []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT table_name, column_name, data_type FROM information_schema.columns "
            "WHERE table_schema = current_schema() "
            "AND data_type IN ('text', 'character varying', 'json', 'jsonb')"
        )
        for table, column, kind in cursor.fetchall():
            value = f'"{column}"::text' if kind.startswith("json") else f'"{column}"'
            for needle in needles:
                cursor.execute(
                    f'SELECT {value} FROM "{table}" WHERE {value} ILIKE %s LIMIT 1',  # noqa: S608
                    [f"%{needle}%"],
                )
                row = cursor.fetchone()
                if row:
                    hits.append(f"{table}.{column}: {row[0][:120]}")
    return hits


@pytest.fixture
def jane(db):
    return UserFactory(
        username="jdoe-rep",
        first_name="Jane",
        last_name="Doemann",
        email="jane.doemann@example.org",
        roles=["reporter"],
    )


@pytest.fixture
def admin(db):
    return UserFactory(username="root", is_superuser=True, is_staff=True)


@pytest.fixture
def janes_desk(jane, editor, publisher, ratings, archive_storage, client):
    """Jane wrote a published fact check, was assigned a claim, is mentioned in comments and
    notifications, holds an API token and a session."""
    cast = Desk(reporter=jane, editor=editor, publisher=publisher, ratings=ratings)
    published = cast.claim_in(ClaimStatus.PUBLISHED)
    other = log_claim(editor, "Bus fares fell by half.")
    claims.claim_assign(actor=editor, claim=other, assignee=jane)
    claims.comment_add(
        actor=editor, claim=other, body="@jdoe-rep can you check this, Jane Doemann?"
    )
    Notification.objects.create(
        recipient=editor, kind="mention", claim=other, actor=jane, text="Jane Doemann replied"
    )
    api_token_create(actor=jane, name="Jane's script", scope="read")
    client.force_login(jane)
    return published


def test_erasure_leaves_no_trace_in_any_table_or_public_page(
    janes_desk, jane, admin, publisher, client
):
    assert text_columns_containing(*TRACES)  # the desk copied her name: the test sees it
    activities = Activity.objects.filter(actor=jane).count()

    erasure = services.user_erase(actor=admin, user=jane, confirmed_by_publisher=True)

    assert text_columns_containing(*TRACES) == []
    jane.refresh_from_db()
    assert jane.username == f"erased-user-{jane.pk}" == erasure.pseudonym
    assert (jane.first_name, jane.last_name, jane.email) == ("", "", "")
    assert not jane.is_active
    assert not jane.has_usable_password()
    assert not jane.groups.exists()
    assert erasure.sessions == 1
    assert client.get("/claims/").status_code == 302  # her session ended
    # The audit trail is kept, under the pseudonym, and says what was done by whom.
    assert Activity.objects.filter(actor=jane).count() == activities
    erased = Activity.objects.get(action="user.erased")
    assert erased.actor == admin
    assert erased.summary.startswith(f"erased the personal data of erased-user-{jane.pk}")
    for url in (
        f"/fact-checks/{janes_desk.pk}/",
        "/fact-checks/",
        "/fact-checks/feed.jsonld",
        "/api/v1/fact-checks/",
    ):
        response = client.get(url, follow=True)
        assert response.status_code == 200, url
        body = b"".join(response.streaming_content) if response.streaming else response.content
        page = body.decode().lower()
        assert not [trace for trace in TRACES if trace in page], url


def test_erasing_the_author_of_published_verdicts_needs_a_publisher(janes_desk, jane, admin):
    with pytest.raises(DeskError, match="published verdict version"):
        services.user_erase(actor=admin, user=jane)
    jane.refresh_from_db()
    assert jane.username == "jdoe-rep"
    assert not Activity.objects.filter(action="user.erased").exists()


def test_only_an_admin_erases_an_account(jane, publisher, editor, client, admin):
    for actor in (publisher, editor):
        with pytest.raises(PermissionDenied):
            services.user_erase(actor=actor, user=jane, confirmed_by_publisher=True)
    client.force_login(publisher)
    assert client.get(f"/privacy/users/{jane.pk}/erase/").status_code == 403
    client.force_login(admin)
    page = client.get(f"/privacy/users/{jane.pk}/erase/")
    assert page.status_code == 200
    assert b"erased-user-" in page.content
    response = client.post(f"/privacy/users/{jane.pk}/erase/")
    assert response.status_code == 302
    assert User.objects.get(pk=jane.pk).username == f"erased-user-{jane.pk}"


def test_the_admin_action_leads_to_the_confirmation_page(jane, admin, client):
    client.force_login(admin)
    response = client.post(
        "/admin/auth/user/", {"action": "erase_personal_data", "_selected_action": [jane.pk]}
    )
    assert response.status_code == 302
    assert response["Location"] == f"/privacy/users/{jane.pk}/erase/"


# ── a private individual ────────────────────────────────────────────────────────────────


@pytest.fixture
def desk(reporter, editor, publisher, ratings, archive_storage):
    return Desk(reporter=reporter, editor=editor, publisher=publisher, ratings=ratings)


def claim_about_maria(desk: Desk, status: str = ClaimStatus.RESEARCHING) -> Claim:
    claim = desk.claim_in(status)
    Claim.objects.filter(pk=claim.pk).update(
        text="Maria Privata, a nurse, said the ward closed.",
        quote="maria privata said the ward closed",
    )
    claims.comment_add(actor=desk.editor, claim=claim, body="I called Maria Privata today.")
    citation = sources.citation_add(actor=desk.reporter, claim=claim, url="https://a.example/w")
    citation.note = "Her post, where maria privata names the ward."
    citation.pinned = ["Maria Privata wrote: the ward closed."]
    citation.save()
    return Claim.objects.get(pk=claim.pk)


def test_a_private_individual_is_taken_out_of_a_claim(desk):
    claim = claim_about_maria(desk)
    untouched = log_claim(desk.reporter, "Maria Privatas is another name entirely.")

    redaction = services.person_redact(actor=desk.editor, name="Maria  Privata")

    assert redaction.claims == [claim.pk]
    claim.refresh_from_db()
    assert claim.text == "A private individual, a nurse, said the ward closed."
    assert claim.quote == "a private individual said the ward closed"
    assert claim.comments.get().body == "I called a private individual today."
    citation = claim.citations.get()
    assert citation.note == "Her post, where a private individual names the ward."
    assert citation.pinned == ["A private individual wrote: the ward closed."]
    assert Claim.objects.get(pk=untouched.pk).text.startswith("Maria Privatas")
    entry = Activity.objects.get(action="claim.redacted")
    assert entry.actor == desk.editor
    assert "Privata" not in entry.summary + str(entry.changes)
    assert not Activity.objects.filter(claim=claim, summary__icontains="privata").exists()
    assert not Activity.objects.filter(claim=claim, changes__icontains="privata").exists()


def test_a_claimant_who_is_the_person_is_renamed(desk):
    claim = claim_about_maria(desk)
    person = Claimant.objects.create(name="Maria Privata")
    Claim.objects.filter(pk=claim.pk).update(claimant=person)

    services.person_redact(actor=desk.editor, name="maria privata")

    person.refresh_from_db()
    assert person.name == "A private individual"


def test_published_fact_checks_change_only_when_a_publisher_confirms(desk, client):
    claim = claim_about_maria(desk, ClaimStatus.PUBLISHED)
    with pytest.raises(DeskError, match="published fact check"):
        services.person_redact(actor=desk.editor, name="Maria Privata")
    with pytest.raises(PermissionDenied):
        services.person_redact(actor=desk.editor, name="Maria Privata", confirmed_by_publisher=True)
    assert "Maria Privata" in Claim.objects.get(pk=claim.pk).text
    verdict = claim.verdicts.get()
    with connection.cursor() as cursor:  # a verdict naming her, as a reporter might write
        cursor.execute("SELECT set_config('factdesk.redacting', 'on', true)")
        Verdict.objects.filter(pk=verdict.pk).update(explanation="Maria Privata was misquoted.")
        cursor.execute("SELECT set_config('factdesk.redacting', 'off', true)")

    services.person_redact(actor=desk.publisher, name="Maria Privata", confirmed_by_publisher=True)

    verdict.refresh_from_db()
    assert verdict.explanation == "A private individual was misquoted."
    assert verdict.published_at is not None
    page = client.get(f"/fact-checks/{claim.pk}/", follow=True)
    assert page.status_code == 200
    assert b"Privata" not in page.content
    assert b"A private individual, a nurse" in page.content


def test_verdicts_stay_immutable_outside_a_redaction(desk):
    claim = desk.claim_in(ClaimStatus.PUBLISHED)
    with pytest.raises(Exception, match="immutable"):
        Verdict.objects.filter(claim=claim).update(explanation="Changed quietly.")


def test_redaction_needs_an_editor_and_a_name_it_finds(desk, outsider):
    claim_about_maria(desk)
    with pytest.raises(PermissionDenied):
        services.person_redact(actor=desk.reporter, name="Maria Privata")
    with pytest.raises(DeskError, match="No claim mentions"):
        services.person_redact(actor=desk.editor, name="Nobody Here")
    with pytest.raises(DeskError, match="at least 3"):
        services.person_redact(actor=desk.editor, name="M")


def test_the_redaction_page_previews_then_applies(desk, client):
    claim = claim_about_maria(desk)
    client.force_login(desk.editor)
    preview = client.post("/privacy/redact/", {"name": "Maria Privata", "replacement": "a nurse"})
    assert f"#{claim.pk}".encode() in preview.content
    assert "Maria Privata" in Claim.objects.get(pk=claim.pk).text
    applied = client.post(
        "/privacy/redact/", {"name": "Maria Privata", "replacement": "a nurse", "apply": "1"}
    )
    assert applied.status_code == 302
    assert Claim.objects.get(pk=claim.pk).text.startswith("A nurse, a nurse, said")


# ── retention ───────────────────────────────────────────────────────────────────────────


def check_import(publisher, *, days_ago: int) -> CheckImport:
    stored = default_storage.save("check-imports/export.zip", ContentFile(b"PK tipline requests"))
    made = CheckImport.objects.create(
        name="export.zip",
        body=stored,
        started_by=publisher,
        status=CheckImport.Status.READY,
        plan={"skipped": [{"reason": "Jane Doemann has no e-mail address"}], "skipped_total": 1},
    )
    CheckImport.objects.filter(pk=made.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=days_ago)
    )
    CheckRecord.objects.create(
        workspace_id=1,
        kind=CheckRecord.Kind.USER,
        check_id=made.pk * 10,
        object_id=1,
        check_import=made,
    )
    return made


def test_check_personal_data_older_than_the_setting_is_deleted(
    publisher, archive_storage, settings
):
    settings.CHECK_PERSONAL_DATA_DAYS = 90
    old = check_import(publisher, days_ago=91)
    new = check_import(publisher, days_ago=89)

    expired = services.check_personal_data_expire()

    assert (expired.exports, expired.reports, expired.user_ids) == (1, 1, 1)
    old.refresh_from_db()
    new.refresh_from_db()
    assert old.body == ""
    assert old.plan == {"skipped": [], "skipped_total": 1}
    assert not CheckRecord.objects.filter(check_import=old).exists()
    assert default_storage.exists(new.body)
    assert new.plan["skipped"]
    assert CheckRecord.objects.filter(check_import=new).exists()
    assert services.check_personal_data_expire() == services.Expired()  # nothing twice
