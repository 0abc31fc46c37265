"""People joining the desk and keeping their accounts safe: invitations, passwords, sessions.

Every change a person makes is audited. The audit trail belongs to claims, an app above this
one (claims imports the roles from here), so `_record` imports it when called, once every app
is loaded, rather than at the top of this module.
"""

from __future__ import annotations

import ipaddress
import logging
import smtplib
import uuid
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.models import Group, User
from django.contrib.sessions.models import Session
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import IntegrityError, models, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from factdesk.accounts.models import Invitation, UserSession, digest_of, new_token
from factdesk.accounts.roles import Role, invitable_roles
from factdesk.core.errors import DeskError
from factdesk.core.idempotency import once

logger = logging.getLogger(__name__)

ADDRESS_MAX = 254  # RFC 5321's longest address
USER_AGENT_MAX = 300


def _record(
    *, actor: User, action: str, target: models.Model, summary: str, changes: dict[str, list]
) -> None:
    from factdesk.claims import audit

    audit.record(actor=actor, action=action, target=target, summary=summary, changes=changes)


def _name(user: User | None) -> str:
    if user is None:
        return "someone no longer on the desk"
    return user.get_full_name() or user.username


def _day(moment: datetime) -> str:
    return f"{timezone.localtime(moment):%-d %B %Y}"


# ── invitations ────────────────────────────────────────────────────────────────────────


def invitation_create(
    *, actor: User, email: str, role: str, idempotency_key: uuid.UUID | None = None
) -> tuple[Invitation, bool | None]:
    """Invite `email` to join the desk as `role`, and email them the link. Returns the
    invitation and whether the email went out (None when the key repeats an earlier
    submission: that one sent it).

    1. Who may invite whom: admins anyone, editors and publishers reporters only.
    2. Refused in words: an address with an account, or with an invitation still open.
    3. An expired invitation to the same address is closed, so the new one is its only open
       one (the database allows one unanswered invitation per address).
    4. The link's token is made here and emailed once committed; only its hash is kept.
    """
    allowed = invitable_roles(actor)
    if not allowed:
        raise PermissionDenied("Only an admin, an editor or a publisher can invite people.")
    email = email.strip()
    if not email:
        raise DeskError("Give the email address to send the invitation to.", field="email")
    if len(email) > ADDRESS_MAX:
        raise DeskError(
            f"That address is {len(email)} characters long; an email address has at most "
            f"{ADDRESS_MAX}. Check what was pasted.",
            field="email",
        )
    try:
        validate_email(email)
    except ValidationError:
        raise DeskError(
            f"\u201c{email}\u201d is not an email address: it should look like "
            "name@newsroom.example.",
            field="email",
        ) from None
    if role not in {known.value for known in Role}:
        raise DeskError("Choose the role: reporter, editor or publisher.", field="role")
    if role not in allowed:
        raise DeskError(
            f"You can invite reporters only; ask an admin to invite {_a(role)}.", field="role"
        )
    plain: list[str] = []

    def create() -> Invitation:
        account = User.objects.filter(email__iexact=email).first()
        if account is not None:
            raise DeskError(
                f"{email} already has an account ({account.username}). To change what they "
                "can do, an admin changes their role under Admin \u2192 Users.",
                field="email",
            )
        waiting = Invitation.objects.open().filter(email__iexact=email).select_related("invited_by")
        if (earlier := waiting.first()) is not None:
            raise DeskError(
                f"{email} was invited on {_day(earlier.created_at)} by "
                f"{_name(earlier.invited_by)}, and that invitation is open until "
                f"{_day(earlier.expires_at)}. Revoke it below to send a new one.",
                field="email",
            )
        now = timezone.now()
        Invitation.objects.filter(email__iexact=email, accepted_at=None, revoked_at=None).update(
            revoked_at=now
        )
        token = new_token()
        invitation = Invitation.objects.create(
            email=email,
            role=role,
            invited_by=actor,
            digest=digest_of(token),
            created_at=now,
            expires_at=now + timedelta(days=settings.INVITATION_DAYS),
        )
        _record(
            actor=actor,
            action="invitation.created",
            target=invitation,
            summary=f"invited {email} to join as {_a(role)}",
            changes={"email": [None, email], "role": [None, role]},
        )
        plain.append(token)
        return invitation

    try:
        invitation = once(key=idempotency_key, user=actor, create=create)
    except IntegrityError as error:
        if "invitation_one_unanswered_per_email" not in str(error):
            raise
        raise DeskError(
            f"{email} was invited by someone else a moment ago: see the list below.",
            field="email",
        ) from None
    if not plain:
        return invitation, None
    return invitation, _invitation_email_send(invitation=invitation, token=plain[0])


