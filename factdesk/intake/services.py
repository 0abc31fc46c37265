"""Editors' decisions on an article's sentences and lines. Each is audited, and each can be
sent twice (a double click) with one effect."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction

from factdesk.accounts.roles import require_role
from factdesk.claims import audit
from factdesk.claims.workflow import RESEARCHERS
from factdesk.core.errors import DeskError
from factdesk.core.http import BlockedURL, FetchError, GuardedClient, check_fetchable
from factdesk.intake.claimreview import read_claim_reviews
from factdesk.intake.models import ExternalFactCheck, LineDecision, NotAClaim
from factdesk.intake.sentences import split_sentences
from factdesk.sources.fetching import http_error
from factdesk.sources.reading import decode

_validate_url = URLValidator(schemes=["http", "https"])


def _checked_span(text: str, start: int, end: int, what: str) -> str:
    if not (0 <= start < end <= len(text)):
        raise DeskError(f"That {what} is not in the article's text any more: reload the page.")
    return text[start:end]


def sentence_not_a_claim(*, actor: User, article, start: int, end: int) -> NotAClaim:
    """Remember that the sentence at [start, end) of `article` is not a claim: it is not
    suggested again. Returns the decision (the earlier one, when it was already made)."""
    require_role(actor, RESEARCHERS, "set aside a suggestion")
    sentence = _checked_span(article.text, start, end, "sentence")
    if (start, end) not in {s.span for s in split_sentences(article.text)}:
        raise DeskError("That is not one of the article's sentences: reload the page.")
    with transaction.atomic():
        decision, created = NotAClaim.objects.get_or_create(
            article=article,
            start=start,
            end=end,
            defaults={"text": sentence, "decided_by": actor},
        )
        if created:
            audit.record(
                actor=actor,
                action="sentence.not_a_claim",
                target=article,
                summary=f"set aside as not a claim: “{sentence[:120]}”",
                changes={"not_a_claim": [None, [start, end]]},
            )
    return decision


def line_mark(*, actor: User, article, start: int, end: int, is_furniture: bool) -> LineDecision:
    """Say whether the line at [start, end) of `article` is page furniture, overriding the
    rules for it. Saying the same again changes nothing."""
    require_role(actor, RESEARCHERS, "mark page furniture")
    line = _checked_span(article.text, start, end, "line")
    if "\n" in line:
        raise DeskError("Mark one line at a time.")
    kind = "page furniture" if is_furniture else "article text"
    with transaction.atomic():
        decision = (
            LineDecision.objects.select_for_update()
            .filter(article=article, start=start, end=end)
            .first()
        )
        if decision is not None and decision.is_furniture == is_furniture:
            return decision
        before = None if decision is None else decision.is_furniture
        if decision is None:
            decision = LineDecision.objects.create(
                article=article, start=start, end=end, is_furniture=is_furniture, decided_by=actor
            )
        else:
            decision.is_furniture, decision.decided_by = is_furniture, actor
            decision.save(update_fields=["is_furniture", "decided_by", "updated_at"])
        audit.record(
            actor=actor,
            action="line.furniture" if is_furniture else "line.article_text",
            target=article,
            summary=f"marked a line as {kind}: “{line[:120]}”",
            changes={"is_furniture": [before, is_furniture], "span": [None, [start, end]]},
        )
    return decision


def external_fact_checks_from_page(*, actor: User, url: str) -> list[ExternalFactCheck]:
    """Read the ClaimReviews of another newsroom's fact-check page, fetched through the
    guarded client, into the desk's external fact checks. Importing the same page again
    updates the rows it made. Raises DeskError saying what was wrong (the address, the
    fetch, the markup); nothing is saved then."""
    require_role(actor, RESEARCHERS, "import a fact check")
    url = url.strip()
    try:
        _validate_url(url)
        check_fetchable(url)
    except (ValidationError, BlockedURL) as error:
        reason = error.reason if isinstance(error, BlockedURL) else "it is not a web address"
        raise DeskError(f"“{url[:200]}” cannot be fetched: {reason}", field="url") from None
    try:
        result = GuardedClient(deadline=settings.EXTERNAL_FETCH_SECONDS).get(url)
        if result.status >= 400:
            raise http_error(result)
    except FetchError as error:
        raise DeskError(f"The page could not be fetched: {error.reason}", field="url") from None
    reviews = read_claim_reviews(decode(result.body, result.charset), result.url)
    saved = []
    with transaction.atomic():
        for review in reviews:
            row, created = ExternalFactCheck.objects.update_or_create(
                url=review.url,
                claim_reviewed=review.claim_reviewed,
                defaults={
                    "publisher": review.publisher,
                    "rating_text": review.rating_text,
                    "rating_value": review.rating_value,
                    "date_published": review.date_published,
                    "claimant": review.claimant,
                    "language": review.language,
                    "origin": ExternalFactCheck.Origin.PAGE,
                    "imported_by": actor,
                },
            )
            saved.append(row)
            audit.record(
                actor=actor,
                action="external.imported" if created else "external.updated",
                target=row,
                summary=f"{'imported' if created else 'updated'} a fact check by "
                f"{row.publisher or 'another newsroom'}: “{row.claim_reviewed[:100]}”",
                changes={"rating": [None, row.rating_text], "url": [None, row.url]},
            )
    return saved
