"""Signed webhooks: a fact check published, corrected or retracted reaches a real local
receiver, signed as Standard Webhooks says, retried after a 500, delivered once more (same
id) after its worker is killed mid-send; private addresses refused at subscription."""

import base64
import hashlib
import hmac
import json
import threading
import uuid

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from factdesk.claims.models import Activity
from factdesk.claims.workflow import ClaimStatus
from factdesk.core.errors import DeskError
from factdesk.webhooks import services
from factdesk.webhooks.models import Delivery, Event, Subscription
from tests.claims.flow import Desk
from tests.conftest import WorkerProcess, wait_until
from tests.servers import Posted, local_site

HOST = "127.0.0.41"
OK = (200, {"Content-Type": "text/plain"}, b"thanks")
FAILING = (500, {"Content-Type": "text/plain"}, b"database is down")


@pytest.fixture
def receiver(settings):
    with local_site(HOST, settings) as pages:
        pages["/hooks"] = OK
        yield pages


def worker_for_webhooks() -> WorkerProcess:
    """A worker that may send to the receiver, with a short timeout and quick retries."""
    return WorkerProcess(
        queues="default",
        concurrency=2,
        env={
            "FETCH_ALLOW_NETWORKS": f"{HOST}/32",
            "WEBHOOK_TIMEOUT_SECONDS": "1",
            "WEBHOOK_RETRY_SECONDS": "0.2,0.2",
        },
    )


@pytest.fixture
def worker(transactional_db):
    worker = worker_for_webhooks()
    yield worker
    worker.stop()


@pytest.fixture
def desk(reporter, editor, publisher, ratings):
    return Desk(reporter=reporter, editor=editor, publisher=publisher, ratings=ratings)


def subscribe(publisher, receiver, events=tuple(Event.values)) -> Subscription:
    return services.subscription_create(
        actor=publisher, url=receiver.base + "/hooks", events=list(events)
    )


def verified(posted: Posted, secret: str) -> dict:
    """The body, once its signature checks out as a receiver would check it (written here
    from the Standard Webhooks specification, not with the desk's code)."""
    key = base64.b64decode(secret.split("_", 1)[1])
    signed = f"{posted.headers['webhook-id']}.{posted.headers['webhook-timestamp']}.".encode()
    expected = base64.b64encode(hmac.new(key, signed + posted.body, hashlib.sha256).digest())
    version, _, given = posted.headers["webhook-signature"].partition(",")
    assert version == "v1"
    assert hmac.compare_digest(given.encode(), expected), "the signature does not verify"
    return json.loads(posted.body)


def test_the_signature_is_the_standard_webhooks_one():
    # The example of the Standard Webhooks specification (and of its reference libraries).
    assert (
        services.signature(
            "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
            "msg_p5jXN8AQM9LWM0D4loKWxJek",
            1614265330,
            b'{"test": 2432232314}',
        )
        == "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="
    )


def test_a_published_fact_check_reaches_the_receiver_signed(
    worker, receiver, desk, publisher, settings
):
    settings.DESK_URL = "https://factchecks.example"
    subscription = subscribe(publisher, receiver)
    claim = desk.claim_in(ClaimStatus.PUBLISHED)

    wait_until(lambda: receiver.posts, what="the webhook to arrive")
    posted = receiver.posts[0]
    message = verified(posted, subscription.secret)
    assert message["type"] == "fact_check.published"
    fact_check = message["data"]["fact_check"]
    assert fact_check["id"] == claim.pk
    assert fact_check["claim"] == claim.text
    assert fact_check["rating"]["label"] == "Mostly true"
    assert fact_check["url"].startswith("https://factchecks.example/fact-checks/")
    assert posted.headers["content-type"] == "application/json"
    delivery = Delivery.objects.get()
    wait_until(
        lambda: Delivery.objects.filter(status=Delivery.Status.DELIVERED).exists(),
        what="the delivery to be recorded",
    )
    delivery.refresh_from_db()
    assert posted.headers["webhook-id"] == delivery.message_id
    assert (delivery.attempts, delivery.last_status, delivery.last_response) == (1, 200, "thanks")


