"""Uploading files as sources: PDFs, saved pages, text, images; and the files refused."""

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from factdesk.core.errors import DeskError
from factdesk.sources import fetching, services
from factdesk.sources.models import Citation, Snapshot, Source
from tests.claims.flow import log_claim
from tests.sources.files import png, text_pdf
from tests.sources.panel import sources_panel

SAVED_PAGE = (
    "<!doctype html><html><head><title>Budget memo</title></head><body><article>"
    + "<p>The budget for schools rose by 3 per cent, the memo says.</p>" * 4
    + "<script>alert('x')</script></article></body></html>"
)


@pytest.fixture
def claim(reporter, ratings, archive_storage):
    return log_claim(reporter)


def upload(reporter, claim, name, body, **kwargs):
    citation = services.citation_upload(
        actor=reporter, claim=claim, upload=SimpleUploadedFile(name, body), **kwargs
    )
    fetching.source_fetch(source_id=citation.source_id)  # what the worker does next
    return Source.objects.get(pk=citation.source_id)


@pytest.mark.parametrize(
    ("name", "body", "file_type", "reading", "words"),
    [
        ("report.pdf", text_pdf("Schools budget rose 3 per cent"), "application/pdf", "text",
         "Schools budget rose 3 per cent"),
        ("memo.html", SAVED_PAGE.encode(), "text/html", "text", "rose by 3 per cent"),
        ("email.txt", "Rate: 4.2 per cent in Réunion".encode(), "text/plain", "text",
         "4.2 per cent in Réunion"),
        ("screenshot.png", png(), "image/png", "image", ""),
    ],
    ids=["pdf", "html", "text", "image"],
)  # fmt: skip
def test_an_uploaded_file_is_archived_and_read_like_a_page(
    reporter, claim, name, body, file_type, reading, words
):
    source = upload(reporter, claim, name, body, stance="supports", note="By email")
    assert source.status == Source.Status.DONE
    assert (source.kind, source.filename, source.file_type) == ("upload", name, file_type)
    snapshot = source.snapshots.get()
    assert snapshot.reading == reading
    assert words in snapshot.text
    assert "alert" not in snapshot.text
    with default_storage.open(snapshot.body) as stored:
        assert stored.read() == body
    citation = Citation.objects.get(claim=claim)
    assert (citation.stance, citation.note, citation.cited_snapshot) == (
        "supports",
        "By email",
        snapshot,
    )


def test_the_type_comes_from_the_bytes_not_the_name(reporter, claim):
    source = upload(reporter, claim, "scan.txt", text_pdf("Actually a PDF"))
    assert source.file_type == "application/pdf"
    assert "Actually a PDF" in source.snapshots.get().text


def test_the_same_file_is_one_source_and_cited_once_per_claim(reporter, claim):
    body = text_pdf("Same report")
    first = upload(reporter, claim, "report.pdf", body)
    other = log_claim(reporter, "Another claim.")
    second = upload(reporter, other, "report-copy.pdf", body)
    assert first == second
    assert Source.objects.count() == 1
    with pytest.raises(DeskError, match="already cited on the claim"):
        upload(reporter, claim, "again.pdf", body)


@pytest.mark.parametrize(
    ("name", "body", "message"),
    [
        ("notes.docx", b"PK\x03\x04" + b"\0" * 200,
         "“notes.docx” is not a type of file factdesk can archive. Word documents can't be "
         "read here: save it as PDF and upload that."),
        ("data.bin", b"\0\1\2\3" * 100,
         "“data.bin” is not a type of file factdesk can archive. Upload a PDF, an HTML page, "
         "a plain text file or an image (PNG, JPEG, GIF or WebP)."),
        ("logo.svg", b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>\0',
         "SVG images can carry scripts"),
        ("empty.txt", b"", "“empty.txt” is empty."),
    ],
    ids=["word", "binary", "svg", "empty"],
)  # fmt: skip
def test_unsupported_or_empty_files_are_refused_in_words(reporter, claim, name, body, message):
    with pytest.raises(DeskError) as refused:
        services.citation_upload(actor=reporter, claim=claim, upload=SimpleUploadedFile(name, body))
    assert message in refused.value.message
    assert not Source.objects.exists()
    assert not Citation.objects.exists()


