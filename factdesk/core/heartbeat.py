"""Workers say they are alive, apart from answering: a busy worker (every thread on a slow
fetch) is not a dead one. Each worker process writes a key in Redis every few seconds from a
thread of its own, naming its queues; the key lapses soon after the worker dies."""

from __future__ import annotations

import contextlib
import json
import logging
import threading

import redis
from django.conf import settings

logger = logging.getLogger(__name__)

INTERVAL = 2.0  # seconds between heartbeats
LIFETIME = 3 * INTERVAL  # a heartbeat this old means the worker is gone
PREFIX = "healthz:worker:"


def client() -> redis.Redis:
    """A client that gives up after 2 s, for checks that must answer in bounded time."""
    return redis.Redis.from_url(
        settings.REDIS_URL, socket_timeout=2, socket_connect_timeout=2, decode_responses=True
    )


class Heartbeat:
    def __init__(self, worker: str, queues: list[str]) -> None:
        self.key = PREFIX + worker
        self.value = json.dumps({"worker": worker, "queues": sorted(queues)})
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._beat, name="heartbeat", daemon=True)

    def start(self) -> None:
        self.thread.start()

    def stop(self) -> None:
        self.stopped.set()
        self.thread.join(timeout=INTERVAL * 2)
        with contextlib.suppress(redis.RedisError):
            client().delete(self.key)  # a worker that stops cleanly is gone at once

    def _beat(self) -> None:
        redis_client = client()
        while not self.stopped.is_set():
            try:
                redis_client.set(self.key, self.value, px=int(LIFETIME * 1000))
            except redis.RedisError as error:  # Redis is down: /healthz says so itself
                logger.debug("heartbeat not written: %s", error)
            self.stopped.wait(INTERVAL)


def live_workers() -> dict[str, list[str]]:
    """Queue -> the workers whose heartbeat is current."""
    redis_client = client()
    queues: dict[str, list[str]] = {}
    keys = list(redis_client.scan_iter(match=PREFIX + "*", count=100))
    for raw in redis_client.mget(keys) if keys else []:
        if raw is None:
            continue
        beat = json.loads(raw)
        for queue in beat["queues"]:
            queues.setdefault(queue, []).append(beat["worker"])
    return queues