def _a(role: str) -> str:
    return f"an {role}" if role[0] in "aeiou" else f"a {role}"


def invitation_link(token: str) -> str:
    return settings.DESK_URL.rstrip("/") + reverse("accounts:invitation_accept", args=[token])


def _invitation_email_send(*, invitation: Invitation, token: str) -> bool:
    """Email the invitation's link; returns whether the mail server took it. A failure is
    logged and told to the inviter, who can revoke and invite again: the link exists only
    here, so there is nothing a retry could send later."""
    context = {
        "invitation": invitation,
        "inviter": _name(invitation.invited_by),
        "role": _a(invitation.role),
        "link": invitation_link(token),
        "expires": _day(invitation.expires_at),
    }
    try:
        send_mail(
            subject=f"{context['inviter']} invites you to the fact-checking desk",
            message=render_to_string("accounts/invitation_email.txt", context),
            from_email=None,
            recipient_list=[invitation.email],
        )
    except (smtplib.SMTPException, OSError) as error:
        logger.warning(
            "invitation %s: not emailed to %s (%s)", invitation.pk, invitation.email, error
        )
        return False
    return True


def invitation_revoke(*, actor: User, invitation: Invitation) -> None:
    """Close an invitation's link before it is used. Whoever may invite to its role may
    revoke it."""
    if invitation.role not in invitable_roles(actor):
        raise DeskError(f"Only an admin can revoke an invitation to join as {_a(invitation.role)}.")
    with transaction.atomic():
        revoked = Invitation.objects.filter(
            pk=invitation.pk, accepted_at=None, revoked_at=None
        ).update(revoked_at=timezone.now())
        if not revoked:
            invitation.refresh_from_db()
            raise DeskError(
                f"The invitation of {invitation.email} was "
                f"{invitation.state.label.lower()} already: there is nothing to revoke."
            )
        _record(
            actor=actor,
            action="invitation.revoked",
            target=invitation,
            summary=f"revoked the invitation of {invitation.email}",
            changes={"revoked": [False, True]},
        )


class InvitationClosedError(DeskError):
    """The invitation's link no longer works: used, revoked or expired (`state` says)."""

    def __init__(self, invitation: Invitation) -> None:
        self.invitation = invitation
        self.state = invitation.state
        super().__init__(f"This invitation is {self.state.label.lower()}.")


def invitation_accept(
    *, invitation: Invitation, username: str, first_name: str, last_name: str, password: str
) -> User:
    """Make the invited person's account, with the invitation's role and address; returns
    it. The person is the actor: they proved they read the email.

    1. Claim the invitation with a conditional update and a row count: of two submissions
       (a double click, the back button), one makes the account, the other finds it used.
    2. The username must be free (any case: "Rita" and "rita" are one person to a reader).
    3. The account, its role and the claim commit together, or nothing does.
    """
    try:
        with transaction.atomic():
            claimed = Invitation.objects.filter(
                pk=invitation.pk, accepted_at=None, revoked_at=None, expires_at__gt=timezone.now()
            ).update(accepted_at=timezone.now())
            if not claimed:
                invitation.refresh_from_db()
                raise InvitationClosedError(invitation)
            if User.objects.filter(username__iexact=username).exists():
                raise DeskError(
                    f"The username \u201c{username}\u201d is taken: choose another.",
                    field="username",
                )
            if User.objects.filter(email__iexact=invitation.email).exists():
                raise DeskError(
                    f"An account with the address {invitation.email} was made meanwhile: log "
                    "in with it, or ask for a new password from the login page."
                )
            user = User(
                username=username,
                first_name=first_name,
                last_name=last_name,
                email=invitation.email,
            )
            user.set_password(password)
            user.save()
            user.groups.add(Group.objects.get_or_create(name=invitation.role)[0])
            Invitation.objects.filter(pk=invitation.pk).update(accepted_user=user)
            invitation.refresh_from_db()
            _record(
                actor=user,
                action="invitation.accepted",
                target=invitation,
                summary=f"accepted the invitation and joined as {_a(invitation.role)} ({username})",
                changes={"accepted": [False, True], "account": [None, username]},
            )
    except IntegrityError as error:
        if "username" not in str(error):
            raise
        raise DeskError(
            f"The username \u201c{username}\u201d was taken a moment ago: choose another.",
            field="username",
        ) from None
    return user


