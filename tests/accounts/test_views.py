"""Login, logout and what each persona may open."""

import pytest
from django.core.management import call_command
from django.test import RequestFactory
from django.urls import reverse

from factdesk.core.views import server_error


def test_anonymous_visitor_is_sent_to_login(client, db):
    response = client.get(reverse("claims:board"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("signin:login"))


@pytest.mark.parametrize("persona", ["reporter", "editor", "publisher"])
def test_desk_roles_log_in_and_reach_the_board(client, personas, password, persona):
    user = personas[persona]
    response = client.post(
        reverse("signin:login"), {"username": user.username, "password": password}, follow=True
    )
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == reverse("claims:board")
    assert b"No claims on the desk yet" in response.content
    assert persona.encode() in response.content  # the role shows next to the name


def test_outsider_logs_in_but_is_refused_the_board(client, outsider, password):
    response = client.post(
        reverse("signin:login"),
        {"username": outsider.username, "password": password},
        follow=True,
    )
    assert response.status_code == 403
    assert b"no role on the desk yet" in response.content
    assert b'href="/"' in response.content  # the 403 page offers a way on
    assert b">Board<" not in response.content


def test_wrong_password_says_so_and_keeps_the_username(client, reporter):
    response = client.post(reverse("signin:login"), {"username": "rita", "password": "nope"})
    assert response.status_code == 200
    assert b"match an active account" in response.content
    assert b'value="rita"' in response.content


def test_logout_is_a_post_and_ends_the_session(client, reporter):
    client.force_login(reporter)
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert client.get(reverse("claims:board")).status_code == 302


def test_unknown_page_gets_the_helpful_404(client, reporter):
    client.force_login(reporter)
    response = client.get("/no/such/page")
    assert response.status_code == 404
    assert b"There is no page at <code>/no/such/page</code>" in response.content


def test_server_error_page_renders_without_the_database():
    response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    assert b"Something went wrong on our side" in response.content


def test_static_files_are_served_by_whitenoise_after_collectstatic(
    client, reporter, settings, tmp_path
):
    """The production path: collectstatic, then whitenoise serves from STATIC_ROOT."""
    settings.STATIC_ROOT = tmp_path
    call_command("collectstatic", "--noinput", verbosity=0)
    client.force_login(reporter)
    page = client.get(reverse("claims:board"))
    assert b"/static/factdesk/desk.css" in page.content
    assert b"htmx" in page.content
    stylesheet = client.get("/static/factdesk/desk.css")
    assert stylesheet.status_code == 200
    assert b".board" in b"".join(stylesheet.streaming_content)


def wrong_login(client, username="rita", address="203.0.113.5", **headers):
    return client.post(
        reverse("signin:login"),
        {"username": username, "password": "wrong"},
        REMOTE_ADDR=address,
        **headers,
    )


def test_repeated_wrong_passwords_lock_the_account_from_that_address_and_say_until_when(
    client, reporter, password, settings
):
    from factdesk.claims.models import Activity

    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert wrong_login(client).status_code == 200
    refused = wrong_login(client)
    assert refused.status_code == 429
    assert "Too many wrong passwords for “rita” from your address" in refused.content.decode()
    assert "ask an admin to unlock" in refused.content.decode()
    # The right password does not get in either, from that address, until the lockout ends.
    right = client.post(
        reverse("signin:login"),
        {"username": "rita", "password": password},
        REMOTE_ADDR="203.0.113.5",
    )
    assert right.status_code == 429
    assert "_auth_user_id" not in client.session
    entry = Activity.objects.get(action="account.locked_out")
    assert (entry.actor, entry.target_id) == (reporter, reporter.pk)
    assert "203.0.113.5" in entry.summary


def test_a_lockout_is_per_account_and_address_so_others_still_log_in(
    client, reporter, editor, password, settings
):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        wrong_login(client)
    # Rita from another address, and Ed from the same one, are not locked out.
    for username, address in (("rita", "198.51.100.7"), ("ed", "203.0.113.5")):
        response = client.post(
            reverse("signin:login"),
            {"username": username, "password": password},
            REMOTE_ADDR=address,
        )
        assert response.status_code == 302, username
        client.post(reverse("accounts:logout"))


def test_a_forwarded_address_counts_only_behind_a_trusted_proxy(client, reporter, settings):
    settings.TRUSTED_PROXIES = ["10.0.0.2/32"]
    # Behind the proxy, each client is its own address: one reporter's lockout is not all.
    for _ in range(settings.AXES_FAILURE_LIMIT):
        wrong_login(client, address="10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.5")
    assert (
        wrong_login(client, address="10.0.0.2", HTTP_X_FORWARDED_FOR="198.51.100.7").status_code
        == 200
    )
    # From anyone else, X-Forwarded-For is what the client wrote: ignored, so an attacker
    # cannot dodge the limit by changing it.
    for n in range(settings.AXES_FAILURE_LIMIT):
        wrong_login(client, address="192.0.2.9", HTTP_X_FORWARDED_FOR=f"198.51.100.{n}")
    assert (
        wrong_login(client, address="192.0.2.9", HTTP_X_FORWARDED_FOR="198.51.100.99").status_code
        == 429
    )


def test_an_admin_unlocks_an_account(client, reporter, password, settings, admin_client):
    from axes.models import AccessAttempt

    for _ in range(settings.AXES_FAILURE_LIMIT):
        wrong_login(client)
    attempt = AccessAttempt.objects.get(username="rita")
    changelist = reverse("admin:axes_accessattempt_changelist")
    assert "rita" in admin_client.get(changelist).content.decode()
    admin_client.post(
        changelist,
        {"action": "delete_selected", "_selected_action": [attempt.pk], "post": "yes"},
    )
    assert not AccessAttempt.objects.exists()
    response = client.post(
        reverse("signin:login"),
        {"username": "rita", "password": password},
        REMOTE_ADDR="203.0.113.5",
    )
    assert response.status_code == 302
