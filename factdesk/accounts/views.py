"""Invitations, sessions and passwords. Logging in is Django's view (urls.py)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm, SetPasswordForm
from django.contrib.auth.tokens import default_token_generator
from django.contrib.auth.views import INTERNAL_RESET_SESSION_TOKEN
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from factdesk.accounts import selectors, services
from factdesk.accounts.forms import (
    InvitationAcceptForm,
    InvitationForm,
    PasswordResetRequestForm,
    capped_passwords,
)
from factdesk.accounts.models import Invitation
from factdesk.accounts.roles import DeskRequest, Role, invitable_roles, role_required
from factdesk.core.errors import DeskError, form_error

INVITERS = (Role.EDITOR, Role.PUBLISHER)  # and admins, who hold every role
MODEL_BACKEND = "factdesk.accounts.backends.DeskBackend"


@role_required(*INVITERS)
def invitations(request: DeskRequest) -> HttpResponse:
    """Invite someone (an admin to any role, an editor or publisher as a reporter); the
    invitations still waiting, each with a Revoke button where the reader may revoke it."""
    roles = invitable_roles(request.user)
    form = InvitationForm(request.POST if request.method == "POST" else None, roles=roles)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                invitation, emailed = services.invitation_create(
                    actor=request.user,
                    email=form.cleaned_data["email"],
                    role=form.cleaned_data["role"],
                    idempotency_key=form.cleaned_data["idempotency_key"],
                )
            except DeskError as error:
                form_error(form, error)
            else:
                _tell_invited(request, invitation, emailed)
                return redirect("accounts:invitations")
        status = 400
    waiting = [
        (invitation, invitation.role in roles) for invitation in selectors.invitations_waiting()
    ]
    return render(
        request,
        "accounts/invitations.html",
        {"form": form, "waiting": waiting, "days": settings.INVITATION_DAYS},
        status=status,
    )


def _tell_invited(request: HttpRequest, invitation: Invitation, emailed: bool | None) -> None:
    if emailed is None:
        messages.info(
            request,
            f"{invitation.email} was invited by your first click: one invitation, one email.",
        )
    elif emailed:
        messages.success(
            request,
            f"Invitation emailed to {invitation.email}. Its link works once, until "
            f"{invitation.expires_at:%-d %B %Y}.",
        )
    else:
        messages.warning(
            request,
            f"The invitation of {invitation.email} is saved, but the email could not be sent. "
            "Revoke it and invite again once email works (an admin can check the mail "
            "server settings).",
        )


@require_POST
@role_required(*INVITERS)
def invitation_revoke(request: DeskRequest, invitation_id: int) -> HttpResponse:
    invitation = get_object_or_404(Invitation, pk=invitation_id)
    try:
        services.invitation_revoke(actor=request.user, invitation=invitation)
    except DeskError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, f"The invitation of {invitation.email} is revoked: its link no longer works."
        )
    return redirect("accounts:invitations")


@never_cache  # the back button asks again, and hears the link is used
def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    """The page an invitation's link opens: the new account's form, or why the link no
    longer works. Accepting logs the new account in, on the board."""
    invitation = selectors.invitation_for_token(token)
    if invitation is None:
        return _closed(request, None, status=404)
    if invitation.state != Invitation.State.OPEN:
        return _closed(request, invitation)
    form = InvitationAcceptForm(
        request.POST if request.method == "POST" else None, email=invitation.email
    )
    if request.method == "POST" and form.is_valid():
        try:
            user = services.invitation_accept(
                invitation=invitation,
                username=form.cleaned_data["username"],
                first_name=form.cleaned_data["first_name"],
                last_name=form.cleaned_data["last_name"],
                password=form.cleaned_data["password1"],
            )
        except services.InvitationClosedError as closed:
            return _closed(request, closed.invitation)
        except DeskError as error:
            form_error(form, error)
        else:
            login(request, user, backend=MODEL_BACKEND)
            messages.success(
                request,
                f"Welcome to the desk, {user.first_name}. You joined as a {invitation.role}.",
            )
            return redirect(settings.LOGIN_REDIRECT_URL)
    context = {"form": form, "invitation": invitation}
    status = 400 if form.errors else 200
    return render(request, "accounts/invitation_accept.html", context, status=status)


def _closed(request: HttpRequest, invitation: Invitation | None, status: int = 410) -> HttpResponse:
    """Why an invitation's link no longer works, in words, and what to do instead."""
    mine = (
        invitation is not None
        and invitation.accepted_user_id is not None
        and invitation.accepted_user_id == request.user.pk
    )
    context = {"invitation": invitation, "mine": mine}
    return render(request, "accounts/invitation_closed.html", context, status=status)


@login_required
def sessions(request: DeskRequest) -> HttpResponse:
    """Where the reader is logged in (this session marked), and "Log out everywhere else"."""
    current = request.session.session_key
    if request.method == "POST":
        ended = services.sessions_end_others(actor=request.user, keep_session_key=current or "")
        if ended:
            messages.success(
                request, f"Logged out of {services.sessions_in_words(ended)} elsewhere."
            )
        else:
            messages.info(request, "You were logged in nowhere else: nothing to log out.")
        return redirect("accounts:sessions")
    listed = selectors.sessions_of(request.user)
    context = {
        "sessions": listed,
        "current": current,
        "idle_minutes": settings.SESSION_IDLE_MINUTES,
    }
    return render(request, "accounts/sessions.html", context)


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's page (it asks for the old password), whose change ends the other sessions."""

    form_class = capped_passwords(PasswordChangeForm)
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:sessions")

    def form_valid(self, form: Any) -> HttpResponse:
        ended = services.password_change(
            actor=form.user,
            password=form.cleaned_data["new_password1"],
            keep_session_key=self.request.session.session_key,
        )
        update_session_auth_hash(self.request, form.user)
        elsewhere = (
            f" You were logged out of {services.sessions_in_words(ended)} elsewhere."
            if ended
            else ""
        )
        messages.success(self.request, "Your password is changed." + elsewhere)
        return HttpResponseRedirect(self.get_success_url())


class PasswordResetView(auth_views.PasswordResetView):
    """Django's page; the email's link is built on DESK_URL, never on the request's Host
    header (which whoever asks could set)."""

    form_class = PasswordResetRequestForm
    template_name = "registration/password_reset_form.html"
    email_template_name = "registration/password_reset_email.txt"
    subject_template_name = "registration/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")

    def form_valid(self, form: Any) -> HttpResponse:
        self.extra_email_context = {"desk_url": settings.DESK_URL.rstrip("/")}
        return super().form_valid(form)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Django's page; the new password is set by the desk's service, which also ends the
    person's sessions and lifts a lockout of their username."""

    form_class = capped_passwords(SetPasswordForm)
    template_name = "registration/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")
    token_generator = default_token_generator

    def form_valid(self, form: Any) -> HttpResponse:
        services.password_reset(user=form.user, password=form.cleaned_data["new_password1"])
        del self.request.session[INTERNAL_RESET_SESSION_TOKEN]
        return HttpResponseRedirect(self.get_success_url())


@login_required
@require_GET
def account(request: DeskRequest) -> HttpResponse:
    """One place for what a person keeps about their own account."""
    return render(request, "accounts/account.html")
