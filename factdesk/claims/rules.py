"""What must be true of a claim and its verdicts before a move: the workflow table's
requirements that depend on the claim's state, not on what the editor types.

`claims.services.claim_transition` refuses a move with the reason; the claim page shows the
same reason beside a disabled button, so that nobody clicks a move that can't work.
"""

from __future__ import annotations

from collections.abc import Callable

from factdesk.claims.models import Claim, VerdictHistory
from factdesk.claims.workflow import Requirement, Transition


def _draft_ready(claim: Claim, verdicts: VerdictHistory) -> str:
    draft = verdicts.draft
    if draft is None:
        return "Send to review needs a verdict draft: write the verdict first."
    if verdicts.published and not draft.correction_note:
        return (
            "This is a correction: add a correction note saying what changed and why, for readers."
        )
    return ""


def _signoff(claim: Claim, verdicts: VerdictHistory) -> str:
    signoff = verdicts.signoff
    if signoff.met:
        return ""
    return (
        f"The verdict needs {signoff.needed} approval{'s' if signoff.needed != 1 else ''} "
        f"from editors who did not write it; it has {len(signoff.approvals)}."
    )


def _never_published(claim: Claim, verdicts: VerdictHistory) -> str:
    if verdicts.published:
        return "This claim was published before: publish the new version as a correction."
    return ""


def _correction(claim: Claim, verdicts: VerdictHistory) -> str:
    if not verdicts.published:
        return "Nothing was published yet, so there is nothing to correct."
    draft = verdicts.draft
    if draft is None or not draft.correction_note:
        return "A correction needs a correction note for readers."
    return ""


def _not_public(claim: Claim, verdicts: VerdictHistory) -> str:
    if verdicts.published:
        return (
            f"Version {verdicts.published.number} of the verdict is published, so the claim "
            "stays public: retract it instead, with a note for readers."
        )
    return ""


def _published_verdict(claim: Claim, verdicts: VerdictHistory) -> str:
    if not verdicts.published:
        return "Nothing was published, so there is nothing to retract."
    return ""


STATE_RULES: dict[Requirement, Callable[[Claim, VerdictHistory], str]] = {
    Requirement.DRAFT_READY: _draft_ready,
    Requirement.SIGNOFF: _signoff,
    Requirement.NEVER_PUBLISHED: _never_published,
    Requirement.CORRECTION: _correction,
    Requirement.NOT_PUBLIC: _not_public,
    Requirement.PUBLISHED_VERDICT: _published_verdict,
}


def unmet(transition: Transition, claim: Claim, verdicts: VerdictHistory) -> str:
    """Why the claim's state does not allow `transition`, or "" when it does (the requirements
    on what the editor types are checked by the service, from the form)."""
    for requirement in transition.requires:
        rule = STATE_RULES.get(requirement)
        reason = rule(claim, verdicts) if rule else ""
        if reason:
            return reason
    return ""