def test_a_file_over_the_limit_is_refused_with_both_sizes(reporter, claim, settings):
    settings.FETCH_MAX_BYTES = 1000
    with pytest.raises(DeskError) as refused:
        services.citation_upload(
            actor=reporter, claim=claim, upload=SimpleUploadedFile("big.txt", b"a" * 1500)
        )
    assert refused.value.message == "“big.txt” is 1.5 KB; files up to 1 KB can be archived."
    assert not Source.objects.exists()
    assert default_storage.listdir("") == ([], [])  # nothing stored


def test_the_upload_form_keeps_stance_and_note_when_a_file_is_refused(client, reporter, claim):
    client.force_login(reporter)
    response = client.post(
        reverse("sources:upload", args=[claim.pk]),
        {
            "file": SimpleUploadedFile("notes.docx", b"PK\x03\x04" + b"\0" * 50),
            "stance": "refutes",
            "note": "From the minister's office",
        },
    )
    body = response.content.decode()
    assert "The file was not cited: see the upload form below." in body
    assert "save it as PDF and upload that" in body
    assert "From the minister&#x27;s office</textarea>" in body
    assert '<option value="refutes" selected>' in body
    assert '<details class="upload-source" open>' in body


def test_uploading_from_the_claim_page_cites_and_shows_the_file(client, reporter, claim):
    client.force_login(reporter)
    response = client.post(
        reverse("sources:upload", args=[claim.pk]),
        {"file": SimpleUploadedFile("report.pdf", text_pdf("Rates")), "stance": "context"},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == claim.get_absolute_url()
    assert "Cited report.pdf (uploaded); reading it now." in response.content.decode()
    panel = sources_panel(client, claim)
    assert 'report.pdf</span> <span class="muted">(uploaded)</span>' in panel


def test_outsiders_cannot_upload(client, outsider, claim):
    client.force_login(outsider)
    response = client.post(
        reverse("sources:upload", args=[claim.pk]),
        {"file": SimpleUploadedFile("a.txt", b"text"), "stance": "context"},
    )
    assert response.status_code == 403
    assert not Source.objects.exists()


def test_archived_files_are_served_without_letting_them_run(client, reporter, claim):
    image = upload(reporter, claim, "shot.png", png()).snapshots.get()
    page = upload(reporter, claim, "memo.html", SAVED_PAGE.encode()).snapshots.get()
    client.force_login(reporter)
    shown = client.get(reverse("sources:snapshot_file", args=[image.pk]))
    assert shown["Content-Type"] == "image/png"
    assert b"".join(shown.streaming_content) == png()
    assert shown["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert shown["X-Content-Type-Options"] == "nosniff"
    downloaded = client.get(reverse("sources:snapshot_file", args=[page.pk]))
    assert downloaded["Content-Type"] == "application/octet-stream"
    assert downloaded["Content-Disposition"] == 'attachment; filename="memo.html"'
    archive_page = client.get(reverse("sources:snapshot", args=[image.pk])).content.decode()
    assert "Uploaded file “shot.png”" in archive_page
    assert f'<img class="archived-image" src="/snapshots/{image.pk}/file/"' in archive_page
    assert Snapshot.objects.count() == 2


def test_an_oversized_upload_is_stopped_while_it_is_read(client, reporter, claim, settings):
    settings.FETCH_MAX_BYTES = 100_000
    client.force_login(reporter)
    response = client.post(
        reverse("sources:upload", args=[claim.pk]),
        {
            "file": SimpleUploadedFile("scan.pdf", b"%PDF-1.4\n" + b"0" * 300_000),
            "stance": "supports",
            "note": "Keep this note",
        },
    )
    body = response.content.decode()
    assert "“scan.pdf” is larger than 100 KB, the most a file can be to be archived." in body
    assert "Keep this note</textarea>" in body
    assert not Source.objects.exists()
    assert default_storage.listdir("") == ([], [])