# ── passwords ──────────────────────────────────────────────────────────────────────────


def password_change(*, actor: User, password: str, keep_session_key: str | None) -> int:
    """Set `actor`'s new password (checked by the form against Django's validators) and end
    their other sessions; returns how many were ended. The caller keeps this session
    (`update_session_auth_hash`)."""
    with transaction.atomic():
        actor.set_password(password)
        actor.save(update_fields=["password"])
        ended = _sessions_end(user_ids=[actor.pk], keep_session_key=keep_session_key)
        _record(
            actor=actor,
            action="account.password_changed",
            target=actor,
            summary=f"changed their password and ended {sessions_in_words(ended)} elsewhere",
            changes={"password": ["old", "new"], "other_sessions": [ended, 0]},
        )
    return ended


def password_reset(*, user: User, password: str) -> None:
    """Set the password of someone who followed a reset link from their email, end all their
    sessions, and lift any lockout of their username (a reset proves who they are).

    The person is the actor: the link was sent to their address."""
    from axes.utils import reset as axes_reset

    with transaction.atomic():
        user.set_password(password)
        user.save(update_fields=["password"])
        ended = _sessions_end(user_ids=[user.pk])
        lifted = axes_reset(username=user.get_username())
        _record(
            actor=user,
            action="account.password_reset",
            target=user,
            summary="set a new password from a reset link"
            + (" (the login lockout is lifted)" if lifted else ""),
            changes={"password": ["old", "new"], "sessions": [ended, 0]},
        )


# ── sessions ───────────────────────────────────────────────────────────────────────────


def sessions_in_words(count: int) -> str:
    return "1 session" if count == 1 else f"{count} sessions"


def _sessions_end(*, user_ids: list[int], keep_session_key: str | None = None) -> int:
    sessions = Session.objects.filter(desk_session__user_id__in=user_ids)
    if keep_session_key:
        sessions = sessions.exclude(session_key=keep_session_key)
    keys = list(sessions.values_list("session_key", flat=True))
    # Deleting the session deletes its UserSession row with it (the foreign key's cascade).
    Session.objects.filter(session_key__in=keys).delete()
    return len(keys)


def sessions_end_others(*, actor: User, keep_session_key: str) -> int:
    """Log `actor` out everywhere but the session `keep_session_key`; returns how many
    sessions were ended. None ended, nothing recorded."""
    with transaction.atomic():
        ended = _sessions_end(user_ids=[actor.pk], keep_session_key=keep_session_key)
        if ended:
            _record(
                actor=actor,
                action="account.sessions_ended",
                target=actor,
                summary=f"logged out of {sessions_in_words(ended)} elsewhere",
                changes={"other_sessions": [ended, 0]},
            )
    return ended


def sessions_end_for_role_change(*, user_ids: list[int]) -> int:
    """End every session of people whose roles changed, so that nobody keeps working with
    rights given by a page they loaded before; returns how many were ended. Not audited
    here: the change of role is what is recorded (Django admin's history)."""
    ended = _sessions_end(user_ids=user_ids)
    if ended:
        logger.info("roles changed for users %s: %s ended", user_ids, sessions_in_words(ended))
    return ended


def user_session_record(
    *, user: User, session_key: str, ip: str | None, user_agent: str
) -> UserSession | None:
    """Note that `user` is logged in with session `session_key` (at login, or the first
    request of a session from before sessions were listed). None if the session was ended
    meanwhile."""
    try:
        ip = str(ipaddress.ip_address(ip or ""))
    except ValueError:
        ip = None  # a forwarded header's garbage is no address to keep
    defaults: dict[str, Any] = {
        "user": user,
        "ip": ip,
        "user_agent": user_agent[:USER_AGENT_MAX],
        "created_at": timezone.now(),
        "last_seen_at": timezone.now(),
    }
    try:
        with transaction.atomic():
            row, _ = UserSession.objects.update_or_create(session_id=session_key, defaults=defaults)
    except IntegrityError:
        return None  # the session row is gone: logged out from elsewhere at this moment
    return row


def user_session_touch(*, session_key: str, seen_at: datetime) -> None:
    UserSession.objects.filter(session_id=session_key).update(last_seen_at=seen_at)
