"""The archived copy is never the original markup: sanitised, sandboxed, strict CSP."""

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse

from factdesk.sources.models import Source
from tests.factories import SnapshotFactory, UserFactory

HOSTILE = (
    b"<html><body><h1 onclick='steal()'>Report</h1><script>alert(document.cookie)</script>"
    b"<a href='javascript:steal()'>more</a><img src='https://tracker.example/p.gif'>"
    b"<iframe src='https://evil.example'></iframe><p>Unemployment fell.</p></body></html>"
)


def archived_page(archive_storage):
    source = Source.objects.create(
        url="https://stats.example/r",
        canonical_url="https://stats.example/r",
        added_by=UserFactory(),
    )
    path = default_storage.save("snapshots/ab/abc", ContentFile(HOSTILE))
    return SnapshotFactory(
        source=source, body=path, content_type="text/html", text="Report\nUnemployment fell."
    )


def test_archived_html_is_sanitised_and_sandboxed(client, reporter, archive_storage):
    snapshot = archived_page(archive_storage)
    client.force_login(reporter)
    page = client.get(reverse("sources:snapshot", args=[snapshot.pk])).content.decode()
    assert '<iframe sandbox title="Archived page"' in page
    response = client.get(reverse("sources:snapshot_html", args=[snapshot.pk]))
    body = response.content.decode()
    assert "Unemployment fell." in body
    for hostile in ("<script", "onclick", "javascript:", "<iframe", "alert("):
        assert hostile not in body
    policy = response["Content-Security-Policy"]
    assert "default-src 'none'" in policy
    assert "sandbox" in policy
    assert "img-src data:" in policy  # the tracker pixel is not loaded
    assert response["X-Frame-Options"] == "SAMEORIGIN"


def test_outsiders_cannot_open_archived_pages(client, outsider, archive_storage):
    snapshot = archived_page(archive_storage)
    client.force_login(outsider)
    assert client.get(reverse("sources:snapshot_html", args=[snapshot.pk])).status_code == 403
