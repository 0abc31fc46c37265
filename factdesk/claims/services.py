"""Every change to claims, verdicts, reviews and comments goes through these functions.

Each one checks the actor's role, checks the desk's rules (raising DeskError with a message
for the editor; nothing is changed then), locks the claim row so that concurrent changes to
one claim queue up, writes the change, and records an Activity.
"""

from __future__ import annotations

import datetime
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, models, transaction
from django.utils import timezone

from factdesk.accounts.roles import require_role, user_roles
from factdesk.claims import audit, rules
from factdesk.claims.models import (
    Activity,
    Claim,
    Claimant,
    ClaimTopic,
    Comment,
    Medium,
    Priority,
    Rating,
    Review,
    Signoff,
    Topic,
    Verdict,
    VerdictHistory,
)
from factdesk.claims.workflow import (
    DRAFTING_STATUSES,
    EDITORS,
    PUBLIC_STATUSES,
    RESEARCHERS,
    TRANSITIONS,
    ClaimStatus,
    DismissReason,
    Requirement,
    transition_for,
)
from factdesk.core import idempotency, languages
from factdesk.core.errors import DeskError
from factdesk.core.words import plain_words

if TYPE_CHECKING:  # articles is above claims: a claim only holds its article
    from factdesk.articles.models import Article

CLAIM_FIELDS = (
    "text",
    "quote",
    "quote_start",
    "quote_end",
    "article",
    "medium",
    "source_url",
    "source_description",
    "claimant",
    "claimed_on",
    "language",
    "status",
    "priority",
    "due_date",
    "assignee",
)
VERDICT_FIELDS = ("number", "rating", "conclusion", "explanation", "correction_note")


class ConflictError(DeskError):
    """Someone saved a newer verdict version since this form was opened."""

    def __init__(self, message: str, *, latest: Verdict) -> None:
        super().__init__(message)
        self.latest = latest


def _locked(claim: Claim) -> Claim:
    """Re-read the claim under a row lock: the state every rule is checked against."""
    return Claim.objects.select_for_update().get(pk=claim.pk)


# ── claimants ───────────────────────────────────────────────────────────────────────────


def claimant_create(
    *, actor: User, name: str, kind: str = Claimant.Kind.PERSON, description: str = ""
) -> Claimant:
    require_role(actor, RESEARCHERS, "add a claimant")
    name = " ".join(name.split())
    if not name:
        raise DeskError("Give the claimant's name.", field="claimant_name")
    existing = Claimant.objects.filter(name__iexact=name).first()
    if existing:
        return existing
    with (
        transaction.atomic(),
        audit.change(
            actor=actor,
            action="claimant.created",
            fields=("name", "kind", "description"),
            summary=f"added claimant {name}",
        ) as change,
    ):
        claimant = Claimant.objects.create(name=name, kind=kind, description=description.strip())
        change.target = claimant
    return claimant


def claimant_merge(*, actor: User, claimant: Claimant, into: Claimant) -> int:
    """Merge a claimant made by mistake (a misspelling, a second entry) into `into`: every
    claim of theirs moves, each move on its claim's timeline, and the duplicate is deleted
    with an entry naming where it went. Returns how many claims moved."""
    require_role(actor, EDITORS, "merge claimants")
    if claimant.pk == into.pk:
        raise DeskError(
            f"“{claimant.name}” cannot be merged into itself: choose the claimant who should "
            "keep the claims.",
            field="into",
        )
    with transaction.atomic():
        # Both rows, in id order (two opposite merges at once cannot deadlock).
        locked = {
            row.pk: row
            for row in Claimant.objects.select_for_update()
            .filter(pk__in=[claimant.pk, into.pk])
            .order_by("pk")
        }
        if claimant.pk not in locked:
            raise DeskError(f"“{claimant.name}” was already merged (or deleted).")
        if into.pk not in locked:
            raise DeskError(f"“{into.name}” no longer exists: choose another claimant.")
        duplicate, into = locked[claimant.pk], locked[into.pk]
        claims = list(Claim.objects.select_for_update().filter(claimant=duplicate))
        Activity.objects.bulk_create(
            audit.activity(
                actor=actor,
                action="claim.claimant_merged",
                target=claim,
                claim=claim,
                summary=f"claimant {duplicate.name} merged into {into.name}",
                changes={"claimant": [duplicate.pk, into.pk]},
            )
            for claim in claims
        )
        Claim.objects.filter(pk__in=[claim.pk for claim in claims]).update(
            claimant=into, updated_at=timezone.now()
        )
        audit.record(
            actor=actor,
            action="claimant.merged",
            target=duplicate,
            summary=f"merged claimant {duplicate.name} into {into.name} "
            f"({len(claims)} claim{'s' if len(claims) != 1 else ''} moved)",
            changes={
                "name": [duplicate.name, None],
                "merged_into": [None, into.pk],
                "claims": [[claim.pk for claim in claims], []],
            },
        )
        duplicate.delete()
    return len(claims)