def test_a_correction_and_a_retraction_are_their_own_events(worker, receiver, desk, publisher):
    subscription = subscribe(publisher, receiver)
    desk.claim_in(ClaimStatus.CORRECTED)
    desk.claim_in(ClaimStatus.RETRACTED)

    wait_until(lambda: len(receiver.posts) == 4, what="four deliveries")
    messages = [verified(posted, subscription.secret) for posted in receiver.posts]
    kinds = sorted(message["type"] for message in messages)
    assert kinds == [
        "fact_check.corrected",
        "fact_check.published",
        "fact_check.published",
        "fact_check.retracted",
    ]
    corrected = next(m for m in messages if m["type"] == "fact_check.corrected")
    assert corrected["data"]["fact_check"]["corrections"][0]["note"] == "We misread the table."
    retracted = next(m for m in messages if m["type"] == "fact_check.retracted")
    assert retracted["data"]["fact_check"]["retraction"]["note"] == "The figures were misread."
    assert len({posted.headers["webhook-id"] for posted in receiver.posts}) == 4


def test_only_the_chosen_events_of_webhooks_that_are_on_are_sent(worker, receiver, desk, publisher):
    subscribe(publisher, receiver, events=[Event.RETRACTED])
    turned_off = subscribe(publisher, receiver)
    services.subscription_set_active(actor=publisher, subscription=turned_off, active=False)
    desk.claim_in(ClaimStatus.PUBLISHED)
    desk.claim_in(ClaimStatus.RETRACTED)

    wait_until(lambda: receiver.posts, what="the retraction's delivery")
    wait_until(
        lambda: Delivery.objects.filter(status=Delivery.Status.DELIVERED).exists(),
        what="it to be recorded",
    )
    assert [json.loads(p.body)["type"] for p in receiver.posts] == ["fact_check.retracted"]
    assert Delivery.objects.count() == 1


def test_a_500_is_retried_with_the_same_message_id(worker, receiver, desk, publisher):
    answers = iter([FAILING, OK])
    receiver["/hooks"] = lambda: next(answers)
    subscription = subscribe(publisher, receiver)
    desk.claim_in(ClaimStatus.PUBLISHED)

    wait_until(
        lambda: Delivery.objects.filter(status=Delivery.Status.DELIVERED).exists(),
        what="the retry to deliver",
    )
    first, second = receiver.posts
    assert first.headers["webhook-id"] == second.headers["webhook-id"]
    assert first.body == second.body
    verified(second, subscription.secret)
    delivery = Delivery.objects.get()
    assert (delivery.attempts, delivery.last_status) == (2, 200)


def test_retries_run_out_then_the_delivery_fails_and_can_be_sent_again(
    worker, receiver, desk, publisher, client
):
    receiver["/hooks"] = FAILING
    subscription = subscribe(publisher, receiver)
    desk.claim_in(ClaimStatus.PUBLISHED)

    wait_until(
        lambda: Delivery.objects.filter(status=Delivery.Status.FAILED).exists(),
        what="the delivery to fail",
    )
    delivery = Delivery.objects.get()
    assert delivery.attempts == 3  # the first and two retries
    assert delivery.last_error == "The receiver answered 500, not a 2xx."
    assert delivery.last_response == "database is down"

    client.force_login(publisher)
    log = client.get(reverse("webhooks:subscription", args=[subscription.pk])).content.decode()
    assert "database is down" in log
    assert "Send again" in log

    receiver["/hooks"] = OK
    response = client.post(reverse("webhooks:retry", args=[delivery.pk]), follow=True)
    assert "Sending it again." in response.content.decode()
    wait_until(
        lambda: Delivery.objects.filter(status=Delivery.Status.DELIVERED).exists(),
        what="the delivery sent again to deliver",
    )
    assert len({p.headers["webhook-id"] for p in receiver.posts}) == 1
    again = client.post(reverse("webhooks:retry", args=[delivery.pk]), follow=True)
    assert "Only a failed delivery is sent again" in again.content.decode()


