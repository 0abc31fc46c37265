"""Bulk triage on the list: one service call per action, audited per claim, all or nothing."""

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from factdesk.claims import services
from factdesk.claims.models import Activity, Claim, ClaimTopic, Priority, Topic
from factdesk.claims.workflow import ClaimStatus, DismissReason
from factdesk.core.errors import DeskError
from tests.claims.flow import Desk, log_claim
from tests.factories import UserFactory

FIELDS = ("status", "dismiss_reason", "dismiss_note", "assignee_id", "priority", "updated_at")


@pytest.fixture
def desk(reporter, editor, publisher, ratings):
    return Desk(reporter=reporter, editor=editor, publisher=publisher, ratings=ratings)


def new_claims(desk, count):
    return [log_claim(desk.reporter, f"Claim {n} about bus fares.") for n in range(count)]


def snapshot(claims):
    """Every claim's triage fields and topics as they are in the database."""
    rows = Claim.objects.filter(pk__in=[c.pk for c in claims]).order_by("pk")
    return [
        (*(getattr(row, name) for name in FIELDS), sorted(row.topics.values_list("pk", flat=True)))
        for row in rows
    ]


def activities_since(last_id):
    return list(
        Activity.objects.filter(id__gt=last_id)
        .order_by("claim_id")
        .values_list("claim_id", "action", "changes")
    )


def last_activity():
    return Activity.objects.order_by("-id").values_list("id", flat=True).first() or 0


# ── each action ─────────────────────────────────────────────────────────────────────────


def test_bulk_assign_records_each_claim_s_change(desk):
    claims = new_claims(desk, 3)
    services.claim_assign(actor=desk.editor, claim=claims[0], assignee=desk.reporter)
    mark = last_activity()
    result = services.claims_bulk(
        actor=desk.editor, action="assign", claims=claims, assignee=desk.reporter
    )
    assert result.changed == [claims[1].pk, claims[2].pk]
    assert result.unchanged == [claims[0].pk]
    assert set(Claim.objects.values_list("assignee_id", flat=True)) == {desk.reporter.pk}
    assert activities_since(mark) == [
        (claim.pk, "claim.assigned", {"assignee": [None, desk.reporter.username]})
        for claim in claims[1:]
    ]


def test_bulk_priority_and_topic(desk):
    claims = new_claims(desk, 2)
    services.claims_bulk(actor=desk.editor, action="priority", claims=claims, priority=3)
    assert set(Claim.objects.values_list("priority", flat=True)) == {Priority.URGENT}
    services.claim_topic_add(actor=desk.editor, claim=claims[0], name="Transport")
    mark = last_activity()
    result = services.claims_bulk(
        actor=desk.editor, action="topic", claims=claims, topic_name="transport"
    )
    assert result.changed == [claims[1].pk]
    assert Topic.objects.count() == 1  # the existing topic, whatever the case typed
    assert ClaimTopic.objects.count() == 2
    assert activities_since(mark) == [
        (claims[1].pk, "claim.topic_added", {"topic": [None, "Transport"]})
    ]


def test_bulk_topic_creates_a_topic_typed_new(desk):
    claims = new_claims(desk, 2)
    services.claims_bulk(actor=desk.editor, action="topic", claims=claims, topic_name="Rail")
    assert list(Topic.objects.values_list("name", flat=True)) == ["Rail"]
    assert all(claim.topics.filter(name="Rail").exists() for claim in claims)


def test_bulk_dismiss_moves_each_claim_as_a_single_dismissal_would(desk):
    claims = [*new_claims(desk, 2), desk.claim_in(ClaimStatus.RESEARCHING)]
    mark = last_activity()
    services.claims_bulk(
        actor=desk.editor,
        action="dismiss",
        claims=claims,
        dismiss_reason=DismissReason.OTHER,
        dismiss_note="Satire account",
    )
    rows = Claim.objects.filter(pk__in=[c.pk for c in claims])
    assert {(r.status, r.dismiss_reason, r.dismiss_note) for r in rows} == {
        (ClaimStatus.DISMISSED, "other", "Satire account")
    }
    entries = activities_since(mark)
    assert [(claim_id, action) for claim_id, action, _ in entries] == [
        (claim.pk, "status.dismissed") for claim in claims
    ]
    assert entries[2][2]["status"] == ["researching", "dismissed"]
    # The kept counts follow (their trigger sees the one UPDATE).
    from factdesk.claims.models import StatusCount

    assert StatusCount.objects.get(status="dismissed").claims == 3


