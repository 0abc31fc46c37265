"""robots.txt and per-host limits, against real local servers (and real workers)."""

import itertools
import threading
import time
import uuid

import pytest
from django.utils import timezone

from factdesk.sources import politeness, services
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
    services.source_fetch(source_id=source.pk)
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
    assert fetch(cite(reporter, f"{site.base}/one")).status == Source.Status.DONE
    second = fetch(cite(reporter, f"{site.base}/two"))
    assert second.status == Source.Status.PENDING
    assert second.attempts == 0
    wait = (second.next_attempt_at - timezone.now()).total_seconds()
    assert 25 < wait <= 30
    assert "/two" not in site.hits


@pytest.mark.worker
def test_two_workers_never_exceed_the_per_host_limits(
    transactional_db, site, reporter, archive_storage
):
    lock = threading.Lock()
    running, starts, peak = [0], [], [0]

    def slow_page():
        with lock:
            running[0] += 1
            peak[0] = max(peak[0], running[0])
            starts.append(time.monotonic())
        threading.Event().wait(1.5)
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
        wait_until(
            lambda: Source.objects.filter(status="done").count() == len(paths),
            timeout=60,
            what=lambda: list(
                Source.objects.values_list("status", "attempts", "next_attempt_at", "last_error")
            ),
        )
    finally:
        for worker in workers:
            worker.stop()
    assert peak[0] == 2  # a page takes 1.5 s and they start 1 s apart: two overlap, never three
    gaps = [later - earlier for earlier, later in itertools.pairwise(starts)]
    # Slots are taken 1 s apart; a request reaches the server a moment after its slot is
    # taken, and that moment varies with the machine's load (up to ~0.1 s seen on CI).
    assert min(gaps) >= 0.75, gaps


def test_a_fetch_told_to_wait_is_promised_the_next_slot(settings):
    settings.FETCH_HOST_INTERVAL = 0.5
    url = f"http://promise-{uuid.uuid4().hex[:8]}.example/page"  # a host of this run's own
    first = politeness.acquire(url, ticket="a")
    assert isinstance(first, politeness.HostSlot)
    first.release()
    wait_b = politeness.acquire(url, ticket="b")
    wait_c = politeness.acquire(url, ticket="c")
    assert 0.3 < wait_b <= 0.5  # the slot after the first start
    assert 0.8 < wait_c <= 1.0  # and the one after that: promised, not raced for
    threading.Event().wait(wait_b + 0.01)
    assert not isinstance(politeness.acquire(url, ticket="c"), politeness.HostSlot)
    granted = politeness.acquire(url, ticket="b")  # its slot has come
    assert isinstance(granted, politeness.HostSlot)
    granted.release()


def test_the_limits_hold_after_redis_forgets_the_script(settings):
    """The script is sent by its SHA-1: a Redis restarted (or its script cache flushed)
    has to be given it again, and the host's limits go on."""
    settings.FETCH_HOST_INTERVAL = 30
    url = f"http://restart-{uuid.uuid4().hex[:8]}.example/page"
    first = politeness.acquire(url, ticket="a")
    assert isinstance(first, politeness.HostSlot)
    politeness._redis().script_flush()
    wait = politeness.acquire(url, ticket="b")
    assert 29 < wait <= 30  # told to come back at the host's next slot, not let through
    first.release()


def test_a_paste_sends_one_page_per_site_and_queues_the_others_behind_it(
    reporter, ratings, settings
):
    settings.FETCH_HOST_INTERVAL = 1
    claim = log_claim(reporter)
    urls = [f"https://one.example/{n}" for n in range(3)] + ["https://two.example/"]
    services.citations_add(actor=reporter, claim=claim, urls=urls)
    rows = {s.url: s for s in Source.objects.all()}
    assert {url: row.awaiting_host for url, row in rows.items()} == {
        "https://one.example/0": False,
        "https://one.example/1": True,
        "https://one.example/2": True,
        "https://two.example/": False,
    }
    # The sweeper leaves the waiting pages to their chain (a minute past their turn).
    first = [rows["https://one.example/0"].pk, rows["https://two.example/"].pk]
    assert sorted(services.sources_due()) == sorted(first)


def test_each_page_as_it_starts_sends_the_next_of_its_site_for_the_next_slot(
    site, reporter, ratings, settings
):
    settings.FETCH_HOST_INTERVAL = 1
    for n in range(3):
        site[f"/{n}"] = PAGE
    claim = log_claim(reporter)
    services.citations_add(actor=reporter, claim=claim, urls=[f"{site.base}/{n}" for n in range(3)])
    first, second, third = Source.objects.order_by("id")
    assert fetch(first).status == Source.Status.DONE
    second.refresh_from_db()
    third.refresh_from_db()
    assert not second.awaiting_host  # sent to the queue, for the site's next slot
    assert third.awaiting_host  # its turn comes when the second starts
    # Arriving before its slot (as an early duplicate would), it is told to come back then,
    # without using up an attempt.
    started = timezone.now()
    second = fetch(second)
    assert second.status == Source.Status.PENDING
    assert second.attempts == 0
    # At its slot: an interval after the first page started, so within a second from now.
    assert 0 < (second.next_attempt_at - started).total_seconds() <= 1.0
    assert site.hits.count("/1") == 0


def test_a_page_that_cannot_start_still_sends_on_the_next(site, reporter, ratings):
    site["/robots.txt"] = (503, {}, b"")
    claim = log_claim(reporter)
    services.citations_add(actor=reporter, claim=claim, urls=[f"{site.base}/a", f"{site.base}/b"])
    first, second = Source.objects.order_by("id")
    assert fetch(first).status == Source.Status.PENDING  # robots.txt: try later
    second.refresh_from_db()
    assert not second.awaiting_host  # not stuck behind it: it learns its own outcome


@pytest.mark.worker
def test_a_pasted_site_is_fetched_an_interval_apart_without_sending_any_page_back(
    transactional_db, site, reporter, ratings, archive_storage
):
    starts = []

    def page():
        starts.append(time.monotonic())
        return PAGE

    paths = [f"/story/{n}" for n in range(4)]
    for path in paths:
        site[path] = page
    env = {
        "FETCH_ALLOW_NETWORKS": f"{HOST}/32",
        "STORAGE_DIR": str(archive_storage),
        "FETCH_HOST_INTERVAL": "1",
    }
    worker = WorkerProcess(env=env)
    try:
        claim = log_claim(reporter)
        services.citations_add(actor=reporter, claim=claim, urls=[site.base + p for p in paths])
        wait_until(
            lambda: Source.objects.filter(status="done").count() == len(paths),
            timeout=60,
            what=lambda: list(Source.objects.values_list("status", "awaiting_host", "last_error")),
        )
    finally:
        worker.stop()
    assert [site.hits.count(path) for path in paths] == [1, 1, 1, 1]
    gaps = [later - earlier for earlier, later in itertools.pairwise(starts)]
    assert min(gaps) >= 0.75, gaps
    # One fetch task per page: none came early and had to be put back.
    assert worker.log_path.read_text().count("source_fetch[") == len(paths) * 2  # received, done
