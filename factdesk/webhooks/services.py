"""Webhooks' writes: subscriptions (publishers keep them), the deliveries a published,
corrected or retracted fact check makes, and a worker's attempt at one.

Delivery is at least once. Each delivery is a row; a worker leases it, POSTs it through the
guarded client, and records the answer. A 2xx delivers it; anything else is tried again
after a growing pause (`WEBHOOK_RETRY_SECONDS`) until the pauses run out, then it has
failed. A worker killed mid-send lets its lease lapse and the sweeper sends it again, with
the same message id: the receiver deduplicates on `webhook-id`.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import uuid
from datetime import timedelta
from typing import Any
from urllib.parse import urljoin

from django.conf import settings
from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from factdesk.accounts.roles import require_role
from factdesk.api.serializers import FactCheckSerializer
from factdesk.claims import audit
from factdesk.claims.models import Activity, Claim
from factdesk.claims.workflow import PUBLISHERS
from factdesk.core.errors import DeskError
from factdesk.core.http import BlockedURL, FetchError, GuardedClient
from factdesk.core.idempotency import once
from factdesk.public import selectors as public
from factdesk.sources.services import url_problem
from factdesk.webhooks.models import TEST_EVENT, Delivery, Event, Subscription

# The workflow's moves that readers see, as the events a subscription chooses from.
EVENT_FOR_ACTION = {
    "status.published": Event.PUBLISHED,
    "status.corrected": Event.CORRECTED,
    "status.retracted": Event.RETRACTED,
}
RESPONSE_EXCERPT = 500  # characters of the receiver's answer kept for the delivery log
RESPONSE_MAX_BYTES = 64_000  # what is read of it at most


def _check_events(events: list[str]) -> list[str]:
    chosen = [event for event in Event.values if event in set(events)]
    if not chosen:
        raise DeskError("Choose at least one event to be told about.", field="events")
    unknown = sorted(set(events) - set(Event.values))
    if unknown:
        raise DeskError(f"There is no event called {unknown[0]!r}.", field="events")
    return chosen


def subscription_create(
    *,
    actor: User,
    url: str,
    events: list[str],
    description: str = "",
    idempotency_key: uuid.UUID | None = None,
) -> Subscription:
    """A new receiver for the chosen events. Its address is checked as every address the
    desk sends to is: a private network's is refused here, not at the first delivery."""
    require_role(actor, PUBLISHERS, "add a webhook")
    url = url.strip()
    if problem := url_problem(url):
        raise DeskError(f"\u201c{url}\u201d {problem}.", field="url")
    chosen = _check_events(events)
    return once(
        key=idempotency_key,
        user=actor,
        create=lambda: _subscription_create(actor, url, chosen, description),
    )


def _subscription_create(
    actor: User, url: str, chosen: list[str], description: str
) -> Subscription:
    with transaction.atomic():
        subscription = Subscription.objects.create(
            url=url, events=chosen, description=description.strip(), created_by=actor
        )
        audit.record(
            actor=actor,
            action="webhook.created",
            target=subscription,
            summary=f"added a webhook to {url}",
            changes={
                "url": [None, url],
                "events": [None, chosen],
                "description": [None, subscription.description],
            },
        )
    return subscription


def subscription_set_active(*, actor: User, subscription: Subscription, active: bool) -> None:
    """Turn a webhook off (nothing more is sent; what is pending stays pending) or on."""
    require_role(actor, PUBLISHERS, "turn a webhook on or off")
    with transaction.atomic():
        row = Subscription.objects.select_for_update().get(pk=subscription.pk)
        if row.active == active:
            raise DeskError(f"The webhook is already {'on' if active else 'off'}.")
        row.active = active
        row.save(update_fields=["active", "updated_at"])
        audit.record(
            actor=actor,
            action="webhook.turned_on" if active else "webhook.turned_off",
            target=row,
            summary=f"turned {'on' if active else 'off'} the webhook to {row.url}",
            changes={"active": [not active, active]},
        )
    subscription.active = active


