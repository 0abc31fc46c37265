"""Single sign-on against a local OpenID Connect provider the test runs (a real HTTP server:
token, keys and user info; the authorisation step is the browser's redirect, followed
here): accounts made and found by email, roles from the provider's groups, other domains,
forged or misaddressed tokens refused in words, password sign-in turned off."""

import base64
import hashlib
import json
import time
from urllib.parse import parse_qs, urlsplit

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from django.contrib.auth.models import User

from factdesk.accounts.roles import Role, user_roles
from factdesk.signin import sso
from tests.servers import local_site

HOST = "127.0.0.43"
CLIENT_ID = "factdesk-desk"
KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)
OTHER_KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)


@pytest.fixture
def provider(settings, db):
    with local_site(HOST, settings) as pages:
        base = pages.base
        jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(KEY.public_key()))
        pages["/jwks"] = (
            200,
            {"Content-Type": "application/json"},
            json.dumps({"keys": [{**jwk, "kid": "k1", "alg": "RS256", "use": "sig"}]}).encode(),
        )
        settings.OIDC_RP_CLIENT_ID = CLIENT_ID
        settings.OIDC_RP_CLIENT_SECRET = "s3cret"
        settings.OIDC_OP_AUTHORIZATION_ENDPOINT = base + "/authorize"
        settings.OIDC_OP_TOKEN_ENDPOINT = base + "/token"
        settings.OIDC_OP_USER_ENDPOINT = base + "/userinfo"
        settings.OIDC_OP_JWKS_ENDPOINT = base + "/jwks"
        settings.OIDC_ISSUER = base
        settings.OIDC_RP_SIGN_ALGO = "RS256"
        settings.OIDC_ALLOWED_DOMAINS = ["courier.example"]
        settings.OIDC_ROLE_CLAIM = "groups"
        settings.OIDC_ROLE_MAP = {"desk-editors": "editor", "desk-publishers": "publisher"}
        settings.OIDC_DEFAULT_ROLE = "reporter"
        settings.AUTHENTICATION_BACKENDS = [*settings.AUTHENTICATION_BACKENDS, sso.BACKEND]
        yield pages


def sign_in(
    client,
    provider,
    *,
    email="ada@courier.example",
    groups=(),
    key=KEY,
    audience=CLIENT_ID,
    verified=True,
):
    """The browser's trip: our start page, the provider (which signs the person in and sends
    them back with a code), our callback. Returns the callback's answer."""
    start = client.get("/accounts/sso/start/?next=/claims/")
    assert start.status_code == 302
    sent = parse_qs(urlsplit(start.url).query)
    assert start.url.startswith(provider.base + "/authorize?")
    assert sent["code_challenge_method"] == ["S256"]
    claims = {
        "iss": provider.base,
        "aud": audience,
        "sub": email,
        "nonce": sent["nonce"][0],
        "iat": int(time.time()),
        "exp": int(time.time()) + 300,
    }
    id_token = jwt.encode(claims, key, algorithm="RS256", headers={"kid": "k1"})
    provider["/token"] = (
        200,
        {"Content-Type": "application/json"},
        json.dumps(
            {"access_token": "access-1", "token_type": "Bearer", "id_token": id_token}
        ).encode(),
    )
    provider["/userinfo"] = (
        200,
        {"Content-Type": "application/json"},
        json.dumps(
            {
                "sub": email,
                "email": email,
                "email_verified": verified,
                "given_name": "Ada",
                "family_name": "Byrne",
                "groups": list(groups),
            }
        ).encode(),
    )
    answer = client.get(
        "/accounts/sso/callback/", {"code": "code-1", "state": sent["state"][0]}, follow=True
    )
    token_request = parse_qs(provider.posts[-1].body.decode())
    verifier = token_request["code_verifier"][0]
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=")
    assert challenge.decode() == sent["code_challenge"][0]  # PKCE, checked by the provider
    return answer


def test_the_first_sign_in_makes_the_account_with_its_role(client, provider):
    answer = sign_in(client, provider, groups=["desk-editors", "staff"])
    assert answer.redirect_chain[-1][0] == "/claims/"
    user = User.objects.get(email="ada@courier.example")
    assert (user.username, user.first_name, user.has_usable_password()) == ("ada", "Ada", False)
    assert user_roles(user) == {Role.EDITOR}
    client.logout()
    # Found again by email; the role follows the provider's groups.
    sign_in(client, provider, groups=["desk-publishers"])
    assert User.objects.filter(email="ada@courier.example").count() == 1
    assert user_roles(User.objects.get(email="ada@courier.example")) == {Role.PUBLISHER}
    client.logout()
    sign_in(client, provider, groups=[])
    assert user_roles(User.objects.get(email="ada@courier.example")) == {Role.REPORTER}


def test_an_account_deactivated_ends_its_single_sign_on_session(client, provider):
    """As with a password: the next request of a person an admin deactivated is sent to
    log in, rather than kept signed in with no role."""
    sign_in(client, provider, groups=["desk-editors"])
    assert client.get("/claims/").status_code == 200
    User.objects.filter(email="ada@courier.example").update(is_active=False)
    answer = client.get("/claims/")
    assert answer.status_code == 302
    assert answer.url.startswith("/accounts/login/")


def test_another_domain_is_refused_in_words(client, provider):
    answer = sign_in(client, provider, email="eve@elsewhere.example")
    assert "Accounts at elsewhere.example cannot sign in to this desk" in answer.content.decode()
    assert not User.objects.filter(email="eve@elsewhere.example").exists()
    assert client.get("/").status_code == 302


def test_an_unverified_address_is_refused(client, provider):
    answer = sign_in(client, provider, verified=False)
    assert "no verified email address" in answer.content.decode()
    assert not User.objects.exists()


@pytest.mark.parametrize(
    ("change", "words"),
    [
        ({"key": OTHER_KEY}, "The ID token is not valid"),
        ({"audience": "another-app"}, "Audience doesn"),
    ],
)
def test_a_forged_or_misaddressed_token_is_refused(client, provider, change, words):
    answer = sign_in(client, provider, **change)
    page = answer.content.decode()
    assert "Signing in with" in page
    assert words in page
    assert not User.objects.exists()
    assert client.get("/").status_code == 302


def test_password_sign_in_can_be_turned_off(client, provider, settings, reporter, password):
    settings.LOCAL_LOGIN = False
    settings.OIDC_PROVIDER_NAME = "Courier Google"
    page = client.get("/accounts/login/").content.decode()
    assert "Sign in with Courier Google" in page
    assert 'name="password"' not in page
    refused = client.post(
        "/accounts/login/", {"username": reporter.username, "password": password}, follow=True
    )
    assert "Signing in with a password is turned off here" in refused.content.decode()
    assert client.get("/").status_code == 302


def test_without_configuration_there_is_no_single_sign_on(client, settings):
    settings.OIDC_RP_CLIENT_ID = ""
    assert client.get("/accounts/sso/start/").status_code == 404
    assert client.get("/accounts/sso/callback/?code=x&state=y").status_code == 404
    assert "Sign in with" not in client.get("/accounts/login/").content.decode()