def claimant_delete(*, actor: User, claimant: Claimant) -> None:
    """Delete a claimant no claim names (made by mistake); one with claims is merged."""
    require_role(actor, EDITORS, "delete a claimant")
    with transaction.atomic():
        row = Claimant.objects.select_for_update().filter(pk=claimant.pk).first()
        if row is None:
            raise DeskError(f"“{claimant.name}” was already deleted (or merged).")
        count = Claim.objects.filter(claimant=row).count()
        if count:
            raise DeskError(
                f"“{row.name}” has {count} claim{'s' if count != 1 else ''}: merge them into "
                "another claimant instead of deleting."
            )
        audit.record(
            actor=actor,
            action="claimant.deleted",
            target=row,
            summary=f"deleted claimant {row.name}",
            changes={
                name: [value, None]
                for name, value in audit.field_values(row, ("name", "kind", "description")).items()
            },
        )
        row.delete()


# ── claims ──────────────────────────────────────────────────────────────────────────────


def locate_quote(text: str, quote: str, start: int | None, end: int | None) -> tuple[int, int]:
    """Where `quote` stands in `text`, as character offsets.

    1. Offsets given (from the browser's selection) and `text[start:end]` is the quote, up to
       line breaks and runs of spaces (a form sends a textarea's line breaks as CRLF; a
       selection across paragraphs may join them differently): use them.
    2. Otherwise find the quote in the text, spaces and line breaks matching any run of
       them: it must occur exactly once, or the editor must select the occurrence they mean.
    """
    if not quote.strip():
        raise DeskError("Select or paste the exact words of the claim.", field="quote")
    words = quote.split()
    offsets_given = start is not None and end is not None and 0 <= start < end <= len(text)
    if offsets_given and text[start:end].split() == words:
        assert start is not None
        assert end is not None
        return start, end
    pattern = re.compile(r"\s+".join(re.escape(word) for word in words))
    found = pattern.search(text)
    if found is None:
        raise DeskError(
            "Those words are not in the article's text. Select them in the article, or paste "
            "them exactly as they appear.",
            field="quote",
        )
    if pattern.search(text, found.start() + 1):
        raise DeskError(
            "Those words appear more than once in the article. Select the occurrence you mean, "
            "or paste a longer quote.",
            field="quote",
        )
    return found.start(), found.end()


class DuplicateClaimError(DeskError):
    """The claim is on the desk already. `existing` is the claim it repeats; when
    `can_log_anyway`, it is the same words heard elsewhere, a new appearance the editor may
    log on purpose."""

    def __init__(self, message: str, *, existing: Claim, can_log_anyway: bool) -> None:
        super().__init__(message, field="quote")
        self.existing = existing
        self.can_log_anyway = can_log_anyway


def _check_not_logged(
    *, article: Article | None, claimant: Claimant, quote: str, span: tuple[int, int] | None
) -> None:
    """Refuse the same span of the same article; for the same words of the same claimant
    anywhere else, warn (DuplicateClaimError with can_log_anyway)."""
    if article is not None and span is not None:
        same_span = Claim.objects.filter(
            article=article, quote_start=span[0], quote_end=span[1]
        ).first()
        if same_span is not None:
            raise DuplicateClaimError(
                f"This passage is already logged as claim #{same_span.pk}.",
                existing=same_span,
                can_log_anyway=False,
            )
    words = plain_words(quote)
    # One claimant's quotes: a few hundred short strings at most, compared in Python so
    # that "the same words" means one thing (plain_words), whatever the database's locale.
    for claim_id, other_quote in (
        Claim.objects.filter(claimant=claimant).order_by("-pk").values_list("pk", "quote")
    ):
        if plain_words(other_quote) == words:
            existing = Claim.objects.get(pk=claim_id)
            raise DuplicateClaimError(
                f"{claimant.name} said the same words before: claim #{existing.pk}. "
                "If this is a new appearance of them, log it anyway.",
                existing=existing,
                can_log_anyway=True,
            )


def claim_create(
    *,
    actor: User,
    text: str,
    claimant: Claimant,
    quote: str,
    article: Article | None = None,
    quote_start: int | None = None,
    quote_end: int | None = None,
    medium: str = Medium.ARTICLE,
    source_url: str = "",
    source_description: str = "",
    claimed_on: datetime.date | None = None,
    priority: int = Priority.NORMAL,
    new_appearance: bool = False,
    idempotency_key: uuid.UUID | None = None,
) -> Claim:
    """Log a claim. The same passage of the same article is refused; the same words of the
    same claimant elsewhere are refused unless `new_appearance` says the editor means it
    (DuplicateClaimError says which claim it repeats). A repeat of `idempotency_key`
    returns the claim the first submission logged."""
    require_role(actor, RESEARCHERS, "log a claim")
    if not text.strip():
        raise DeskError("Word the claim as the desk will check it.", field="text")
    if article is not None:
        quote_start, quote_end = locate_quote(article.text, quote, quote_start, quote_end)
        quote = article.text[quote_start:quote_end]
        medium = Medium.ARTICLE
    else:
        if not quote.strip():
            raise DeskError("Give the exact words of the claim.", field="quote")
        if medium == Medium.ARTICLE:
            raise DeskError(
                "Log a claim from an article on the article's page, or choose where it was "
                "said (TV, speech, social post).",
                field="medium",
            )
        if not (source_url or source_description.strip()):
            raise DeskError("Say where it was said: a URL or a description.", field="source_url")
        quote_start = quote_end = None
    if claimed_on is None:
        claimed_on = article.published_on if article and article.published_on else None

    def create() -> Claim:
        span = None if quote_start is None or quote_end is None else (quote_start, quote_end)
        try:
            _check_not_logged(article=article, claimant=claimant, quote=quote, span=span)
        except DuplicateClaimError as duplicate:
            if not (duplicate.can_log_anyway and new_appearance):
                raise
        with (
            transaction.atomic(),
            audit.change(
                actor=actor,
                action="claim.created",
                fields=CLAIM_FIELDS,
                summary="logged the claim",
            ) as change,
        ):
            claim = Claim.objects.create(
                article=article,
                quote=quote,
                quote_start=quote_start,
                quote_end=quote_end,
                medium=medium,
                source_url=source_url,
                source_description=source_description.strip(),
                text=text.strip(),
                language=languages.detect(f"{text} {quote}")
                or (article.language if article is not None else ""),
                claimant=claimant,
                claimed_on=claimed_on or timezone.localdate(),
                priority=priority,
                due_date=due_date_for(priority),
                created_by=actor,
            )
            change.target = change.claim = claim
        return claim

    return idempotency.once(key=idempotency_key, user=actor, create=create)


