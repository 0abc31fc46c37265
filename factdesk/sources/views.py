from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_POST

from factdesk.accounts.roles import DeskRequest, role_required
from factdesk.claims.models import Claim
from factdesk.claims.views import after_claim_action, claim_action, refuse_claim_action
from factdesk.core.errors import DeskError
from factdesk.sources import services
from factdesk.sources.forms import CitationForm
from factdesk.sources.models import Citation


def _cite(request: DeskRequest, claim: Claim, data: dict) -> str:
    citation = services.citation_add(
        actor=request.user,
        claim=claim,
        url=data["url"],
        stance=data["stance"],
        note=data["note"],
    )
    return f"Cited {citation.source.url}."


citation_add = claim_action(CitationForm, _cite)


@require_POST
@role_required()
def citation_remove(request: DeskRequest, claim_id: int, citation_id: int) -> HttpResponse:
    citation = get_object_or_404(
        Citation.objects.select_related("claim", "source"), pk=citation_id, claim_id=claim_id
    )
    try:
        services.citation_remove(actor=request.user, citation=citation)
    except DeskError as error:
        return refuse_claim_action(request, claim_id, error)
    messages.success(request, "Citation removed.")
    return after_claim_action(request, claim_id)
