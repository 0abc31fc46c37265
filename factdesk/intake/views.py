"""Intake's page fragments: the claims like a claim (on its page) or like the words an
editor is about to log (on the article page), loaded with htmx."""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from factdesk.accounts.roles import DeskRequest, role_required, user_roles
from factdesk.claims.models import Claim
from factdesk.claims.workflow import EDITORS, ClaimStatus, transition_for
from factdesk.intake.matching import Matches, similar_claims

TEXT_MAX = 5_000  # what is compared: a quote or a claim's wording, never an article


@require_GET
@role_required()
def claim_similar(request: DeskRequest, claim_id: int) -> HttpResponse:
    """The claim page's "Similar claims": on the desk (mark this one as their duplicate, in
    one click, when the workflow allows) and already checked."""
    claim = Claim.objects.filter(pk=claim_id).only("id", "text", "quote", "status").first()
    if claim is None:
        raise Http404("No such claim")
    matches = similar_claims(f"{claim.text}\n{claim.quote}", exclude=claim.pk)
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
