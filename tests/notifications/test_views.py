"""The bell, the notifications page, opening one, mark all read, Follow, the email form and
the people a comment can mention: each for the personas, with the query the bell costs."""

from __future__ import annotations

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from factdesk.claims.models import Activity
from factdesk.notifications.models import EmailPreference, Follow, Kind, Notification
from tests.claims.flow import log_claim
from tests.factories import UserFactory


def notify(user, claim, text="Ed assigned you a claim", **fields) -> Notification:
    count = Notification.objects.count()
    return Notification.objects.create(
        recipient=user, claim=claim, kind=Kind.ASSIGNED, text=text, key=f"test:{count}", **fields
    )


@pytest.fixture
def claim(reporter):
    return log_claim(reporter)


def test_the_bell_counts_the_unread(client, reporter, editor, claim):
    notify(reporter, claim)
    notify(reporter, claim, read_at=claim.created_at)
    notify(editor, claim)
    client.force_login(reporter)
    body = client.get(reverse("claims:board")).content.decode()
    assert 'aria-label="Notifications, 1 unread"' in body
    assert '<span class="bell-count" aria-hidden="true">1</span>' in body


def test_no_bell_for_someone_without_a_role(client, outsider):
    client.force_login(outsider)
    body = client.get(reverse("signin:login")).content.decode()
    assert 'data-testid="bell"' not in body


def bell_queries(client, url) -> list[str]:
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return [q["sql"] for q in captured.captured_queries]


@pytest.mark.parametrize("name", ["claims:board", "claims:list", "notifications:list"])
def test_the_bell_is_one_query_however_many_notifications(client, reporter, claim, name):
    client.force_login(reporter)
    notify(reporter, claim)
    before = bell_queries(client, reverse(name))
    for _ in range(40):
        notify(reporter, claim)
    after = bell_queries(client, reverse(name))
    assert len(after) == len(before)
    counts = [sql for sql in after if "COUNT(*)" in sql and "notifications_notification" in sql]
    assert len(counts) == 1 + (name == "notifications:list")  # the page's own pager counts too


def test_the_unread_count_can_use_its_partial_index(reporter, claim):
    from django.test.utils import CaptureQueriesContext

    from factdesk.notifications import selectors

    notify(reporter, claim)
    with CaptureQueriesContext(connection) as captured:
        assert selectors.unread_count(reporter) == 1
    (count,) = captured.captured_queries
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # a few rows: a scan would be cheaper
        cursor.execute("EXPLAIN " + count["sql"])
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "notification_unread" in plan, plan
    Notification.objects.filter(recipient=reporter).update(read_at=timezone.now())
    assert selectors.unread_count(reporter) == 0


def test_the_page_lists_newest_first_with_unread_marked(client, reporter, claim):
    old = notify(reporter, claim, text="First thing", read_at=claim.created_at)
    new = notify(reporter, claim, text="Second thing")
    client.force_login(reporter)
    response = client.get(reverse("notifications:list"))
    assert [n.pk for n in response.context["notifications"]] == [new.pk, old.pk]
    body = response.content.decode()
    assert body.index("Second thing") < body.index("First thing")
    assert body.count('class="unread-mark"') == 1


def test_opening_one_marks_it_read_and_goes_to_the_claim(client, reporter, claim):
    notification = notify(reporter, claim)
    client.force_login(reporter)
    response = client.get(notification.get_absolute_url())
    assert response.status_code == 302
    assert response.url == claim.get_absolute_url()
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_someone_elses_notification_is_not_found(client, reporter, editor, claim):
    notification = notify(reporter, claim)
    client.force_login(editor)
    assert client.get(notification.get_absolute_url()).status_code == 404
    notification.refresh_from_db()
    assert notification.read_at is None


def test_mark_all_read_marks_only_mine(client, reporter, editor, claim):
    mine = [notify(reporter, claim) for _ in range(3)]
    theirs = notify(editor, claim)
    client.force_login(reporter)
    response = client.post(reverse("notifications:mark_all_read"), follow=True)
    assert "Marked 3 notifications read." in response.content.decode()
    assert not Notification.objects.filter(pk__in=[n.pk for n in mine], read_at=None).exists()
    theirs.refresh_from_db()
    assert theirs.read_at is None
    again = client.post(reverse("notifications:mark_all_read"), follow=True)
    assert "Nothing was unread." in again.content.decode()


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("get", lambda claim: reverse("notifications:list")),
        ("get", lambda claim: reverse("notifications:people")),
        ("post", lambda claim: reverse("notifications:follow", args=[claim.pk])),
        ("post", lambda claim: reverse("notifications:email")),
        ("post", lambda claim: reverse("notifications:mark_all_read")),
    ],
)
def test_every_page_needs_a_desk_role(client, outsider, claim, method, url):
    fields = {"following": "1", "enabled": "on", "kinds": ["mention"]}
    send = getattr(client, method)
    assert send(url(claim), fields).status_code == 302  # to the login
    client.force_login(outsider)
    assert send(url(claim), fields).status_code == 403
    assert not Follow.objects.filter(user=outsider).exists()
    assert not EmailPreference.objects.filter(user=outsider).exists()


