"""The admin's erasure of an account, and the editors' page to take a private individual
out of claims: each a confirmation page in front of one service call."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from factdesk.accounts.roles import DeskRequest, Role, role_required
from factdesk.claims.models import Claim
from factdesk.core.errors import DeskError, form_error
from factdesk.privacy import scrub, services
from factdesk.privacy.forms import EraseForm, RedactForm


@login_required
def user_erase(request: HttpRequest, user_id: int) -> HttpResponse:
    """GET: what erasing the account changes; POST: erase it."""
    if not request.user.is_superuser:
        raise PermissionDenied("Only an admin can erase an account's personal data.")
    user = get_object_or_404(User, pk=user_id)
    form = EraseForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            erasure = services.user_erase(
                actor=request.user,
                user=user,
                confirmed_by_publisher=form.cleaned_data["confirmed_by_publisher"],
            )
        except DeskError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request,
                f"Erased: the account is now {erasure.pseudonym}; "
                f"{sum(erasure.texts.values())} texts rewritten, "
                f"{erasure.sessions} sessions ended.",
            )
            return redirect(reverse("admin:auth_user_change", args=[user.pk]))
    erased = user.username == services.erased_username(user)
    context = {
        "person": user,
        "form": form,
        "erased": erased,
        "published": services.user_published_verdicts(user),
        "found": {} if erased else scrub.occurrences(services.user_terms(user)),
    }
    return render(request, "privacy/user_erase.html", context)


@role_required(Role.EDITOR, Role.PUBLISHER)
def redact(request: DeskRequest) -> HttpResponse:
    """GET: the form; POST: the claims it would change (preview), then, with "apply", the
    redaction."""
    form = RedactForm(request.POST if request.method == "POST" else None)
    candidates: list[Claim] = []
    published: set[int] = set()
    if request.method == "POST" and form.is_valid():
        numbers = form.cleaned_data["claims"]
        claims = Claim.objects.filter(pk__in=numbers) if numbers else None
        if "apply" in request.POST:
            try:
                redaction = services.person_redact(
                    actor=request.user,
                    name=form.cleaned_data["name"],
                    replacement=form.cleaned_data["replacement"],
                    claims=claims,
                    confirmed_by_publisher=form.cleaned_data["confirmed_by_publisher"],
                )
            except DeskError as error:
                form_error(form, error)
            else:
                messages.success(
                    request,
                    f"Removed from {len(redaction.claims)} claims: "
                    + ", ".join(f"{n} {what}" for what, n in sorted(redaction.changed.items())),
                )
                return redirect("privacy:redact")
        name = " ".join(form.cleaned_data["name"].split())
        if len(name) >= services.NAME_MIN:
            candidates = list(services.redaction_candidates(name, claims)[:200])
            published = set(
                Claim.objects.filter(
                    pk__in=[claim.pk for claim in candidates], verdicts__published_at__isnull=False
                ).values_list("pk", flat=True)
            )
    context = {"form": form, "candidates": candidates, "published": published}
    return render(request, "privacy/redact.html", context)
