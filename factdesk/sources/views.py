from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_POST

from factdesk.accounts.roles import DeskRequest, role_required
from factdesk.claims.models import Claim
from factdesk.claims.views import _after_action, _invalid, _refused
from factdesk.core.errors import DeskError
from factdesk.sources import services
from factdesk.sources.forms import CitationForm
from factdesk.sources.models import Citation


@require_POST
@role_required()
def citation_add(request: DeskRequest, claim_id: int) -> HttpResponse:
    claim = get_object_or_404(Claim, pk=claim_id)
    form = CitationForm(request.POST)
    if not form.is_valid():
        return _invalid(request, claim_id, form)
    try:
        citation = services.citation_add(
            actor=request.user,
            claim=claim,
            url=form.cleaned_data["url"],
            stance=form.cleaned_data["stance"],
            note=form.cleaned_data["note"],
        )
    except DeskError as error:
        return _refused(request, claim_id, error)
    messages.success(request, f"Cited {citation.source.url}.")
    return _after_action(request, claim_id)


@require_POST
@role_required()
def citation_remove(request: DeskRequest, claim_id: int, citation_id: int) -> HttpResponse:
    citation = get_object_or_404(
        Citation.objects.select_related("claim", "source"), pk=citation_id, claim_id=claim_id
    )
    try:
        services.citation_remove(actor=request.user, citation=citation)
    except DeskError as error:
        return _refused(request, claim_id, error)
    messages.success(request, "Citation removed.")
    return _after_action(request, claim_id)
