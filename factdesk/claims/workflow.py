"""The claim workflow as data: statuses, every allowed transition, who may make it, and what
must be true first. `claims.services.claim_transition` is the only code that changes a
claim's status, and it reads this table; tests enumerate it.

Workflow and verdict are separate: the status says where a claim is in the process, the
rating (on a Verdict) says what we found.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models

from factdesk.accounts.roles import Role


class ClaimStatus(models.TextChoices):
    NEW = "new", "New"
    RESEARCHING = "researching", "Researching"
    IN_REVIEW = "in_review", "In review"
    APPROVED = "approved", "Approved"
    PUBLISHED = "published", "Published"
    CORRECTED = "corrected", "Corrected"
    DISMISSED = "dismissed", "Dismissed"
    DUPLICATE = "duplicate", "Duplicate"


class DismissReason(models.TextChoices):
    NOT_CHECKABLE = "not_checkable", "Not checkable"
    OPINION = "opinion", "Opinion"
    OUT_OF_SCOPE = "out_of_scope", "Out of scope"
    OTHER = "other", "Other"


# Where the work is still going on: what the board, workloads and "overdue" count.
OPEN_STATUSES = frozenset(
    {ClaimStatus.NEW, ClaimStatus.RESEARCHING, ClaimStatus.IN_REVIEW, ClaimStatus.APPROVED}
)
PUBLIC_STATUSES = frozenset({ClaimStatus.PUBLISHED, ClaimStatus.CORRECTED})
# The verdict draft can be edited only here; in review it is what the reviewers approve.
DRAFTING_STATUSES = frozenset({ClaimStatus.NEW, ClaimStatus.RESEARCHING})

RESEARCHERS = frozenset({Role.REPORTER, Role.EDITOR, Role.PUBLISHER})
EDITORS = frozenset({Role.EDITOR, Role.PUBLISHER})
PUBLISHERS = frozenset({Role.PUBLISHER})


class Requirement(models.TextChoices):
    """Preconditions a transition names; `claims.services` checks each one."""

    DISMISS_REASON = "dismiss_reason", "a reason for dismissing"
    DUPLICATE_OF = "duplicate_of", "the claim this one duplicates"
    DRAFT_READY = "draft_ready", "a verdict draft"
    SIGNOFF = "signoff", "the sign-off rule met"
    NEVER_PUBLISHED = "never_published", "no earlier published verdict"
    CORRECTION = "correction", "an earlier published verdict and a correction note"


@dataclass(frozen=True)
class Transition:
    source: ClaimStatus
    target: ClaimStatus
    label: str
    roles: frozenset[Role]
    requires: tuple[Requirement, ...] = ()


TRANSITIONS: tuple[Transition, ...] = (
    Transition(ClaimStatus.NEW, ClaimStatus.RESEARCHING, "Start research", RESEARCHERS),
    Transition(
        ClaimStatus.NEW, ClaimStatus.DISMISSED, "Dismiss", EDITORS, (Requirement.DISMISS_REASON,)
    ),
    Transition(
        ClaimStatus.NEW,
        ClaimStatus.DUPLICATE,
        "Mark as duplicate",
        EDITORS,
        (Requirement.DUPLICATE_OF,),
    ),
    Transition(
        ClaimStatus.RESEARCHING,
        ClaimStatus.IN_REVIEW,
        "Send to review",
        RESEARCHERS,
        (Requirement.DRAFT_READY,),
    ),
    Transition(
        ClaimStatus.RESEARCHING,
        ClaimStatus.DISMISSED,
        "Dismiss",
        EDITORS,
        (Requirement.DISMISS_REASON,),
    ),
    Transition(
        ClaimStatus.RESEARCHING,
        ClaimStatus.DUPLICATE,
        "Mark as duplicate",
        EDITORS,
        (Requirement.DUPLICATE_OF,),
    ),
    # Reviewers requesting changes move the claim back; the author may also withdraw it.
    Transition(ClaimStatus.IN_REVIEW, ClaimStatus.RESEARCHING, "Back to research", RESEARCHERS),
    Transition(
        ClaimStatus.IN_REVIEW, ClaimStatus.APPROVED, "Approve", EDITORS, (Requirement.SIGNOFF,)
    ),
    Transition(ClaimStatus.APPROVED, ClaimStatus.RESEARCHING, "Reopen research", EDITORS),
    Transition(
        ClaimStatus.APPROVED,
        ClaimStatus.PUBLISHED,
        "Publish",
        PUBLISHERS,
        (Requirement.NEVER_PUBLISHED,),
    ),
    Transition(
        ClaimStatus.APPROVED,
        ClaimStatus.CORRECTED,
        "Publish correction",
        PUBLISHERS,
        (Requirement.CORRECTION,),
    ),
    # A published verdict never changes in place: a correction is a new version that goes
    # through research and review again while the published one stays public.
    Transition(ClaimStatus.PUBLISHED, ClaimStatus.RESEARCHING, "Start a correction", PUBLISHERS),
    Transition(ClaimStatus.CORRECTED, ClaimStatus.RESEARCHING, "Start a correction", PUBLISHERS),
    Transition(ClaimStatus.DISMISSED, ClaimStatus.NEW, "Reopen", EDITORS),
    Transition(ClaimStatus.DUPLICATE, ClaimStatus.NEW, "Not a duplicate", EDITORS),
)

_BY_EDGE = {(t.source, t.target): t for t in TRANSITIONS}


def transition_for(source: str, target: str) -> Transition | None:
    return _BY_EDGE.get((ClaimStatus(source), ClaimStatus(target)))


def transitions_from(source: str) -> list[Transition]:
    return [t for t in TRANSITIONS if t.source == source]
