"""Google's Fact Check Tools API (`claims:search`): fact checks by other newsrooms of claims
like one just logged, stored as external fact checks. Off until a publisher opts in (it sends
the claim's wording to Google) and an API key is set; called by a worker, never by a page."""

from __future__ import annotations

import json
from urllib.parse import urlencode

from django.conf import settings

from factdesk.claims import audit
from factdesk.claims.models import Claim
from factdesk.core.http import FetchError, GuardedClient
from factdesk.intake.claimreview import ReviewRead, read_date
from factdesk.intake.models import ExternalFactCheck, IntakeSettings
from factdesk.intake.services import external_fact_check_save, send_embed

PAGE_SIZE = 10
SERVICE = "Google Fact Check Tools"


def enabled() -> bool:
    return bool(settings.FACT_CHECK_TOOLS_API_KEY) and IntakeSettings.current().search_google


class SearchError(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def search(text: str, language: str = "") -> list[dict]:
    """The API's answer for `text`: its `claims`, each with its `claimReview`s. Raises
    SearchError saying why there is none (the service's own message where it gives one)."""
    query = {"query": text[:500], "pageSize": PAGE_SIZE, "key": settings.FACT_CHECK_TOOLS_API_KEY}
    if language:
        query["languageCode"] = language
    try:
        result = GuardedClient(deadline=settings.EXTERNAL_FETCH_SECONDS).get(
            f"{settings.FACT_CHECK_TOOLS_URL}?{urlencode(query)}"
        )
    except FetchError as error:
        raise SearchError(f"it could not be reached: {error.reason}") from None
    try:
        answer = json.loads(result.body or b"{}")
    except ValueError:
        raise SearchError(f"it answered {result.status} with something other than JSON") from None
    if result.status >= 400 or "error" in answer:
        message = (answer.get("error") or {}).get("message") if isinstance(answer, dict) else ""
        raise SearchError(f"it answered {result.status}: {message or 'no reason given'}")
    claims = answer.get("claims") if isinstance(answer, dict) else None
    return [claim for claim in claims or [] if isinstance(claim, dict)]


def _reviews(found: list[dict]) -> list[ReviewRead]:
    """The API's claims and their reviews as the desk reads any ClaimReview."""
    reads = []
    for item in found:
        if not item.get("text"):
            continue
        for review in item.get("claimReview") or []:
            url = str(review.get("url") or "")
            if not url.startswith(("http://", "https://")):
                continue
            reads.append(
                ReviewRead(
                    url=url[:2000],
                    claim_reviewed=str(item["text"])[:2000],
                    publisher=str((review.get("publisher") or {}).get("name") or "")[:200],
                    rating_text=str(review.get("textualRating") or "")[:200],
                    rating_value=None,  # the API gives the label only
                    date_published=read_date(review.get("reviewDate")),
                    claimant=str(item.get("claimant") or "")[:200],
                    language=str(review.get("languageCode") or "")[:10],
                    headline=str(review.get("title") or "").strip(),
                )
            )
    return reads


def search_for_claim(claim_id: int) -> list[ExternalFactCheck]:
    """Search the API for a logged claim and keep what it finds (again: updated, not
    doubled). What happened is written on the claim's timeline, as done by whoever
    logged the claim."""
    claim = Claim.objects.select_related("created_by").filter(pk=claim_id).first()
    if claim is None or not enabled():
        return []
    try:
        found = _reviews(search(claim.text, claim.language))
    except SearchError as error:
        audit.record(
            actor=claim.created_by,
            action="external.search_failed",
            target=claim,
            claim=claim,
            summary=f"could not search {SERVICE}: {error.reason}",
            changes={"error": [None, error.reason]},
        )
        return []
    saved = [
        external_fact_check_save(read, origin=ExternalFactCheck.Origin.API, imported_by=None)[0]
        for read in found
    ]
    audit.record(
        actor=claim.created_by,
        action="external.searched",
        target=claim,
        claim=claim,
        summary=f"searched {SERVICE}: {len(saved)} fact check"
        f"{'' if len(saved) == 1 else 's'} by other newsrooms found",
        changes={"found": [None, len(saved)]},
    )
    if saved:
        send_embed("fact_check", [row.pk for row in saved])
    return saved
