"""What /healthz checks: PostgreSQL, Redis, and a worker on each queue, each with a timeout,
and the whole check bounded in time (a load balancer's probe must not hang)."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass

import redis
from celery.exceptions import TimeoutError as CeleryTimeoutError
from django.conf import settings
from django.db import connection
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from factdesk.core import heartbeat
from factdesk.core.tasks import BEAT_HEARTBEAT_KEY, health_check

QUEUES = ("default", "fetch")
# The round trip through the broker runs here, so that a Redis dying mid-check (a publish or
# a result read that hangs) cannot hold the request past its bound.
_round_trips = ThreadPoolExecutor(max_workers=2, thread_name_prefix="healthz")


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
    client = heartbeat.client()
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
    """A worker that answered is ok; one that did not but whose heartbeat is current is busy
    (still ok: its threads are on long fetches); one with neither is gone."""
    if not redis_ok:
        down = Check(ok=False, detail="Redis is down, so no worker can be reached", seconds=0)
        return dict.fromkeys(QUEUES, down)
    timeout = settings.HEALTHZ_WORKER_TIMEOUT
    started = time.monotonic()
    try:
        checks = _round_trips.submit(_check_workers).result(timeout=timeout + 1)
    except FutureTimeout:
        late = Check(False, f"the broker did not answer within {timeout:g} s", timeout + 1)
        checks = dict.fromkeys(QUEUES, late)
    if all(check.ok for check in checks.values()):
        return checks
    try:
        alive = heartbeat.live_workers()
    except redis.RedisError:
        alive = {}
    for queue, check in checks.items():
        if check.ok:
            continue
        seconds = time.monotonic() - started
        if workers := alive.get(queue):
            detail = (
                f"busy: {', '.join(sorted(workers))} is running (its heartbeat is current) "
                f"but did not answer within {timeout:g} s"
            )
            checks[queue] = Check(True, detail, seconds)
        else:
            detail = f"no worker on queue {queue!r} is running ({check.detail}, and no heartbeat)"
            checks[queue] = Check(False, detail, seconds)
    return checks


def _beat_status() -> dict:
    raw = heartbeat.client().get(BEAT_HEARTBEAT_KEY)
    last = parse_datetime(str(raw)) if raw else None
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
