"""robots.txt and per-host limits, against real local servers (and real workers)."""

import datetime
import threading
import uuid

import pytest
from django.db.models import F
from django.utils import timezone

from factdesk.sources import fetching, politeness, services
from factdesk.sources.models import Source
from factdesk.sources.tasks import source_fetch_task
from tests.claims.flow import log_claim
from tests.conftest import WorkerProcess, wait_until
from tests.servers import local_site

HOST = "127.0.0.6"
PAGE = (200, {"Content-Type": "text/html"}, b"<html><title>t</title><p>Some text here.</p>")


@pytest.fixture
def site(settings, archive_storage):
    with local_site(HOST, settings) as pages:
        yield pages


def cite(reporter, url):
    return services.citation_add(actor=reporter, claim=log_claim(reporter, url), url=url).source


def fetch(source):
    fetching.source_fetch(source_id=source.pk)
    source.refresh_from_db()
    return source


def test_robots_disallow_fails_with_the_reason_and_never_asks_for_the_page(site, reporter, ratings):
    site["/robots.txt"] = (200, {}, b"User-agent: factdesk\nDisallow: /private/\n")
    site["/private/report"] = PAGE
    source = fetch(cite(reporter, f"{site.base}/private/report"))
    assert source.status == Source.Status.FAILED
    assert source.last_error == "robots.txt forbids fetching this page."
    assert "/private/report" not in site.hits


def test_robots_for_other_agents_and_missing_robots_allow(site, reporter, ratings):
    site["/robots.txt"] = (200, {}, b"User-agent: OtherBot\nDisallow: /\n")
    site["/a"] = PAGE
    assert fetch(cite(reporter, f"{site.base}/a")).status == Source.Status.DONE
    site.clear()
    site["/b"] = PAGE  # robots.txt now answers 404: no rules (but it is cached anyway)
    assert fetch(cite(reporter, f"{site.base}/b")).status == Source.Status.DONE
    assert site.hits.count("/robots.txt") == 1  # cached per host


def test_a_failing_robots_txt_means_try_later(site, reporter, ratings):
    site["/robots.txt"] = (503, {}, b"")
    site["/a"] = PAGE
    source = fetch(cite(reporter, f"{site.base}/a"))
    assert source.status == Source.Status.PENDING
    assert source.last_error == "robots.txt answered 503; will try again."
    assert "/a" not in site.hits


def test_crawl_delay_reschedules_without_using_an_attempt(site, reporter, ratings, settings):
    site["/robots.txt"] = (200, {}, b"User-agent: *\nCrawl-delay: 30\n")
    site["/one"] = site["/two"] = PAGE
    before_first = timezone.now()
    first = fetch(cite(reporter, f"{site.base}/one"))
    assert first.status == Source.Status.DONE
    second = fetch(cite(reporter, f"{site.base}/two"))
    assert second.status == Source.Status.PENDING
    assert second.attempts == 0
    # Due 30 s after the first one started, which was between these two moments.
    delay = datetime.timedelta(seconds=30)
    assert before_first + delay <= second.next_attempt_at <= first.fetched_at + delay
    assert "/two" not in site.hits


@pytest.mark.worker
def test_two_workers_never_exceed_the_per_host_limits(
    transactional_db, site, reporter, archive_storage
):
    lock = threading.Lock()
    running, peak = [0], [0]
    release = threading.Event()

    def slow_page():
        with lock:
            running[0] += 1
            peak[0] = max(peak[0], running[0])
        release.wait(timeout=60)  # held until the test has seen the host full
        with lock:
            running[0] -= 1
        return PAGE

    paths = [f"/page/{index}" for index in range(8)]
    for path in paths:
        site[path] = slow_page
    env = {
        "FETCH_ALLOW_NETWORKS": f"{HOST}/32",
        "STORAGE_DIR": str(archive_storage),
        "FETCH_HOST_CONCURRENCY": "2",
        "FETCH_HOST_INTERVAL": "1",
    }
    workers = [WorkerProcess(env=env), WorkerProcess(env=env)]
    try:
        sources = [cite(reporter, f"{site.base}{path}") for path in paths]
        for source in sources:
            source_fetch_task.delay(source.pk)
        # Two pages are held open, and a delivery has ended meanwhile: it was turned away by
        # the host's limit (a page let through would be held too).
        wait_until(
            lambda: (
                running[0] == 2
                and sum(w.log_path.read_text().count(" succeeded in ") for w in workers) >= 1
            ),
            timeout=60,
            what="the host to be full and a page turned away",
        )
        release.set()
        wait_until(
            lambda: Source.objects.filter(status="done").count() == len(paths),
            timeout=60,
            what=lambda: list(
                Source.objects.values_list("status", "attempts", "next_attempt_at", "last_error")
            ),
        )
    finally:
        release.set()
        for worker in workers:
            worker.stop()
    # Eight threads over two workers could fetch all eight pages at once; the host's limit,
    # shared through Redis, lets two run at a time (the interval between starts is proven
    # with an explicit clock above).
    assert peak[0] <= 2
    assert sorted(hit for hit in site.hits if hit in paths) == sorted(paths)  # each once


