"""What /healthz checks: PostgreSQL, Redis, and a worker on each queue, each with a timeout."""

from __future__ import annotations

import time
from dataclasses import dataclass

import redis
from celery.exceptions import TimeoutError as CeleryTimeoutError
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from factdesk.core.tasks import BEAT_HEARTBEAT_KEY, health_check

QUEUES = ("default", "fetch")


@dataclass
class Check:
    ok: bool
    detail: str
    seconds: float

    def as_json(self) -> dict:
        return {"ok": self.ok, "detail": self.detail, "seconds": round(self.seconds, 3)}


def _timed(probe) -> Check:
    started = time.monotonic()
    try:
        detail = probe()
        ok = True
    except Exception as error:  # a health check reports every failure, whatever its type
        detail = f"{type(error).__name__}: {error}"
        ok = False
    return Check(ok=ok, detail=detail, seconds=time.monotonic() - started)


def _check_postgres() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT version()")
        (version,) = cursor.fetchone()
    return version.split(" on ")[0]


def _check_redis() -> str:
    client = redis.Redis.from_url(settings.REDIS_URL, socket_timeout=2, socket_connect_timeout=2)
    try:
        client.ping()
    finally:
        client.close()
    return "PONG"


def _check_workers() -> dict[str, Check]:
    """Send a health_check to every queue at once, then wait for the replies together.

    Each message expires when we stop waiting, so a worker that comes back later does not
    find a backlog of stale health checks.
    """
    timeout = settings.HEALTHZ_WORKER_TIMEOUT
    started = time.monotonic()
    pending = {queue: health_check.apply_async(queue=queue, expires=timeout) for queue in QUEUES}
    checks = {}
    for queue, result in pending.items():
        remaining = max(0.1, timeout - (time.monotonic() - started))
        try:
            reply = result.get(timeout=remaining, disable_sync_subtasks=False)
            checks[queue] = Check(
                True, f"answered by {reply['worker']}", time.monotonic() - started
            )
        except CeleryTimeoutError:
            detail = f"no worker on queue {queue!r} answered within {timeout:g} s"
            checks[queue] = Check(False, detail, time.monotonic() - started)
        except Exception as error:  # a health check reports every failure, whatever its type
            checks[queue] = Check(
                False, f"{type(error).__name__}: {error}", time.monotonic() - started
            )
        finally:
            result.forget()
    return checks


def _worker_checks(*, redis_ok: bool) -> dict[str, Check]:
    if not redis_ok:
        down = Check(ok=False, detail="Redis is down, so no worker can be reached", seconds=0)
        return dict.fromkeys(QUEUES, down)
    return _check_workers()


def _beat_status() -> dict:
    raw = cache.get(BEAT_HEARTBEAT_KEY)
    last = parse_datetime(raw) if raw else None
    if last is None:
        return {"ok": False, "detail": "no heartbeat from celery beat yet"}
    age = (timezone.now() - last).total_seconds()
    return {"ok": age < 150, "detail": f"last heartbeat {age:.0f} s ago"}


def health_report() -> tuple[bool, dict]:
    """Run every check; the desk is healthy only when all required checks pass.

    Beat is reported but not required: a desk without beat still serves editors, and beat
    only runs once a minute, so a just-started desk would otherwise look broken.
    """
    checks = {"postgres": _timed(_check_postgres), "redis": _timed(_check_redis)}
    for queue, check in _worker_checks(redis_ok=checks["redis"].ok).items():
        checks[f"worker:{queue}"] = check
    healthy = all(check.ok for check in checks.values())
    report = {name: check.as_json() for name, check in checks.items()}
    report["beat"] = (
        _beat_status() if checks["redis"].ok else {"ok": False, "detail": "Redis is down"}
    )
    return healthy, {"status": "ok" if healthy else "unavailable", "checks": report}
