"""Citing and fetching sources: the row is the work item, failures say what happened."""

import datetime
import io

import pytest
from django.core.files.storage import default_storage
from django.utils import timezone
from pypdf import PdfWriter

from factdesk.sources import fetching, services
from factdesk.sources.models import Snapshot, Source
from tests.claims.flow import log_claim
from tests.conftest import wait_until
from tests.factories import SnapshotFactory
from tests.servers import local_site

HOST = "127.0.0.3"
ARTICLE = (
    "<!doctype html><html><head><title>Unemployment figures</title>"
    '<meta name="author" content="Office for Statistics">'
    '<meta property="article:published_time" content="2026-03-02">'
    "</head><body><nav>Home | About</nav><article><h1>Unemployment figures</h1>"
    + "<p>Unemployment fell to 4.2 per cent in the year to March, the office said.</p>" * 5
    + "</article><footer>Cookie policy</footer></body></html>"
)


@pytest.fixture
def pages(settings, archive_storage):
    with local_site(HOST, settings) as served:
        yield served


def html(text=ARTICLE, charset="utf-8"):
    return (200, {"Content-Type": f"text/html; charset={charset}"}, text.encode(charset))


@pytest.fixture
def cite(reporter, ratings):
    claim = log_claim(reporter)

    def cite_url(url):
        return services.citation_add(actor=reporter, claim=claim, url=url).source

    return cite_url


def fetch(source):
    fetching.source_fetch(source_id=source.pk)
    source.refresh_from_db()
    return source


def test_citing_the_same_page_twice_makes_one_source(reporter, ratings, cite):
    first = cite("https://Stats.example/report?utm_source=x#top")
    other = log_claim(reporter, "Another claim.")
    again = services.citation_add(
        actor=reporter, claim=other, url="https://stats.example:443/report"
    ).source
    assert first == again
    assert first.url == "https://Stats.example/report?utm_source=x#top"  # kept and fetched
    assert first.canonical_url == "https://stats.example/report"
    assert first.status == Source.Status.PENDING


def test_a_page_is_archived_read_and_stored_by_hash(pages, cite):
    pages["/report"] = html()
    source = fetch(cite(f"{pages.base}/report"))
    assert source.status == Source.Status.DONE
    snapshot = source.snapshots.get()
    assert snapshot.title == "Unemployment figures"
    assert "fell to 4.2 per cent" in snapshot.text
    assert "Cookie policy" not in snapshot.text
    assert snapshot.published == datetime.date(2026, 3, 2)
    assert snapshot.reading == Snapshot.Reading.TEXT
    assert default_storage.open(snapshot.body).read() == ARTICLE.encode()
    assert snapshot.body.endswith(snapshot.sha256)


def test_unchanged_content_makes_no_new_snapshot_changed_content_does(pages, cite):
    pages["/report"] = html()
    source = fetch(cite(f"{pages.base}/report"))
    for content in (ARTICLE, ARTICLE.replace("4.2", "4.4")):
        pages["/report"] = html(content)
        Source.objects.filter(pk=source.pk).update(status="pending", next_attempt_at=timezone.now())
        fetch(source)
    assert source.snapshots.count() == 2


def test_a_second_delivery_does_nothing(pages, cite):
    pages["/report"] = html()
    source = cite(f"{pages.base}/report")
    assert fetching.source_lease(source.pk) is not None
    assert fetching.source_lease(source.pk) is None  # leased to the first
    assert fetching.source_fetch(source_id=source.pk) is None
    assert pages.hits == []


