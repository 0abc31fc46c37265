"""Walk claims through the workflow with the real services, for tests that need a claim in a
given state."""

from __future__ import annotations

from django.contrib.auth.models import User

from factdesk.claims import services
from factdesk.claims.models import Claim, Claimant, Medium, Rating
from factdesk.claims.workflow import ClaimStatus, DismissReason


def log_claim(actor: User, text: str = "Unemployment fell to 4% last year.") -> Claim:
    claimant = Claimant.objects.get_or_create(name="A. Minister")[0]
    return services.claim_create(
        actor=actor,
        text=text,
        claimant=claimant,
        quote="unemployment fell to 4%",
        medium=Medium.SPEECH,
        source_description="Party conference speech",
        new_appearance=True,  # the same words each time: each a claim of its own
    )


def draft(
    claim: Claim,
    author: User,
    rating: Rating,
    *,
    correction_note: str = "",
    conclusion: str = "It fell to 4.2%.",
) -> None:
    latest = claim.verdict_history().latest
    services.verdict_save(
        actor=author,
        claim=claim,
        base_number=latest.number if latest else None,
        rating=rating,
        conclusion=conclusion,
        explanation="Official statistics show 4.2%.",
        correction_note=correction_note,
    )


def move(claim: Claim, actor: User, *targets: str, **options) -> Claim:
    for target in targets:
        claim = services.claim_transition(actor=actor, claim=claim, target=target, **options)
    return claim


def retract(claim: Claim, publisher: User, note: str = "The figures were misread.") -> Claim:
    return services.claim_transition(
        actor=publisher, claim=claim, target=ClaimStatus.RETRACTED, retraction_note=note
    )


def approve(claim: Claim, editor: User) -> None:
    services.review_submit(actor=editor, claim=claim, decision="approve")


class Desk:
    """A cast for workflow tests: a reporter writes, editors review, a publisher publishes."""

    def __init__(
        self, *, reporter: User, editor: User, publisher: User, ratings: dict[str, Rating]
    ) -> None:
        self.reporter, self.editor, self.publisher = reporter, editor, publisher
        self.rating = ratings["Mostly true"]

    def claim_in(self, status: str) -> Claim:
        """A claim in `status`, reached the ordinary way; "correction_researching",
        "correction_in_review" and "correction_approved" are a published claim under
        correction."""
        claim = log_claim(self.reporter)
        if status == ClaimStatus.NEW:
            return claim
        if status == ClaimStatus.DISMISSED:
            return move(
                claim, self.editor, ClaimStatus.DISMISSED, dismiss_reason=DismissReason.OPINION
            )
        if status == ClaimStatus.DUPLICATE:
            original = log_claim(self.reporter, "The original claim.")
            return move(claim, self.editor, ClaimStatus.DUPLICATE, duplicate_of=original)
        claim = move(claim, self.reporter, ClaimStatus.RESEARCHING)
        if status == ClaimStatus.RESEARCHING:
            return claim
        draft(claim, self.reporter, self.rating)
        claim = move(claim, self.reporter, ClaimStatus.IN_REVIEW)
        if status == ClaimStatus.IN_REVIEW:
            return claim
        approve(claim, self.editor)
        claim.refresh_from_db()
        if status == ClaimStatus.APPROVED:
            return claim
        claim = move(claim, self.publisher, ClaimStatus.PUBLISHED)
        if status == ClaimStatus.PUBLISHED:
            return claim
        if status == ClaimStatus.RETRACTED:
            return retract(claim, self.publisher)
        claim = move(claim, self.publisher, ClaimStatus.RESEARCHING)
        if status == "correction_researching":
            return claim
        draft(claim, self.reporter, self.rating, correction_note="We misread the table.")
        claim = move(claim, self.reporter, ClaimStatus.IN_REVIEW)
        if status == "correction_in_review":
            return claim
        approve(claim, self.editor)
        claim.refresh_from_db()
        if status == "correction_approved":
            return claim
        claim = move(claim, self.publisher, ClaimStatus.CORRECTED)
        assert status == ClaimStatus.CORRECTED, status
        return claim
