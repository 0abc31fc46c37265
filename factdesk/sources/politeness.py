"""Being a polite crawler: robots.txt, and per-host limits shared by every worker.

Limits live in Redis, so that all workers on all machines share them: at most
FETCH_HOST_CONCURRENCY fetches at once per host, starting at least FETCH_HOST_INTERVAL
seconds apart (or the robots.txt Crawl-delay, if longer). A worker that finds the host busy
does not wait: it reschedules the row and takes other work.
"""

from __future__ import annotations

import functools
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

ROBOTS_CACHE_SECONDS = 3600
_ALLOW_ALL = "\x00allow-all"

# KEYS[1]: the host's set of running fetches (token -> expiry); KEYS[2]: the time of its
# latest start; KEYS[3]: the latest slot promised to anyone; KEYS[4]: the slot promised to
# this ticket. ARGV: now, token, lease seconds (also how long a promise outlives its slot),
# concurrency, interval, and "reserve" to promise a slot without starting.
# Returns '0' when the fetch may start now, else the seconds until its slot. Starts are an
# interval apart however late a fetch comes for its slot. A fetch told to wait is promised
# the next free slot, so it waits once, however busy the host is.
_ACQUIRE = """
local now = tonumber(ARGV[1])
local concurrency = tonumber(ARGV[4])
local interval = tonumber(ARGV[5])
local reserving = ARGV[6] == 'reserve'
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
local running = redis.call('ZCARD', KEYS[1])
local last = tonumber(redis.call('GET', KEYS[2]) or '-1e18')
local booked = tonumber(redis.call('GET', KEYS[3]) or '-1e18')
local promised = redis.call('GET', KEYS[4])
local slot
if promised then
    slot = math.max(tonumber(promised), last + interval)
else
    slot = math.max(last, booked) + interval
end
if running >= concurrency and not reserving then
    -- The host is full: a running fetch ends in seconds.
    slot = math.max(slot, now + 0.5)
end
if slot > now or reserving then
    slot = math.max(slot, now)
    redis.call('SET', KEYS[4], tostring(slot), 'EX', math.ceil(slot - now + ARGV[3]))
    if slot > booked then
        redis.call('SET', KEYS[3], tostring(slot), 'EX', 3600)
    end
    return tostring(slot - now)
end
redis.call('DEL', KEYS[4])
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
        _redis().zrem(_running_key(self.host), self.token)


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


def acquire(url: str, crawl_delay: float = 0.0, *, ticket: str = "") -> HostSlot | float:
    """Take a fetch slot for the URL's host, or learn how many seconds to wait for the one
    promised to `ticket` (the same ticket, coming back then, is let through)."""
    host, token = host_of(url), uuid.uuid4().hex
    waited = _acquire(host, crawl_delay, ticket or token, token)
    return HostSlot(host, token) if waited == 0 else waited


def reserve(url: str, ticket: str, crawl_delay: float = 0.0) -> float:
    """Promise `ticket` the host's next slot without starting anything: the seconds until it."""
    return _acquire(host_of(url), crawl_delay, ticket, "", "reserve")


def _acquire(host: str, crawl_delay: float, ticket: str, token: str, mode: str = "") -> float:
    keys = [
        _running_key(host),
        f"politeness:{host}:last",
        f"politeness:{host}:booked",
        f"politeness:{host}:promised:{ticket}",
    ]
    args: list[str | float] = [
        time.time(),
        token,
        settings.FETCH_LEASE_SECONDS,
        settings.FETCH_HOST_CONCURRENCY,
        max(settings.FETCH_HOST_INTERVAL, crawl_delay),
        mode,
    ]
    return float(_acquire_script(settings.REDIS_URL)(keys=keys, args=args))
