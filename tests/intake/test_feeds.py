"""ClaimReview feeds come in: uploaded or by address, read by a worker with its progress
shown, idempotent on re-import, partial feeds importing what is valid and listing what was
skipped and why."""

import html
import json
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from factdesk.claims.models import Activity
from factdesk.core.errors import DeskError
from factdesk.intake.feeds import feed_import_run, feed_import_start
from factdesk.intake.models import ExternalFactCheck, FeedImport
from tests.conftest import wait_until
from tests.intake.test_claimreview import REVIEW
from tests.servers import local_site


def review(n: int, **changes) -> dict:
    """The ClaimReview the page tests read, as the nth of a feed."""
    return {
        **REVIEW,
        "url": f"https://checkers.example/checks/{n}",
        "claimReviewed": f"Claim number {n} about the Harbridge bus fares.",
        **changes,
    }


def data_feed(*reviews: dict) -> bytes:
    return json.dumps(
        {
            "@context": "https://schema.org",
            "@type": "DataFeed",
            "dataFeedElement": [
                {"@type": "DataFeedItem", "dateCreated": "2026-03-04", "item": [r]} for r in reviews
            ],
        }
    ).encode()


FEED = data_feed(review(1), review(2), review(3, claimReviewed=""), review(4, url="no address"))


def upload(body: bytes, name: str = "feed.json") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, body, content_type="application/json")


@pytest.fixture
def site(settings):
    with local_site("127.0.0.23", settings) as pages:
        yield pages


def test_an_uploaded_feed_is_read_by_the_worker_with_progress_and_reasons(
    celery_worker, client, editor, django_capture_on_commit_callbacks
):
    client.force_login(editor)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("intake:feed_new"),
            {"file": upload(FEED), "idempotency_key": str(uuid.uuid4())},
        )
    feed = FeedImport.objects.get()
    assert response.url == feed.get_absolute_url()
    wait_until(
        lambda: FeedImport.objects.get().status == FeedImport.Status.DONE,
        timeout=60,
        what=lambda: FeedImport.objects.values().get(),
    )
    page = html.unescape(client.get(feed.get_absolute_url()).content.decode())
    assert "2 new fact checks, 0 updated, 2 skipped." in page
    assert "Review 3: it does not say which claim it reviews (no claimReviewed)" in page
    assert "Review 4: it has no url (the fact check's address)" in page
    assert 'value="100"' in page
    assert 'hx-trigger="every 1s"' not in page  # done: the panel stops asking
    check = ExternalFactCheck.objects.get(url="https://checkers.example/checks/1")
    assert (check.publisher, check.rating_text, check.rating_value) == (
        "Checkers Weekly",
        "Mostly false",
        0.25,
    )
    assert check.origin == ExternalFactCheck.Origin.FEED
    assert Activity.objects.filter(action="external.feed_imported").exists()


def test_the_panel_updates_itself_while_the_feed_waits(client, editor):
    feed = feed_import_start(actor=editor, upload=upload(FEED))
    client.force_login(editor)
    page = client.get(feed.get_absolute_url()).content.decode()
    assert 'hx-trigger="every 1s"' in page
    assert "Waiting for a worker" in page


def test_importing_the_same_feed_again_updates_and_doubles_nothing(editor):
    feed_import_run(feed_import_start(actor=editor, upload=upload(FEED)).pk)
    again = feed_import_run(feed_import_start(actor=editor, upload=upload(FEED)).pk)
    assert (again.imported, again.updated, again.skipped) == (0, 2, 2)
    assert ExternalFactCheck.objects.count() == 2


def test_a_reviews_headline_comes_in_with_it_and_a_new_one_is_embedded_again(editor, monkeypatch):
    sent = []
    monkeypatch.setattr("factdesk.intake.feeds.send_embed", lambda kind, ids: sent.extend(ids))
    for headline in ("Did the Harbridge fares cut double bus use?", "Harbridge buses: the figures"):
        body = data_feed(review(1, name=headline))
        feed_import_run(feed_import_start(actor=editor, upload=upload(body)).pk)
        check = ExternalFactCheck.objects.get()
        assert check.headline == headline
        assert check.claim_reviewed == "Claim number 1 about the Harbridge bus fares."
    assert sent == [check.pk, check.pk]  # imported, then updated: embedded both times


