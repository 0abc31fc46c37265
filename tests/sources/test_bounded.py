"""Reading within a budget: a PDF that inflates to tens of megabytes of drawing operators is
archived, not read for minutes; long text is cut with a note; small pages read as before."""

from __future__ import annotations

import psutil
import pytest

from factdesk.sources import bounded, services
from factdesk.sources.models import Snapshot, Source
from factdesk.sources.reading import MAX_TEXT_CHARS, read_body
from factdesk.sources.tasks import source_fetch_task
from tests.claims.flow import log_claim
from tests.conftest import WorkerProcess, wait_until
from tests.servers import local_site
from tests.sources.files import inflating_pdf, text_pdf

HOST = "127.0.0.12"


def test_a_pdf_past_its_time_budget_is_archived_with_the_reason(settings):
    settings.READ_SECONDS = 1
    reading = bounded.read_within_budget(inflating_pdf(30), "application/pdf", None, "")
    assert reading.status == Snapshot.Reading.TOO_LARGE
    assert reading.text == ""
    assert reading.failure == "This PDF is too large to read within 1 second; the file is archived."


def test_a_read_past_its_memory_budget_is_archived_with_the_reason(settings):
    settings.READ_MEMORY_MB = 64  # less than the child has mapped: nothing more can be had
    settings.READ_SECONDS = 60
    reading = bounded.read_within_budget(inflating_pdf(30), "application/pdf", None, "")
    assert reading.status == Snapshot.Reading.TOO_LARGE
    assert "more memory than allowed" in reading.failure


def test_a_small_pdf_reads_in_a_child_and_says_what_it_says(settings):
    reading = bounded.read_within_budget(
        text_pdf("Unemployment fell."), "application/pdf", None, ""
    )
    assert reading.status == Snapshot.Reading.TEXT
    assert "Unemployment fell." in reading.text


def test_text_past_the_cap_is_cut_with_a_note():
    reading = read_body(b"word " * (MAX_TEXT_CHARS // 4), "text/plain", "utf-8", "")
    assert len(reading.text) < MAX_TEXT_CHARS + 200
    assert reading.text.endswith("the file is archived whole.]")


@pytest.mark.worker
def test_a_worker_reads_an_inflating_pdf_once_archives_it_once_and_stays_small(
    transactional_db, reporter, ratings, settings, archive_storage
):
    with local_site(HOST, settings) as site:
        site["/report.pdf"] = (200, {"Content-Type": "application/pdf"}, inflating_pdf(30))
        env = {
            "FETCH_ALLOW_NETWORKS": f"{HOST}/32",
            "STORAGE_DIR": str(archive_storage),
            "READ_SECONDS": "2",
            "FETCH_LEASE_SECONDS": "10",  # longer than the work: fetch, then 2 s of reading
        }
        worker = WorkerProcess(queues="fetch", env=env)  # a fetch worker, as deployed
        try:
            source = services.citation_add(
                actor=reporter, claim=log_claim(reporter), url=f"{site.base}/report.pdf"
            ).source
            source_fetch_task.delay(source.pk)
            wait_until(
                lambda: Source.objects.get(pk=source.pk).status == Source.Status.DONE,
                timeout=60,
                what=lambda: Source.objects.values("status", "attempts", "last_error").get(),
            )
            site_hits = list(site.hits)
            main = psutil.Process(worker.process.pid)
            rss = sum(p.memory_info().rss for p in [main, *main.children(recursive=True)])
        finally:
            worker.stop()
    source.refresh_from_db()
    snapshot = Snapshot.objects.get(source=source)  # one snapshot
    assert snapshot.reading == Snapshot.Reading.TOO_LARGE
    assert snapshot.text == ""
    assert source.last_error.startswith("This PDF is too large to read within 2 seconds")
    assert source.attempts == 1  # one lease, one read
    assert site_hits == ["/robots.txt", "/report.pdf"]  # fetched once, so read once
    assert rss < 400 * 1024 * 1024, f"worker and its children use {rss / 1e6:.0f} MB"