def due_date_for(priority: int, logged_on: datetime.date | None = None) -> datetime.date:
    """When a claim of this priority logged on `logged_on` (today) is due."""
    days = settings.DUE_DAYS_BY_PRIORITY[Priority(priority)]
    return (logged_on or timezone.localdate()) + datetime.timedelta(days=days)


def claim_update(
    *,
    actor: User,
    claim: Claim,
    text: str,
    claimant: Claimant,
    claimed_on: datetime.date,
    source_url: str | None = None,
    source_description: str | None = None,
    language: str | None = None,
) -> Claim:
    """Reword the claim, change its claimant, date or language. The quote stays anchored
    as logged."""
    require_role(actor, RESEARCHERS, "edit a claim")
    if not text.strip():
        raise DeskError("Word the claim as the desk will check it.", field="text")
    with transaction.atomic():
        claim = _locked(claim)
        if claim.status not in DRAFTING_STATUSES:
            raise DeskError(
                f"The claim is {claim.get_status_display().lower()}: its wording is fixed. "
                "Move it back to research to change it."
            )
        with audit.change(
            actor=actor,
            action="claim.updated",
            target=claim,
            claim=claim,
            fields=(
                "text",
                "claimant",
                "claimed_on",
                "source_url",
                "source_description",
                "language",
            ),
            summary="edited the claim",
        ) as change:
            claim.text = text.strip()
            claim.claimant = claimant
            claim.claimed_on = claimed_on
            if source_url is not None:
                claim.source_url = source_url
            if source_description is not None:
                claim.source_description = source_description.strip()
            if language is not None:
                claim.language = language
            if change.differences():
                claim.save()
    return claim


def claim_set_priority(*, actor: User, claim: Claim, priority: int) -> Claim:
    require_role(actor, EDITORS, "set a claim's priority")
    if priority not in Priority.values:
        raise DeskError("Choose a priority from the list.", field="priority")
    with transaction.atomic():
        claim = _locked(claim)
        if claim.priority == priority:
            return claim
        with audit.change(
            actor=actor,
            action="claim.priority",
            target=claim,
            claim=claim,
            fields=("priority",),
            summary=f"set priority to {Priority(priority).label}",
        ):
            claim.priority = Priority(priority)
            claim.save(update_fields=["priority", "updated_at"])
    return claim


def claim_assign(*, actor: User, claim: Claim, assignee: User | None) -> Claim:
    """Editors assign anyone on the desk; a reporter may take an unassigned claim or let go."""
    roles = user_roles(actor)
    if not roles & EDITORS:
        require_role(actor, RESEARCHERS, "take a claim")
        if assignee is not None and assignee != actor:
            raise PermissionDenied("Only an editor can assign a claim to someone else.")
    if assignee is not None and not user_roles(assignee):
        raise DeskError(
            f"{assignee.get_full_name() or assignee.username} has no role on the desk and "
            "can't be assigned claims.",
            field="assignee",
        )
    with transaction.atomic():
        claim = _locked(claim)
        if not roles & EDITORS and claim.assignee_id not in (None, actor.pk):
            raise PermissionDenied("This claim is assigned to someone else; ask an editor.")
        if claim.assignee_id == (assignee.pk if assignee else None):
            return claim
        with audit.change(
            actor=actor,
            action="claim.assigned",
            target=claim,
            claim=claim,
            fields=("assignee",),
            summary=(
                f"assigned the claim to {assignee.get_full_name() or assignee.username}"
                if assignee
                else "unassigned the claim"
            ),
        ):
            claim.assignee = assignee
            claim.save(update_fields=["assignee", "updated_at"])
    return claim


# ── verdicts and sign-off ───────────────────────────────────────────────────────────────


