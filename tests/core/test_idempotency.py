"""Creating things once: a key sent twice gives the first object back, also when the two
submissions arrive at the same moment (two threads, two PostgreSQL sessions)."""

import threading
import uuid

import pytest
from django.db import connection, connections

from factdesk.articles.models import Outlet
from factdesk.core.errors import DeskError
from factdesk.core.idempotency import once
from factdesk.core.models import IdempotencyKey
from factdesk.core.waiting import wait_until


def add_outlet(name):
    return lambda: Outlet.objects.create(name=name)


def test_a_repeated_key_returns_the_first_object(reporter):
    key = uuid.uuid4()
    first = once(key=key, user=reporter, create=add_outlet("Daily Ledger"))
    again = once(key=key, user=reporter, create=add_outlet("Daily Ledger 2"))
    assert again == first
    assert list(Outlet.objects.values_list("name", flat=True)) == ["Daily Ledger"]


def test_keys_are_per_person_and_no_key_always_creates(reporter, editor):
    key = uuid.uuid4()
    once(key=key, user=reporter, create=add_outlet("A"))
    once(key=key, user=editor, create=add_outlet("B"))
    once(key=None, user=editor, create=add_outlet("C"))
    once(key=None, user=editor, create=add_outlet("D"))
    assert Outlet.objects.count() == 4
    assert IdempotencyKey.objects.count() == 2


def test_a_refused_submission_leaves_its_key_free_for_the_corrected_one(reporter):
    key = uuid.uuid4()

    def refused():
        raise DeskError("Give the outlet's name.")

    with pytest.raises(DeskError):
        once(key=key, user=reporter, create=refused)
    assert not IdempotencyKey.objects.exists()
    created = once(key=key, user=reporter, create=add_outlet("Fixed"))
    assert IdempotencyKey.objects.get().object_id == created.pk


def waiting_on_a_lock() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity "
            "WHERE wait_event_type = 'Lock' AND datname = current_database()"
        )
        return cursor.fetchone()[0]


@pytest.mark.django_db(transaction=True)
def test_two_submissions_at_once_create_one_object(reporter):
    """The first holds its transaction open until the second is seen waiting on the key's
    unique index: then the first commits, and the second answers with its object."""
    key = uuid.uuid4()
    first_inside, let_first_finish = threading.Event(), threading.Event()
    results: dict[str, object] = {}

    def slow_create():
        first_inside.set()
        assert let_first_finish.wait(30)
        return Outlet.objects.create(name="Harbridge Ledger")

    def submit(name, create):
        try:
            results[name] = once(key=key, user=reporter, create=create)
        except Exception as error:
            results[name] = error
        finally:
            connections.close_all()

    first = threading.Thread(target=submit, args=("first", slow_create))
    second = threading.Thread(target=submit, args=("second", add_outlet("Harbridge Ledger 2")))
    first.start()
    assert first_inside.wait(30)
    second.start()
    wait_until(waiting_on_a_lock, timeout=30, what="the second submission waiting on the key")
    let_first_finish.set()
    first.join(30)
    second.join(30)
    assert isinstance(results["first"], Outlet), results
    assert results["second"] == results["first"]
    assert list(Outlet.objects.values_list("name", flat=True)) == ["Harbridge Ledger"]
