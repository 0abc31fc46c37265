"""The workflow table, enumerated: every allowed transition works for each role that may make
it and is refused to every other role; every other move is refused."""

import itertools

import pytest
from django.core.exceptions import PermissionDenied

from factdesk.accounts.roles import Role
from factdesk.claims import services
from factdesk.claims.models import Activity
from factdesk.claims.workflow import TRANSITIONS, ClaimStatus, DismissReason, transition_for
from tests.claims.flow import Desk, draft, log_claim, move
from tests.factories import UserFactory

PERSONAS = ("reporter", "editor", "publisher", "outsider")
PERSONA_ROLE = {
    "reporter": Role.REPORTER,
    "editor": Role.EDITOR,
    "publisher": Role.PUBLISHER,
    "outsider": None,
}


@pytest.fixture
def desk(ratings):
    # The cast that prepares claims is separate from the personas under test, so that a
    # persona is never refused for having written the draft itself.
    return Desk(
        reporter=UserFactory(roles=["reporter"]),
        editor=UserFactory(roles=["editor"]),
        publisher=UserFactory(roles=["publisher"]),
        ratings=ratings,
    )


# A published claim back in the process for a correction, by the status it is in.
UNDER_CORRECTION = {
    ClaimStatus.RESEARCHING: "correction_researching",
    ClaimStatus.IN_REVIEW: "correction_in_review",
    ClaimStatus.APPROVED: "correction_approved",
}


def prepared(desk, transition, settings):
    """A claim in the transition's source status with its preconditions met, and the
    options the transition needs."""
    options = {}
    if transition.target == ClaimStatus.RETRACTED:
        options["retraction_note"] = "The figures were misread."
        if transition.source in UNDER_CORRECTION:
            return desk.claim_in(UNDER_CORRECTION[transition.source]), options
    if transition.target == ClaimStatus.DISMISSED:
        options["dismiss_reason"] = DismissReason.NOT_CHECKABLE
    if transition.target == ClaimStatus.DUPLICATE:
        options["duplicate_of"] = log_claim(desk.reporter, "The original.")
    if transition.target == ClaimStatus.CORRECTED:
        return desk.claim_in("correction_approved"), options
    if transition.source == ClaimStatus.RESEARCHING and transition.target == ClaimStatus.IN_REVIEW:
        claim = desk.claim_in(ClaimStatus.RESEARCHING)
        draft(claim, desk.reporter, desk.rating)
        return claim, options
    if transition.target == ClaimStatus.APPROVED:
        # An approval applies the sign-off rule at once; to approve by hand, the rule must be
        # met without having moved the claim: one approval of two, then the rule relaxed.
        settings.SIGNOFF_APPROVALS = 2
        claim = desk.claim_in(ClaimStatus.IN_REVIEW)
        services.review_submit(actor=desk.editor, claim=claim, decision="approve")
        settings.SIGNOFF_APPROVALS = 1
        claim.refresh_from_db()
        assert claim.status == ClaimStatus.IN_REVIEW
        return claim, options
    return desk.claim_in(transition.source), options


CASES = [
    pytest.param(t, persona, id=f"{t.source}->{t.target}-{persona}")
    for t in TRANSITIONS
    for persona in PERSONAS
]


@pytest.mark.parametrize(("transition", "persona"), CASES)
def test_each_transition_for_each_persona(desk, personas, settings, transition, persona):
    claim, options = prepared(desk, transition, settings)
    actor = personas[persona]
    allowed = PERSONA_ROLE[persona] in transition.roles
    before = Activity.objects.filter(claim=claim).count()
    if allowed:
        claim = services.claim_transition(
            actor=actor, claim=claim, target=transition.target, **options
        )
        assert claim.status == transition.target
        latest = Activity.objects.filter(claim=claim).latest("id")
        assert latest.actor == actor
        assert latest.changes["status"] == [transition.source.value, transition.target.value]
    else:
        with pytest.raises(PermissionDenied, match="Only a"):
            services.claim_transition(actor=actor, claim=claim, target=transition.target, **options)
        claim.refresh_from_db()
        assert claim.status == transition.source
        assert Activity.objects.filter(claim=claim).count() == before


