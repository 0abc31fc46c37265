"""The sources panel of a claim, as the claim page loads it."""

from django.test import Client
from django.urls import reverse

from factdesk.claims.models import Claim


def sources_panel(client: Client, claim: Claim) -> str:
    """The panel's HTML, fetched the way the claim page's htmx placeholder fetches it."""
    response = client.get(
        reverse("sources:panel", args=[claim.pk]), HTTP_HX_REQUEST="true", HTTP_HX_TARGET="sources"
    )
    assert response.status_code == 200
    return response.content.decode()
