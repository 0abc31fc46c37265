"""Sessions: listed per person, ended elsewhere on demand, on a password change or a change of
role, and after SESSION_IDLE_MINUTES unused."""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from factdesk.accounts.models import UserSession
from factdesk.claims.models import Activity

SESSIONS = reverse("accounts:sessions")
BOARD = reverse("claims:board")
NEW_PASSWORD = "a quiet lighthouse at noon"


def logged_in(user, password, agent):
    client = Client(HTTP_USER_AGENT=agent)
    response = client.post(
        reverse("signin:login"), {"username": user.username, "password": password}
    )
    assert response.status_code == 302
    return client


def test_the_page_lists_each_session_and_marks_this_one(reporter, password):
    laptop = logged_in(reporter, password, "Firefox on the laptop")
    phone = logged_in(reporter, password, "Safari on the phone")
    page = laptop.get(SESSIONS)
    rows = list(page.context["sessions"])
    assert {row.user_agent for row in rows} == {"Firefox on the laptop", "Safari on the phone"}
    assert {str(row.ip) for row in rows} == {"127.0.0.1"}
    assert page.text.count('data-testid="session"') == 2
    assert page.text.count("This session") == 1
    this = next(row for row in rows if row.session_id == laptop.session.session_key)
    assert this.user_agent == "Firefox on the laptop"
    assert phone.get(SESSIONS).context["current"] == phone.session.session_key


def test_log_out_everywhere_else(reporter, password, editor):
    laptop = logged_in(reporter, password, "laptop")
    phone = logged_in(reporter, password, "phone")
    colleague = Client()
    colleague.force_login(editor)
    response = laptop.post(SESSIONS, follow=True)
    assert "Logged out of 1 session elsewhere." in response.text
    assert phone.get(BOARD).status_code == 302  # to the login page
    assert laptop.get(BOARD).status_code == 200
    assert colleague.get(BOARD).status_code == 200  # nobody else's
    assert list(UserSession.objects.filter(user=reporter).values_list("user_agent", flat=True)) == [
        "laptop"
    ]
    ended = Activity.objects.get(action="account.sessions_ended")
    assert (ended.actor, ended.changes) == (reporter, {"other_sessions": [1, 0]})
    again = laptop.post(SESSIONS, follow=True)
    assert "You were logged in nowhere else" in again.text


def test_an_idle_session_logs_out_with_a_message(client, reporter, settings):
    client.force_login(reporter)
    assert client.get(BOARD).status_code == 200
    idle = timezone.now() - timedelta(minutes=settings.SESSION_IDLE_MINUTES + 1)
    UserSession.objects.filter(user=reporter).update(last_seen_at=idle)
    response = client.get(BOARD, follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse("signin:login"))
    assert "You were logged out after 8 hours without using the desk" in response.text
    assert not UserSession.objects.filter(user=reporter).exists()


def test_use_is_noted_at_most_once_a_minute(client, reporter):
    client.force_login(reporter)
    row = UserSession.objects.get(user=reporter)
    recently = timezone.now() - timedelta(seconds=20)
    UserSession.objects.filter(pk=row.pk).update(last_seen_at=recently)
    client.get(BOARD)
    assert UserSession.objects.get(pk=row.pk).last_seen_at == recently
    earlier = timezone.now() - timedelta(minutes=5)
    UserSession.objects.filter(pk=row.pk).update(last_seen_at=earlier)
    client.get(BOARD)
    assert UserSession.objects.get(pk=row.pk).last_seen_at > recently


def test_a_password_change_ends_the_other_sessions_and_keeps_this_one(reporter, password):
    laptop = logged_in(reporter, password, "laptop")
    phone = logged_in(reporter, password, "phone")
    url = reverse("accounts:password_change")
    wrong = laptop.post(
        url,
        {"old_password": "nope", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert "Your old password was entered incorrectly" in wrong.text
    for fields, words in [
        ({}, "This field is required."),
        ({"old_password": "p" * 100_000}, "A password is at most 4096 characters"),
    ]:
        assert words in laptop.post(url, fields).text
    response = laptop.post(
        url,
        {"old_password": password, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        follow=True,
    )
    assert "Your password is changed. You were logged out of 1 session elsewhere." in response.text
    assert laptop.get(BOARD).status_code == 200
    assert phone.get(BOARD).status_code == 302
    assert UserSession.objects.filter(user=reporter).count() == 1
    # Sent twice: the old password is wrong now, and nothing changes.
    twice = laptop.post(
        url,
        {"old_password": password, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert twice.status_code == 200
    assert Activity.objects.filter(action="account.password_changed").count() == 1


def test_a_change_of_role_ends_that_persons_sessions(reporter, editor, password):
    rita = logged_in(reporter, password, "laptop")
    ed = Client()
    ed.force_login(editor)
    reporter.groups.add(Group.objects.get(name="editor"))
    assert rita.get(BOARD).status_code == 302
    assert ed.get(BOARD).status_code == 200
    rita = logged_in(reporter, password, "laptop")
    Group.objects.get(name="editor").user_set.remove(reporter)
    assert rita.get(BOARD).status_code == 302
    rita = logged_in(reporter, password, "laptop")
    Group.objects.get(name="reporter").user_set.clear()
    assert rita.get(BOARD).status_code == 302


def test_a_role_change_in_the_admin_ends_the_sessions(client, admin_user, reporter, password):
    rita = logged_in(reporter, password, "laptop")
    client.force_login(admin_user)
    url = reverse("admin:auth_user_change", args=[reporter.pk])
    form = client.get(url).context["adminform"].form
    fields = {
        name: value
        for name, value in form.initial.items()
        if name not in {"groups", "user_permissions", "last_login", "date_joined", "password"}
        and value is not None
    }
    fields |= {
        "groups": [Group.objects.get(name="editor").pk],
        "date_joined_0": "2026-01-01",
        "date_joined_1": "10:00:00",
        "is_active": "on",
    }
    response = client.post(url, fields)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert rita.get(BOARD).status_code == 302
    assert client.get(BOARD).status_code == 200  # the admin's own session stays