def a_host():
    return f"http://slots-{uuid.uuid4().hex[:8]}.example/page"  # a host of this test's own


def test_starts_are_an_interval_apart_however_late_a_fetch_comes(settings):
    settings.FETCH_HOST_INTERVAL = 1
    url = a_host()
    first = politeness.try_acquire(url, now=1000.0)
    assert isinstance(first, politeness.HostSlot)
    first.release()
    assert politeness.try_acquire(url, now=1000.4) == pytest.approx(0.6)
    assert politeness.try_acquire(url, now=1000.9) == pytest.approx(0.1)  # told, not booked
    late = politeness.try_acquire(url, now=1001.3)
    assert isinstance(late, politeness.HostSlot)
    late.release()
    # Counted from the late start, not from when its slot was due.
    assert politeness.try_acquire(url, now=1002.0) == pytest.approx(0.3)


def test_a_crawl_delay_longer_than_the_interval_is_obeyed(settings):
    settings.FETCH_HOST_INTERVAL = 1
    url = a_host()
    assert isinstance(politeness.try_acquire(url, 10, now=1000.0), politeness.HostSlot)
    assert politeness.try_acquire(url, 10, now=1005.0) == pytest.approx(5.0)


def test_no_more_fetches_at_once_than_the_host_allows(settings):
    settings.FETCH_HOST_INTERVAL = 0
    settings.FETCH_HOST_CONCURRENCY = 2
    url = a_host()
    first = politeness.try_acquire(url, now=1000.0)
    second = politeness.try_acquire(url, now=1000.0)
    assert isinstance(first, politeness.HostSlot)
    assert isinstance(second, politeness.HostSlot)
    assert politeness.try_acquire(url, now=1000.0) == pytest.approx(0.5)  # full: soon again
    second.release()
    assert isinstance(politeness.try_acquire(url, now=1000.1), politeness.HostSlot)


def test_a_fetch_whose_worker_died_frees_its_place_after_the_lease(settings):
    settings.FETCH_HOST_INTERVAL = 0
    settings.FETCH_HOST_CONCURRENCY = 1
    url = a_host()
    assert isinstance(
        politeness.try_acquire(url, now=1000.0), politeness.HostSlot
    )  # never released
    assert not isinstance(politeness.try_acquire(url, now=1001.0), politeness.HostSlot)
    after_lease = 1000.0 + settings.FETCH_LEASE_SECONDS + 1
    assert isinstance(politeness.try_acquire(url, now=after_lease), politeness.HostSlot)


def test_the_limits_hold_after_redis_forgets_the_script(settings):
    """The script is sent by its SHA-1: a Redis restarted (or its script cache flushed)
    has to be given it again, and the host's limits go on."""
    settings.FETCH_HOST_INTERVAL = 30
    url = a_host()
    first = politeness.try_acquire(url, now=1000.0)
    assert isinstance(first, politeness.HostSlot)
    politeness._redis().script_flush()
    wait = politeness.try_acquire(url, now=1001.0)
    assert wait == pytest.approx(29)  # told to come back at the host's next slot, not let through
    first.release()


def test_a_paste_spreads_each_sites_pages_over_its_interval(reporter, ratings, settings):
    settings.FETCH_HOST_INTERVAL = 2
    claim = log_claim(reporter)
    pasted = timezone.now()
    urls = [f"https://one.example/{n}" for n in range(3)] + ["https://two.example/"]
    services.citations_paste(actor=reporter, claim=claim, urls=urls)
    due = {s.url: (s.next_attempt_at - pasted).total_seconds() for s in Source.objects.all()}
    first_due = due["https://one.example/0"]
    assert due["https://one.example/1"] == pytest.approx(first_due + 2)
    assert due["https://one.example/2"] == pytest.approx(first_due + 4)
    assert due["https://two.example/"] == pytest.approx(first_due)  # another site: at once
    # The sweeper sends what is due now, and leaves the later pages to their time.
    Source.objects.update(next_attempt_at=F("next_attempt_at") - datetime.timedelta(seconds=1))
    due_now = {row.url for row in fetching.sources_due()}
    assert due_now == {"https://one.example/0", "https://two.example/"}


