"""The login form's empty, over-size and twice-submitted input."""

import pytest
from django.contrib.auth import SESSION_KEY
from django.urls import reverse

from factdesk.claims.models import Activity


def log_in(client, **fields):
    return client.post(reverse("signin:login"), fields)


@pytest.mark.parametrize(
    "fields",
    [{"username": "", "password": ""}, {"username": "rita", "password": ""}, {"password": "x"}],
)
def test_an_empty_field_asks_for_both(client, reporter, fields):
    response = log_in(client, **fields)
    assert response.status_code == 200
    assert "Type both your username and your password." in response.content.decode()
    assert SESSION_KEY not in client.session


def test_an_over_size_username_says_what_is_wrong_and_keeps_nothing_logged_in(
    client, reporter, password
):
    response = log_in(client, username="r" * 5000, password=password)
    body = response.content.decode()
    assert "A username is at most 150 characters" in body
    assert 'maxlength="150"' in body  # the browser stops it before it is sent
    assert SESSION_KEY not in client.session


def test_an_over_size_password_is_a_wrong_password(client, reporter):
    response = log_in(client, username=reporter.username, password="p" * 100_000)
    assert "don't match an active account" in response.content.decode()
    assert SESSION_KEY not in client.session


def test_submitting_twice_logs_in_once_and_lands_on_the_board(client, reporter, password):
    first = log_in(client, username=reporter.username, password=password)
    session = client.session.session_key
    second = log_in(client, username=reporter.username, password=password)
    assert first["Location"] == second["Location"] == reverse("claims:board")
    assert client.session.session_key == session  # the second did not log in again
    assert not Activity.objects.exists()