def test_a_worker_killed_mid_delivery_still_delivers_with_the_same_id(
    transactional_db, receiver, desk, publisher
):
    received_first = threading.Event()
    release = threading.Event()

    def stall_the_first():
        if not received_first.is_set():
            received_first.set()
            release.wait(30)  # holds the request open while the test kills the worker
        return OK

    receiver["/hooks"] = stall_the_first
    subscribe(publisher, receiver)
    first_worker = worker_for_webhooks()
    try:
        desk.claim_in(ClaimStatus.PUBLISHED)
        wait_until(received_first.is_set, what="the first attempt to reach the receiver")
        first_worker.kill()  # SIGKILL: no clean-up, the lease stays on the row
    finally:
        release.set()
        first_worker.stop()
    delivery = Delivery.objects.get()
    assert delivery.status == Delivery.Status.PENDING
    assert delivery.leased_until is not None

    second_worker = worker_for_webhooks()
    try:

        def swept_and_delivered() -> bool:
            # What beat's sweep does every minute: nothing until the dead worker's lease lapses.
            for delivery_id in services.deliveries_due():
                services.send(Delivery(pk=delivery_id))
            return Delivery.objects.filter(status=Delivery.Status.DELIVERED).exists()

        wait_until(swept_and_delivered, timeout=60, what="the sweeper to deliver it")
    finally:
        second_worker.stop()
    ids = [posted.headers["webhook-id"] for posted in receiver.posts]
    assert len(ids) == 2
    assert ids[0] == ids[1] == delivery.message_id


def test_a_private_address_is_refused_when_subscribing(db, publisher):
    with pytest.raises(DeskError, match="private network"):
        services.subscription_create(
            actor=publisher, url="http://10.1.2.3/hooks", events=[Event.PUBLISHED]
        )
    with pytest.raises(DeskError, match="private network"):
        services.subscription_create(
            actor=publisher, url="http://localhost:8000/hooks", events=[Event.PUBLISHED]
        )
    assert not Subscription.objects.exists()


def test_the_form_refuses_bad_input_in_words_and_keeps_nothing(client, publisher):
    client.force_login(publisher)
    url = reverse("webhooks:list")
    cases = {
        "": "Paste the address your system receives webhooks at.",
        "https://hooks.example/" + "a" * 2000: "A web address is at most 2,000 characters",
        "http://192.168.1.20/hooks": "is on a private network (192.168.1.20)",
        "not a url": "is not a web address",
    }
    for address, message in cases.items():
        response = client.post(url, {"url": address, "events": [Event.PUBLISHED]})
        assert response.status_code == 400
        assert message in response.content.decode()
    response = client.post(url, {"url": "https://hooks.example/in"})
    assert "Choose at least one event to be told about." in response.content.decode()
    response = client.post(url, {"url": "https://hooks.example/in", "events": ["claim.eaten"]})
    assert "There is no event called claim.eaten." in response.content.decode()
    assert not Subscription.objects.exists()
    assert not Activity.objects.filter(action__startswith="webhook.").exists()


def test_a_double_submission_makes_one_webhook(client, publisher):
    client.force_login(publisher)
    form = {
        "url": "https://hooks.example/in",
        "events": [Event.PUBLISHED, Event.CORRECTED],
        "description": "The CMS",
        "idempotency_key": str(uuid.uuid4()),
    }
    first = client.post(reverse("webhooks:list"), form)
    second = client.post(reverse("webhooks:list"), form)
    subscription = Subscription.objects.get()
    assert first.url == second.url == subscription.get_absolute_url()
    assert subscription.events == [Event.PUBLISHED, Event.CORRECTED]
    assert Activity.objects.filter(action="webhook.created").count() == 1


def test_only_publishers_see_or_change_webhooks(client, reporter, editor, publisher, outsider):
    subscription = services.subscription_create(
        actor=publisher, url="https://hooks.example/in", events=[Event.PUBLISHED]
    )
    delivery = Delivery.objects.create(subscription=subscription, event="webhook.test", payload={})
    urls = [
        ("get", reverse("webhooks:list")),
        ("post", reverse("webhooks:list")),
        ("get", reverse("webhooks:subscription", args=[subscription.pk])),
        ("post", reverse("webhooks:set_active", args=[subscription.pk])),
        ("post", reverse("webhooks:test", args=[subscription.pk])),
        ("post", reverse("webhooks:retry", args=[delivery.pk])),
    ]
    for method, url in urls:
        assert getattr(client, method)(url).status_code == 302  # to the login page
    for person in (reporter, editor, outsider):
        client.force_login(person)
        for method, url in urls:
            assert getattr(client, method)(url).status_code == 403, (person, url)
    for person in (reporter, editor):
        with pytest.raises(PermissionDenied, match="Only a publisher can add a webhook"):
            services.subscription_create(
                actor=person, url="https://hooks.example/in", events=[Event.PUBLISHED]
            )
    client.force_login(publisher)
    page = client.get(reverse("webhooks:subscription", args=[subscription.pk]))
    assert subscription.secret in page.content.decode()
    assert Subscription.objects.count() == 1
    assert Delivery.objects.count() == 1
