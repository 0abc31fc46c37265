"""A task crosses the real broker to a real worker; /healthz sees the worker come and go."""

import pytest

from factdesk.core.tasks import health_check

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

    celery_worker.kill()

    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["checks"]["postgres"]["ok"]
    assert body["checks"]["redis"]["ok"]
    assert not body["checks"]["worker:default"]["ok"]
    assert "no worker on queue 'default' answered" in body["checks"]["worker:default"]["detail"]


def test_healthz_reports_redis_down(db, client, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    response = client.get("/healthz")
    assert response.status_code == 503
    assert not response.json()["checks"]["redis"]["ok"]
    assert response.json()["checks"]["worker:default"]["detail"].startswith("Redis is down")
