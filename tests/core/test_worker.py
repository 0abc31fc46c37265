"""A task crosses the real broker to a real worker; /healthz sees the worker come and go,
and tells a busy worker from a dead one."""

import threading

import pytest

from factdesk.core.tasks import health_check
from factdesk.sources import services
from factdesk.sources.tasks import source_fetch_task
from tests.claims.flow import log_claim
from tests.conftest import WorkerProcess, wait_until
from tests.servers import local_site

pytestmark = pytest.mark.worker


def test_task_round_trip_through_real_worker(celery_worker):
    reply = health_check.delay().get(timeout=20)
    assert reply["worker"]


def test_healthz_is_green_with_worker_and_turns_503_when_it_dies(celery_worker, client):
    response = client.get("/healthz")
    assert response.status_code == 200, response.json()
    checks = response.json()["checks"]
    assert checks["postgres"]["ok"]
    assert checks["redis"]["ok"]
    assert checks["worker:default"]["ok"]
    assert checks["worker:fetch"]["ok"]

    celery_worker.kill()  # kill -9: its heartbeat lapses a few seconds later

    wait_until(lambda: client.get("/healthz").status_code == 503, what="/healthz to say 503")
    body = client.get("/healthz").json()
    assert body["status"] == "unavailable"
    assert body["checks"]["postgres"]["ok"]
    assert body["checks"]["redis"]["ok"]
    assert not body["checks"]["worker:default"]["ok"]
    assert "no worker on queue 'default' is running" in body["checks"]["worker:default"]["detail"]


def test_a_worker_whose_threads_are_all_busy_is_reported_busy_not_dead(
    transactional_db, client, reporter, ratings, settings, archive_storage
):
    settings.HEALTHZ_WORKER_TIMEOUT = 1
    release = threading.Event()
    asked = threading.Event()

    def stalled():
        asked.set()
        release.wait(timeout=60)
        return 200, {"Content-Type": "text/plain"}, b"at last"

    with local_site("127.0.0.8", settings) as site:
        site["/slow"] = stalled
        env = {"FETCH_ALLOW_NETWORKS": "127.0.0.8/32", "STORAGE_DIR": str(archive_storage)}
        worker = WorkerProcess(concurrency=1, env=env)  # one thread for both queues
        try:
            source = services.citation_add(
                actor=reporter, claim=log_claim(reporter), url=f"{site.base}/slow"
            ).source
            source_fetch_task.delay(source.pk)
            wait_until(asked.is_set, what="the worker to start the slow fetch")
            response = client.get("/healthz")
            assert response.status_code == 200, response.json()
            fetch = response.json()["checks"]["worker:fetch"]
            assert fetch["ok"]
            assert fetch["detail"].startswith("busy: ")
            assert "did not answer within 1 s" in fetch["detail"]
        finally:
            release.set()
            worker.stop()
    # Stopped cleanly, the worker is gone at once.
    response = client.get("/healthz")
    assert response.status_code == 503
    assert "is running" in response.json()["checks"]["worker:fetch"]["detail"]


def test_healthz_reports_redis_down(db, client, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    response = client.get("/healthz")
    assert response.status_code == 503
    assert not response.json()["checks"]["redis"]["ok"]
    assert response.json()["checks"]["worker:default"]["detail"].startswith("Redis is down")
