"""Two-factor sign-in: set up with a code the test computes (RFC 6238, written here, not
with the desk's library), asked for after the password, recovery codes used once, wrong
codes locked out like wrong passwords, required for editors when an admin says so."""

import base64
import hashlib
import hmac
import re
import time

import pytest
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from factdesk.claims.models import Activity
from factdesk.signin import twofactor
from factdesk.signin.models import SecuritySettings
from factdesk.signin.views import PENDING

LOGIN = "/accounts/login/"
SETUP = "/accounts/two-factor/"
CODE = "/accounts/login/code/"


def totp(secret: str, at: float | None = None) -> str:
    """The six digits an authenticator app shows for `secret` (base32) at `at`."""
    packed = secret.replace(" ", "")
    key = base64.b32decode(packed + "=" * (-len(packed) % 8))
    counter = int((time.time() if at is None else at) // 30)
    digest = hmac.new(key, counter.to_bytes(8, "big"), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    number = (int.from_bytes(digest[offset : offset + 4], "big") & 0x7FFFFFFF) % 1_000_000
    return f"{number:06d}"


def next_code(user, secret: str) -> str:
    """The code an app shows in the step after the last one the desk took from `user`: never
    the code just used, and within reach whatever clock drift the desk recorded (a code
    typed as one 30-second step turned into the next counts as drift; the step after the
    test's own clock could then be out of the device's tolerance)."""
    device = TOTPDevice.objects.get(user=user, confirmed=True)
    return totp(secret, (device.last_t + 1) * device.step + device.t0)


def secret_on(page: str) -> str:
    return re.search(r'data-testid="secret">([A-Z2-7 ]+)<', page).group(1)


def turn_on(client, user) -> tuple[str, list[str]]:
    """Set two-factor up as a person does on the page: returns the secret and the codes."""
    client.force_login(user)
    page = client.get(SETUP).content.decode()
    assert "<svg" in page  # the QR code, inline
    secret = secret_on(page)
    shown = client.post(SETUP, {"action": "confirm", "code": totp(secret)})
    codes = re.findall(r"<li><code>([a-z0-9-]+)</code></li>", shown.content.decode())
    client.logout()
    return secret, codes


def password_step(client, user, password, next_url=""):
    return client.post(LOGIN, {"username": user.username, "password": password, "next": next_url})


def test_setting_up_needs_a_right_code_and_shows_recovery_codes_once(client, reporter):
    client.force_login(reporter)
    page = client.get(SETUP)
    assert page["Cache-Control"] == "no-store"
    secret = secret_on(page.content.decode())
    wrong = client.post(SETUP, {"action": "confirm", "code": "000000"})
    assert wrong.status_code == 400
    assert "That code is not the one your app shows now" in wrong.content.decode()
    assert not twofactor.has_two_factor(reporter)
    empty = client.post(SETUP, {"action": "confirm", "code": ""})
    assert "Type the six-digit code your app shows" in empty.content.decode()
    long = client.post(SETUP, {"action": "confirm", "code": "1" * 21})
    assert "A code is six digits" in long.content.decode()

    shown = client.post(SETUP, {"action": "confirm", "code": totp(secret)}).content.decode()
    codes = re.findall(r"<li><code>([a-z0-9-]+)</code></li>", shown)
    assert len(codes) == len(set(codes)) == 10
    assert twofactor.has_two_factor(reporter)
    again = client.get(SETUP).content.decode()
    assert "Two-factor sign-in is <strong>on</strong>" in again
    assert codes[0] not in again
    # Sent twice (the page resubmitted): it is on, and says so.
    twice = client.post(SETUP, {"action": "confirm", "code": totp(secret)})
    assert "Two-factor sign-in is already on." in twice.content.decode()
    assert TOTPDevice.objects.filter(user=reporter, confirmed=True).count() == 1
    assert Activity.objects.filter(actor=reporter, action="two_factor.enabled").count() == 1


def test_signing_in_asks_for_a_code_after_the_password(client, reporter, password):
    secret, _ = turn_on(client, reporter)
    first = password_step(client, reporter, password, "/claims/")
    assert first.url == CODE
    assert client.get("/").status_code == 302  # not signed in yet
    wrong = client.post(CODE, {"code": "123456"})
    assert wrong.status_code == 400
    assert "That code is not right" in wrong.content.decode()
    # The next step's code: the one used to turn it on may not be used twice.
    signed_in = client.post(CODE, {"code": next_code(reporter, secret)})
    assert signed_in.url == "/claims/"
    assert client.get("/").status_code == 200


def test_a_recovery_code_works_once(client, reporter, password):
    _, codes = turn_on(client, reporter)
    password_step(client, reporter, password)
    assert client.post(CODE, {"code": codes[0].upper()}).status_code == 302
    assert twofactor.recovery_codes_left(reporter) == 9
    client.logout()
    password_step(client, reporter, password)
    assert client.post(CODE, {"code": codes[0]}).status_code == 400


def test_wrong_codes_lock_out_like_wrong_passwords(client, reporter, password, settings):
    turn_on(client, reporter)
    password_step(client, reporter, password)
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert client.post(CODE, {"code": "000000"}).status_code == 400
    locked = client.post(CODE, {"code": "000000"})
    assert locked.status_code == 429
    assert "Too many wrong passwords" in locked.content.decode()
    # Even the right password and code are refused now.
    assert password_step(client, reporter, password).status_code == 429
    assert client.get("/").status_code == 302


def test_the_code_is_asked_for_within_five_minutes(client, reporter, password):
    turn_on(client, reporter)
    password_step(client, reporter, password)
    session = client.session
    session[PENDING] = {**session[PENDING], "until": time.time() - 1}
    session.save()
    late = client.get(CODE, follow=True)
    assert "Sign in again: the code is asked for within five minutes." in late.content.decode()


def test_new_recovery_codes_and_turning_off_need_a_code(client, reporter):
    secret, old = turn_on(client, reporter)
    client.force_login(reporter)
    refused = client.post(SETUP, {"action": "disable", "code": "000000"})
    assert "That code is not right" in refused.content.decode()
    assert twofactor.has_two_factor(reporter)
    renewed = client.post(SETUP, {"action": "renew", "code": old[0]}).content.decode()
    new = re.findall(r"<li><code>([a-z0-9-]+)</code></li>", renewed)
    assert len(new) == 10
    assert not set(new) & set(old)
    client.post(SETUP, {"action": "disable", "code": next_code(reporter, secret)})
    assert not twofactor.has_two_factor(reporter)
    assert Activity.objects.filter(action="two_factor.disabled").count() == 1


@pytest.fixture
def required(admin_user, client):
    client.force_login(admin_user)
    client.post("/accounts/security/", {"require_two_factor_for_editors": "on"})
    client.logout()
    assert SecuritySettings.current().require_two_factor_for_editors


def test_when_required_an_editor_sets_it_up_before_anything_else(required, client, editor):
    client.force_login(editor)
    sent = client.get("/claims/")
    assert sent.url == SETUP
    page = client.get(SETUP).content.decode()
    assert "The desk requires it for your role" in page
    client.post(SETUP, {"action": "confirm", "code": totp(secret_on(page))})
    assert client.get("/claims/").status_code == 200
    refused = client.post(SETUP, {"action": "disable", "code": "000000"})
    assert "it stays on" in refused.content.decode()


def test_when_required_reporters_may_still_choose(required, client, reporter):
    client.force_login(reporter)
    assert client.get("/claims/").status_code == 200


def test_only_an_admin_changes_the_security_settings(client, reporter, editor, publisher):
    for person in (reporter, editor, publisher):
        client.force_login(person)
        assert client.get("/accounts/security/").status_code == 403
        assert (
            client.post("/accounts/security/", {"require_two_factor_for_editors": "on"}).status_code
            == 403
        )
    client.logout()
    assert client.get("/accounts/security/").status_code == 302
    assert client.get(SETUP).status_code == 302
    assert not SecuritySettings.current().require_two_factor_for_editors


def test_the_admins_choice_is_audited(required, admin_user):
    entry = Activity.objects.get(action="accounts.security")
    assert entry.actor == admin_user
    assert entry.changes == {"require_two_factor_for_editors": [False, True]}


def test_a_code_page_without_a_password_first_goes_back_to_the_login(client):
    assert client.get(CODE).url == reverse("signin:login")
    assert client.post(CODE, {"code": "123456"}).url == reverse("signin:login")
