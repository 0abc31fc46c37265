"""Citing sources on a claim."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction

from factdesk.claims import audit
from factdesk.claims.models import Claim
from factdesk.claims.services import require_role
from factdesk.claims.workflow import PUBLIC_STATUSES, RESEARCHERS
from factdesk.core.errors import DeskError
from factdesk.sources.models import Citation, Source

_validate_url = URLValidator(schemes=["http", "https"])


def citation_add(
    *, actor: User, claim: Claim, url: str, stance: str = Citation.Stance.CONTEXT, note: str = ""
) -> Citation:
    require_role(actor, RESEARCHERS, "cite a source")
    url = url.strip()
    try:
        _validate_url(url)
    except ValidationError:
        raise DeskError(
            f"“{url}” is not a web address. Paste a full URL starting with http:// or https://.",
            field="url",
        ) from None
    if stance not in Citation.Stance.values:
        raise DeskError(
            "Choose whether the source supports, refutes or gives context.", field="stance"
        )
    with transaction.atomic():
        source, _ = Source.objects.get_or_create(url=url, defaults={"added_by": actor})
        citation, created = Citation.objects.get_or_create(
            claim=claim,
            source=source,
            defaults={"stance": stance, "note": note.strip(), "added_by": actor},
        )
        if not created:
            raise DeskError("This source is already cited on the claim.", field="url")
        audit.record_creation(
            actor=actor,
            action="citation.added",
            target=citation,
            claim=claim,
            fields=("source", "stance", "note"),
            summary=f"cited {source.url}",
        )
    return citation


def citation_remove(*, actor: User, citation: Citation) -> None:
    require_role(actor, RESEARCHERS, "remove a citation")
    if citation.claim.status in PUBLIC_STATUSES:
        raise DeskError("The claim is published: its citations stay as readers saw them.")
    with transaction.atomic():
        audit.record(
            actor=actor,
            action="citation.removed",
            target=citation,
            claim=citation.claim,
            summary=f"removed the citation of {citation.source.url}",
            changes={
                name: [value, None]
                for name, value in audit.field_values(
                    citation, ("source", "stance", "note")
                ).items()
            },
        )
        citation.delete()
