"""The whole desk goes out and comes back: export a desk, wipe it, import the export into
the empty desk, and every row and every archived body is as it was. Bad files are refused
in words before anything is written."""

import io
import json
import shutil
import zipfile
from pathlib import Path

import pytest
from django.core import serializers
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from factdesk.api.services import api_token_create
from factdesk.articles.services import article_create
from factdesk.claims import services as claim_services
from factdesk.claims.models import Claim, StatusCount
from factdesk.claims.workflow import ClaimStatus
from factdesk.exchange.desk import exported_models
from factdesk.sources.services import citation_upload
from factdesk.webhooks.services import subscription_create
from tests.claims.flow import Desk, log_claim

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def every_row() -> dict[str, list[dict]]:
    """Each exported model's rows as Django serializes them, by primary key."""
    return {
        model._meta.label_lower: serializers.serialize("python", model._base_manager.order_by("pk"))
        for model in exported_models()
    }


def bodies(root: Path) -> dict[str, bytes]:
    return {
        str(path.relative_to(root)): path.read_bytes() for path in root.rglob("*") if path.is_file()
    }


@pytest.fixture
def full_desk(transactional_db, reporter, editor, publisher, ratings, archive_storage):
    """A desk with some of everything: claims in every kind of state, versions, reviews,
    comments, topics, an uploaded source, an article, a token, a webhook, the audit trail."""
    desk = Desk(reporter=reporter, editor=editor, publisher=publisher, ratings=ratings)
    desk.claim_in(ClaimStatus.CORRECTED)
    desk.claim_in(ClaimStatus.RETRACTED)
    researching = desk.claim_in(ClaimStatus.RESEARCHING)
    claim_services.comment_add(actor=editor, claim=researching, body="Ask the council.")
    claim_services.claim_topic_add(actor=editor, claim=researching, name="Transport")
    citation_upload(
        actor=reporter,
        claim=researching,
        upload=SimpleUploadedFile("council.pdf", PDF, content_type="application/pdf"),
    )
    article_create(
        actor=reporter, title="Budget day", text="The council cut bus fares by half on Monday."
    )
    api_token_create(actor=reporter, name="Script", scope="read")
    subscription_create(
        actor=publisher, url="https://hooks.example/in", events=["fact_check.published"]
    )
    log_claim(reporter, "Fares fell by half.")
    return desk


def test_an_exported_desk_comes_back_whole_into_an_empty_one(
    full_desk, tmp_path_factory, archive_storage
):
    before = every_row()
    counts_before = dict(StatusCount.objects.filter(claims__gt=0).values_list("status", "claims"))
    bodies_before = bodies(archive_storage)
    assert before["claims.activity"]
    assert bodies_before  # the uploaded file
    path = tmp_path_factory.mktemp("export") / "desk.zip"  # apart from the storage
    out, err = io.StringIO(), io.StringIO()
    call_command("export_desk", str(path), "--with-archives", stdout=out, stderr=err)
    assert "archived bodies" in out.getvalue()
    assert "claims.claim" in err.getvalue()  # the progress, on the error stream

    call_command("flush", interactive=False, verbosity=0)
    shutil.rmtree(archive_storage)
    archive_storage.mkdir()
    assert not Claim.objects.exists()

    out = io.StringIO()
    call_command("import_desk", str(path), stdout=out, stderr=io.StringIO())
    assert "Imported" in out.getvalue()
    after = every_row()
    for label, rows in before.items():
        assert len(after[label]) == len(rows), label
        for old, new in zip(rows, after[label], strict=True):
            changed = {
                k: (v, new["fields"].get(k))
                for k, v in old["fields"].items()
                if new["fields"].get(k) != v
            }
            assert (old["pk"], changed) == (new["pk"], {}), label
    assert bodies(archive_storage) == bodies_before
    # Counts the database keeps itself came back with the claims.
    counts = StatusCount.objects.filter(claims__gt=0).values_list("status", "claims")
    assert dict(counts) == counts_before
    # New rows get new ids after the imported ones.
    assert log_claim(Claim.objects.first().created_by, "After the import.").pk > max(
        row["pk"] for row in before["claims.claim"]
    )

    with pytest.raises(CommandError, match="This desk is not empty"):
        call_command("import_desk", str(path), stdout=io.StringIO(), stderr=io.StringIO())


def rezipped(path: Path, tmp_path: Path, change) -> Path:
    """A copy of the export with `change(name, data) -> data | None` applied to each file."""
    copy = tmp_path / "changed.zip"
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(copy, "w") as target:
        for name in source.namelist():
            data = change(name, source.read(name))
            if data is not None:
                target.writestr(name, data)
    return copy


@pytest.fixture
def export(full_desk, tmp_path):
    path = tmp_path / "desk.zip"
    call_command("export_desk", str(path), stdout=io.StringIO(), stderr=io.StringIO())
    call_command("flush", interactive=False, verbosity=0)
    return path


def refused(path) -> str:
    with pytest.raises(CommandError) as error:
        call_command("import_desk", str(path), stdout=io.StringIO(), stderr=io.StringIO())
    assert not Claim.objects.exists()
    return str(error.value)


def test_bad_files_are_refused_in_words_and_nothing_is_written(export, tmp_path):
    not_zip = tmp_path / "notes.txt"
    not_zip.write_text("Dear desk")
    assert "it is not a ZIP file" in refused(not_zip)
    assert "There is no file" in refused(tmp_path / "missing.zip")
    no_manifest = rezipped(export, tmp_path, lambda n, d: None if n == "manifest.json" else d)
    assert "it has no manifest.json" in refused(no_manifest)

    def damage(name, data):
        return data.replace(b"Ask the council.", b"Ask the mayor.") if "comment" in name else data

    assert "data/claims.comment.jsonl is damaged" in refused(rezipped(export, tmp_path, damage))

    def other_version(name, data):
        if name != "manifest.json":
            return data
        return json.dumps({**json.loads(data), "version": 99}).encode()

    assert "format version 99" in refused(rezipped(export, tmp_path, other_version))


def test_the_export_command_refuses_to_overwrite(full_desk, tmp_path):
    path = tmp_path / "desk.zip"
    path.write_bytes(b"something else")
    with pytest.raises(CommandError, match="exists already"):
        call_command("export_desk", str(path), stdout=io.StringIO(), stderr=io.StringIO())
    assert path.read_bytes() == b"something else"
    with pytest.raises(CommandError, match="There is no folder"):
        call_command("export_desk", str(tmp_path / "no" / "desk.zip"), stderr=io.StringIO())


def test_only_an_admin_downloads_the_export(client, reporter, editor, publisher, admin_user):
    url = reverse("exchange:export")
    for person in (reporter, editor, publisher):
        client.force_login(person)
        assert client.get(url).status_code in (302, 403)
        assert client.post(url).status_code in (302, 403)
    client.force_login(admin_user)
    assert "Export the whole desk" in client.get(url).content.decode()
    response = client.post(url)
    assert response["Content-Type"] == "application/zip"
    assert "attachment" in response["Content-Disposition"]
    body = b"".join(response.streaming_content)
    with zipfile.ZipFile(io.BytesIO(body)) as archive:
        manifest = json.loads(archive.read("manifest.json"))
        assert manifest["format"] == "factdesk-desk-export"
        assert "data/claims.claim.jsonl" in manifest["files"]
        assert "README.md" in archive.namelist()