def verdict_save(
    *,
    actor: User,
    claim: Claim,
    base_number: int | None,
    rating: Rating,
    conclusion: str,
    explanation: str,
    correction_note: str = "",
    idempotency_key: uuid.UUID | None = None,
) -> Verdict:
    """Save the draft as a new version.

    `base_number` is the version the editor's form was opened on. If someone saved a newer
    one since, nothing is saved: ConflictError carries the newer version so the form can
    show what changed next to what this editor typed. A repeat of `idempotency_key`
    returns the version the first submission saved.
    """
    if idempotency_key is not None:
        return idempotency.once(
            key=idempotency_key,
            user=actor,
            create=lambda: verdict_save(
                actor=actor,
                claim=claim,
                base_number=base_number,
                rating=rating,
                conclusion=conclusion,
                explanation=explanation,
                correction_note=correction_note,
            ),
        )
    require_role(actor, RESEARCHERS, "write a verdict")
    conclusion = conclusion.strip()
    if not conclusion:
        raise DeskError("Write the one-line conclusion.", field="conclusion")
    if not explanation.strip():
        raise DeskError("Explain how the desk reached the verdict.", field="explanation")
    with transaction.atomic():
        claim = _locked(claim)
        if claim.status not in DRAFTING_STATUSES:
            hint = (
                "Start a correction to change a published verdict."
                if claim.published_at
                else "Move the claim back to research to change the draft."
            )
            raise DeskError(
                f"The verdict can't be edited while the claim is "
                f"{claim.get_status_display().lower()}. {hint}"
            )
        history = claim.verdict_history()
        if history.published and not correction_note.strip():
            raise DeskError(
                f"Version {history.published.number} is published, so this draft is a "
                "correction: say in the correction note what changed and why, for readers.",
                field="correction_note",
            )
        latest = history.latest
        latest_number = latest.number if latest else None
        if latest and _same_draft(
            latest, actor, base_number, rating, conclusion, explanation, correction_note
        ):
            return latest  # the same form sent twice (a double click): saved once
        if latest_number != base_number:
            if latest is None:
                raise DeskError(
                    "The form refers to a verdict version that doesn't exist. Reload the page "
                    "and write the draft again."
                )
            raise ConflictError(
                f"{latest.author.get_full_name() or latest.author} saved version "
                f"{latest.number} of this verdict while you were editing. Your text is kept "
                "below: compare, then save again.",
                latest=latest,
            )
        number = (latest_number or 0) + 1
        # Versions are never edited: the change recorded is from the previous version (if
        # any) to the new one.
        with audit.change(
            actor=actor,
            action="verdict.saved",
            target=latest,
            claim=claim,
            fields=VERDICT_FIELDS,
            summary=f"saved verdict version {number}: {rating.label}",
        ) as change:
            verdict = Verdict.objects.create(
                claim=claim,
                number=number,
                rating=rating,
                conclusion=conclusion,
                explanation=explanation.strip(),
                correction_note=correction_note.strip(),
                author=actor,
            )
            claim.current_rating = rating
            claim.save(update_fields=["current_rating", "updated_at"])
            change.target = verdict
    return verdict


def _same_draft(
    latest: Verdict,
    actor: User,
    base_number: int | None,
    rating: Rating,
    conclusion: str,
    explanation: str,
    correction_note: str,
) -> bool:
    """Whether `latest` is what this form, opened on `base_number`, would save: this editor
    saved it a moment ago from the same form."""
    return (
        latest.number == (base_number or 0) + 1
        and latest.published_at is None
        and latest.author_id == actor.pk
        and latest.rating_id == rating.pk
        and latest.conclusion == conclusion
        and latest.explanation == explanation.strip()
        and latest.correction_note == correction_note.strip()
    )


def review_submit(
    *,
    actor: User,
    claim: Claim,
    decision: str,
    comment: str = "",
    idempotency_key: uuid.UUID | None = None,
) -> Review:
    """Record a review of the draft in review; apply the sign-off rule.

    When the draft has the approvals the rule needs, the claim moves to approved; when it
    has the requests for changes the rule needs, it goes back to research. A repeat of
    `idempotency_key` returns the review the first submission recorded.
    """
    if idempotency_key is not None:
        return idempotency.once(
            key=idempotency_key,
            user=actor,
            create=lambda: review_submit(
                actor=actor, claim=claim, decision=decision, comment=comment
            ),
        )
    require_role(actor, EDITORS, "review a verdict")
    if decision not in Review.Decision.values:
        raise DeskError("Choose approve or request changes.", field="decision")
    if decision == Review.Decision.REQUEST_CHANGES and not comment.strip():
        raise DeskError("Say what needs to change, so the author can fix it.", field="comment")
    with transaction.atomic():
        claim = _locked(claim)
        if claim.status != ClaimStatus.IN_REVIEW:
            raise DeskError(
                f"Only a claim in review can be reviewed; this one is "
                f"{claim.get_status_display().lower()}."
            )
        history = claim.verdict_history()
        draft = history.draft
        assert draft is not None  # in_review requires a draft
        if actor.pk in history.contributors:
            raise DeskError(
                "You wrote part of this verdict, so you can't review it. Another editor must."
            )
        reviews = list(draft.reviews.all())
        if any(review.reviewer_id == actor.pk for review in reviews):
            raise DeskError(f"You have already reviewed version {draft.number}.")
        with audit.change(
            actor=actor,
            action=f"review.{decision}",
            claim=claim,
            fields=("decision", "comment"),
            summary=(
                f"approved verdict version {draft.number}"
                if decision == Review.Decision.APPROVE
                else f"requested changes to version {draft.number}: {comment.strip()}"
            ),
        ) as change:
            try:
                with transaction.atomic():
                    review = Review.objects.create(
                        verdict=draft, reviewer=actor, decision=decision, comment=comment.strip()
                    )
            except IntegrityError:
                raise DeskError(f"You have already reviewed version {draft.number}.") from None
            change.target = review
        signoff = Signoff.of([*reviews, review])
        if signoff.met:
            claim_transition(actor=actor, claim=claim, target=ClaimStatus.APPROVED)
        elif signoff.sent_back:
            claim_transition(actor=actor, claim=claim, target=ClaimStatus.RESEARCHING)
    return review