def webhook_test_send(*, actor: User, subscription: Subscription) -> Delivery:
    """A test event to the subscription's address, sent now and logged like the others."""
    require_role(actor, PUBLISHERS, "send a test event")
    with transaction.atomic():
        delivery = Delivery(subscription=subscription, event=TEST_EVENT)
        delivery.payload = _message(
            delivery, {"description": "A test event sent from the desk's webhook page."}
        )
        delivery.save()
        audit.record(
            actor=actor,
            action="webhook.test_sent",
            target=subscription,
            summary=f"sent a test event to {subscription.url}",
            changes={"message_id": [None, delivery.message_id]},
        )
        transaction.on_commit(lambda: send(delivery))
    return delivery


def delivery_retry(*, actor: User, delivery: Delivery) -> Delivery:
    """Send a failed delivery again, with its retries restarted (same message id)."""
    require_role(actor, PUBLISHERS, "send a delivery again")
    with transaction.atomic():
        updated = Delivery.objects.filter(pk=delivery.pk, status=Delivery.Status.FAILED).update(
            status=Delivery.Status.PENDING,
            attempts=0,
            next_attempt_at=timezone.now(),
            leased_until=None,
        )
        if not updated:
            raise DeskError("Only a failed delivery is sent again; this one is not failed.")
        audit.record(
            actor=actor,
            action="webhook.resent",
            target=delivery.subscription,
            summary=f"sent {delivery.event} ({delivery.message_id}) again",
            changes={"status": [Delivery.Status.FAILED, Delivery.Status.PENDING]},
        )
        transaction.on_commit(lambda: send(delivery))
    delivery.refresh_from_db()
    return delivery


def deliveries_for_change(activity: Activity) -> list[Delivery]:
    """A delivery for each active subscription to the event `activity` is (published,
    corrected, retracted), made once per subscription however often this runs."""
    event = EVENT_FOR_ACTION.get(activity.action)
    if event is None or activity.claim_id is None:
        return []
    subscriptions = Subscription.objects.filter(active=True, events__contains=[event])
    if not subscriptions:
        return []
    claim = fact_check(activity.claim_id)
    made = []
    for subscription in subscriptions:
        delivery = Delivery(
            subscription=subscription, event=event, activity=activity, claim_id=activity.claim_id
        )
        delivery.payload = _message(delivery, fact_check_data(claim))
        try:
            with transaction.atomic():
                delivery.save()
        except IntegrityError:
            continue  # made by an earlier run
        made.append(delivery)
    return made


def fact_check(claim_id: int) -> Claim:
    """A fact check as readers see it (its published versions read with it)."""
    return public.index(public.IndexFilters()).prefetch_related("topics").get(pk=claim_id)


def fact_check_data(claim: Claim) -> dict[str, Any]:
    """The fact check as the public API gives it, with its page's full address."""
    data = dict(FactCheckSerializer(claim).data)
    data["url"] = urljoin(settings.DESK_URL, data["url"])
    return {"fact_check": data}


def _message(delivery: Delivery, data: dict[str, Any]) -> dict[str, Any]:
    return {"type": delivery.event, "timestamp": delivery.created_at.isoformat(), "data": data}


def body_of(delivery: Delivery) -> bytes:
    """The bytes sent: the same at every attempt, so one signature scheme checks them all."""
    return json.dumps(delivery.payload, ensure_ascii=False, separators=(",", ":")).encode()


