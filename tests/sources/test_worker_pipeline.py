"""The pipeline with a real worker on the real broker: nothing is lost, nothing is doubled."""

import re
import threading

import pytest
import redis
from django.conf import settings
from django.db import connection
from django.urls import reverse

from factdesk.sources import fetching, services
from factdesk.sources.models import Citation, Snapshot, Source
from factdesk.sources.tasks import source_fetch_task, sources_sweep
from tests.claims.flow import log_claim
from tests.conftest import WorkerProcess, wait_until
from tests.servers import Pages, serve

pytestmark = pytest.mark.worker

HOST = "127.0.0.4"
PAGE = b"<html><head><title>Figures</title></head><body><p>" + b"The rate fell. " * 40 + b"</p>"


@pytest.fixture
def site(settings, archive_storage):
    # The cite checks the address as the worker's fetch does: both allow the test site.
    settings.FETCH_ALLOW_NETWORKS = [f"{HOST}/32"]
    pages = Pages()
    server, base = serve(HOST, pages)
    pages.base = base
    pages.worker_env = {
        "FETCH_ALLOW_NETWORKS": f"{HOST}/32",
        "STORAGE_DIR": str(archive_storage),
        "FETCH_LEASE_SECONDS": "3",
        "FETCH_HOST_INTERVAL": "0",
        "FETCH_HOST_CONCURRENCY": "8",
    }
    yield pages
    server.shutdown()


def page(status=200):
    return (status, {"Content-Type": "text/html; charset=utf-8"}, PAGE)


@pytest.fixture
def worker_for(transactional_db):
    started = []

    def start(env):
        worker = WorkerProcess(env=env)
        started.append(worker)
        return worker

    yield start
    for worker in started:
        worker.stop()


def test_citing_through_the_page_fetches_with_the_worker(client, reporter, site, worker_for):
    site["/figures"] = page()
    worker_for(site.worker_env)
    claim = log_claim(reporter)
    client.force_login(reporter)
    client.post(
        reverse("sources:citation_add", args=[claim.pk]),
        {"urls": f"{site.base}/figures", "stance": "supports"},
    )
    source = Source.objects.get()
    wait_until(lambda: Source.objects.get(pk=source.pk).status == "done", what="done")
    assert Snapshot.objects.get(source=source).title == "Figures"
    panel = client.get(reverse("sources:panel", args=[claim.pk])).content.decode()
    assert "Archived" in panel
    assert "hx-trigger" not in panel  # settled: the panel stops polling


def test_a_worker_killed_mid_fetch_loses_nothing(reporter, site, worker_for):
    stalled, never = threading.Event(), threading.Event()

    def slow_then_fine():
        if not stalled.is_set():
            stalled.set()
            never.wait(timeout=8)  # hold the first fetch open until its worker is gone
        return page()

    site["/slow"] = slow_then_fine
    first = worker_for(site.worker_env)
    source = services.citation_add(
        actor=reporter, claim=log_claim(reporter), url=f"{site.base}/slow"
    ).source
    source_fetch_task.delay(source.pk)
    wait_until(stalled.is_set, what="the worker to start fetching")
    first.kill()  # kill -9 in the middle of the fetch
    assert Source.objects.get(pk=source.pk).status == "fetching"
    worker_for(site.worker_env)
    wait_until(
        lambda: [row.pk for row in fetching.sources_due()] == [source.pk],
        timeout=10,
        what="lease expiry",
    )
    sources_sweep()
    wait_until(lambda: Source.objects.get(pk=source.pk).status == "done", what="done")
    assert Snapshot.objects.filter(source=source).count() == 1


def test_flushing_the_broker_with_fifty_fetches_queued_loses_none(reporter, site, worker_for):
    claim = log_claim(reporter)
    for index in range(50):
        site[f"/page/{index}"] = page()
        source = services.citation_add(
            actor=reporter, claim=claim, url=f"{site.base}/page/{index}"
        ).source
        source_fetch_task.delay(source.pk)  # queued; no worker is running yet
    redis.Redis.from_url(settings.REDIS_URL).flushdb()
    worker_for(site.worker_env)
    sources_sweep()  # what beat runs every minute
    wait_until(
        lambda: Source.objects.filter(status="done").count() == 50,
        timeout=60,
        what="all fifty done",
    )
    assert Snapshot.objects.count() == 50


def test_the_same_task_delivered_twice_makes_one_snapshot(reporter, site, worker_for):
    site["/twice"] = page()
    worker = worker_for(site.worker_env)
    source = services.citation_add(
        actor=reporter, claim=log_claim(reporter), url=f"{site.base}/twice"
    ).source
    source_fetch_task.delay(source.pk)
    source_fetch_task.delay(source.pk)

    # Every delivery (both of these, and the one citing sent) has run to the end: the later
    # ones found the row leased or done. Counting "source_fetch[" lines alone let three
    # "received" and one "succeeded" pass for done.
    def all_ended() -> bool:
        ends = re.findall(
            r"source_fetch\[[^\]]+\] (received|succeeded)", worker.log_path.read_text()
        )
        received = ends.count("received")
        return received >= 2 and ends.count("succeeded") == received

    wait_until(all_ended, what=lambda: worker.log_path.read_text())
    assert Snapshot.objects.filter(source=source).count() == 1
    assert site.hits.count("/twice") == 1


def test_twenty_editors_citing_one_url_at_once_make_one_source(transactional_db, reporter):
    claims = [log_claim(reporter, f"Claim {index}") for index in range(20)]
    barrier = threading.Barrier(20)
    errors = []

    def cite(claim):
        try:
            barrier.wait()
            services.citation_add(
                actor=reporter, claim=claim, url="https://stats.example/the-report?utm_source=x"
            )
        except Exception as error:  # collected and asserted below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=cite, args=(claim,)) for claim in claims]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert Source.objects.count() == 1
    assert Citation.objects.count() == 20