DISALLOWED = [
    pytest.param(source, target, id=f"{source}->{target}")
    for source, target in itertools.product(ClaimStatus, ClaimStatus)
    if transition_for(source, target) is None
]


@pytest.mark.parametrize(("source", "target"), DISALLOWED)
def test_every_move_not_in_the_table_is_refused(desk, source, target):
    claim = desk.claim_in(source)
    admin = UserFactory(is_superuser=True)  # holds every role: only the table can say no
    refusal = f"already {target.label.lower()}" if source == target else "can't move to"
    with pytest.raises(services.DeskError, match=refusal):
        services.claim_transition(actor=admin, claim=claim, target=target)
    claim.refresh_from_db()
    assert claim.status == source


def test_an_unknown_status_is_named(desk):
    claim = desk.claim_in(ClaimStatus.NEW)
    with pytest.raises(services.DeskError, match="no status called 'archived'"):
        services.claim_transition(actor=desk.editor, claim=claim, target="archived")


@pytest.mark.parametrize(
    ("setup", "target", "options", "message"),
    [
        (ClaimStatus.RESEARCHING, ClaimStatus.IN_REVIEW, {}, "needs a verdict draft"),
        (ClaimStatus.NEW, ClaimStatus.DISMISSED, {}, "Choose why the claim is dismissed"),
        (
            ClaimStatus.NEW,
            ClaimStatus.DISMISSED,
            {"dismiss_reason": "other"},
            "Say why the claim is dismissed",
        ),
        (ClaimStatus.NEW, ClaimStatus.DUPLICATE, {}, "Choose the claim this one duplicates"),
        (ClaimStatus.IN_REVIEW, ClaimStatus.APPROVED, {}, "needs 1 approval"),
        (ClaimStatus.PUBLISHED, ClaimStatus.RESEARCHING, {}, None),
    ],
)
def test_preconditions_refuse_with_a_clear_reason(desk, setup, target, options, message):
    claim = desk.claim_in(setup)
    if message is None:  # no precondition: it works
        move(claim, desk.publisher, target)
        return
    with pytest.raises(services.DeskError, match=message):
        services.claim_transition(actor=desk.publisher, claim=claim, target=target, **options)
    claim.refresh_from_db()
    assert claim.status == setup


def test_a_claim_cannot_duplicate_itself_or_a_duplicate(desk):
    claim = desk.claim_in(ClaimStatus.NEW)
    with pytest.raises(services.DeskError, match="can't duplicate itself"):
        move(claim, desk.editor, ClaimStatus.DUPLICATE, duplicate_of=claim)
    duplicate = desk.claim_in(ClaimStatus.DUPLICATE)
    with pytest.raises(
        services.DeskError, match=f"mark this one as a duplicate of #{duplicate.duplicate_of_id}"
    ):
        move(claim, desk.editor, ClaimStatus.DUPLICATE, duplicate_of=duplicate)


def test_reopening_clears_the_dismissal(desk):
    claim = desk.claim_in(ClaimStatus.DISMISSED)
    assert claim.dismiss_reason == DismissReason.OPINION
    claim = move(claim, desk.editor, ClaimStatus.NEW)
    assert claim.dismiss_reason == ""
    assert claim.status == ClaimStatus.NEW


# ── a published fact check stays public ────────────────────────────────────────────────