# ── the workflow ────────────────────────────────────────────────────────────────────────


@dataclass(frozen=True)
class TransitionOptions:
    """What a move may need besides its target: why a claim is dismissed, which claim it
    duplicates, the note a retraction shows readers."""

    dismiss_reason: str = ""
    dismiss_note: str = ""
    duplicate_of: Claim | None = None
    retraction_note: str = ""


@dataclass(frozen=True)
class Move:
    """What a precondition checks: the claim (locked), its verdict versions, the options."""

    claim: Claim
    verdicts: VerdictHistory
    options: TransitionOptions


def _check_dismiss_reason(move: Move) -> None:
    if move.options.dismiss_reason not in DismissReason.values:
        raise DeskError("Choose why the claim is dismissed.", field="dismiss_reason")
    if move.options.dismiss_reason == DismissReason.OTHER and not move.options.dismiss_note:
        raise DeskError("Say why the claim is dismissed.", field="dismiss_note")


def _check_duplicate_of(move: Move) -> None:
    original = move.options.duplicate_of
    if original is None:
        raise DeskError("Choose the claim this one duplicates.", field="duplicate_of")
    if original.pk == move.claim.pk:
        raise DeskError("A claim can't duplicate itself.", field="duplicate_of")
    if original.status == ClaimStatus.DUPLICATE:
        raise DeskError(
            f"Claim #{original.pk} is itself a duplicate of #{original.duplicate_of_id}; "
            f"mark this one as a duplicate of #{original.duplicate_of_id}.",
            field="duplicate_of",
        )


def _check_retraction_note(move: Move) -> None:
    if not move.options.retraction_note:
        raise DeskError(
            "Write the retraction note readers will see: what was wrong and why the fact "
            "check is withdrawn.",
            field="retraction_note",
        )


# The requirements on what the editor gives; those on the claim's state are in `rules`,
# which the claim page reads too.
PRECONDITIONS: dict[Requirement, Callable[[Move], None]] = {
    Requirement.DISMISS_REASON: _check_dismiss_reason,
    Requirement.DUPLICATE_OF: _check_duplicate_of,
    Requirement.RETRACTION_NOTE: _check_retraction_note,
}


def claim_transition(
    *,
    actor: User,
    claim: Claim,
    target: str,
    dismiss_reason: str = "",
    dismiss_note: str = "",
    duplicate_of: Claim | None = None,
    retraction_note: str = "",
) -> Claim:
    """Move a claim to `target`: the one way a claim's status changes.

    1. Find the edge in the workflow table; an edge that is not there is refused (a move to
       where the claim already is, say a second click, is named as such).
    2. Check the actor holds one of the edge's roles.
    3. Check each precondition the edge names: the claim's state (`rules`), then what the
       editor gave.
    4. Apply the change (and its effect on the verdict when publishing, on the assignee when
       starting research), record the activity.
    """
    options = TransitionOptions(
        dismiss_reason=dismiss_reason,
        dismiss_note=dismiss_note.strip(),
        duplicate_of=duplicate_of,
        retraction_note=retraction_note.strip(),
    )
    with transaction.atomic():
        claim = _locked(claim)
        try:
            target_status = ClaimStatus(target)
        except ValueError:
            raise DeskError(f"There is no status called {target!r}.") from None
        edge = transition_for(claim.status, target_status)
        if edge is None and claim.status == target_status:
            raise DeskError(f"The claim is already {target_status.label.lower()}.")
        if edge is None:
            raise DeskError(
                f"A claim that is {claim.get_status_display().lower()} can't move to "
                f"{target_status.label.lower()}."
            )
        require_role(actor, edge.roles, f"{edge.label.lower()} a claim here")
        move = Move(claim=claim, verdicts=claim.verdict_history(), options=options)
        reason = rules.unmet(edge, claim, move.verdicts)
        if reason:
            raise DeskError(reason)
        for requirement in edge.requires:
            if requirement in PRECONDITIONS:
                PRECONDITIONS[requirement](move)

        with audit.change(
            actor=actor,
            action=f"status.{target_status.value}",
            target=claim,
            claim=claim,
            fields=(
                "status",
                "dismiss_reason",
                "dismiss_note",
                "duplicate_of",
                "retraction_note",
                "assignee",
            ),
            summary=f"moved the claim to {target_status.label.lower()}",
        ) as change:
            now = timezone.now()
            dismissed = target_status == ClaimStatus.DISMISSED
            claim.status = target_status
            claim.status_changed_at = now
            claim.dismiss_reason = options.dismiss_reason if dismissed else ""
            claim.dismiss_note = options.dismiss_note if dismissed else ""
            claim.duplicate_of = (
                options.duplicate_of if target_status == ClaimStatus.DUPLICATE else None
            )
            if target_status == ClaimStatus.RETRACTED:
                claim.retraction_note = options.retraction_note
                claim.retracted_at = now
                change.summary = f"retracted the fact check: {options.retraction_note}"
            # Whoever starts the research does it, unless the claim is someone's already.
            starts_research = (edge.source, edge.target) == (
                ClaimStatus.NEW,
                ClaimStatus.RESEARCHING,
            )
            if starts_research and claim.assignee_id is None:
                claim.assignee = actor
            if target_status in (ClaimStatus.PUBLISHED, ClaimStatus.CORRECTED):
                draft = move.verdicts.draft
                assert draft is not None
                Verdict.objects.filter(pk=draft.pk).update(published_at=now)
                if claim.published_at is None:
                    claim.published_at = now
                change.summary = (
                    f"published verdict version {draft.number}"
                    if target_status == ClaimStatus.PUBLISHED
                    else f"published correction (version {draft.number})"
                )
            claim.save()
    return claim