def test_follow_and_unfollow_from_the_claim_page(client, editor, claim):
    client.force_login(editor)
    body = client.get(claim.get_absolute_url()).content.decode()
    assert ">Follow</button>" in body
    url = reverse("notifications:follow", args=[claim.pk])
    response = client.post(url, {"following": "1"}, headers={"HX-Request": "true"})
    assert "You follow this claim." in response.content.decode()
    assert ">Unfollow</button>" in response.content.decode()
    assert Follow.objects.filter(user=editor, claim=claim).exists()
    response = client.post(url, {"following": "0"}, follow=True)
    assert "You no longer follow this claim." in response.content.decode()
    assert not Follow.objects.filter(user=editor, claim=claim).exists()


def test_following_twice_makes_one_follow(client, editor, claim):
    client.force_login(editor)
    url = reverse("notifications:follow", args=[claim.pk])
    for _ in range(2):
        assert client.post(url, {"following": "1"}).status_code == 302
    assert Follow.objects.filter(user=editor, claim=claim).count() == 1
    assert Activity.objects.filter(action="claim.followed").count() == 1


def test_an_empty_or_odd_follow_is_refused_and_changes_nothing(client, editor, claim):
    client.force_login(editor)
    url = reverse("notifications:follow", args=[claim.pk])
    empty = client.post(url, {})
    assert empty.status_code == 400
    assert "Say whether to follow the claim" in empty.content.decode()
    assert client.post(url, {"following": "x" * 10_000}).status_code == 400
    assert not Follow.objects.filter(user=editor).exists()


def test_the_claim_page_says_when_you_follow(client, reporter, claim):
    client.force_login(reporter)  # logged it: followed for her
    Follow.objects.create(user=reporter, claim=claim)
    assert "You follow this claim." in client.get(claim.get_absolute_url()).content.decode()


def test_people_to_mention_are_desk_members_by_name(client, reporter, editor, outsider):
    # Names without an "r", whatever the factory drew, so that "r" finds rita and rob only.
    editor.first_name, editor.last_name = "Ed", "Lewis"
    editor.save(update_fields=["first_name", "last_name"])
    UserFactory(username="rob", first_name="Robin", last_name="Ash", roles=["reporter"])
    client.force_login(editor)
    people = client.get(reverse("notifications:people"), {"q": "r"}).json()["people"]
    assert {person["username"] for person in people} == {"rita", "rob"}
    assert {"username": "rob", "name": "Robin Ash"} in people
    assert client.get(reverse("notifications:people"), {"q": "ot"}).json() == {"people": []}
    long = client.get(reverse("notifications:people"), {"q": "r" * 5000})
    assert long.json() == {"people": []}


# ── the email form ──────────────────────────────────────────────────────────────────────


def post_email(client, **fields):
    return client.post(reverse("notifications:email"), fields)


def test_email_settings_saved(client, reporter):
    client.force_login(reporter)
    response = post_email(
        client, enabled="on", address="rita@home.example", kinds=[Kind.MENTION, Kind.APPROVED]
    )
    assert response.status_code == 302
    preference = EmailPreference.objects.get(user=reporter)
    assert preference.enabled
    assert preference.send_to == "rita@home.example"
    assert preference.kinds == [Kind.APPROVED, Kind.MENTION]
    page = client.get(reverse("notifications:list")).content.decode()
    assert 'value="rita@home.example"' in page
    assert "Email notifications are on." in page


def test_an_empty_email_form_turns_email_off(client, reporter):
    EmailPreference.objects.create(user=reporter, enabled=True, kinds=[Kind.MENTION])
    client.force_login(reporter)
    assert post_email(client).status_code == 302
    assert not EmailPreference.objects.get(user=reporter).enabled


def test_email_on_with_nothing_ticked_says_what_to_do(client, reporter):
    client.force_login(reporter)
    response = post_email(client, enabled="on")
    assert response.status_code == 400
    assert "Tick what you want to be emailed about, or leave email off." in (
        response.content.decode()
    )
    assert not EmailPreference.objects.filter(user=reporter, enabled=True).exists()


def test_an_over_long_address_is_refused_and_nothing_changes(client, reporter):
    EmailPreference.objects.create(user=reporter, address="rita@home.example")
    client.force_login(reporter)
    address = "r" * 300 + "@example.org"
    response = post_email(client, enabled="on", address=address, kinds=[Kind.MENTION])
    assert response.status_code == 400
    assert "An email address has at most 254 characters; this one has 312." in (
        response.content.decode()
    )
    preference = EmailPreference.objects.get(user=reporter)
    assert (preference.enabled, preference.address) == (False, "rita@home.example")


def test_an_unknown_kind_is_refused(client, reporter):
    client.force_login(reporter)
    response = post_email(client, enabled="on", kinds=["gossip"])
    assert response.status_code == 400
    assert "There is no notification called gossip." in response.content.decode()
    assert not EmailPreference.objects.filter(user=reporter).exists()


def test_the_email_form_sent_twice_makes_one_setting_and_one_change(client, reporter):
    client.force_login(reporter)
    for _ in range(2):
        assert post_email(client, enabled="on", kinds=[Kind.MENTION]).status_code == 302
    assert EmailPreference.objects.filter(user=reporter).count() == 1
    assert Activity.objects.filter(action="notifications.email").count() == 1