@pytest.mark.parametrize("status", ["correction_researching", ClaimStatus.NEW])
@pytest.mark.parametrize("target", [ClaimStatus.DISMISSED, ClaimStatus.DUPLICATE])
def test_a_claim_with_a_published_verdict_is_never_dismissed_or_merged(desk, status, target):
    claim = desk.claim_in(status)
    options = (
        {"dismiss_reason": DismissReason.OPINION}
        if target == ClaimStatus.DISMISSED
        else {"duplicate_of": log_claim(desk.reporter, "The original.")}
    )
    if status == ClaimStatus.NEW:  # never published: allowed
        assert move(claim, desk.editor, target, **options).status == target
        return
    with pytest.raises(services.DeskError, match="stays public: retract it instead"):
        move(claim, desk.publisher, target, **options)
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.RESEARCHING
    assert claim.dismiss_reason == ""


@pytest.mark.parametrize(
    "status",
    [ClaimStatus.PUBLISHED, ClaimStatus.CORRECTED, "correction_researching", "correction_approved"],
)
def test_retracting_keeps_the_note_and_time_and_the_published_verdict(desk, status):
    claim = desk.claim_in(status)
    published_at = claim.published_at
    claim = move(
        claim, desk.publisher, ClaimStatus.RETRACTED, retraction_note="  The data was fabricated. "
    )
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.RETRACTED
    assert claim.retraction_note == "The data was fabricated."
    assert claim.retracted_at is not None
    assert claim.published_at == published_at
    assert claim.verdict_history().published is not None  # what the struck-through page shows
    entry = Activity.objects.filter(claim=claim).latest("id")
    assert entry.summary == "retracted the fact check: The data was fabricated."
    assert entry.changes["retraction_note"] == ["", "The data was fabricated."]


def test_retracting_needs_a_note_and_a_published_verdict(desk):
    claim = desk.claim_in(ClaimStatus.PUBLISHED)
    with pytest.raises(services.DeskError, match="Write the retraction note") as refused:
        move(claim, desk.publisher, ClaimStatus.RETRACTED, retraction_note="   ")
    assert refused.value.field == "retraction_note"
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.PUBLISHED
    never_published = desk.claim_in(ClaimStatus.RESEARCHING)
    with pytest.raises(services.DeskError, match="nothing to retract"):
        move(never_published, desk.publisher, ClaimStatus.RETRACTED, retraction_note="Wrong.")


def test_a_retracted_claim_is_counted_apart_from_published_and_open_work(desk):
    from factdesk.claims.selectors import ClaimFilters, board, status_counts

    retracted = desk.claim_in(ClaimStatus.RETRACTED)
    published = desk.claim_in(ClaimStatus.PUBLISHED)
    columns, counts = board(ClaimFilters())
    assert counts[ClaimStatus.RETRACTED] == 1
    assert status_counts(ClaimFilters(claimant=retracted.claimant_id))["retracted"] == 1
    shown = {card.pk for column in columns for card in column.cards}
    assert published.pk in shown
    assert retracted.pk not in shown


def test_the_same_move_twice_says_it_is_done(desk):
    claim = desk.claim_in(ClaimStatus.NEW)
    move(claim, desk.reporter, ClaimStatus.RESEARCHING)
    with pytest.raises(services.DeskError, match="The claim is already researching"):
        move(claim, desk.reporter, ClaimStatus.RESEARCHING)
    assert Activity.objects.filter(claim=claim, action="status.researching").count() == 1


def test_starting_research_assigns_the_claim_unless_someone_has_it(desk, editor):
    claim = desk.claim_in(ClaimStatus.NEW)
    claim = move(claim, desk.reporter, ClaimStatus.RESEARCHING)
    assert claim.assignee == desk.reporter
    entry = Activity.objects.filter(claim=claim).latest("id")
    assert entry.changes["assignee"] == [None, desk.reporter.username]

    taken = desk.claim_in(ClaimStatus.NEW)
    services.claim_assign(actor=desk.editor, claim=taken, assignee=editor)
    taken = move(taken, desk.reporter, ClaimStatus.RESEARCHING)
    assert taken.assignee == editor  # someone else had it: they keep it