def comment_add(
    *, actor: User, claim: Claim, body: str, idempotency_key: uuid.UUID | None = None
) -> Comment:
    """Post a comment. A repeat of `idempotency_key` returns the comment first posted."""
    if idempotency_key is not None:
        return idempotency.once(
            key=idempotency_key,
            user=actor,
            create=lambda: comment_add(actor=actor, claim=claim, body=body),
        )
    require_role(actor, RESEARCHERS, "comment on a claim")
    body = body.strip()
    if not body:
        raise DeskError("Write something before posting.", field="body")
    with (
        transaction.atomic(),
        audit.change(
            actor=actor, action="comment.added", claim=claim, fields=("body",), summary="commented"
        ) as change,
    ):
        comment = Comment.objects.create(claim=claim, author=actor, body=body)
        change.target = comment
    return comment


DISMISSED = ClaimStatus.DISMISSED


# ── topics and due dates ────────────────────────────────────────────────────────────────


def _topic_named(*, actor: User, name: str) -> Topic:
    """The topic of this name (whatever its case), created if the desk has none yet."""
    name = " ".join(name.split())
    if not name:
        raise DeskError("Type the topic's name.", field="name")
    if len(name) > Topic.NAME_MAX:
        raise DeskError(
            f"A topic's name is at most {Topic.NAME_MAX} characters; this one has {len(name)}. "
            "Use a shorter name.",
            field="name",
        )
    existing = Topic.objects.filter(name__iexact=name).first()
    if existing:
        return existing
    try:
        with (
            transaction.atomic(),
            audit.change(
                actor=actor, action="topic.created", fields=("name",), summary=f"added topic {name}"
            ) as change,
        ):
            topic = Topic.objects.create(name=name)
            change.target = topic
    except IntegrityError:  # someone added it a moment ago, perhaps in other letters' case
        return Topic.objects.get(name__iexact=name)
    return topic


def _topic_names(claim: Claim) -> list[str]:
    return sorted(claim.topics.values_list("name", flat=True), key=str.lower)


def claim_topic_add(*, actor: User, claim: Claim, name: str) -> Topic:
    """Put the claim under the topic called `name`, creating the topic if it is new. A topic
    the claim has already is left as it is (a repeated form: one link, one activity)."""
    require_role(actor, EDITORS, "change a claim's topics")
    with transaction.atomic():
        topic = _topic_named(actor=actor, name=name)
        claim = _locked(claim)
        before = _topic_names(claim)
        _, created = ClaimTopic.objects.get_or_create(claim=claim, topic=topic)
        if created:
            with audit.change(
                actor=actor,
                action="claim.topic_added",
                target=claim,
                claim=claim,
                fields=(),
                summary=f"added the topic {topic.name}",
            ) as change:
                change.changes = {"topics": [before, _topic_names(claim)]}
    return topic


def claim_topic_remove(*, actor: User, claim: Claim, topic: Topic) -> None:
    require_role(actor, EDITORS, "change a claim's topics")
    with transaction.atomic():
        claim = _locked(claim)
        before = _topic_names(claim)
        removed, _ = ClaimTopic.objects.filter(claim=claim, topic=topic).delete()
        if removed:
            with audit.change(
                actor=actor,
                action="claim.topic_removed",
                target=claim,
                claim=claim,
                fields=(),
                summary=f"removed the topic {topic.name}",
            ) as change:
                change.changes = {"topics": [before, _topic_names(claim)]}


def claim_set_due_date(*, actor: User, claim: Claim, due_date: datetime.date | None) -> Claim:
    require_role(actor, EDITORS, "set a claim's due date")
    if due_date is None:
        raise DeskError("Choose the date the check is due.", field="due_date")
    if due_date < timezone.localdate():
        raise DeskError(
            f"{due_date:%-d %B %Y} has passed: choose today or a later date.", field="due_date"
        )
    with transaction.atomic():
        claim = _locked(claim)
        if claim.due_date == due_date:
            return claim
        with audit.change(
            actor=actor,
            action="claim.due_date",
            target=claim,
            claim=claim,
            fields=("due_date",),
            summary=f"set the due date to {due_date:%-d %B %Y}",
        ):
            claim.due_date = due_date
            claim.save(update_fields=["due_date", "updated_at"])
    return claim


