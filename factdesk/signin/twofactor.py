"""Two-factor sign-in: a code from an authenticator app (TOTP, RFC 6238, by django-otp) and
ten single-use recovery codes for the day the phone is lost.

Setting up is two steps, so that nobody is locked out by a mistyped secret: a new device is
made unconfirmed and shown as a QR code; it is confirmed only by a code it produced. Signing
in is two steps too (accounts/views.py): the password, then a code, with each wrong code
counted by the same login throttle as a wrong password.
"""

from __future__ import annotations

import base64
import secrets

import segno
from django.contrib.auth.models import User
from django.core.cache import caches
from django.db import transaction
from django_otp import devices_for_user, match_token
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from factdesk.accounts.roles import Role, user_roles
from factdesk.claims import audit
from factdesk.core.errors import DeskError
from factdesk.signin.models import REQUIRED_KEY, SecuritySettings

RECOVERY_CODES = 10
APP_NAME = "factdesk authenticator"
RECOVERY_NAME = "recovery codes"
CODE_MAX = 20  # a six-digit code or a recovery code, with room for spaces


WRONG_CODE = (
    "That code is not right: type the six digits your app shows now, or one of your recovery codes."
)


def has_two_factor(user: User) -> bool:
    return any(True for _ in devices_for_user(user, confirmed=True))


def required_for(user: User) -> bool:
    """Whether the desk requires this person to sign in with a second factor."""
    if not user_roles(user) & {Role.EDITOR, Role.PUBLISHER}:
        return False
    return SecuritySettings.requires_two_factor()


def pending_device(user: User) -> TOTPDevice:
    """The device being set up (made now if there is none): its secret is shown once as a
    QR code, and it counts for nothing until a code of it confirms it."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name=APP_NAME, confirmed=False)


def confirmed_app(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def recovery_codes_left(user: User) -> int:
    return StaticToken.objects.filter(device__user=user).count()


def secret_text(device: TOTPDevice) -> str:
    """The secret as an app asks for it when typed in (base32, in groups of four)."""
    text = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


def qr_svg(text: str) -> str:
    """`text` as a QR code, an inline SVG (no image request, nothing sent anywhere)."""
    return segno.make(text, error="m").svg_inline(scale=4, title="QR code of the secret")


def _codes() -> list[str]:
    # Ten characters in two groups: easy to type from paper, 50 bits each.
    alphabet = "abcdefghjkmnpqrstuvwxyz23456789"
    return [
        "".join(secrets.choice(alphabet) for _ in range(5))
        + "-"
        + "".join(secrets.choice(alphabet) for _ in range(5))
        for _ in range(RECOVERY_CODES)
    ]


def _new_recovery_codes(user: User) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_NAME, confirmed=True)
    codes = _codes()
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


def _clean(code: str) -> str:
    return "".join(code.split()).lower()


def two_factor_confirm(*, actor: User, code: str) -> list[str]:
    """Confirm the device being set up with a code it made; returns the recovery codes,
    shown once."""
    device = TOTPDevice.objects.filter(user=actor, confirmed=False).first()
    if device is None and has_two_factor(actor):
        raise DeskError("Two-factor sign-in is already on.")
    if device is None:
        raise DeskError("Start again: open the two-factor page and scan the new QR code.")
    if not _clean(code):
        raise DeskError("Type the six-digit code your app shows.", field="code")
    if not device.verify_token(_clean(code)):
        raise DeskError(
            "That code is not the one your app shows now. Check that the app added the "
            "account by the QR code above, and that your phone's clock is right.",
            field="code",
        )
    with transaction.atomic():
        TOTPDevice.objects.filter(user=actor, confirmed=True).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        codes = _new_recovery_codes(actor)
        audit.record(
            actor=actor,
            action="two_factor.enabled",
            target=device,
            summary="turned on two-factor sign-in",
            changes={"two_factor": [False, True]},
        )
    return codes


def _check_code(user: User, code: str) -> Device:
    device = second_factor(user, code)
    if device is None:
        raise DeskError(WRONG_CODE, field="code")
    return device


def recovery_codes_renew(*, actor: User, code: str) -> list[str]:
    """Ten new recovery codes (the old ones stop working), after a current code."""
    _check_code(actor, code)
    with transaction.atomic():
        codes = _new_recovery_codes(actor)
        device = StaticDevice.objects.get(user=actor)
        audit.record(
            actor=actor,
            action="two_factor.recovery_codes",
            target=device,
            summary="made new recovery codes",
            changes={"recovery_codes": ["old", "new"]},
        )
    return codes


def two_factor_disable(*, actor: User, code: str) -> None:
    """Turn two-factor off, after a current code; refused where the desk requires it."""
    if required_for(actor):
        raise DeskError("The desk requires two-factor sign-in for your role: it stays on.")
    _check_code(actor, code)
    with transaction.atomic():
        device = TOTPDevice.objects.filter(user=actor, confirmed=True).first()
        audit.record(
            actor=actor,
            action="two_factor.disabled",
            target=device or actor,
            summary="turned off two-factor sign-in",
            changes={"two_factor": [True, False]},
        )
        TOTPDevice.objects.filter(user=actor).delete()
        StaticDevice.objects.filter(user=actor).delete()


def second_factor(user: User, code: str) -> Device | None:
    """The device a code at sign-in belongs to (a recovery code is used up), or None."""
    cleaned = _clean(code)
    if not cleaned or len(cleaned) > CODE_MAX:
        return None
    return match_token(user, cleaned)


def security_settings_update(*, actor: User, require_two_factor_for_editors: bool) -> None:
    """An admin's choice for the whole desk (audited)."""
    if not actor.is_superuser:
        raise DeskError("Only an admin changes how people sign in.")
    with transaction.atomic():
        row = SecuritySettings.objects.select_for_update().get(pk=SecuritySettings.current().pk)
        before = row.require_two_factor_for_editors
        if before == require_two_factor_for_editors:
            return
        row.require_two_factor_for_editors = require_two_factor_for_editors
        row.updated_by = actor
        row.save()
        caches["process"].delete(REQUIRED_KEY)
        audit.record(
            actor=actor,
            action="accounts.security",
            target=row,
            summary=(
                "required two-factor sign-in for editors and publishers"
                if require_two_factor_for_editors
                else "stopped requiring two-factor sign-in"
            ),
            changes={"require_two_factor_for_editors": [before, require_two_factor_for_editors]},
        )