def signature(secret: str, message_id: str, timestamp: int, body: bytes) -> str:
    """Standard Webhooks' `webhook-signature`: v1 and the base64 HMAC-SHA256, keyed with the
    secret's bytes, of "id.timestamp.body"."""
    key = base64.b64decode(secret.removeprefix("whsec_"))
    signed = f"{message_id}.{timestamp}.".encode() + body
    digest = hmac.new(key, signed, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode()


def send(delivery: Delivery) -> None:
    """Queue an attempt (a worker's job: the page that caused it never waits on a receiver)."""
    from factdesk.webhooks.tasks import deliver

    deliver.delay(delivery.pk)


def lease_seconds() -> float:
    # Longer than an attempt can take (connecting, then the whole answer).
    return 2 * settings.WEBHOOK_TIMEOUT_SECONDS + 2


def delivery_attempt(delivery_id: int) -> Delivery | None:
    """One attempt at a delivery that is due, leased for its length; None when the delivery
    is not due (delivered, failed, leased by another worker, or waiting for its retry).

    1. Lease the row with a conditional update and a row count (a repeat or a second worker
       finds nothing to do).
    2. POST the body, signed, with the same message id as every attempt.
    3. A 2xx delivers it; otherwise the answer (or why there was none) is kept and the next
       attempt scheduled, or the delivery fails when the retries have run out or the address
       can never be sent to.
    """
    now = timezone.now()
    leased = Delivery.objects.filter(
        Q(leased_until__isnull=True) | Q(leased_until__lt=now),
        pk=delivery_id,
        status=Delivery.Status.PENDING,
        next_attempt_at__lte=now,
    ).update(leased_until=now + timedelta(seconds=lease_seconds()))
    if not leased:
        return None
    delivery = Delivery.objects.select_related("subscription").get(pk=delivery_id)
    timestamp = int(timezone.now().timestamp())
    body = body_of(delivery)
    headers = {
        "Content-Type": "application/json",
        "webhook-id": delivery.message_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": signature(
            delivery.subscription.secret, delivery.message_id, timestamp, body
        ),
    }
    client = GuardedClient(
        max_bytes=RESPONSE_MAX_BYTES,
        connect_timeout=min(5.0, settings.WEBHOOK_TIMEOUT_SECONDS),
        read_timeout=settings.WEBHOOK_TIMEOUT_SECONDS,
        deadline=settings.WEBHOOK_TIMEOUT_SECONDS,
    )
    delivery.attempts += 1
    delivery.last_attempt_at = timezone.now()
    delivery.leased_until = None
    permanent = False
    try:
        answer = client.post(delivery.subscription.url, body=body, headers=headers)
    except FetchError as error:
        delivery.last_status, delivery.last_response = None, ""
        delivery.last_error = error.reason[:300]
        permanent = isinstance(error, BlockedURL)
    else:
        delivery.last_status = answer.status
        delivery.last_response = answer.body.decode("utf-8", "replace")[:RESPONSE_EXCERPT]
        delivery.last_error = _answer_problem(answer.status, answer.headers.get("location"))
    if not delivery.last_error:
        delivery.status, delivery.delivered_at = Delivery.Status.DELIVERED, timezone.now()
    else:
        pauses = settings.WEBHOOK_RETRY_SECONDS
        if permanent or delivery.attempts > len(pauses):
            delivery.status = Delivery.Status.FAILED
        else:
            pause = pauses[delivery.attempts - 1]
            delivery.next_attempt_at = timezone.now() + timedelta(seconds=pause)
    delivery.save()
    return delivery


def _answer_problem(status: int, location: str | None) -> str:
    if 200 <= status < 300:
        return ""
    if location and 300 <= status < 400:
        return (
            f"The receiver answered {status}, moved to {location[:150]}: change the "
            "webhook's address (redirects are not followed)."
        )
    return f"The receiver answered {status}, not a 2xx."


def deliveries_due() -> list[int]:
    """Deliveries a worker should attempt now: their retry is due and no live lease holds
    them (a killed worker's lease has lapsed). The sweeper sends them."""
    now = timezone.now()
    return list(
        Delivery.objects.filter(status=Delivery.Status.PENDING, next_attempt_at__lte=now)
        .filter(Q(leased_until__isnull=True) | Q(leased_until__lt=now))
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:500]
    )