# ── refused as a whole ──────────────────────────────────────────────────────────────────


def test_a_published_claim_in_the_selection_refuses_the_whole_dismissal(desk):
    fresh = new_claims(desk, 2)
    published = desk.claim_in(ClaimStatus.PUBLISHED)
    correcting = desk.claim_in(ClaimStatus.PUBLISHED)
    correcting = services.claim_transition(
        actor=desk.publisher, claim=correcting, target=ClaimStatus.RESEARCHING
    )
    in_review = desk.claim_in(ClaimStatus.IN_REVIEW)
    claims = [*fresh, published, correcting, in_review]
    before, mark = snapshot(claims), last_activity()
    with pytest.raises(DeskError) as refused:
        services.claims_bulk(
            actor=desk.editor, action="dismiss", claims=claims, dismiss_reason="opinion"
        )
    assert refused.value.message == (
        f"Nothing was changed. #{published.pk} and #{correcting.pk} are published: a published "
        f"fact check is never dismissed. #{in_review.pk} is in review: only a claim that is new "
        "or researching can be dismissed."
    )
    assert snapshot(claims) == before
    assert activities_since(mark) == []


def test_a_dismissal_without_a_reason_changes_nothing(desk):
    claims = new_claims(desk, 2)
    before = snapshot(claims)
    with pytest.raises(DeskError, match="Choose why the claim is dismissed"):
        services.claims_bulk(actor=desk.editor, action="dismiss", claims=claims)
    with pytest.raises(DeskError, match="Say why the claim is dismissed"):
        services.claims_bulk(
            actor=desk.editor, action="dismiss", claims=claims, dismiss_reason="other"
        )
    assert snapshot(claims) == before


def test_assigning_to_someone_off_the_desk_changes_nothing(desk):
    claims = new_claims(desk, 2)
    before = snapshot(claims)
    with pytest.raises(DeskError, match="has no role on the desk"):
        services.claims_bulk(
            actor=desk.editor, action="assign", claims=claims, assignee=UserFactory(roles=[])
        )
    assert snapshot(claims) == before


def test_only_editors_triage_in_bulk(desk):
    claims = new_claims(desk, 2)
    with pytest.raises(PermissionDenied):
        services.claims_bulk(actor=desk.reporter, action="priority", claims=claims, priority=3)
    assert set(Claim.objects.values_list("priority", flat=True)) == {Priority.NORMAL}


def test_a_repeated_action_changes_nothing_and_records_nothing(desk):
    """A double-submitted form: the second call finds every claim already as asked, says so,
    and records no activity. (Dismissing claims dismissed already is the same: left alone.)"""
    claims = new_claims(desk, 3)
    for action, options in (
        ("assign", {"assignee": desk.editor}),
        ("priority", {"priority": 0}),
        ("topic", {"topic_name": "Buses"}),
        ("dismiss", {"dismiss_reason": "opinion"}),
    ):
        services.claims_bulk(actor=desk.editor, action=action, claims=claims, **options)
        mark = last_activity()
        again = services.claims_bulk(actor=desk.editor, action=action, claims=claims, **options)
        assert again.changed == []
        assert again.unchanged == [claim.pk for claim in claims]
        assert activities_since(mark) == [], action
    assert ClaimTopic.objects.count() == 3


@pytest.mark.parametrize(
    ("action", "options"),
    [
        ("assign", {"assignee": "reporter"}),
        ("priority", {"priority": 3}),
        ("topic", {"topic_name": "Buses"}),
        ("dismiss", {"dismiss_reason": "opinion"}),
    ],
)
def test_a_bulk_action_runs_the_same_queries_for_3_claims_as_for_30(desk, action, options):
    """Dismissing reads every claim's verdicts in two queries, not two per claim."""
    if options.get("assignee"):
        options = {"assignee": desk.reporter}
    warm_up, few, many = new_claims(desk, 1), new_claims(desk, 3), new_claims(desk, 30)
    # Once first: the people's roles are then read, and the topic made.
    services.claims_bulk(actor=desk.editor, action=action, claims=warm_up, **options)
    counts = []
    for claims in (few, many):
        with CaptureQueriesContext(connection) as captured:
            services.claims_bulk(actor=desk.editor, action=action, claims=claims, **options)
        counts.append(len(captured))
    assert counts[0] == counts[1], counts