def test_an_expired_lease_can_be_taken_again_and_counts_as_an_attempt(pages, cite):
    source = cite(f"{pages.base}/report")
    fetching.source_lease(source.pk)
    Source.objects.filter(pk=source.pk).update(
        lease_expires_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    assert [row.pk for row in fetching.sources_due()] == [source.pk]
    again = fetching.source_lease(source.pk)
    assert again is not None
    assert again.attempts == 2


def test_a_row_whose_workers_keep_dying_ends_failed_with_a_reason(pages, cite, settings):
    """Each lease that runs out (the worker killed mid-fetch) used an attempt; the lease
    after the last one fails the row instead of fetching again."""
    settings.FETCH_MAX_ATTEMPTS = 2
    pages["/report"] = html()
    source = cite(f"{pages.base}/report")
    expired = timezone.now() - datetime.timedelta(seconds=1)
    for _ in range(2):
        assert fetching.source_lease(source.pk) is not None
        Source.objects.filter(pk=source.pk).update(lease_expires_at=expired)
    assert fetching.source_lease(source.pk) is None
    source.refresh_from_db()
    assert source.status == Source.Status.FAILED
    assert "stopped before finishing" in source.last_error
    assert pages.hits == []  # the third lease fetched nothing


def test_archiving_content_already_archived_adds_nothing(pages, cite):
    """Content changed and then changed back is the first copy again: no second snapshot of
    the same content (and no database error), the row done."""
    pages["/report"] = html()
    source = fetch(cite(f"{pages.base}/report"))
    for content in (ARTICLE.replace("4.2", "4.4"), ARTICLE):
        pages["/report"] = html(content)
        Source.objects.filter(pk=source.pk).update(status="pending", next_attempt_at=timezone.now())
        assert fetch(source).status == Source.Status.DONE
    assert source.snapshots.count() == 2


def test_a_404_fails_at_once_with_the_reason(pages, cite):
    source = fetch(cite(f"{pages.base}/gone"))
    assert source.status == Source.Status.FAILED
    assert source.last_error == "The server answered 404 Not Found."
    assert source.attempts == 1


def test_a_503_waits_in_the_row_and_fails_only_after_the_last_attempt(pages, cite, settings):
    settings.FETCH_MAX_ATTEMPTS = 3
    pages["/busy"] = (503, {}, b"busy")
    source = fetch(cite(f"{pages.base}/busy"))
    assert source.status == Source.Status.PENDING  # not shown as failed yet
    assert source.last_error == "The server answered 503 Service Unavailable."
    assert source.next_attempt_at > timezone.now() + datetime.timedelta(seconds=20)
    for _ in range(2):
        Source.objects.filter(pk=source.pk).update(next_attempt_at=timezone.now())
        fetch(source)
    assert source.status == Source.Status.FAILED
    assert source.attempts == 3


def test_retry_after_is_honoured(pages, cite):
    pages["/slow-down"] = (429, {"Retry-After": "600"}, b"")
    source = fetch(cite(f"{pages.base}/slow-down"))
    assert source.status == Source.Status.PENDING
    wait = source.next_attempt_at - timezone.now()
    assert datetime.timedelta(seconds=590) < wait <= datetime.timedelta(seconds=600)


def test_a_private_address_is_refused_when_cited(cite, settings):
    settings.FETCH_ALLOW_NETWORKS = []
    with pytest.raises(services.DeskError, match=r"on a private network \(10\.0\.0\.1\)"):
        cite("http://10.0.0.1/admin")
    assert not Source.objects.exists()


def test_a_private_address_fails_at_once_for_good(pages, cite, settings):
    """A name that resolved to a public address when cited and to a private one now (DNS
    rebinding), or an allowed network allowed no more: the fetch refuses it, with no Retry."""
    source = cite(f"{pages.base}/admin")
    settings.FETCH_ALLOW_NETWORKS = []
    source = fetch(source)
    assert source.status == Source.Status.FAILED
    assert "points inside a private network" in source.last_error
    assert source.failed_for_good
    assert not source.can_retry


def test_a_404_fails_for_good_and_a_server_error_may_be_retried(pages, cite, settings):
    settings.FETCH_MAX_ATTEMPTS = 1
    pages["/broken"] = (503, {}, b"")
    missing, broken = fetch(cite(f"{pages.base}/missing")), fetch(cite(f"{pages.base}/broken"))
    assert (missing.status, missing.failed_for_good, missing.can_retry) == ("failed", True, False)
    assert (broken.status, broken.failed_for_good, broken.can_retry) == ("failed", False, True)


def test_retry_now_requeues_a_failed_source(pages, cite, reporter, settings):
    settings.FETCH_MAX_ATTEMPTS = 1
    pages["/later"] = (503, {}, b"")
    source = fetch(cite(f"{pages.base}/later"))
    assert source.status == Source.Status.FAILED
    pages["/later"] = html()
    services.source_retry(actor=reporter, source=source)
    source = fetch(source)
    assert source.status == Source.Status.DONE
    with pytest.raises(services.DeskError, match="only a failed fetch can be retried"):
        services.source_retry(actor=reporter, source=source)


def test_retry_now_is_refused_for_a_failure_that_would_not_change(pages, cite, reporter):
    source = fetch(cite(f"{pages.base}/missing"))
    assert (source.status, source.failed_for_good) == ("failed", True)
    with pytest.raises(services.DeskError, match="Trying again would get the same answer"):
        services.source_retry(actor=reporter, source=source)
    source.refresh_from_db()
    assert (source.status, source.attempts) == ("failed", 1)  # left as it was


def pdf(encrypt=False):
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)  # an image-only scan has no text either
    if encrypt:
        writer.encrypt("owner-and-user-secret")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@pytest.mark.parametrize("encrypt", [False, True], ids=["image-only", "encrypted"])
def test_pdfs_without_a_text_layer_are_archived_with_that_reading(pages, cite, encrypt):
    pages["/scan.pdf"] = (200, {"Content-Type": "application/pdf"}, pdf(encrypt))
    source = fetch(cite(f"{pages.base}/scan.pdf"))
    assert source.status == Source.Status.DONE
    assert source.snapshots.get().reading == Snapshot.Reading.NO_TEXT_LAYER


