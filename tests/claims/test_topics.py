"""Topics and due dates: the services, the claim page's forms, the board's and list's filter
and cards, and what "overdue" means."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from factdesk.claims import services
from factdesk.claims.models import Activity, Claim, ClaimTopic, Priority, Topic, TopicStatusCount
from factdesk.claims.workflow import ClaimStatus
from factdesk.core.errors import DeskError
from factdesk.signin.models import SecuritySettings
from tests.claims.flow import Desk, log_claim
from tests.factories import ClaimFactory


@pytest.fixture
def desk(reporter, editor, publisher, ratings):
    return Desk(reporter=reporter, editor=editor, publisher=publisher, ratings=ratings)


def topic_activities(claim):
    return list(
        Activity.objects.filter(claim=claim, action__startswith="claim.topic").values_list(
            "action", "changes"
        )
    )


# ── topics: the services ────────────────────────────────────────────────────────────────


def test_typing_a_new_name_creates_the_topic_and_files_the_claim(editor, reporter):
    claim = log_claim(reporter)
    topic = services.claim_topic_add(actor=editor, claim=claim, name="  Public   housing ")
    assert topic.name == "Public housing"
    assert list(claim.topics.values_list("name", flat=True)) == ["Public housing"]
    assert topic_activities(claim) == [("claim.topic_added", {"topics": [[], ["Public housing"]]})]
    assert Activity.objects.filter(action="topic.created", target_id=topic.pk).exists()


def test_topic_names_are_unique_whatever_their_case(editor, reporter):
    first, second = log_claim(reporter), log_claim(reporter, "Another claim.")
    housing = services.claim_topic_add(actor=editor, claim=first, name="Housing")
    again = services.claim_topic_add(actor=editor, claim=second, name="HOUSING")
    assert again == housing
    assert Topic.objects.count() == 1
    # The database says so too, for writes that do not come through the service.
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Topic.objects.create(name="housing")


def test_adding_a_topic_twice_links_it_once_and_records_it_once(editor, reporter):
    claim = log_claim(reporter)
    services.claim_topic_add(actor=editor, claim=claim, name="Crime")
    services.claim_topic_add(actor=editor, claim=claim, name="crime")
    assert ClaimTopic.objects.filter(claim=claim).count() == 1
    assert len(topic_activities(claim)) == 1


def test_an_empty_or_over_long_topic_name_is_refused_and_nothing_changes(editor, reporter):
    claim = log_claim(reporter)
    with pytest.raises(DeskError, match="Type the topic's name"):
        services.claim_topic_add(actor=editor, claim=claim, name="   ")
    with pytest.raises(DeskError, match="at most 60 characters; this one has 61"):
        services.claim_topic_add(actor=editor, claim=claim, name="x" * 61)
    assert not Topic.objects.exists()
    assert not claim.topics.exists()


def test_removing_a_topic_unfiles_the_claim_and_keeps_the_topic(editor, reporter):
    claim = log_claim(reporter)
    crime = services.claim_topic_add(actor=editor, claim=claim, name="Crime")
    services.claim_topic_add(actor=editor, claim=claim, name="Budget")
    services.claim_topic_remove(actor=editor, claim=claim, topic=crime)
    assert list(claim.topics.values_list("name", flat=True)) == ["Budget"]
    assert topic_activities(claim)[-1] == (
        "claim.topic_removed",
        {"topics": [["Budget", "Crime"], ["Budget"]]},
    )
    services.claim_topic_remove(actor=editor, claim=claim, topic=crime)  # again: nothing to do
    assert len(topic_activities(claim)) == 3
    assert Topic.objects.filter(pk=crime.pk).exists()


def test_only_editors_change_topics(reporter):
    claim = log_claim(reporter)
    with pytest.raises(PermissionDenied):
        services.claim_topic_add(actor=reporter, claim=claim, name="Crime")
    assert not Topic.objects.exists()


# ── topics: the claim page's forms ──────────────────────────────────────────────────────


def test_the_claim_page_adds_and_removes_topics(client, editor, reporter):
    claim = log_claim(reporter)
    client.force_login(editor)
    response = client.post(reverse("claims:topic_add", args=[claim.pk]), {"name": "Transport"})
    assert response.status_code == 302
    page = client.get(claim.get_absolute_url()).content.decode()
    assert '<span class="topic">Transport</span>' in page
    topic = Topic.objects.get()
    client.post(reverse("claims:topic_remove", args=[claim.pk]), {"topic": topic.pk})
    assert not claim.topics.exists()


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("", "Type the topic&#x27;s name."),
        ("y" * 150, "A topic&#x27;s name is at most 60 characters; this one has 150."),
    ],
)
def test_the_topic_form_says_what_is_wrong_and_changes_nothing(
    client, editor, reporter, name, message
):
    claim = log_claim(reporter)
    client.force_login(editor)
    response = client.post(
        reverse("claims:topic_add", args=[claim.pk]), {"name": name}, follow=True
    )
    assert message in response.content.decode()
    assert not Topic.objects.exists()


def test_a_double_submitted_topic_form_files_the_claim_once(client, editor, reporter):
    claim = log_claim(reporter)
    client.force_login(editor)
    for _ in range(2):
        client.post(reverse("claims:topic_add", args=[claim.pk]), {"name": "Health"})
    assert ClaimTopic.objects.filter(claim=claim).count() == 1
    assert len(topic_activities(claim)) == 1


@pytest.mark.parametrize("persona", ["reporter", "outsider"])
def test_topic_and_due_date_forms_are_for_editors(client, personas, persona):
    claim = log_claim(personas["editor"])
    client.force_login(personas[persona])
    for url, data in (
        (reverse("claims:topic_add", args=[claim.pk]), {"name": "Crime"}),
        (reverse("claims:due_date", args=[claim.pk]), {"due_date": "2099-01-01"}),
    ):
        assert client.post(url, data).status_code == 403
    assert not Topic.objects.exists()
    assert Claim.objects.get(pk=claim.pk).due_date == claim.due_date


def test_topic_suggestions_match_what_is_typed(client, editor):
    Topic.objects.create(name="Public transport")
    Topic.objects.create(name="Crime")
    client.force_login(editor)
    body = client.get(reverse("claims:topic_suggest"), {"name": "TRANS"}).content.decode()
    assert body.strip() == '<option value="Public transport"></option>'


# ── due dates ───────────────────────────────────────────────────────────────────────────


@pytest.mark.parametrize(
    ("priority", "days"),
    [(Priority.LOW, 14), (Priority.NORMAL, 7), (Priority.HIGH, 3), (Priority.URGENT, 1)],
)
def test_a_new_claim_is_due_by_its_priority(reporter, priority, days):
    claim = services.claim_create(
        actor=reporter,
        text="Crime fell.",
        claimant=log_claim(reporter).claimant,
        quote="crime fell",
        medium="tv",
        source_description="Radio",
        priority=priority,
    )
    assert claim.due_date == timezone.localdate() + datetime.timedelta(days=days)


def test_the_days_by_priority_are_a_setting(reporter, settings):
    settings.DUE_DAYS_BY_PRIORITY = {0: 30, 1: 10, 2: 5, 3: 2}
    assert log_claim(reporter).due_date == timezone.localdate() + datetime.timedelta(days=10)


def test_an_editor_sets_the_due_date_and_it_is_recorded(client, editor, reporter):
    claim = log_claim(reporter)
    due = timezone.localdate() + datetime.timedelta(days=20)
    client.force_login(editor)
    response = client.post(reverse("claims:due_date", args=[claim.pk]), {"due_date": due})
    assert response.status_code == 302
    assert Claim.objects.get(pk=claim.pk).due_date == due
    entry = Activity.objects.filter(claim=claim, action="claim.due_date").get()
    assert entry.changes == {"due_date": [claim.due_date.isoformat(), due.isoformat()]}
    # The same date again (a double submission): nothing new to record.
    client.post(reverse("claims:due_date", args=[claim.pk]), {"due_date": due})
    assert Activity.objects.filter(claim=claim, action="claim.due_date").count() == 1


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("", "Choose the date the check is due."),
        ("99999-12-31", "Enter the due date as a date, e.g. 2026-12-24."),
        ("2" * 5000, "Enter the due date as a date, e.g. 2026-12-24."),
        ("2020-01-01", "1 January 2020 has passed: choose today or a later date."),
    ],
)
def test_a_wrong_due_date_is_refused_in_words_and_nothing_changes(
    client, editor, reporter, value, message
):
    claim = log_claim(reporter)
    client.force_login(editor)
    response = client.post(
        reverse("claims:due_date", args=[claim.pk]), {"due_date": value}, follow=True
    )
    assert message in response.content.decode()
    assert Claim.objects.get(pk=claim.pk).due_date == claim.due_date


@pytest.mark.parametrize(
    ("offset", "label"),
    [
        (2, "due in 2 days"),
        (1, "due tomorrow"),
        (0, "due today"),
        (-1, "overdue by 1 day"),
        (-3, "overdue by 3 days"),
    ],
)
def test_a_card_says_when_an_open_claim_is_due(client, editor, offset, label):
    ClaimFactory(due_date=timezone.localdate() + datetime.timedelta(days=offset))
    client.force_login(editor)
    body = client.get(reverse("claims:board")).content.decode()
    assert label in body
    assert ("due overdue" in body) == (offset < 0)
    assert label in client.get(reverse("claims:list")).content.decode()


def test_a_finished_claim_is_never_overdue(client, editor, desk):
    published = desk.claim_in(ClaimStatus.PUBLISHED)
    Claim.objects.filter(pk=published.pk).update(
        due_date=timezone.localdate() - datetime.timedelta(days=5)
    )
    client.force_login(editor)
    body = client.get(reverse("claims:board")).content.decode()
    assert "overdue" not in body
    assert "0 days old" in body


# ── the board's and the list's topic filter ─────────────────────────────────────────────


def test_the_board_and_the_list_filter_by_topic(client, editor, reporter):
    housing_claim = log_claim(reporter, "Rents rose by a fifth.")
    crime_claim = log_claim(reporter, "Burglaries halved.")
    housing = services.claim_topic_add(actor=editor, claim=housing_claim, name="Housing")
    services.claim_topic_add(actor=editor, claim=crime_claim, name="Crime")
    client.force_login(editor)
    for url in (reverse("claims:board"), reverse("claims:list")):
        body = client.get(url, {"topic": housing.pk}).content.decode()
        assert "Rents rose by a fifth." in body
        assert "Burglaries halved." not in body
        assert f'<option value="{housing.pk}" selected>Housing</option>' in body
    listed = client.get(reverse("claims:list"), {"topic": housing.pk}).context["page"]
    assert listed.paginator.count == 1


def test_cards_and_rows_show_their_topics_in_a_fixed_number_of_queries(
    client, editor, reporter, django_assert_num_queries
):
    """Session; the user with their roles; the board's counts, first cards' ids and cards
    (the list's count, page's ids and cards); their topics; the filter menus (people,
    outlets, ratings, topics in one query); the bell's unread count. (Whether the desk
    requires two-factor is read once a minute per process, so not on these requests.)"""
    topics = [Topic.objects.create(name=f"Topic {n}") for n in range(3)]
    client.force_login(editor)
    SecuritySettings.requires_two_factor()
    counted = {}
    for size in (3, 30):
        for claim in ClaimFactory.create_batch(size - Claim.objects.count()):
            ClaimTopic.objects.bulk_create(ClaimTopic(claim=claim, topic=t) for t in topics)
        for name, url in (("board", reverse("claims:board")), ("list", reverse("claims:list"))):
            with django_assert_num_queries(8) as captured:
                body = client.get(url).content.decode()
            assert body.count('<span class="topic">Topic 2</span>') == min(
                size, 10 if name == "board" else 25
            )
            counted[name, size] = len(captured)
    assert counted["board", 3] == counted["board", 30]
    assert counted["list", 3] == counted["list", 30]


def test_an_outsider_sees_no_topics(client, outsider):
    client.force_login(outsider)
    assert client.get(reverse("claims:topic_suggest"), {"name": "a"}).status_code == 403


def test_a_reporter_sees_topics_but_no_forms_to_change_them(client, editor, reporter):
    claim = log_claim(reporter)
    services.claim_topic_add(actor=editor, claim=claim, name="Transport")
    client.force_login(reporter)
    page = client.get(claim.get_absolute_url()).content.decode()
    assert '<span class="topic">Transport</span>' in page
    assert reverse("claims:topic_add", args=[claim.pk]) not in page
    assert reverse("claims:due_date", args=[claim.pk]) not in page


def topic_counts():
    return set(
        TopicStatusCount.objects.filter(claims__gt=0).values_list("topic__name", "status", "claims")
    )


def test_the_kept_topic_counts_follow_links_and_status_changes(desk, editor):
    claims = [log_claim(desk.reporter, f"Claim {n}.") for n in range(3)]
    for claim in claims:
        services.claim_topic_add(actor=editor, claim=claim, name="Rail")
    services.claim_topic_add(actor=editor, claim=claims[0], name="Buses")
    assert topic_counts() == {("Rail", "new", 3), ("Buses", "new", 1)}
    services.claim_transition(actor=editor, claim=claims[0], target=ClaimStatus.RESEARCHING)
    services.claims_bulk(
        actor=editor, action="dismiss", claims=claims[1:], dismiss_reason="opinion"
    )
    services.claim_topic_remove(actor=editor, claim=claims[2], topic=Topic.objects.get(name="Rail"))
    expected = {("Rail", "researching", 1), ("Rail", "dismissed", 1), ("Buses", "researching", 1)}
    assert topic_counts() == expected
    # What a recount from scratch finds.
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(TopicStatusCount.RECOUNT_SQL)
    assert topic_counts() == expected


def test_the_board_and_list_read_a_topic_s_counts_from_the_kept_table(client, editor, desk):
    claims = [log_claim(desk.reporter, f"Claim {n}.") for n in range(3)]
    rail = None
    for claim in claims:
        rail = services.claim_topic_add(actor=editor, claim=claim, name="Rail")
    services.claim_transition(actor=editor, claim=claims[0], target=ClaimStatus.RESEARCHING)
    client.force_login(editor)
    board = client.get(reverse("claims:board"), {"topic": rail.pk})
    assert board.context["counts"] == {"new": 2, "researching": 1}
    listed = client.get(reverse("claims:list"), {"topic": rail.pk, "status": "new"})
    assert listed.context["page"].paginator.count == 2
    # The counts come from the kept rows: a row off by one shows (which is how it is read).
    TopicStatusCount.objects.filter(topic=rail, status="new").update(claims=5)
    assert client.get(reverse("claims:board"), {"topic": rail.pk}).context["counts"]["new"] == 5
    # With another filter as well, the claims are counted (the one in research is the
    # editor's, who started it).
    both = client.get(reverse("claims:board"), {"topic": rail.pk, "assignee": "none"})
    assert both.context["counts"] == {"new": 2}
