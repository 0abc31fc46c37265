"""Who may open each page this app added: anonymous, the four personas and an admin."""

from __future__ import annotations

import pytest
from django.urls import reverse

from factdesk.accounts import services
from factdesk.accounts.models import Invitation, digest_of

PERSONAS = ["anonymous", "outsider", "reporter", "editor", "publisher", "admin"]
# persona → what each page answers: 200 (or 302 for the revoke's POST, which goes back to
# the list), "login" (sent to log in), 403.
PAGES = {
    "invitations": {
        "anonymous": "login",
        "outsider": 403,
        "reporter": 403,
        "editor": 200,
        "publisher": 200,
        "admin": 200,
    },
    "invitation_revoke": {
        "anonymous": "login",
        "outsider": 403,
        "reporter": 403,
        "editor": 302,
        "publisher": 302,
        "admin": 302,
    },
    "sessions": dict.fromkeys(PERSONAS, 200) | {"anonymous": "login"},
    "password_change": dict.fromkeys(PERSONAS, 200) | {"anonymous": "login"},
    # Open to all: the emailed links work without logging in.
    "password_reset": dict.fromkeys(PERSONAS, 200),
    "invitation_accept": dict.fromkeys(PERSONAS, 200),
}


@pytest.fixture
def people(personas, admin_user):
    return {**personas, "admin": admin_user, "anonymous": None}


@pytest.mark.parametrize("page", sorted(PAGES))
@pytest.mark.parametrize("persona", PERSONAS)
def test_who_may_open_each_page(client, people, admin_user, page, persona):
    invitation, _ = services.invitation_create(
        actor=admin_user, email="new@newsroom.example", role="reporter"
    )
    if people[persona] is not None:
        client.force_login(people[persona])
    if page == "invitation_revoke":
        response = client.post(reverse(f"accounts:{page}", args=[invitation.pk]))
    elif page == "invitation_accept":
        # The token is emailed, never kept: give the invitation one the test knows.
        Invitation.objects.filter(pk=invitation.pk).update(digest=digest_of("known"))
        response = client.get(reverse(f"accounts:{page}", args=["known"]))
    else:
        response = client.get(reverse(f"accounts:{page}"))
    expected = PAGES[page][persona]
    if expected == "login":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("signin:login"))
    else:
        assert response.status_code == expected
        if expected == 403 and page.startswith("invitation"):
            assert "role" in response.text


ALWAYS = {"Password", "Two-factor sign-in", "Sessions"}
CHECK = "Import from Meedan Check"
ADMIN = {"How people sign in", "Export the whole desk"}


@pytest.mark.parametrize(
    ("persona", "shown"),
    [
        ("outsider", ALWAYS),
        ("reporter", ALWAYS | {"API tokens"}),
        ("editor", ALWAYS | {"API tokens", "Invitations"}),
        ("publisher", ALWAYS | {"API tokens", "Invitations", "Webhooks", CHECK}),
        ("admin", ALWAYS | {"API tokens", "Invitations", "Webhooks", CHECK, *ADMIN}),
    ],
)
def test_the_account_page_links_what_each_may_open(client, people, persona, shown):
    client.force_login(people[persona])
    page = client.get(reverse("accounts:account")).text
    assert ">Account</a>" in page  # in the user menu, for everyone
    assert (">Invitations</a>" in page.split("<main")[0]) == ("Invitations" in shown)
    links = page.split('data-testid="account-links"')[1]
    for name in (*ALWAYS, "API tokens", "Invitations", "Webhooks", CHECK, *ADMIN):
        assert (f">{name}</a>" in links) == (name in shown), name
