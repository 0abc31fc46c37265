"""Signing in: the password, then (for those who set it up) a code; setting two-factor up;
single sign-on's two ends; the admin's security settings."""

from __future__ import annotations

import time
from typing import Any

from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import user_login_failed
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django_otp import login as otp_login
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from factdesk.accounts.forms import LoginForm
from factdesk.accounts.throttling import locked_out
from factdesk.core.errors import DeskError
from factdesk.signin import sso, twofactor
from factdesk.signin.forms import CodeForm, SecuritySettingsForm
from factdesk.signin.models import SecuritySettings

PENDING = "signin_pending"  # the session's note of a password accepted, a code awaited
PENDING_SECONDS = 300


def _sign_in_context() -> dict[str, Any]:
    return {
        "sso_enabled": sso.enabled(),
        "sso_name": settings.OIDC_PROVIDER_NAME,
        "local_login": settings.LOCAL_LOGIN,
    }


class LoginView(auth_views.LoginView):
    """Django's login, then a second step for a person with two-factor on."""

    authentication_form = LoginForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), **_sign_in_context()}

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not settings.LOCAL_LOGIN:
            messages.error(
                request,
                f"Signing in with a password is turned off here: sign in with "
                f"{settings.OIDC_PROVIDER_NAME}.",
            )
            return redirect("signin:login")
        return super().post(request, *args, **kwargs)

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        user = form.get_user()
        if not twofactor.has_two_factor(user):
            return super().form_valid(form)
        self.request.session[PENDING] = {
            "user": user.pk,
            "backend": getattr(user, "backend", settings.AUTHENTICATION_BACKENDS[-1]),
            "next": self.get_success_url(),
            "until": time.time() + PENDING_SECONDS,
        }
        return redirect("signin:login_code")


def _pending(request: HttpRequest) -> tuple[User, dict[str, Any]] | None:
    pending = request.session.get(PENDING)
    if not isinstance(pending, dict) or pending.get("until", 0) < time.time():
        return None
    user = User.objects.filter(pk=int(pending.get("user") or 0), is_active=True).first()
    return (user, pending) if user else None


def login_code(request: HttpRequest) -> HttpResponse:
    """The second step: a code from the app, or a recovery code. A wrong code counts as a
    wrong password does (the same lockout)."""
    found = _pending(request)
    if found is None:
        request.session.pop(PENDING, None)
        messages.info(request, "Sign in again: the code is asked for within five minutes.")
        return redirect("signin:login")
    user, pending = found
    credentials = {"username": user.username}
    form = CodeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if AxesProxyHandler.is_locked(request, credentials):
            return locked_out(request, credentials)
        device = twofactor.second_factor(user, request.POST.get("code", ""))
        if device is None:
            user_login_failed.send(sender=__name__, credentials=credentials, request=request)
            if AxesProxyHandler.is_locked(request, credentials):
                request.session.pop(PENDING, None)
                return locked_out(request, credentials)
            form.add_error("code", twofactor.WRONG_CODE)
        else:
            request.session.pop(PENDING, None)
            auth_login(request, user, backend=pending["backend"])
            otp_login(request, device)
            if device.name == twofactor.RECOVERY_NAME:
                messages.warning(
                    request,
                    "You signed in with a recovery code; it is used up. Make new ones on your "
                    "two-factor page if few are left.",
                )
            target = pending.get("next") or settings.LOGIN_REDIRECT_URL
            if not url_has_allowed_host_and_scheme(target, {request.get_host()}):
                target = settings.LOGIN_REDIRECT_URL
            return redirect(target)
    status = 400 if form.errors else 200
    return render(request, "signin/login_code.html", {"form": form}, status=status)


@login_required
def two_factor(request: HttpRequest) -> HttpResponse:
    """Turn two-factor on (scan, confirm with a code, keep the recovery codes), make new
    recovery codes, or turn it off."""
    user: User = request.user  # type: ignore[assignment]
    form = CodeForm(request.POST if request.method == "POST" else None)
    codes: list[str] | None = None
    if request.method == "POST" and form.is_valid():
        action = request.POST.get("action", "")
        try:
            if action == "confirm":
                codes = twofactor.two_factor_confirm(actor=user, code=form.cleaned_data["code"])
                device = twofactor.confirmed_app(user)
                if device is not None:
                    otp_login(request, device)
                messages.success(request, "Two-factor sign-in is on.")
            elif action == "renew":
                codes = twofactor.recovery_codes_renew(actor=user, code=form.cleaned_data["code"])
                messages.success(request, "New recovery codes: the old ones no longer work.")
            elif action == "disable":
                twofactor.two_factor_disable(actor=user, code=form.cleaned_data["code"])
                messages.success(request, "Two-factor sign-in is off.")
                return redirect("signin:two_factor")
            else:
                form.add_error(
                    None, "Choose what to do: turn it on, make new codes or turn it off."
                )
        except DeskError as error:
            form.add_error("code" if error.field == "code" else None, error.message)
        if codes is None and not form.errors:
            return redirect("signin:two_factor")
    on = twofactor.has_two_factor(user)
    context: dict[str, Any] = {
        "form": form if form.is_bound else CodeForm(),
        "on": on,
        "codes": codes,
        "required": twofactor.required_for(user),
        "recovery_left": twofactor.recovery_codes_left(user),
    }
    if not on:
        device = twofactor.pending_device(user)
        context["qr"] = twofactor.qr_svg(device.config_url)
        context["secret"] = twofactor.secret_text(device)
    response = render(
        request, "signin/two_factor.html", context, status=400 if form.errors else 200
    )
    response["Cache-Control"] = "no-store"  # a secret or recovery codes may be on it
    return response


@login_required
def security(request: HttpRequest) -> HttpResponse:
    """How people must sign in (admins)."""
    if not request.user.is_superuser:
        raise PermissionDenied("Only an admin changes how people sign in.")
    current = SecuritySettings.current()
    form = SecuritySettingsForm(
        request.POST if request.method == "POST" else None,
        initial={"require_two_factor_for_editors": current.require_two_factor_for_editors},
    )
    if request.method == "POST" and form.is_valid():
        twofactor.security_settings_update(
            actor=request.user,
            require_two_factor_for_editors=form.cleaned_data["require_two_factor_for_editors"],
        )
        messages.success(request, "Saved.")
        return redirect("signin:security")
    return render(
        request, "signin/security.html", {"form": form, "current": current, **_sign_in_context()}
    )


class SSOStart(OIDCAuthenticationRequestView):
    """To the provider's sign-in page (404 when single sign-on is not configured)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        if sso.enabled():
            super().__init__(*args, **kwargs)

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not sso.enabled():
            raise Http404("Single sign-on is not configured.")
        return super().dispatch(request, *args, **kwargs)


class SSOCallback(OIDCAuthenticationCallbackView):
    """Back from the provider: signed in, or the login page saying why not."""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not sso.enabled():
            raise Http404("Single sign-on is not configured.")
        try:
            return super().dispatch(request, *args, **kwargs)
        except SuspiciousOperation as error:
            messages.error(
                request, f"Signing in with {settings.OIDC_PROVIDER_NAME} failed: {error}"
            )
            return redirect("signin:login")

    def login_failure(self) -> HttpResponse:
        if not messages.get_messages(self.request):
            messages.error(
                self.request,
                f"Signing in with {settings.OIDC_PROVIDER_NAME} did not work: try again, or ask "
                "an admin.",
            )
        return redirect("signin:login")
