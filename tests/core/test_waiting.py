"""The one wait-until helper the embedded servers, the launcher and the tests share."""

import itertools

import pytest

from factdesk.core.waiting import wait_until


def test_it_returns_what_the_predicate_returned_once_true():
    calls = itertools.count(1)
    assert wait_until(lambda: next(calls) >= 3 and "ready", timeout=60, what="x", interval=0) == (
        "ready"
    )
    assert next(calls) == 4  # asked three times, no more


def test_with_no_time_left_it_still_asks_once_then_names_what_it_waited_for():
    calls = []
    with pytest.raises(TimeoutError, match="waiting for Redis to answer"):
        wait_until(lambda: calls.append(1), timeout=0, what="Redis to answer")
    assert calls == [1]


def test_a_callable_what_shows_the_state_when_the_wait_gave_up():
    with pytest.raises(TimeoutError, match=r"waiting for \['pending', 'fetching'\]"):
        wait_until(lambda: False, timeout=0, what=lambda: ["pending", "fetching"])


def test_an_error_in_the_predicate_ends_the_wait():
    def worker_exited():
        raise RuntimeError("worker exited early")

    with pytest.raises(RuntimeError, match="exited early"):
        wait_until(worker_exited, timeout=60, what="the worker")
