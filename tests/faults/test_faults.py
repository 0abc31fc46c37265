"""Faults on a running desk of its own (tests/faults/desk.py): a worker killed mid-fetch with
a lease shorter than the work, Redis stopped during a page load, a paste and a fetch,
PostgreSQL restarted during a fetch. After each, every source ends settled, nothing is
duplicated, and every page answered or said clearly what was wrong."""

from __future__ import annotations

import threading

import httpx
import pytest

from factdesk.core.waiting import wait_until
from tests.faults.desk import Desk
from tests.servers import Pages, serve

pytestmark = pytest.mark.worker
SITE_HOST = "127.0.0.11"
PAGE = (200, {"Content-Type": "text/html"}, b"<html><title>A page</title><p>The text.</p></html>")


class Stall:
    """A page that holds its answer until the test releases it."""

    def __init__(self) -> None:
        self.asked = threading.Event()
        self.released = threading.Event()

    def __call__(self):
        self.asked.set()
        self.released.wait(timeout=120)
        return PAGE


@pytest.fixture(scope="module")
def site():
    pages = Pages()
    server, pages.base = serve(SITE_HOST, pages)
    yield pages
    server.shutdown()


@pytest.fixture
def desk(site):
    desk = Desk(lease_seconds=4)
    try:
        desk.start(site_network=f"{SITE_HOST}/32")
        yield desk
    finally:
        desk.stop()


def cite(desk: Desk, client: httpx.Client, url: str) -> httpx.Response:
    return client.post(
        f"/claims/{desk.claim_id()}/citations/",
        data={"urls": url, "stance": "context"},
        headers={"HX-Request": "true"},
    )


def source(desk: Desk, url: str) -> tuple:
    rows = desk.rows(
        "SELECT s.status, s.attempts, s.last_error, count(n.id) FROM sources_source s "
        "LEFT JOIN sources_snapshot n ON n.source_id = s.id WHERE s.url = %s "
        "GROUP BY s.id",
        url,
    )
    assert len(rows) == 1, rows  # one source for one URL, however the faults went
    return rows[0]


def settled(desk: Desk, url: str):
    def check():
        desk.sweep()
        return source(desk, url)[0] in ("done", "failed")

    return check


def test_a_worker_killed_mid_fetch_past_its_lease_ends_with_one_snapshot(desk, site):
    stall = Stall()
    site["/killed"] = stall
    url = f"{site.base}/killed"
    worker = desk.start_worker()
    assert cite(desk, desk.editor(), url).status_code == 200
    wait_until(stall.asked.is_set, timeout=30, what="the worker to start fetching")
    desk.kill(worker)  # kill -9 with the fetch under way; its lease runs out in 4 s
    stall.released.set()
    desk.start_worker()
    wait_until(settled(desk, url), timeout=60, what=lambda: (source(desk, url), desk.worker_logs()))
    status, attempts, error, snapshots = source(desk, url)
    assert (status, snapshots) == ("done", 1), (status, error)
    assert attempts == 2  # the killed lease counted


def test_pages_and_a_paste_work_while_redis_is_down_and_the_fetch_follows(desk, site):
    site["/while-down"] = PAGE
    url = f"{site.base}/while-down"
    client = desk.editor()
    desk.start_worker()
    desk.redis.stop()
    for page in ("/", "/claims/", f"/claims/{desk.claim_id()}/", "/articles/"):
        assert client.get(page).status_code == 200, page
    response = cite(desk, client, url)
    assert response.status_code == 200
    assert "Waiting to be fetched" in client.get(f"/claims/{desk.claim_id()}/sources/").text
    assert source(desk, url)[0] == "pending"  # saved, and waiting for the broker
    desk.redis.start()
    wait_until(settled(desk, url), timeout=60, what=lambda: (source(desk, url), desk.worker_logs()))
    assert source(desk, url)[0::3] == ("done", 1)


def fetch_under_way(desk: Desk, site: Pages, path: str) -> tuple[str, Stall]:
    """A page cited and its fetch started by a worker, held until the stall is released."""
    stall = site[path] = Stall()
    url = f"{site.base}{path}"
    desk.start_worker()
    assert cite(desk, desk.editor(), url).status_code == 200
    wait_until(stall.asked.is_set, timeout=30, what="the worker to start fetching")
    return url, stall


def test_redis_stopping_during_a_fetch_loses_nothing(desk, site):
    url, stall = fetch_under_way(desk, site, "/redis-mid-fetch")
    desk.redis.stop()
    stall.released.set()
    # The archive is written to PostgreSQL whatever Redis does.
    wait_until(lambda: source(desk, url)[0] != "fetching", timeout=30, what="the fetch to end")
    desk.redis.start()
    wait_until(settled(desk, url), timeout=60, what=lambda: (source(desk, url), desk.worker_logs()))
    assert source(desk, url)[0::3] == ("done", 1)


def test_postgres_restarting_during_a_fetch_loses_nothing(desk, site):
    url, stall = fetch_under_way(desk, site, "/pg-mid-fetch")
    desk.restart_postgres()
    stall.released.set()
    wait_until(settled(desk, url), timeout=90, what=lambda: (source(desk, url), desk.worker_logs()))
    status, _, error, snapshots = source(desk, url)
    assert (status, snapshots) == ("done", 1), error
    assert desk.editor().get("/claims/").status_code == 200  # the web reconnects too
