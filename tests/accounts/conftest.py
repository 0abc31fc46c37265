"""A real SMTP server (aiosmtpd) that the desk's email goes to, and the links in what it got."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest

from tests.notifications.smtp import smtp_server

DESK_URL = "https://desk.example"


@pytest.fixture
def mail(settings):
    """The inbox of a local SMTP server that Django sends to, for this test."""
    with smtp_server() as (inbox, port):
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST = "127.0.0.1"
        settings.EMAIL_PORT = port
        settings.DESK_URL = DESK_URL
        yield inbox


def link_in(message) -> str:
    """The path of the one desk link in an email's body (to open with the test client)."""
    links = re.findall(re.escape(DESK_URL) + r"/\S+", message.get_content())
    assert len(links) == 1, message.get_content()
    return urlsplit(links[0]).path