# ── the list's form ─────────────────────────────────────────────────────────────────────


def post_bulk(client, data, **extra):
    return client.post(reverse("claims:bulk"), data, follow=True, **extra)


def messages_of(response):
    return [str(message) for message in response.context["messages"]]


def test_the_form_applies_the_action_and_returns_to_the_same_list(client, desk):
    claims = new_claims(desk, 3)
    client.force_login(desk.editor)
    response = post_bulk(
        client,
        {
            "action": "priority",
            "claims": [claims[0].pk, claims[2].pk],
            "priority": "2",
            "return_query": "sort=priority&page=1",
        },
    )
    assert response.redirect_chain[-1][0] == reverse("claims:list") + "?sort=priority&page=1"
    assert messages_of(response) == ["2 claims set to high priority."]
    assert [c.priority for c in Claim.objects.order_by("pk")] == [2, 1, 2]


def test_the_form_says_when_a_repeat_found_nothing_to_change(client, desk):
    claims = new_claims(desk, 2)
    client.force_login(desk.editor)
    data = {"action": "assign", "claims": [c.pk for c in claims], "assignee": desk.reporter.pk}
    post_bulk(client, data)
    mark = last_activity()
    response = post_bulk(client, data)
    name = desk.reporter.get_full_name()
    assert messages_of(response) == [f"2 were assigned to {name} already: left as they were."]
    assert activities_since(mark) == []


def test_the_form_asks_for_a_selection_first(client, desk):
    new_claims(desk, 2)
    client.force_login(desk.editor)
    response = post_bulk(client, {"action": "priority", "priority": "3"})
    assert messages_of(response) == ["Select the claims first: tick their boxes in the list."]
    assert set(Claim.objects.values_list("priority", flat=True)) == {1}


def test_the_form_refuses_an_over_size_selection_and_changes_nothing(client, desk):
    claims = new_claims(desk, 2)
    client.force_login(desk.editor)
    ids = [claims[0].pk] * 150 + [claims[1].pk] * 51
    response = post_bulk(client, {"action": "priority", "claims": ids, "priority": "3"})
    assert messages_of(response) == ["201 claims are selected; change at most 200 at a time."]
    assert set(Claim.objects.values_list("priority", flat=True)) == {1}


def test_the_form_refuses_an_over_long_topic_and_changes_nothing(client, desk):
    claims = new_claims(desk, 2)
    client.force_login(desk.editor)
    response = post_bulk(
        client, {"action": "topic", "claims": [c.pk for c in claims], "topic_name": "z" * 90}
    )
    assert messages_of(response) == [
        "A topic's name is at most 60 characters; this one has 90. Use a shorter name."
    ]
    assert not Topic.objects.exists()


def test_the_form_shows_a_refusal_naming_the_claims(client, desk):
    fresh = new_claims(desk, 1)
    published = desk.claim_in(ClaimStatus.PUBLISHED)
    client.force_login(desk.editor)
    response = post_bulk(
        client,
        {
            "action": "dismiss",
            "claims": [fresh[0].pk, published.pk],
            "dismiss_reason": "opinion",
        },
    )
    assert messages_of(response) == [
        f"Nothing was changed. #{published.pk} is published: a published fact check is never "
        "dismissed."
    ]
    assert Claim.objects.get(pk=fresh[0].pk).status == ClaimStatus.NEW


@pytest.mark.parametrize("persona", ["reporter", "outsider"])
def test_the_form_is_for_editors(client, personas, persona):
    claim = log_claim(personas["editor"])
    client.force_login(personas[persona])
    response = client.post(
        reverse("claims:bulk"), {"action": "priority", "claims": [claim.pk], "priority": "3"}
    )
    assert response.status_code == 403
    assert Claim.objects.get(pk=claim.pk).priority == Priority.NORMAL


def test_only_editors_see_the_checkboxes(client, desk):
    new_claims(desk, 2)
    client.force_login(desk.reporter)
    assert "data-bulk-pick" not in client.get(reverse("claims:list")).content.decode()
    client.force_login(desk.editor)
    assert client.get(reverse("claims:list")).content.decode().count("data-bulk-pick") == 2
