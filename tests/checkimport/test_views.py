"""The import pages: publishers and admins only; upload, read the dry run, map statuses,
confirm once, watch a real worker import it."""

import html
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from factdesk.checkimport.models import CheckImport, StatusMapping
from factdesk.checkimport.services import send_check_import
from factdesk.claims.models import Activity, Claim
from tests.checkimport.exports import ITEMS, export
from tests.checkimport.test_importing import CUSTOM_ITEMS
from tests.conftest import wait_until
from tests.factories import UserFactory


def upload(body: bytes, name: str = "larkmoor-gazette.zip") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, body, content_type="application/zip")


def post_export(client, body: bytes, name: str = "larkmoor-gazette.zip", key: str | None = None):
    return client.post(
        reverse("checkimport:start"),
        {"file": upload(body, name), "idempotency_key": key or str(uuid.uuid4())},
    )


@pytest.fixture
def checked(client, publisher, ratings, archive_storage):
    client.force_login(publisher)
    post_export(client, export())
    return CheckImport.objects.get()


@pytest.mark.parametrize(
    ("persona", "allowed"),
    [("outsider", False), ("reporter", False), ("editor", False), ("publisher", True)],
)
def test_only_publishers_and_admins_import(client, personas, persona, allowed, ratings):
    client.force_login(personas[persona])
    check_import = CheckImport.objects.create(name="x.zip", plan={"created": {}})
    urls = [
        reverse("checkimport:start"),
        reverse("checkimport:statuses"),
        check_import.get_absolute_url(),
    ]
    for url in urls:
        assert client.get(url).status_code == (200 if allowed else 403), url
    if not allowed:
        response = client.post(reverse("checkimport:confirm", args=[check_import.pk]))
        assert response.status_code == 403
        response = post_export(client, export())
        assert response.status_code == 403
        assert CheckImport.objects.count() == 1
        assert CheckImport.objects.get().status == CheckImport.Status.READY


def test_an_admin_may_import(client, ratings):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    assert client.get(reverse("checkimport:start")).status_code == 200


def test_logged_out_goes_to_the_login_page(client):
    response = client.get(reverse("checkimport:start"))
    assert response.status_code == 302
    assert "/accounts/login/" in response.url


def test_the_upload_shows_the_dry_run_and_imports_nothing(checked, client):
    page = html.unescape(client.get(checked.get_absolute_url()).content.decode())
    assert "Nothing is imported yet" in page
    assert "6 claims, 3 verdicts, 2 fact checks from elsewhere" in page
    assert "Smooch has no e-mail address" in page
    assert 'data-testid="confirm"' in page
    assert not Claim.objects.exists()
    assert Activity.objects.filter(action="check.checked").count() == 1


def test_the_same_upload_sent_twice_is_checked_once(client, publisher, ratings, archive_storage):
    client.force_login(publisher)
    key = str(uuid.uuid4())
    first = post_export(client, export(), key=key)
    second = post_export(client, export(), key=key)
    assert first.url == second.url
    assert CheckImport.objects.count() == 1


@pytest.mark.parametrize(
    ("body", "name", "words"),
    [
        (b"", "empty.zip", "The file is empty"),
        (b"Name,Email\nA,b@c.example\n", "people.csv", "not a ZIP archive"),
        (export()[:300], "cut.zip", "damaged"),
        (
            __import__("tests.checkimport.exports", fromlist=["zipped"]).zipped({"a.csv": "x"}),
            "other.zip",
            "not a Check workspace export",
        ),
    ],
    ids=["empty", "a CSV", "cut short", "another ZIP"],
)
def test_a_wrong_file_gets_words_and_changes_nothing(
    client, publisher, ratings, archive_storage, body, name, words
):
    client.force_login(publisher)
    response = post_export(client, body, name)
    assert response.status_code == 400
    assert words in html.unescape(response.content.decode())
    assert not CheckImport.objects.exists()
    assert not any(archive_storage.rglob("*.zip"))