# ── bulk triage ─────────────────────────────────────────────────────────────────────────


class BulkAction(models.TextChoices):
    ASSIGN = "assign", "Assign"
    PRIORITY = "priority", "Set priority"
    TOPIC = "topic", "Add topic"
    DISMISS = "dismiss", "Dismiss"


BULK_MAX = 200


@dataclass(frozen=True)
class BulkResult:
    """What a bulk action did: the claims it changed and those already as asked."""

    action: BulkAction
    changed: list[int]
    unchanged: list[int]


def _numbers(ids: list[int]) -> str:
    """ "#12", "#12 and #40", "#3, #12 and #40"."""
    numbers = [f"#{claim_id}" for claim_id in sorted(ids)]
    return numbers[0] if len(numbers) == 1 else f"{', '.join(numbers[:-1])} and {numbers[-1]}"


def _dismiss_refusals(claims: list[Claim], options: TransitionOptions) -> list[str]:
    """Why each claim that may not be dismissed may not, one sentence per reason.

    1. A claim with a published verdict (published, corrected, or being corrected) stays
       public: a published fact check is never dismissed.
    2. Otherwise the workflow table must have a Dismiss edge from the claim's status, and
       the edge's own requirements must hold, checked as `claim_transition` checks them
       (with every claim's verdict versions read in two queries, not two per claim)."""
    dismissable = [claim for claim in claims if claim.status != ClaimStatus.DISMISSED]
    histories: dict[int, list[Verdict]] = {claim.pk: [] for claim in dismissable}
    versions = (
        Verdict.objects.filter(claim_id__in=histories)
        .select_related("rating", "author")
        .prefetch_related(
            models.Prefetch("reviews", queryset=Review.objects.select_related("reviewer"))
        )
        .order_by("claim_id", "-number")
    )
    for version in versions:
        histories[version.claim_id].append(version)
    allowed_from = [t.source.label.lower() for t in TRANSITIONS if t.target == DISMISSED]
    by_reason: dict[str, list[int]] = {}
    for claim in dismissable:
        history = VerdictHistory(histories[claim.pk])
        if claim.published_at or claim.status in PUBLIC_STATUSES or history.published:
            by_reason.setdefault("published", []).append(claim.pk)
            continue
        edge = transition_for(claim.status, DISMISSED)
        if edge is None:
            by_reason.setdefault(claim.get_status_display().lower(), []).append(claim.pk)
            continue
        # The edge's rules on the claim's state, as one dismissal would check them; the
        # reason is the action's, checked once before.
        reason = rules.unmet(edge, claim, history)
        if reason:
            by_reason.setdefault(f":{reason}", []).append(claim.pk)
            continue
        move = Move(claim=claim, verdicts=history, options=options)
        for requirement in edge.requires:
            if requirement in PRECONDITIONS and requirement != Requirement.DISMISS_REASON:
                try:
                    PRECONDITIONS[requirement](move)
                except DeskError as error:
                    by_reason.setdefault(f":{error.message}", []).append(claim.pk)
                    break
    sentences = []
    for reason, ids in by_reason.items():
        verb = "is" if len(ids) == 1 else "are"
        if reason == "published":
            sentences.append(
                f"{_numbers(ids)} {verb} published: a published fact check is never dismissed."
            )
        elif reason.startswith(":"):
            sentences.append(f"{_numbers(ids)}: {reason[1:]}")
        else:
            sentences.append(
                f"{_numbers(ids)} {verb} {reason}: only a claim that is "
                f"{' or '.join(allowed_from)} can be dismissed."
            )
    return sentences


