"""Login, logout and what each persona may open."""

import pytest
from django.core.management import call_command
from django.test import RequestFactory
from django.urls import reverse

from factdesk.core.views import server_error


def test_anonymous_visitor_is_sent_to_login(client, db):
    response = client.get(reverse("claims:board"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize("persona", ["reporter", "editor", "publisher"])
def test_desk_roles_log_in_and_reach_the_board(client, personas, password, persona):
    user = personas[persona]
    response = client.post(
        reverse("accounts:login"), {"username": user.username, "password": password}, follow=True
    )
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == reverse("claims:board")
    assert b"No claims on the desk yet" in response.content
    assert persona.encode() in response.content  # the role shows next to the name


def test_outsider_logs_in_but_is_refused_the_board(client, outsider, password):
    response = client.post(
        reverse("accounts:login"),
        {"username": outsider.username, "password": password},
        follow=True,
    )
    assert response.status_code == 403
    assert b"no role on the desk yet" in response.content
    assert b'href="/"' in response.content  # the 403 page offers a way on
    assert b">Board<" not in response.content


def test_wrong_password_says_so_and_keeps_the_username(client, reporter):
    response = client.post(reverse("accounts:login"), {"username": "rita", "password": "nope"})
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
