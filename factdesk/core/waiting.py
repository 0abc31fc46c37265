"""Waiting for something another process does: a server to answer, a worker to finish.

This module imports nothing from Django: the embedded servers use it before settings exist.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


def wait_until(
    predicate: Callable[[], T],
    *,
    timeout: float,
    what: str | Callable[[], object],
    interval: float = 0.1,
) -> T:
    """Call `predicate` every `interval` seconds until it returns something true, and return
    that. Raises TimeoutError after `timeout` seconds, naming `what` was awaited (or, if
    `what` is callable, showing what it returns: the state when the wait gave up).

    The predicate is always called once more after the deadline, so a slow last sleep
    cannot miss a condition that has come true.
    """
    deadline = time.monotonic() + timeout
    while not (result := predicate()):
        if time.monotonic() >= deadline:
            waited_for = what() if callable(what) else what
            raise TimeoutError(f"timed out after {timeout:g} s waiting for {waited_for}")
        time.sleep(interval)
    return result