def test_the_sweeper_spreads_a_sites_overdue_pages_and_remembers_it(reporter, ratings, settings):
    """Pages of one site found due together (a worker restarted, a broker flushed) are sent
    an interval apart, and their rows say so, so the next sweep does not send them again."""
    settings.FETCH_HOST_INTERVAL = 1
    claim = log_claim(reporter)
    services.citations_paste(
        actor=reporter, claim=claim, urls=[f"https://one.example/{n}" for n in range(3)]
    )
    Source.objects.update(next_attempt_at=timezone.now() - datetime.timedelta(minutes=5))
    swept = timezone.now()
    rows = fetching.sources_due()
    assert len(rows) == 3
    offsets = sorted((row.next_attempt_at - swept).total_seconds() for row in Source.objects.all())
    assert offsets[1] == pytest.approx(offsets[0] + 1)
    assert offsets[2] == pytest.approx(offsets[0] + 2)
    assert [row.pk for row in fetching.sources_due()] == [rows[0].pk]  # only the first is due


def test_a_delivery_before_its_row_is_due_does_nothing(site, reporter, ratings, settings):
    settings.FETCH_HOST_INTERVAL = 5
    claim = log_claim(reporter)
    services.citations_paste(actor=reporter, claim=claim, urls=[f"{site.base}/a", f"{site.base}/b"])
    second = Source.objects.order_by("id").last()
    assert fetching.source_fetch(source_id=second.pk) is None  # due in 5 s
    second.refresh_from_db()
    assert (second.status, second.attempts) == (Source.Status.PENDING, 0)
    assert site.hits == []


@pytest.mark.worker
def test_a_pasted_site_is_fetched_an_interval_apart_without_sending_any_page_back(
    transactional_db, site, reporter, ratings, archive_storage, settings
):
    settings.FETCH_HOST_INTERVAL = 1  # the paste spreads the pages as the worker counts
    paths = [f"/story/{n}" for n in range(4)]
    for path in paths:
        site[path] = PAGE
    env = {
        "FETCH_ALLOW_NETWORKS": f"{HOST}/32",
        "STORAGE_DIR": str(archive_storage),
        "FETCH_HOST_INTERVAL": "1",
    }
    worker = WorkerProcess(env=env)
    try:
        claim = log_claim(reporter)
        services.citations_paste(actor=reporter, claim=claim, urls=[site.base + p for p in paths])
        wait_until(
            lambda: Source.objects.filter(status="done").count() == len(paths),
            timeout=60,
            what=lambda: list(Source.objects.values_list("status", "attempts", "last_error")),
        )
    finally:
        worker.stop()
    assert [site.hits.count(path) for path in paths] == [1, 1, 1, 1]
    # One fetch task per page: none came early and had to be put back.
    assert worker.log_path.read_text().count("source_fetch[") == len(paths) * 2  # received, done


def test_a_page_sent_back_for_its_slot_goes_behind_its_sites_waiting_pages(
    site, reporter, ratings, settings
):
    """At its slot it would be due with the next page of the spread, and the two would push
    each other on: it goes an interval after the last page of the site that waits."""
    settings.FETCH_HOST_INTERVAL = 5
    for path in ("/a", "/b", "/c"):
        site[path] = PAGE
    claim = log_claim(reporter)
    services.citations_paste(
        actor=reporter, claim=claim, urls=[site.base + p for p in ["/a", "/b", "/c"]]
    )
    first, second, third = Source.objects.order_by("id")
    assert fetch(first).status == Source.Status.DONE
    Source.objects.filter(pk=second.pk).update(next_attempt_at=timezone.now())  # as if early
    second = fetch(second)
    third.refresh_from_db()
    assert (second.status, second.attempts) == (Source.Status.PENDING, 0)
    assert second.next_attempt_at == third.next_attempt_at + datetime.timedelta(seconds=5)
    assert "/b" not in site.hits
