"""Being a polite crawler: robots.txt, and per-host limits shared by every worker.

Limits live in Redis, so that all workers on all machines share them: at most
FETCH_HOST_CONCURRENCY fetches at once per host, starting at least FETCH_HOST_INTERVAL
seconds apart (or the robots.txt Crawl-delay, if longer). A worker that finds the host busy
does not wait (beyond a moment): it reschedules the row for the next slot and takes other
work.
"""

from __future__ import annotations

import functools
import logging
import time
import uuid
from dataclasses import dataclass
from urllib.parse import urlsplit

import redis
from django.conf import settings
from django.core.cache import cache, caches
from protego import Protego
from redis.commands.core import Script

from factdesk.core.http import FetchError, GuardedClient

logger = logging.getLogger(__name__)

ROBOTS_CACHE_SECONDS = 3600
# A slot this close is waited for in the worker rather than sent back through the broker.
# Pages of one site come at their slots, but a slot is counted from when the site's last
# fetch started: when that one started late, the next page comes early for its slot by as
# much. A site's first fetch reads robots.txt before it starts, 0.4 s late in a test suite
# run on a busy machine, and 0.25 s here sent the second page back.
SHORT_WAIT = 1.0
LONGEST_WAIT = 3.0
_ALLOW_ALL = "\x00allow-all"

# KEYS[1]: the host's set of running fetches (token -> expiry); KEYS[2]: the time of its
# latest start. ARGV: now, token, lease seconds, concurrency, interval.
# Returns '0' when the fetch may start now (and counts it as started), else the seconds
# until the host's next slot. Starts are counted as they happen: a fetch that comes late for
# its slot does not let the next one in early.
_ACQUIRE = """
local now = tonumber(ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
local slot = tonumber(redis.call('GET', KEYS[2]) or '-1e18') + tonumber(ARGV[5])
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[4]) then
    -- The host is full: a running fetch ends in seconds.
    slot = math.max(slot, now + 0.5)
end
if slot > now then
    return tostring(slot - now)
end
redis.call('SET', KEYS[2], tostring(now), 'EX', 3600)
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[3]), ARGV[2])
redis.call('EXPIRE', KEYS[1], 3600)
return '0'
"""


class RobotsForbid(FetchError):  # noqa: N818 - reads as the reason
    """robots.txt disallows the page (permanent)."""


@dataclass
class HostSlot:
    host: str
    token: str

    def release(self) -> None:
        """Free the place at once; with Redis unreachable it frees itself at the lease's end,
        and the page just fetched is archived all the same."""
        try:
            _redis().zrem(_running_key(self.host), self.token)
        except redis.RedisError as error:
            logger.warning("politeness slot of %s not released (%s)", self.host, error)


def _redis() -> redis.Redis:
    # One client (and connection pool) per Redis URL, not one per fetch.
    return _client_for(settings.REDIS_URL)


@functools.lru_cache(maxsize=4)
def _client_for(url: str) -> redis.Redis:
    return redis.Redis.from_url(url)


@functools.lru_cache(maxsize=4)
def _acquire_script(url: str) -> Script:
    # Sent by its SHA-1, not in full on every fetch; loaded again if Redis has lost it.
    return _client_for(url).register_script(_ACQUIRE)


def _running_key(host: str) -> str:
    return f"politeness:{host}:running"


def host_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc.lower()}"


def robots_rules(url: str, client: GuardedClient) -> Protego | None:
    """The host's robots.txt, cached per host. None means everything is allowed.

    A 4xx robots.txt means no rules; a 5xx or an unreachable one means "try later" (the
    standard, RFC 9309, asks crawlers to assume complete disallow meanwhile)."""
    key = f"robots:{host_of(url)}"
    # Read by every fetch: a minute's copy in this process saves most trips to Redis.
    text = caches["process"].get(key)
    if text is None:
        text = cache.get(key)
        if text is None:
            text = _fetch_robots(url, client, key)
        caches["process"].set(key, text)
    return None if text == _ALLOW_ALL else _parse_robots(text)


def _fetch_robots(url: str, client: GuardedClient, key: str) -> str:
    # If robots.txt is unreachable, so is the page: its FetchError is the reason.
    result = client.get(f"{host_of(url)}/robots.txt")
    if result.status >= 500:
        raise FetchError(f"robots.txt answered {result.status}; will try again.", permanent=False)
    text = result.body.decode("utf-8", "replace") if result.status < 400 else _ALLOW_ALL
    cache.set(key, text, ROBOTS_CACHE_SECONDS)
    return text


@functools.lru_cache(maxsize=256)
def _parse_robots(text: str) -> Protego:
    """Parsed once per process and text: every fetch of the host reads the same rules."""
    return Protego.parse(text)


def check_robots(url: str, client: GuardedClient) -> float:
    """Raise RobotsForbid when robots.txt disallows the URL; return its Crawl-delay (0 if
    none) for factdesk's user agent."""
    rules = robots_rules(url, client)
    if rules is None:
        return 0.0
    agent = client.user_agent.split("/")[0]
    if not rules.can_fetch(url, agent):
        raise RobotsForbid("robots.txt forbids fetching this page.")
    return float(rules.crawl_delay(agent) or 0)


def acquire(url: str, crawl_delay: float = 0.0) -> HostSlot | float:
    """Take a fetch slot for the URL's host, or learn how many seconds until its next one.
    A slot due within SHORT_WAIT is waited for here, and the next one again when another
    page of the site took it first (two late deliveries wake for the same slot), up to
    LONGEST_WAIT in all."""
    deadline = time.monotonic() + LONGEST_WAIT
    slot = try_acquire(url, crawl_delay)
    while (
        not isinstance(slot, HostSlot)
        and slot <= SHORT_WAIT
        and time.monotonic() + slot <= deadline
    ):
        time.sleep(slot)
        slot = try_acquire(url, crawl_delay)
    return slot


def try_acquire(
    url: str, crawl_delay: float = 0.0, *, now: float | None = None
) -> HostSlot | float:
    """One try at the host's slot at time `now` (the epoch seconds; the clock by default)."""
    host, token = host_of(url), uuid.uuid4().hex
    keys = [_running_key(host), f"politeness:{host}:last"]
    args: list[str | float] = [
        time.time() if now is None else now,
        token,
        settings.FETCH_LEASE_SECONDS,
        settings.FETCH_HOST_CONCURRENCY,
        max(settings.FETCH_HOST_INTERVAL, crawl_delay),
    ]
    wait = float(_acquire_script(settings.REDIS_URL)(keys=keys, args=args))
    return HostSlot(host, token) if wait == 0 else wait
