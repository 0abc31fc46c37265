"""Invitations: an admin or editor invites by email, the link makes one account once."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.models import User
from django.urls import reverse
from django.utils import timezone

from factdesk.accounts import services
from factdesk.accounts.models import Invitation, digest_of
from factdesk.accounts.roles import Role, user_roles
from factdesk.claims.models import Activity
from factdesk.core.errors import DeskError
from tests.accounts.conftest import link_in

INVITATIONS = reverse("accounts:invitations")
NEW_PASSWORD = "a quiet lighthouse at noon"


def invite(client, email="nadia@newsroom.example", role="reporter", **more):
    form = client.get(INVITATIONS).context["form"]
    key = form["idempotency_key"].value()
    return client.post(
        INVITATIONS, {"email": email, "role": role, "idempotency_key": key, **more}
    ), key


def accept(client, path, **more):
    fields = {
        "username": "nadia",
        "first_name": "Nadia",
        "last_name": "Haddad",
        "password1": NEW_PASSWORD,
        "password2": NEW_PASSWORD,
        **more,
    }
    return client.post(path, fields)


def test_an_admin_invites_a_reporter_who_follows_the_emailed_link_and_lands_logged_in(
    client, admin_user, mail
):
    client.force_login(admin_user)
    response, _ = invite(client)
    assert response.status_code == 302
    assert "Invitation emailed to nadia@newsroom.example" in client.get(INVITATIONS).text
    ((recipients, message),) = mail.messages
    assert recipients == ["nadia@newsroom.example"]
    assert "invites you" in message["Subject"]
    path = link_in(message)
    token = path.rstrip("/").rsplit("/", 1)[1]
    invitation = Invitation.objects.get()
    assert invitation.digest == digest_of(token)  # the token itself is not kept
    assert token not in str(Invitation.objects.values().get())

    client.post(reverse("accounts:logout"))
    page = client.get(path)
    assert page.status_code == 200
    assert "nadia@newsroom.example" in page.text
    assert "reporter" in page.text
    response = accept(client, path)
    assert response.status_code == 302
    assert response["Location"] == reverse("claims:board")
    board = client.get(response["Location"])
    assert board.status_code == 200
    assert "Welcome to the desk, Nadia" in board.text
    nadia = User.objects.get(username="nadia")
    assert nadia.email == "nadia@newsroom.example"
    assert nadia.get_full_name() == "Nadia Haddad"
    assert user_roles(nadia) == {Role.REPORTER}
    assert int(client.session[SESSION_KEY]) == nadia.pk
    invitation.refresh_from_db()
    assert invitation.accepted_user == nadia
    assert invitation.state == Invitation.State.ACCEPTED
    actions = list(Activity.objects.order_by("id").values_list("action", "actor__username"))
    assert actions == [("invitation.created", "admin"), ("invitation.accepted", "nadia")]


def test_the_link_works_once(client, admin_user, mail):
    services.invitation_create(actor=admin_user, email="nadia@newsroom.example", role="editor")
    path = link_in(mail.messages[0][1])
    assert accept(client, path).status_code == 302
    # The same form sent again (a double click, the back button): the account is made once.
    again = accept(client, path)
    assert again.status_code == 410
    assert "This invitation has been used" in again.text
    assert "You are logged in with it" in again.text
    assert User.objects.filter(email="nadia@newsroom.example").count() == 1
    other = client.__class__()
    used = accept(other, path, username="someone-else")
    assert used.status_code == 410
    assert "making the account <strong>nadia</strong>" in used.text
    assert not User.objects.filter(username="someone-else").exists()


def test_an_expired_link_says_so_and_makes_no_account(client, admin_user, mail):
    services.invitation_create(actor=admin_user, email="nadia@newsroom.example", role="reporter")
    Invitation.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
    path = link_in(mail.messages[0][1])
    page = client.get(path)
    assert page.status_code == 410
    assert "This invitation has expired" in page.text
    assert "invite you again" in page.text
    assert accept(client, path).status_code == 410
    assert not User.objects.filter(username="nadia").exists()
    # The address may be invited again; the old link stays expired.
    services.invitation_create(actor=admin_user, email="nadia@newsroom.example", role="reporter")
    assert "This invitation has expired" in client.get(path).text
    assert client.get(link_in(mail.messages[1][1])).status_code == 200


def test_a_revoked_link_says_so_and_leaves_the_list(client, editor, mail):
    client.force_login(editor)
    invite(client)
    invitation = Invitation.objects.get()
    assert "nadia@newsroom.example" in client.get(INVITATIONS).text
    response = client.post(reverse("accounts:invitation_revoke", args=[invitation.pk]), follow=True)
    assert "is revoked: its link no longer works" in response.text
    assert "No invitations are waiting." in response.text
    again = client.post(reverse("accounts:invitation_revoke", args=[invitation.pk]), follow=True)
    assert "was revoked already: there is nothing to revoke" in again.text
    anonymous = client.__class__()
    page = anonymous.get(link_in(mail.messages[0][1]))
    assert page.status_code == 410
    assert "This invitation was withdrawn" in page.text
    assert [a.action for a in Activity.objects.order_by("id")] == [
        "invitation.created",
        "invitation.revoked",
    ]


def test_an_unknown_link_says_so(client, db):
    for token in ("nonsense", "x" * 5000):
        page = client.get(reverse("accounts:invitation_accept", args=[token]))
        assert page.status_code == 404
        assert "No invitation has this link" in page.text


def test_the_list_says_who_invited_and_until_when(client, admin_user, editor, mail):
    services.invitation_create(actor=editor, email="a@newsroom.example", role="reporter")
    services.invitation_create(actor=admin_user, email="b@newsroom.example", role="editor")
    client.force_login(editor)
    page = client.get(INVITATIONS)
    rows = page.context["waiting"]
    assert [(i.email, i.invited_by, may) for i, may in rows] == [
        ("a@newsroom.example", editor, True),
        ("b@newsroom.example", admin_user, False),  # an editor's invitation is an admin's to revoke
    ]
    expires = timezone.localtime(rows[0][0].expires_at)
    assert f"{expires:%-d %b %Y %H:%M}" in page.text
    assert "Ed" in page.text
    assert page.text.count(">Revoke<") == 1
    refused = client.post(reverse("accounts:invitation_revoke", args=[rows[1][0].pk]), follow=True)
    assert "Only an admin can revoke an invitation to join as an editor" in refused.text


def test_an_editor_invites_reporters_only(client, editor, mail):
    client.force_login(editor)
    page = client.get(INVITATIONS)
    assert 'value="reporter"' in page.text
    assert 'value="editor"' not in page.text
    response, _ = invite(client, role="editor")
    assert response.status_code == 400
    assert "Choose one of the roles listed." in response.text
    with pytest.raises(DeskError, match="You can invite reporters only; ask an admin to invite"):
        services.invitation_create(actor=editor, email="x@newsroom.example", role="publisher")
    assert not Invitation.objects.exists()
    assert not mail.messages


@pytest.mark.parametrize("persona", ["reporter", "outsider"])
def test_a_reporter_or_outsider_cannot_invite(personas, persona):
    with pytest.raises(Exception, match="Only an admin, an editor or a publisher can invite"):
        services.invitation_create(
            actor=personas[persona], email="x@newsroom.example", role="reporter"
        )


def test_an_address_with_an_account_or_an_open_invitation_is_refused_in_words(
    client, admin_user, reporter, mail
):
    client.force_login(admin_user)
    response, _ = invite(client, email=reporter.email.upper())
    assert response.status_code == 400
    assert f"{reporter.email.upper()} already has an account (rita)" in response.text
    invite(client)
    response, _ = invite(client, email="Nadia@Newsroom.example")
    assert response.status_code == 400
    assert "Nadia@Newsroom.example was invited on" in response.text
    assert "that invitation is open until" in response.text
    assert Invitation.objects.count() == 1
    assert len(mail.messages) == 1


@pytest.mark.parametrize(
    ("email", "words"),
    [
        ("", "Give the email address to send the invitation to."),
        ("   ", "Give the email address to send the invitation to."),
        ("not an address", "is not an email address"),
        ("n" * 300 + "@newsroom.example", "An email address has at most 254 characters"),
    ],
)
def test_empty_malformed_or_over_size_addresses_are_refused_in_words(
    client, admin_user, mail, email, words
):
    client.force_login(admin_user)
    response, _ = invite(client, email=email)
    assert response.status_code == 400
    assert words in response.text
    assert not Invitation.objects.exists()


def test_a_form_sent_twice_makes_one_invitation_and_one_email(client, admin_user, mail):
    client.force_login(admin_user)
    first, key = invite(client)
    second = client.post(
        INVITATIONS, {"email": "nadia@newsroom.example", "role": "reporter", "idempotency_key": key}
    )
    assert first.status_code == second.status_code == 302
    assert "was invited by your first click" in client.get(INVITATIONS).text
    assert Invitation.objects.count() == 1
    assert len(mail.messages) == 1
    assert Activity.objects.filter(action="invitation.created").count() == 1


def test_a_mail_server_that_refuses_is_told_to_the_inviter(client, admin_user, settings, db):
    from tests.notifications.smtp import free_port

    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port("127.0.0.1")  # nobody
    settings.EMAIL_TIMEOUT = 2
    client.force_login(admin_user)
    response, _ = invite(client)
    assert response.status_code == 302
    assert "the email could not be sent" in client.get(INVITATIONS).text
    assert Invitation.objects.count() == 1


@pytest.fixture
def link(admin_user, mail):
    services.invitation_create(actor=admin_user, email="nadia@newsroom.example", role="reporter")
    return link_in(mail.messages[0][1])


@pytest.mark.parametrize(
    ("fields", "words"),
    [
        ({"username": "", "first_name": "", "password1": "", "password2": ""}, "Choose a username"),
        ({"first_name": ""}, "Give your first name"),
        ({"password2": ""}, "Type the password a second time"),
        ({"password2": "something else entirely"}, "The two passwords differ"),
        ({"password1": "password", "password2": "password"}, "This password is too common."),
        ({"password1": "haddad12", "password2": "haddad12"}, "too similar"),
        ({"username": "n" * 5000}, "A username is at most 150 characters (this has 5000)"),
        ({"username": "nadia haddad!"}, "Enter a valid username"),
        ({"first_name": "N" * 5000}, "Keep your first name to 150 characters."),
        ({"password1": "p" * 100_000, "password2": "p" * 100_000}, "Keep the password to 4096"),
        ({"username": "RITA"}, "The username \u201cRITA\u201d is taken"),
    ],
)
def test_the_account_form_refuses_in_words(client, reporter, link, fields, words):
    response = accept(client, link, **fields)
    assert response.status_code == 400
    assert words in response.text
    assert not User.objects.filter(email="nadia@newsroom.example").exists()
    assert Invitation.objects.get().state == Invitation.State.OPEN  # the link still works
    assert SESSION_KEY not in client.session