def test_windows_1252_labelled_utf8_and_pages_without_charset_read_correctly(pages, cite):
    text = ARTICLE.replace("Unemployment fell", "L\u2019emploi a augmenté; unemployment fell")
    pages["/mislabelled"] = (
        200,
        {"Content-Type": "text/html; charset=utf-8"},
        text.encode("windows-1252"),
    )
    pages["/no-charset"] = (200, {"Content-Type": "text/html"}, text.encode("utf-8"))
    for path in ("/mislabelled", "/no-charset"):
        snapshot = fetch(cite(f"{pages.base}{path}")).snapshots.get()
        assert "L\u2019emploi a augmenté" in snapshot.text


def test_binary_served_as_html_is_archived_but_not_read(pages, cite):
    pages["/blob"] = (200, {"Content-Type": "text/html"}, b"\x89PNG\r\n\x1a\n\0\0\0" * 50)
    snapshot = fetch(cite(f"{pages.base}/blob")).snapshots.get()
    assert snapshot.reading == Snapshot.Reading.NOT_READABLE


SOFT_404 = (
    "<!doctype html><html><head><title>Page not found | Ledger</title></head><body>"
    "<nav>Home</nav><main><h1>Sorry</h1><p>We couldn't find the page you asked for. "
    "Try the search box.</p></main></body></html>"
)


def test_a_soft_404_fails_with_the_reason_and_archives_nothing(pages, cite):
    pages["/moved"] = html(SOFT_404)
    source = fetch(cite(f"{pages.base}/moved"))
    assert source.status == Source.Status.FAILED
    assert source.last_error == (
        "The page says it was not found (the server answered 200 but showed an error page: "
        "a “soft 404”)."
    )
    assert not source.snapshots.exists()


def test_an_article_about_404_errors_is_not_a_soft_404(pages, cite):
    # Only short pages can be error pages: a real article is longer than 1,500 characters.
    paragraphs = "".join(
        f"<p>Point {n}: error 404 means the server found nothing at the address.</p>"
        for n in range(25)
    )
    story = ARTICLE.replace("Unemployment figures</title>", "Why 404 pages matter</title>")
    pages["/story"] = html(story.replace("</article>", paragraphs + "</article>"))
    assert fetch(cite(f"{pages.base}/story")).status == Source.Status.DONE


def test_an_archived_page_turned_soft_404_is_a_dead_link_with_its_copy_kept(pages, cite):
    pages["/page"] = html()
    source = fetch(cite(f"{pages.base}/page"))
    pages["/page"] = html(SOFT_404)
    Source.objects.filter(pk=source.pk).update(
        status="pending", attempts=0, next_attempt_at=timezone.now()
    )
    source = fetch(source)
    assert source.status == Source.Status.DONE
    assert source.dead_since is not None
    assert "soft 404" in source.last_error
    assert source.snapshots.count() == 1


def test_the_same_content_archived_by_two_workers_at_once_is_one_snapshot(
    transactional_db, pages, cite
):
    """A worker whose lease ran out still archives, while another archives the same page:
    the second insert waits on the first, then finds its copy and only marks the row done."""
    import threading

    from django.db import connection, connections, transaction

    pages["/report"] = html()
    source = cite(f"{pages.base}/report")
    digest = fetching.store_body(ARTICLE.encode())
    first_inserted, first_may_commit = threading.Event(), threading.Event()

    def first_worker():
        try:
            with transaction.atomic():
                SnapshotFactory(source=source, sha256=digest, text="first")
                first_inserted.set()
                first_may_commit.wait(timeout=30)
        finally:
            connections.close_all()

    thread = threading.Thread(target=first_worker)
    thread.start()
    first_inserted.wait(timeout=30)
    copy = Snapshot(source=source, sha256=digest, size=1, body="x", reading="text", text="2nd")

    def second_worker():
        try:
            fetching._save_archived(source, copy, failure="")
        finally:
            connections.close_all()

    second = threading.Thread(target=second_worker)
    second.start()

    def second_waits_on_the_first():
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                "AND datname = current_database()"
            )
            return cursor.fetchone()[0] == 1

    wait_until(second_waits_on_the_first, timeout=30, what="the second insert to wait")
    first_may_commit.set()
    thread.join(timeout=30)
    second.join(timeout=30)
    source.refresh_from_db()
    assert source.status == Source.Status.DONE
    assert list(Snapshot.objects.filter(source=source).values_list("text", flat=True)) == ["first"]


def test_fetching_a_cited_page_takes_a_fixed_handful_of_queries(
    pages, cite, django_assert_num_queries
):
    """The lease (an update, then the row), then one transaction: the first copy inserted
    without looking for one, the citations pointed at it, the row done, and the one question
    the articles ask (is an article waiting for this page's text?). A worker spends a
    quarter of its time in these round trips (benchmarks/fetch.py). In a test's transaction,
    the archive's own is a savepoint: two statements more."""
    pages["/report"] = html()
    source = cite(f"{pages.base}/report")
    with django_assert_num_queries(2 + 4 + 2):
        fetching.source_fetch(source_id=source.pk)
    source.refresh_from_db()
    assert source.status == Source.Status.DONE
    snapshot = source.snapshots.get()
    assert snapshot.title == "Unemployment figures"
    assert source.citations.get().cited_snapshot == snapshot  # the copy it cited
