"""Single sign-on with OpenID Connect (mozilla-django-oidc), configured from the environment
(OIDC_*): the newsroom's Google Workspace, Microsoft 365 or Keycloak signs people in.

The library runs the code flow (state, nonce, PKCE) and checks the ID token's signature;
the desk adds:

1. its one door to the network: the token, key and user-info requests go through the
   guarded client (a provider on a private network is named in FETCH_ALLOW_NETWORKS);
2. the ID token's audience and issuer checked (the library leaves the audience unchecked);
3. who may come in: a verified email address in one of OIDC_ALLOWED_DOMAINS;
4. the role from a claim (OIDC_ROLE_CLAIM, e.g. "groups") through OIDC_ROLE_MAP, else
   OIDC_DEFAULT_ROLE, set again at every sign-in, so the provider stays where roles are
   managed; an account is made at the first sign-in and found by email after.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlencode

import jwt
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.models import Group, User
from django.core.exceptions import SuspiciousOperation
from django.db import transaction
from django.db.models import QuerySet
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from factdesk.accounts.roles import Role, signed_in_user
from factdesk.core.http import FetchError, GuardedClient

BACKEND = "factdesk.signin.sso.DeskOIDCBackend"


def enabled() -> bool:
    return bool(settings.OIDC_RP_CLIENT_ID and settings.OIDC_OP_AUTHORIZATION_ENDPOINT)


def role_for(claims: dict[str, Any]) -> Role | None:
    """The highest role the provider's claim grants, else the default (None: no role)."""
    value = claims.get(settings.OIDC_ROLE_CLAIM, [])
    names = {value} if isinstance(value, str) else set(value or [])
    granted = [Role(role) for group, role in settings.OIDC_ROLE_MAP.items() if group in names]
    for role in (Role.PUBLISHER, Role.EDITOR, Role.REPORTER):
        if role in granted:
            return role
    default = settings.OIDC_DEFAULT_ROLE
    return Role(default) if default else None


class DeskOIDCBackend(OIDCAuthenticationBackend):
    def _refuse(self, reason: str) -> None:
        messages.error(self.request, reason)
        raise SuspiciousOperation(reason)

    def _answer(self, response_status: int, body: bytes, what: str) -> Any:
        if response_status != 200:
            raise SuspiciousOperation(f"The sign-in provider answered {response_status} to {what}.")
        try:
            return json.loads(body)
        except ValueError:
            raise SuspiciousOperation(f"The sign-in provider's {what} is not JSON.") from None

    def get_token(self, payload: dict[str, Any]) -> Any:
        try:
            answer = GuardedClient().post(
                self.OIDC_OP_TOKEN_ENDPOINT,
                body=urlencode(payload).encode(),
                headers={"Content-Type": "application/x-www-form-urlencoded"},
            )
        except FetchError as error:
            raise SuspiciousOperation(
                f"The sign-in provider could not be reached: {error}"
            ) from None
        return self._answer(answer.status, answer.body, "the token request")

    def get_userinfo(self, access_token: str, id_token: str, payload: dict[str, Any]) -> Any:
        if not self.OIDC_OP_USER_ENDPOINT:
            return payload  # everything needed is in the ID token
        try:
            answer = GuardedClient().get(
                self.OIDC_OP_USER_ENDPOINT, headers={"Authorization": f"Bearer {access_token}"}
            )
        except FetchError as error:
            raise SuspiciousOperation(
                f"The sign-in provider could not be reached: {error}"
            ) from None
        return {**payload, **self._answer(answer.status, answer.body, "the user-info request")}

    def retrieve_matching_jwk(self, token: str) -> Any:
        try:
            answer = GuardedClient().get(self.OIDC_OP_JWKS_ENDPOINT)
        except FetchError as error:
            raise SuspiciousOperation(
                f"The sign-in provider could not be reached: {error}"
            ) from None
        keys = self._answer(answer.status, answer.body, "the key request").get("keys", [])
        header = jwt.get_unverified_header(token)
        for key in keys:
            if (
                key.get("kid") == header.get("kid")
                and key.get("alg", header["alg"]) == header["alg"]
            ):
                return jwt.PyJWK(key)
        raise SuspiciousOperation("The sign-in provider's keys do not include the token's.")

    def _verify_jws(self, payload: str, key: Any) -> Any:
        header = jwt.get_unverified_header(payload)
        if header.get("alg") != self.OIDC_RP_SIGN_ALGO:
            raise SuspiciousOperation("The ID token is signed with an algorithm not configured.")
        try:
            return jwt.decode(
                payload,
                key,
                algorithms=[self.OIDC_RP_SIGN_ALGO],
                audience=self.OIDC_RP_CLIENT_ID,
                issuer=settings.OIDC_ISSUER or None,
                options={"verify_iss": bool(settings.OIDC_ISSUER)},
            )
        except jwt.PyJWTError as error:
            raise SuspiciousOperation(f"The ID token is not valid: {error}.") from None

    def verify_claims(self, claims: dict[str, Any]) -> bool:
        email = (claims.get("email") or "").strip().lower()
        if not email or claims.get("email_verified") is False:
            self._refuse("The sign-in provider gave no verified email address for you.")
        domain = email.rpartition("@")[2]
        if domain not in settings.OIDC_ALLOWED_DOMAINS:
            self._refuse(
                f"Accounts at {domain} cannot sign in to this desk. Ask an admin, or use an "
                "address of the newsroom."
            )
        return True

    def get_user(self, user_id: Any) -> User | None:
        # As accounts.backends.DeskBackend: the roles read with the person, and a deactivated
        # account's session over.
        return signed_in_user(user_id)

    def filter_users_by_claims(self, claims: dict[str, Any]) -> QuerySet[User]:
        return User.objects.filter(email__iexact=claims["email"].strip())

    def create_user(self, claims: dict[str, Any]) -> User:
        email = claims["email"].strip().lower()
        base = email.partition("@")[0][:140] or "user"
        username, n = base, 1
        while User.objects.filter(username=username).exists():
            n += 1
            username = f"{base}{n}"
        with transaction.atomic():
            user = User.objects.create_user(
                username=username,
                email=email,
                first_name=(claims.get("given_name") or "")[:150],
                last_name=(claims.get("family_name") or "")[:150],
            )  # no password: this account signs in through the provider
            self._set_role(user, claims)
        return user

    def update_user(self, user: User, claims: dict[str, Any]) -> User:
        self._set_role(user, claims)
        return user

    def _set_role(self, user: User, claims: dict[str, Any]) -> None:
        """The provider decides the role, unless the claim is not configured (then the desk's
        admins do, and a role given on the desk is kept)."""
        if not settings.OIDC_ROLE_CLAIM or user.is_superuser:
            return
        role = role_for(claims)
        desk_groups = Group.objects.filter(name__in=[r.value for r in Role])
        user.groups.remove(*desk_groups)
        if role is not None:
            user.groups.add(Group.objects.get(name=role.value))
        if role is None:
            messages.warning(
                self.request,
                "You are signed in, but the sign-in provider gives you no role on the desk "
                "yet: ask an admin.",
            )