def claims_bulk(
    *,
    actor: User,
    action: str,
    claims: list[Claim],
    assignee: User | None = None,
    priority: int | None = None,
    topic_name: str = "",
    dismiss_reason: str = "",
    dismiss_note: str = "",
) -> BulkResult:
    """Apply one triage action to many claims, all or nothing.

    1. Check the actor (an editor) and the action's own input: whom to assign, which
       priority, the topic's name, why they are dismissed.
    2. Lock every claim (one query, in id order, so that two bulk actions queue up rather
       than deadlock) and read them as they are now.
    3. If any claim does not allow the action, refuse all of it: DeskError names the
       claims and why. Nothing is changed then.
    4. Change the claims that are not already as asked in one statement, and record one
       Activity per changed claim (audit.activity, written in one insert). Claims already
       as asked are left alone and recorded nowhere: repeating an action changes nothing.
    """
    require_role(actor, EDITORS, "triage claims in bulk")
    try:
        kind = BulkAction(action)
    except ValueError:
        raise DeskError("Choose what to do with the selected claims.", field="action") from None
    ids = sorted({claim.pk for claim in claims})
    if not ids:
        raise DeskError("Select the claims first: tick their boxes in the list.", field="claims")
    if len(ids) > BULK_MAX:
        raise DeskError(
            f"{len(ids)} claims are selected; change at most {BULK_MAX} at a time.", field="claims"
        )
    topic: Topic | None = None
    if kind == BulkAction.ASSIGN:
        if assignee is not None and not user_roles(assignee):
            raise DeskError(
                f"{assignee} has no role on the desk and can't be assigned claims.",
                field="assignee",
            )
    elif kind == BulkAction.PRIORITY:
        if priority not in Priority.values:
            raise DeskError("Choose a priority from the list.", field="priority")
    elif kind == BulkAction.DISMISS:
        _check_dismiss_reason(
            Move(
                claim=claims[0],
                verdicts=VerdictHistory([]),
                options=TransitionOptions(
                    dismiss_reason=dismiss_reason, dismiss_note=dismiss_note.strip()
                ),
            )
        )
    with transaction.atomic():
        if kind == BulkAction.TOPIC:
            topic = _topic_named(actor=actor, name=topic_name)
        locked = list(
            Claim.objects.select_for_update(of=("self",))
            .select_related("assignee")
            .filter(pk__in=ids)
            .order_by("pk")
        )
        missing = set(ids) - {claim.pk for claim in locked}
        if missing:
            raise DeskError(
                f"{_numbers(list(missing))}: no such claim any more. Nothing was changed."
            )
        if kind == BulkAction.DISMISS:
            refusals = _dismiss_refusals(
                locked,
                TransitionOptions(dismiss_reason=dismiss_reason, dismiss_note=dismiss_note.strip()),
            )
            if refusals:
                raise DeskError("Nothing was changed. " + " ".join(refusals), field="claims")
        apply = {
            BulkAction.ASSIGN: lambda: _bulk_assign(actor, locked, assignee),
            BulkAction.PRIORITY: lambda: _bulk_priority(actor, locked, Priority(priority or 0)),
            BulkAction.TOPIC: lambda: _bulk_topic(actor, locked, topic),
            BulkAction.DISMISS: lambda: _bulk_dismiss(
                actor, locked, dismiss_reason, dismiss_note.strip()
            ),
        }[kind]
        entries = apply()
        audit.record_many(entries)
    changed = [entry.target_id for entry in entries]
    return BulkResult(kind, changed, [pk for pk in ids if pk not in set(changed)])


def _bulk_assign(actor: User, claims: list[Claim], assignee: User | None) -> list[Activity]:
    target = assignee.pk if assignee else None
    changing = [claim for claim in claims if claim.assignee_id != target]
    Claim.objects.filter(pk__in=[claim.pk for claim in changing]).update(
        assignee=assignee, updated_at=timezone.now()
    )
    return [
        audit.activity(
            actor=actor,
            action="claim.assigned",
            target=claim,
            claim=claim,
            summary=f"assigned the claim to {assignee}" if assignee else "unassigned the claim",
            changes={
                "assignee": [
                    str(claim.assignee) if claim.assignee else None,
                    str(assignee) if assignee else None,
                ]
            },
        )
        for claim in changing
    ]


def _bulk_priority(actor: User, claims: list[Claim], priority: Priority) -> list[Activity]:
    changing = [claim for claim in claims if claim.priority != priority]
    Claim.objects.filter(pk__in=[claim.pk for claim in changing]).update(
        priority=priority, updated_at=timezone.now()
    )
    return [
        audit.activity(
            actor=actor,
            action="claim.priority",
            target=claim,
            claim=claim,
            summary=f"set priority to {priority.label}",
            changes={"priority": [claim.priority, priority.value]},
        )
        for claim in changing
    ]


def _bulk_topic(actor: User, claims: list[Claim], topic: Topic | None) -> list[Activity]:
    assert topic is not None
    having = set(
        ClaimTopic.objects.filter(topic=topic, claim__in=claims).values_list("claim_id", flat=True)
    )
    changing = [claim for claim in claims if claim.pk not in having]
    ClaimTopic.objects.bulk_create([ClaimTopic(claim=claim, topic=topic) for claim in changing])
    # The timeline says which topic was added; the claim's other topics are on its page.
    return [
        audit.activity(
            actor=actor,
            action="claim.topic_added",
            target=claim,
            claim=claim,
            summary=f"added the topic {topic.name}",
            changes={"topic": [None, topic.name]},
        )
        for claim in changing
    ]


def _bulk_dismiss(actor: User, claims: list[Claim], reason: str, note: str) -> list[Activity]:
    changing = [claim for claim in claims if claim.status != ClaimStatus.DISMISSED]
    now = timezone.now()
    Claim.objects.filter(pk__in=[claim.pk for claim in changing]).update(
        status=ClaimStatus.DISMISSED,
        status_changed_at=now,
        dismiss_reason=reason,
        dismiss_note=note,
        duplicate_of=None,
        updated_at=now,
    )
    return [
        audit.activity(
            actor=actor,
            action=f"status.{ClaimStatus.DISMISSED.value}",
            target=claim,
            claim=claim,
            summary="moved the claim to dismissed",
            changes={
                "status": [claim.status, ClaimStatus.DISMISSED.value],
                "dismiss_reason": [claim.dismiss_reason, reason],
                **({"dismiss_note": [claim.dismiss_note, note]} if note else {}),
            },
        )
        for claim in changing
    ]
