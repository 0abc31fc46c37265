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


# ── the create services that take a key ────────────────────────────────────────────────


@pytest.fixture
def desk(reporter, editor, publisher, ratings):
    from tests.claims.flow import Desk

    return Desk(reporter=reporter, editor=editor, publisher=publisher, ratings=ratings)


def test_a_comment_posted_twice_with_one_key_is_one_comment(desk):
    from factdesk.claims.services import comment_add

    claim = desk.claim_in("new")
    key = uuid.uuid4()
    first = comment_add(actor=desk.editor, claim=claim, body="Which year?", idempotency_key=key)
    again = comment_add(actor=desk.editor, claim=claim, body="Which year?", idempotency_key=key)
    assert again == first
    assert claim.comments.count() == 1


def test_a_draft_saved_twice_with_one_key_is_one_version(desk, ratings):
    from factdesk.claims.services import verdict_save

    claim = desk.claim_in("researching")
    key = uuid.uuid4()
    saves = [
        verdict_save(
            actor=desk.reporter,
            claim=claim,
            base_number=None,
            rating=ratings["False"],
            conclusion="It rose.",
            explanation="The figures show a rise.",
            idempotency_key=key,
        )
        for _ in range(2)
    ]
    assert saves[0] == saves[1]
    assert claim.verdicts.count() == 1


def test_a_review_sent_twice_with_one_key_answers_as_the_first(desk):
    from factdesk.claims.services import review_submit

    claim = desk.claim_in("in_review")
    key = uuid.uuid4()
    reviews = [
        review_submit(
            actor=desk.editor,
            claim=claim,
            decision="changes",
            comment="Which months?",
            idempotency_key=key,
        )
        for _ in range(2)
    ]
    assert reviews[0] == reviews[1]
    claim.refresh_from_db()
    assert claim.status == "researching"


def test_a_claim_heard_elsewhere_with_the_same_words_is_logged_only_on_purpose(client, desk):
    from django.urls import reverse

    from factdesk.claims.models import Claim

    desk.claim_in("new")  # A. Minister: "unemployment fell to 4%"
    client.force_login(desk.reporter)
    data = {
        "claimant_name": "A. Minister",
        "medium": "tv",
        "source_description": "Evening news",
        "quote": "Unemployment fell to 4 %!",
        "text": "Unemployment fell to 4%.",
        "claimed_on": "2026-03-02",
        "idempotency_key": str(uuid.uuid4()),
    }
    warned = client.post(reverse("claims:new"), data)
    assert "A. Minister said the same words before: claim" in warned.content.decode()
    assert Claim.objects.count() == 1
    for _ in range(2):
        client.post(reverse("claims:new"), {**data, "new_appearance": "on"})
    assert Claim.objects.count() == 2


def test_the_claim_pages_comment_form_posted_twice_posts_one_comment(client, desk):
    from django.urls import reverse

    claim = desk.claim_in("new")
    client.force_login(desk.editor)
    page = client.get(claim.get_absolute_url()).content.decode()
    assert 'name="idempotency_key" value="' in page
    data = {"body": "Which year is this?", "idempotency_key": str(uuid.uuid4())}
    for _ in range(2):
        client.post(reverse("claims:comment", args=[claim.pk]), data)
    assert claim.comments.count() == 1
