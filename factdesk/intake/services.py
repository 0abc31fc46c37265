"""Editors' decisions on an article's sentences and lines. Each is audited, and each can be
sent twice (a double click) with one effect."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from functools import partial
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils.timezone import now

from factdesk.accounts.roles import require_role
from factdesk.claims import audit
from factdesk.claims.models import Claim
from factdesk.claims.workflow import PUBLISHERS, RESEARCHERS
from factdesk.core import languages
from factdesk.core.errors import DeskError
from factdesk.core.http import FetchError, GuardedClient
from factdesk.intake import embeddings, learning
from factdesk.intake.claimreview import ReviewRead, read_claim_reviews
from factdesk.intake.learning import Example, average_precision, held_back
from factdesk.intake.models import (
    ClaimEmbedding,
    Embedding,
    ExternalFactCheck,
    FactCheckEmbedding,
    IntakeSettings,
    LineDecision,
    NotAClaim,
    SuggestionLogged,
    TriageDone,
    WorthinessModel,
)
from factdesk.intake.selectors import folded_lines, overlaps
from factdesk.intake.sentences import split_sentences
from factdesk.intake.worthiness import score
from factdesk.sources.fetching import http_error
from factdesk.sources.reading import decode
from factdesk.sources.services import url_problem


def _checked_span(text: str, start: int, end: int, what: str) -> str:
    if not (0 <= start < end <= len(text)):
        raise DeskError(f"That {what} is not in the article's text any more: reload the page.")
    return text[start:end]


def sentence_not_a_claim(
    *, actor: User, article, start: int, end: int, model_version: int | None = None
) -> NotAClaim:
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
            defaults={"text": sentence, "decided_by": actor, "model_version": model_version},
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


# A headline is a line: a page, feed or export that puts a whole text there is cut to this.
HEADLINE_LENGTH = 500


def external_fact_check_save(
    review: ReviewRead, *, origin: str, imported_by: User | None
) -> tuple[ExternalFactCheck, bool]:
    """Keep a fact check read from elsewhere (a page, a feed, Google's API): the same review
    again (its address and claim) updates the row it made. Returns the row and whether it
    is new."""
    return ExternalFactCheck.objects.update_or_create(
        url=review.url,
        claim_reviewed=review.claim_reviewed,
        defaults={
            "headline": review.headline[:HEADLINE_LENGTH],
            "publisher": review.publisher,
            "rating_text": review.rating_text,
            "rating_value": review.rating_value,
            "date_published": review.date_published,
            "claimant": review.claimant,
            "language": review.language,
            "origin": origin,
            "imported_by": imported_by,
        },
    )


def external_fact_checks_from_page(*, actor: User, url: str) -> list[ExternalFactCheck]:
    """Read the ClaimReviews of another newsroom's fact-check page, fetched through the
    guarded client, into the desk's external fact checks. Importing the same page again
    updates the rows it made. Raises DeskError saying what was wrong (the address, the
    fetch, the markup); nothing is saved then."""
    require_role(actor, RESEARCHERS, "import a fact check")
    url = url.strip()
    if problem := url_problem(url):  # the same words a citation's address gets
        raise DeskError(f"“{url[:200]}” {problem}.", field="url")
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
            row, created = external_fact_check_save(
                review, origin=ExternalFactCheck.Origin.PAGE, imported_by=actor
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
        transaction.on_commit(partial(send_embed, "fact_check", [row.pk for row in saved]))
    return saved


def article_triage_done(*, actor: User, article) -> TriageDone:
    """Mark the article as read through: what nobody logged from it is a negative example
    for the desk's model. Saying it again changes nothing."""
    require_role(actor, RESEARCHERS, "mark an article as triaged")
    with transaction.atomic():
        done, created = TriageDone.objects.get_or_create(
            article=article, defaults={"done_by": actor}
        )
        if created:
            audit.record(
                actor=actor,
                action="article.triage_done",
                target=article,
                summary="marked the article as triaged: every claim in it is logged",
                changes={"triage_done": [None, done.done_at.isoformat()]},
            )
    return done


def suggestion_logged(*, claim, model_version: int, score: float) -> SuggestionLogged:
    """Record that `claim` was logged from a suggestion of `model_version` (0: the rules).
    A part of logging the claim, which the claim's own creation audits."""
    row, _ = SuggestionLogged.objects.get_or_create(
        claim=claim, defaults={"model_version": model_version, "score": score}
    )
    return row


def worthiness_decisions() -> list[Example]:
    """Every decision the desk's editors made, in a stable order: each sentence of an
    article that a logged quote overlaps is a positive; each "Not a claim", and each other
    sentence of an article marked "Triage done" (its furniture left out), a negative."""
    spans: dict[int, list[tuple[int, int]]] = {}
    texts: dict[int, str] = {}
    for article_id, text, start, end in Claim.objects.filter(
        article__isnull=False, quote_start__isnull=False, quote_end__isnull=False
    ).values_list("article_id", "article__text", "quote_start", "quote_end"):
        spans.setdefault(article_id, []).append((start or 0, end or 0))
        texts[article_id] = text
    triaged = dict(TriageDone.objects.values_list("article_id", "article__text"))
    texts.update(triaged)
    set_aside = {
        (article_id, start, end): text
        for article_id, start, end, text in NotAClaim.objects.values_list(
            "article_id", "start", "end", "text"
        )
    }
    examples: list[tuple[tuple[int, int], Example]] = []
    for article_id in sorted(texts):
        text, logged = texts[article_id], spans.get(article_id, [])
        folded = [(line.start, line.end) for line in folded_lines(text)]
        for sentence in split_sentences(text):
            if overlaps(sentence.span, logged):
                examples.append(((article_id, sentence.start), Example(sentence.text, True)))
            elif article_id in triaged and not overlaps(sentence.span, folded):
                examples.append(((article_id, sentence.start), Example(sentence.text, False)))
    seen = {key for key, _ in examples}
    for (article_id, start, _), text in set_aside.items():
        if (article_id, start) not in seen:
            examples.append(((article_id, start), Example(text, False)))
    return [example for _, example in sorted(examples, key=lambda pair: pair[0])]


def worthiness_retrain(*, force: bool = False) -> WorthinessModel | None:
    """Train the desk's model when WORTHINESS_RETRAIN_AFTER new decisions exist (or `force`),
    test it and the model in use on the decisions held back from it, and put it in use only
    if it scores at least as well. Returns the new model's row (in use or not), or None when
    there was nothing to learn yet."""
    examples = worthiness_decisions()
    current = WorthinessModel.objects.filter(active=True).first()
    since = len(examples) - (current.decisions if current else 0)
    if not force and since < settings.WORTHINESS_RETRAIN_AFTER:
        return None
    train_part, test_part = held_back(examples)
    labels = [example.positive for example in test_part]
    if not any(labels) or all(labels) or not any(e.positive for e in train_part):
        return None  # nothing to tell apart yet
    model = learning.train(train_part)
    before = learning.Model.from_json(current.weights) if current else None
    new_ap = average_precision([model.probability(e.text) for e in test_part], labels)
    previous_ap = average_precision(
        [(before.probability(e.text) if before else score(e.text).score) for e in test_part],
        labels,
    )
    with transaction.atomic():
        row = WorthinessModel.objects.create(
            decisions=len(examples),
            held_back_ap=new_ap,
            previous_ap=previous_ap,
            weights=model.as_json(),
        )
        if new_ap >= previous_ap:
            WorthinessModel.objects.filter(active=True).update(active=False)
            row.active = True
            row.save(update_fields=["active"])
    return row


# ── embeddings ─────────────────────────────────────────────────────────────────────


def _english_fact_checks() -> Q:
    """A ClaimReview names its language as it likes: "en", "en-GB", "English"."""
    return Q(language="") | Q(language__iregex=r"^en(-|$|glish)")


def _digest(*texts: str) -> str:
    """A digest of a row's texts. A NUL (which no PostgreSQL text holds) joins them, and
    empty ones at the end are left out: a fact check without a headline keeps the digest
    of its claim alone, as before fact checks had headlines."""
    return hashlib.sha256("\x00".join(texts).rstrip("\x00").encode()).hexdigest()


def claim_text_for_embedding(claim: Claim) -> str:
    """What a claim is matched by: its wording, and the quote when it says more."""
    if claim.quote and claim.quote.strip().casefold() not in claim.text.casefold():
        return f"{claim.text} {claim.quote}"
    return claim.text


def embed_claims(claim_ids: list[int]) -> int:
    """Embed these claims' texts, skipping those embedded from the same text already.
    Returns how many vectors were written."""
    english = Claim.objects.filter(pk__in=claim_ids, language__in=languages.MODELS_APPLY_TO)
    claims = {c.pk: c for c in english.only("id", "text", "quote")}
    done = dict(
        ClaimEmbedding.objects.filter(claim_id__in=list(claims)).values_list(
            "claim_id", "text_digest"
        )
    )
    texts = {pk: (claim_text_for_embedding(claim),) for pk, claim in claims.items()}
    return _store_vectors(ClaimEmbedding, "claim_id", texts, done, ["vector"])


def embed_fact_checks(ids: list[int]) -> int:
    """As embed_claims, for external fact checks: their claim reviewed and, in the same run,
    their headline (one digest covers both, so a changed headline is embedded again)."""
    english = ExternalFactCheck.objects.filter(_english_fact_checks(), pk__in=ids)
    checks = english.only("id", "claim_reviewed", "headline")
    texts = {check.pk: (check.claim_reviewed, check.distinct_headline) for check in checks}
    done = dict(
        FactCheckEmbedding.objects.filter(fact_check_id__in=list(texts)).values_list(
            "fact_check_id", "text_digest"
        )
    )
    return _store_vectors(
        FactCheckEmbedding, "fact_check_id", texts, done, ["vector", "headline_vector"]
    )


def _store_vectors(
    model: type[Embedding],
    key: str,
    texts: Mapping[int, tuple[str, ...]],
    done: dict[int, str],
    fields: list[str],
) -> int:
    """Embed the texts of each row (by id) whose digest differs from the one `done` names,
    and keep their vectors in `model`, keyed by `key`: a row's nth text in its nth field
    (an empty text: none, NULL). Returns how many rows were embedded."""
    digests = {pk: _digest(*parts) for pk, parts in texts.items()}
    todo = [pk for pk, digest in digests.items() if done.get(pk) != digest]
    wanted = [
        (pk, field, text)
        for pk in todo
        for field, text in zip(fields, texts[pk], strict=True)
        if text
    ]
    vectors: dict[int, dict[str, Any]] = {pk: dict.fromkeys(fields) for pk in todo}
    embedded = embeddings.embed([text for _, _, text in wanted])
    for (pk, field, _), vector in zip(wanted, embedded, strict=True):
        vectors[pk][field] = vector
    rows = [
        model(**{key: pk}, **vectors[pk], text_digest=digests[pk], embedded_at=now()) for pk in todo
    ]
    # One statement: a new vector is inserted, a reworded text's replaces the old one.
    model._default_manager.bulk_create(
        rows,
        update_conflicts=True,
        unique_fields=[key],
        update_fields=[*fields, "text_digest", "embedded_at"],
    )
    return len(todo)


def send_embed(kind: str, ids: list[int]) -> None:
    """Queue the embedding of these rows (a worker's job: a page never waits on a batch)."""
    from factdesk.intake.tasks import embed

    embed.delay(kind, ids)


def embed_missing(batch: int = 200) -> int:
    """Embed the claims and fact checks that have no vector yet (those logged before the
    desk embedded, or whose task was lost), a batch of each. Returns how many were done."""
    claims = Claim.objects.filter(
        ~Exists(ClaimEmbedding.objects.filter(claim=OuterRef("pk"))),
        language__in=languages.MODELS_APPLY_TO,
    )
    checks = ExternalFactCheck.objects.filter(
        _english_fact_checks(),
        ~Exists(FactCheckEmbedding.objects.filter(fact_check=OuterRef("pk"))),
    )
    return embed_claims(list(claims.values_list("id", flat=True)[:batch])) + embed_fact_checks(
        list(checks.values_list("id", flat=True)[:batch])
    )


def intake_settings_update(*, actor: User, search_google: bool) -> IntakeSettings:
    """A publisher's choice for the desk (audited)."""
    require_role(actor, PUBLISHERS, "change the desk's intake settings")
    with transaction.atomic():
        row = IntakeSettings.objects.select_for_update().get(pk=IntakeSettings.current().pk)
        if row.search_google != search_google:
            row.search_google, row.updated_by = search_google, actor
            row.save()
            audit.record(
                actor=actor,
                action="intake.settings",
                target=row,
                summary=(
                    "turned on searching Google's Fact Check Tools for each claim logged"
                    if search_google
                    else "turned off searching Google's Fact Check Tools"
                ),
                changes={"search_google": [not search_google, search_google]},
            )
    return row