def test_an_oversized_upload_is_refused_before_it_is_stored(
    client, publisher, ratings, archive_storage, settings
):
    settings.CHECK_IMPORT_MAX_BYTES = 1000
    client.force_login(publisher)
    response = post_export(client, export())
    assert response.status_code == 400
    page = html.unescape(response.content.decode())
    assert "“larkmoor-gazette.zip” is larger than 1 KB" in page
    assert "manage.py import_check" in page
    assert not CheckImport.objects.exists()


def test_confirming_twice_sends_one_import(checked, client, django_capture_on_commit_callbacks):
    url = reverse("checkimport:confirm", args=[checked.pk])
    with django_capture_on_commit_callbacks() as first:
        assert client.post(url).url == checked.get_absolute_url()
    with django_capture_on_commit_callbacks() as second:
        assert client.post(url).url == checked.get_absolute_url()
    sent = [c for c in first if getattr(c, "func", None) is send_check_import]
    assert len(sent) == 1
    assert second == []
    assert Activity.objects.filter(action="check.confirmed").count() == 1
    checked.refresh_from_db()
    assert checked.status == CheckImport.Status.WAITING
    page = client.get(checked.get_absolute_url()).content.decode()
    assert 'hx-trigger="every 1s"' in page


def test_unmapped_statuses_are_shown_and_mapped_on_the_page(
    client, publisher, ratings, archive_storage
):
    client.force_login(publisher)
    post_export(client, export(items=[*ITEMS, *CUSTOM_ITEMS]))
    checked = CheckImport.objects.get()
    page = html.unescape(client.get(checked.get_absolute_url()).content.decode())
    assert "Check statuses with no mapping" in page
    assert "misleading (1 item)" in page.replace("<code>", "").replace("</code>", "")
    statuses = html.unescape(client.get(reverse("checkimport:statuses")).content.decode())
    assert "Partly false" in statuses
    assert "Not mapped: its items are left out" in statuses
    missing_context = ratings["Missing context"]
    response = client.post(
        reverse("checkimport:statuses"),
        {"status": "misleading", "outcome": f"rating:{missing_context.pk}", "back": checked.pk},
    )
    assert response.url == checked.get_absolute_url()
    client.post(reverse("checkimport:statuses"), {"status": "partly_false", "outcome": "new"})
    assert StatusMapping.objects.get(check_status="misleading").rating == missing_context
    client.post(reverse("checkimport:recheck", args=[checked.pk]))
    checked.refresh_from_db()
    assert checked.plan["unmapped_statuses"] == []
    assert checked.plan["created"]["claims"] == 8


def test_a_bad_mapping_is_refused_in_words(client, publisher, ratings):
    client.force_login(publisher)
    response = client.post(reverse("checkimport:statuses"), {"status": "x", "outcome": "rating:0"})
    assert response.status_code == 400
    assert "from the list" in response.content.decode()
    assert not StatusMapping.objects.exists()


def test_a_real_worker_imports_it_and_the_panel_follows(
    celery_worker, client, publisher, ratings, django_capture_on_commit_callbacks
):
    client.force_login(publisher)
    response = post_export(client, export())
    checked = CheckImport.objects.get()
    assert response.url == checked.get_absolute_url()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("checkimport:confirm", args=[checked.pk]))
    wait_until(
        lambda: CheckImport.objects.get().status == CheckImport.Status.DONE,
        timeout=60,
        what=lambda: CheckImport.objects.values("status", "error", "rows_done").get(),
    )
    panel = client.get(checked.get_absolute_url(), headers={"HX-Request": "true"})
    fragment = html.unescape(panel.content.decode())
    assert fragment.lstrip().startswith('<section class="card" id="check-progress"')
    assert "hx-trigger" not in fragment  # done: the panel stops asking
    assert 'value="100"' in fragment
    assert "21 of 21 rows" in fragment
    assert "6 claims, 3 verdicts" in fragment
    assert Claim.objects.count() == 6
    checked.refresh_from_db()
    assert checked.body == ""  # the stored ZIP is deleted once its rows are in
    assert Activity.objects.filter(action="check.imported", actor=publisher).exists()
