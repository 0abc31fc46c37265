"""Where the desk requires two-factor sign-in (SecuritySettings), an editor or publisher
without it is taken to set it up before any other page; one who has it but signed in
without a code (before it was required) signs in again. Single sign-on leaves the second
factor to the provider."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth import BACKEND_SESSION_KEY, logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from factdesk.signin import sso, twofactor

OPEN_PREFIXES = ("/static/", "/healthz", "/favicon.ico", "/api/")


class TwoFactorRequired:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            user.is_authenticated
            and not user.is_verified()  # type: ignore[attr-defined]  # set by OTPMiddleware
            and request.session.get(BACKEND_SESSION_KEY) != sso.BACKEND
            and not request.path.startswith(OPEN_PREFIXES)
            and twofactor.required_for(user)
        ):
            setup = reverse("signin:two_factor")
            if twofactor.has_two_factor(user):
                logout(request)
                messages.info(request, "The desk now asks for a code at sign-in: sign in again.")
                return redirect("signin:login")
            if request.path not in (setup, reverse("accounts:logout")):
                messages.warning(
                    request,
                    "The desk requires two-factor sign-in for editors and publishers: set it "
                    "up to go on.",
                )
                return redirect(setup)
        return self.get_response(request)