def test_a_list_of_claim_reviews_is_a_feed_too(editor):
    body = json.dumps([review(1), review(2)]).encode()
    feed = feed_import_run(feed_import_start(actor=editor, upload=upload(body)).pk)
    assert (feed.status, feed.imported) == (FeedImport.Status.DONE, 2)


def test_a_feed_cut_short_keeps_what_came_before_and_says_where_it_stopped(editor):
    body = data_feed(review(1), review(2), review(3))
    cut = body[: body.index(b"Claim number 3")]
    feed = feed_import_run(feed_import_start(actor=editor, upload=upload(cut)).pk)
    assert feed.status == FeedImport.Status.FAILED
    assert "stops being valid JSON after review 2" in feed.error
    assert feed.imported == 2


def test_json_that_is_not_a_feed_says_so(editor):
    body = json.dumps({"@type": "WebPage", "name": "Not a feed"}).encode()
    feed = feed_import_run(feed_import_start(actor=editor, upload=upload(body)).pk)
    assert feed.status == FeedImport.Status.FAILED
    assert "No ClaimReview in it" in feed.error


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"", "The file is empty"),
        (b"<html><body>A fact check</body></html>", "This is not a JSON file"),
    ],
)
def test_bad_files_are_refused_in_words_and_nothing_is_kept(client, editor, body, message):
    client.force_login(editor)
    response = client.post(
        reverse("intake:feed_new"), {"file": upload(body), "idempotency_key": str(uuid.uuid4())}
    )
    assert response.status_code == 400
    assert message in html.unescape(response.content.decode())
    assert not FeedImport.objects.exists()


def test_an_oversize_file_is_refused_before_it_is_kept(editor, settings):
    settings.FEED_MAX_BYTES = 100
    with pytest.raises(DeskError, match="feeds of up to"):
        feed_import_start(actor=editor, upload=upload(FEED))
    assert not FeedImport.objects.exists()


def test_neither_or_both_file_and_address_is_refused(client, editor):
    client.force_login(editor)
    response = client.post(reverse("intake:feed_new"), {"idempotency_key": str(uuid.uuid4())})
    assert "Choose a feed file or paste a feed" in html.unescape(response.content.decode())
    assert not FeedImport.objects.exists()


def test_a_double_submission_starts_one_import(client, editor):
    client.force_login(editor)
    key = str(uuid.uuid4())
    for _ in range(2):
        client.post(reverse("intake:feed_new"), {"file": upload(FEED), "idempotency_key": key})
    assert FeedImport.objects.count() == 1


def test_a_feed_by_address_is_fetched_through_the_guarded_client(site, editor):
    site["/feed.json"] = (200, {"Content-Type": "application/json"}, FEED)
    feed = feed_import_run(feed_import_start(actor=editor, url=f"{site.base}/feed.json").pk)
    assert (feed.status, feed.imported, feed.skipped) == (FeedImport.Status.DONE, 2, 2)
    assert site.hits == ["/feed.json"]


def test_a_feed_address_that_fails_says_why(site, editor):
    site["/page"] = (200, {"Content-Type": "text/html"}, b"<html><body>Hello</body></html>")
    missing = feed_import_run(feed_import_start(actor=editor, url=f"{site.base}/gone").pk)
    assert missing.status == FeedImport.Status.FAILED
    assert missing.error.startswith("The feed could not be fetched")
    page = feed_import_run(feed_import_start(actor=editor, url=f"{site.base}/page").pk)
    assert "The address did not give JSON" in page.error


def test_a_private_address_is_refused_at_once(editor):
    with pytest.raises(DeskError):
        feed_import_start(actor=editor, url="http://10.0.0.5/feed.json")
    assert not FeedImport.objects.exists()


def test_an_outsider_cannot_import_or_see_feeds(client, editor, outsider):
    feed = feed_import_start(actor=editor, upload=upload(FEED))
    client.force_login(outsider)
    assert client.get(feed.get_absolute_url()).status_code == 403
    response = client.post(
        reverse("intake:feed_new"), {"file": upload(FEED), "idempotency_key": str(uuid.uuid4())}
    )
    assert response.status_code == 403
    assert FeedImport.objects.count() == 1
