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
    # Out of publication by an explicit decision: the public page stays, struck through,
    # with the retraction note.
    RETRACTED = "retracted", "Retracted"


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
    # A published fact check stays public: it is retracted, never dismissed or merged.
    NOT_PUBLIC = "not_public", "no published verdict"
    PUBLISHED_VERDICT = "published_verdict", "a published verdict"
    RETRACTION_NOTE = "retraction_note", "a public retraction note"


# Moves whose form asks for more than a click: what it needs, asked for beside the button.
INPUT_REQUIREMENTS = frozenset(
    {Requirement.DISMISS_REASON, Requirement.DUPLICATE_OF, Requirement.RETRACTION_NOTE}
)


@dataclass(frozen=True)
class Transition:
    source: ClaimStatus
    target: ClaimStatus
    label: str
    roles: frozenset[Role]
    requires: tuple[Requirement, ...] = ()
    # What the claim page says the move does, beside its button.
    explains: str = ""
    # The next sensible step from `source`: the claim page's primary button.
    primary: bool = False


_NOT_PUBLIC = Requirement.NOT_PUBLIC
_DISMISS = (Requirement.DISMISS_REASON, _NOT_PUBLIC)
_DUPLICATE = (Requirement.DUPLICATE_OF, _NOT_PUBLIC)
_DISMISS_HELP = "Takes the claim off the desk's work, with the reason. It can be reopened."
_DUPLICATE_HELP = (
    "Merges it into the claim that carries the verdict; its sources are cited there too."
)
_CORRECTION_HELP = (
    "Drafts a new version through research and review; readers see the published version "
    "until the correction is published."
)
_RETRACT_HELP = (
    "Takes the fact check out of publication: its public page stays, struck through, with "
    "your note. This can't be undone."
)
# Retracting during a correction: the claim is back in the process but has a published
# verdict, which readers still see.
_RETRACT_UNDER_CORRECTION = (Requirement.PUBLISHED_VERDICT, Requirement.RETRACTION_NOTE)

TRANSITIONS: tuple[Transition, ...] = (
    Transition(
        ClaimStatus.NEW,
        ClaimStatus.RESEARCHING,
        "Start research",
        RESEARCHERS,
        explains="Starts the work on the claim and assigns it to you, unless someone has it.",
        primary=True,
    ),
    Transition(ClaimStatus.NEW, ClaimStatus.DISMISSED, "Dismiss", EDITORS, _DISMISS, _DISMISS_HELP),
    Transition(
        ClaimStatus.NEW,
        ClaimStatus.DUPLICATE,
        "Mark as duplicate",
        EDITORS,
        _DUPLICATE,
        _DUPLICATE_HELP,
    ),
    Transition(
        ClaimStatus.RESEARCHING,
        ClaimStatus.IN_REVIEW,
        "Send to review",
        RESEARCHERS,
        (Requirement.DRAFT_READY,),
        "Asks editors who did not write the verdict to approve it.",
        primary=True,
    ),
    Transition(
        ClaimStatus.RESEARCHING,
        ClaimStatus.DISMISSED,
        "Dismiss",
        EDITORS,
        _DISMISS,
        _DISMISS_HELP,
    ),
    Transition(
        ClaimStatus.RESEARCHING,
        ClaimStatus.DUPLICATE,
        "Mark as duplicate",
        EDITORS,
        _DUPLICATE,
        _DUPLICATE_HELP,
    ),
    Transition(
        ClaimStatus.RESEARCHING,
        ClaimStatus.RETRACTED,
        "Retract",
        PUBLISHERS,
        _RETRACT_UNDER_CORRECTION,
        _RETRACT_HELP,
    ),
    # Reviewers requesting changes move the claim back; the author may also withdraw it.
    Transition(
        ClaimStatus.IN_REVIEW,
        ClaimStatus.RESEARCHING,
        "Back to research",
        RESEARCHERS,
        explains="Withdraws the draft from review to change it.",
    ),
    Transition(
        ClaimStatus.IN_REVIEW,
        ClaimStatus.APPROVED,
        "Approve",
        EDITORS,
        (Requirement.SIGNOFF,),
        "Approves the verdict now that the sign-off rule is met.",
    ),
    Transition(
        ClaimStatus.IN_REVIEW,
        ClaimStatus.RETRACTED,
        "Retract",
        PUBLISHERS,
        _RETRACT_UNDER_CORRECTION,
        _RETRACT_HELP,
    ),
    Transition(
        ClaimStatus.APPROVED,
        ClaimStatus.RESEARCHING,
        "Reopen research",
        EDITORS,
        explains="Sends the approved verdict back to research to change it.",
    ),
    Transition(
        ClaimStatus.APPROVED,
        ClaimStatus.PUBLISHED,
        "Publish",
        PUBLISHERS,
        (Requirement.NEVER_PUBLISHED,),
        "Makes the approved verdict public.",
        primary=True,
    ),
    Transition(
        ClaimStatus.APPROVED,
        ClaimStatus.CORRECTED,
        "Publish correction",
        PUBLISHERS,
        (Requirement.CORRECTION,),
        "Replaces the published verdict with this version and its correction note.",
        primary=True,
    ),
    Transition(
        ClaimStatus.APPROVED,
        ClaimStatus.RETRACTED,
        "Retract",
        PUBLISHERS,
        _RETRACT_UNDER_CORRECTION,
        _RETRACT_HELP,
    ),
    # A published verdict never changes in place: a correction is a new version that goes
    # through research and review again while the published one stays public.
    Transition(
        ClaimStatus.PUBLISHED,
        ClaimStatus.RESEARCHING,
        "Start a correction",
        PUBLISHERS,
        explains=_CORRECTION_HELP,
    ),
    Transition(
        ClaimStatus.PUBLISHED,
        ClaimStatus.RETRACTED,
        "Retract",
        PUBLISHERS,
        (Requirement.RETRACTION_NOTE,),
        _RETRACT_HELP,
    ),
    Transition(
        ClaimStatus.CORRECTED,
        ClaimStatus.RESEARCHING,
        "Start a correction",
        PUBLISHERS,
        explains=_CORRECTION_HELP,
    ),
    Transition(
        ClaimStatus.CORRECTED,
        ClaimStatus.RETRACTED,
        "Retract",
        PUBLISHERS,
        (Requirement.RETRACTION_NOTE,),
        _RETRACT_HELP,
    ),
    Transition(
        ClaimStatus.DISMISSED,
        ClaimStatus.NEW,
        "Reopen",
        EDITORS,
        explains="Puts the claim back among the new claims.",
        primary=True,
    ),
    Transition(
        ClaimStatus.DUPLICATE,
        ClaimStatus.NEW,
        "Not a duplicate",
        EDITORS,
        explains="Separates it from the other claim and puts it back among the new claims.",
    ),
)

_BY_EDGE = {(t.source, t.target): t for t in TRANSITIONS}


def transition_for(source: str, target: str) -> Transition | None:
    return _BY_EDGE.get((ClaimStatus(source), ClaimStatus(target)))


def transitions_from(source: str) -> list[Transition]:
    return [t for t in TRANSITIONS if t.source == source]
