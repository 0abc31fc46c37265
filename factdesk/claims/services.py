"""Every change to claims, verdicts, reviews and comments goes through these functions.

Each one checks the actor's role, checks the desk's rules (raising DeskError with a message
for the editor; nothing is changed then), locks the claim row so that concurrent changes to
one claim queue up, writes the change, and records an Activity.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone

from factdesk.accounts.roles import require_role, user_roles
from factdesk.claims import audit, rules
from factdesk.claims.models import (
    Claim,
    Claimant,
    Comment,
    Medium,
    Priority,
    Rating,
    Review,
    Signoff,
    Verdict,
    VerdictHistory,
)
from factdesk.claims.workflow import (
    DRAFTING_STATUSES,
    EDITORS,
    RESEARCHERS,
    ClaimStatus,
    DismissReason,
    Requirement,
    transition_for,
)
from factdesk.core.errors import DeskError

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
    "status",
    "priority",
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


# ── claims ──────────────────────────────────────────────────────────────────────────────


def locate_quote(text: str, quote: str, start: int | None, end: int | None) -> tuple[int, int]:
    """Where `quote` stands in `text`, as character offsets.

    1. Offsets given (from the browser's selection) and `text[start:end] == quote`: use them.
    2. Otherwise find the quote in the text: it must occur exactly once, or the editor must
       select the occurrence they mean.
    """
    if not quote.strip():
        raise DeskError("Select or paste the exact words of the claim.", field="quote")
    offsets_given = start is not None and end is not None and 0 <= start < end <= len(text)
    if offsets_given and text[start:end] == quote:
        assert start is not None
        assert end is not None
        return start, end
    first = text.find(quote)
    if first < 0:
        raise DeskError(
            "Those words are not in the article's text. Select them in the article, or paste "
            "them exactly as they appear.",
            field="quote",
        )
    if text.find(quote, first + 1) >= 0:
        raise DeskError(
            "Those words appear more than once in the article. Select the occurrence you mean, "
            "or paste a longer quote.",
            field="quote",
        )
    return first, first + len(quote)


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
) -> Claim:
    require_role(actor, RESEARCHERS, "log a claim")
    if not text.strip():
        raise DeskError("Word the claim as the desk will check it.", field="text")
    if article is not None:
        quote_start, quote_end = locate_quote(article.text, quote, quote_start, quote_end)
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
    with (
        transaction.atomic(),
        audit.change(
            actor=actor, action="claim.created", fields=CLAIM_FIELDS, summary="logged the claim"
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
            claimant=claimant,
            claimed_on=claimed_on or timezone.localdate(),
            priority=priority,
            created_by=actor,
        )
        change.target = change.claim = claim
    return claim


def claim_update(
    *,
    actor: User,
    claim: Claim,
    text: str,
    claimant: Claimant,
    claimed_on: datetime.date,
    source_url: str | None = None,
    source_description: str | None = None,
) -> Claim:
    """Reword the claim, change its claimant or date. The quote stays anchored as logged."""
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
            fields=("text", "claimant", "claimed_on", "source_url", "source_description"),
            summary="edited the claim",
        ) as change:
            claim.text = text.strip()
            claim.claimant = claimant
            claim.claimed_on = claimed_on
            if source_url is not None:
                claim.source_url = source_url
            if source_description is not None:
                claim.source_description = source_description.strip()
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
) -> Verdict:
    """Save the draft as a new version.

    `base_number` is the version the editor's form was opened on. If someone saved a newer
    one since, nothing is saved: ConflictError carries the newer version so the form can
    show what changed next to what this editor typed.
    """
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


def review_submit(*, actor: User, claim: Claim, decision: str, comment: str = "") -> Review:
    """Record a review of the draft in review; apply the sign-off rule.

    When the draft has the approvals the rule needs, the claim moves to approved; when it
    has the requests for changes the rule needs, it goes back to research.
    """
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


def comment_add(*, actor: User, claim: Claim, body: str) -> Comment:
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
