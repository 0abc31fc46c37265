"""Intake's page fragments: the claims like a claim (on its page) or like the words an
editor is about to log (on the article page), loaded with htmx."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from factdesk.accounts.roles import DeskRequest, role_required, user_roles
from factdesk.claims.models import Claim
from factdesk.claims.workflow import EDITORS, PUBLISHERS, ClaimStatus, transition_for
from factdesk.core.errors import DeskError, form_error
from factdesk.intake import services
from factdesk.intake.feeds import feed_import_start
from factdesk.intake.forms import ExternalImportForm, FeedImportForm, IntakeSettingsForm
from factdesk.intake.matching import Matches, similar_claims
from factdesk.intake.models import (
    ClaimEmbedding,
    ExternalFactCheck,
    FeedImport,
    IntakeSettings,
)
from factdesk.intake.services import claim_text_for_embedding

TEXT_MAX = 5_000  # what is compared: a quote or a claim's wording, never an article


@require_GET
@role_required()
def claim_similar(request: DeskRequest, claim_id: int) -> HttpResponse:
    """The claim page's "Similar claims": on the desk (mark this one as their duplicate, in
    one click, when the workflow allows) and already checked."""
    claim = (
        Claim.objects.filter(pk=claim_id).only("id", "text", "quote", "status", "language").first()
    )
    if claim is None:
        raise Http404("No such claim")
    stored = ClaimEmbedding.objects.filter(claim=claim).values_list("vector", flat=True).first()
    matches = similar_claims(
        claim_text_for_embedding(claim),
        exclude=claim.pk,
        vector=None if stored is None else list(stored),
        language=claim.language,
    )
    can_merge = bool(user_roles(request.user) & EDITORS) and (
        transition_for(claim.status, ClaimStatus.DUPLICATE) is not None
    )
    # From htmx, the panel; opened by its address (no JavaScript), a page around it.
    template = "intake/_similar.html" if request.htmx else "intake/similar_page.html"
    return render(request, template, {"claim": claim, "matches": matches, "can_merge": can_merge})


@require_GET
@role_required()
def similar(request: DeskRequest) -> HttpResponse:
    """Claims like the words in the article page's log form, as the editor types or
    selects them: shown before the claim is logged."""
    text = " ".join(
        request.GET.get(name, "")[:TEXT_MAX] for name in ("text", "quote") if request.GET.get(name)
    )
    matches = similar_claims(text) if text.strip() else Matches([], [], 0)
    return render(request, "intake/_similar.html", {"matches": matches, "before_logging": True})


@role_required()
def elsewhere(request: DeskRequest) -> HttpResponse:
    """Fact checks by other newsrooms: the list, and importing one from its page's address."""
    form = ExternalImportForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.external_fact_checks_from_page(
                actor=request.user, url=form.cleaned_data["url"]
            )
        except DeskError as error:
            form.add_error("url", error.message)
        else:
            count = len(saved)
            messages.success(
                request,
                f"Read {count} fact check{'s' if count != 1 else ''} from the page: "
                + "; ".join(
                    f"“{row.claim_reviewed[:80]}” ({row.rating_text or 'no rating'})"
                    for row in saved
                ),
            )
            return redirect("intake:elsewhere")
    return _elsewhere_page(request, form=form)


def _elsewhere_page(request: DeskRequest, **forms: Any) -> HttpResponse:
    context = {
        "form": ExternalImportForm(),
        "feed_form": FeedImportForm(),
        **forms,
        "checks": ExternalFactCheck.objects.order_by("-created_at")[:100],
        "feeds": FeedImport.objects.order_by("-created_at")[:5],
    }
    status = 400 if any(form.errors for form in forms.values()) else 200
    return render(request, "intake/elsewhere.html", context, status=status)


@require_POST
@role_required()
def feed_new(request: DeskRequest) -> HttpResponse:
    """Take a ClaimReview feed (a file or an address) for a worker to read."""
    form = FeedImportForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            feed = feed_import_start(
                actor=request.user,
                upload=form.cleaned_data["file"],
                url=form.cleaned_data["url"] or "",
                idempotency_key=form.cleaned_data["idempotency_key"],
            )
        except DeskError as error:
            form_error(form, error)
        else:
            return redirect(feed)
    return _elsewhere_page(request, feed_form=form)


@require_GET
@role_required()
def feed(request: DeskRequest, feed_id: int) -> HttpResponse:
    """A feed's import: its progress while a worker reads it (the panel updates itself),
    then what came in and what was skipped, and why."""
    feed = get_object_or_404(FeedImport, pk=feed_id)
    template = "intake/feed.html#progress" if request.htmx else "intake/feed.html"
    return render(request, template, {"feed": feed})


@role_required()
def intake_settings(request: DeskRequest) -> HttpResponse:
    """What the desk does with the claims it logs beyond its own walls (publishers change it;
    everyone on the desk can see it)."""
    current = IntakeSettings.current()
    can_change = bool(user_roles(request.user) & PUBLISHERS)
    form = IntakeSettingsForm(
        request.POST if request.method == "POST" else None,
        initial={"search_google": current.search_google},
    )
    if request.method == "POST":
        if not can_change:
            raise PermissionDenied("Only a publisher changes the desk's intake settings.")
        if form.is_valid():
            services.intake_settings_update(
                actor=request.user, search_google=form.cleaned_data["search_google"]
            )
            messages.success(request, "Settings saved.")
            return redirect("intake:settings")
    return render(
        request,
        "intake/settings.html",
        {
            "form": form,
            "current": current,
            "can_change": can_change,
            "has_key": bool(settings.FACT_CHECK_TOOLS_API_KEY),
        },
    )
