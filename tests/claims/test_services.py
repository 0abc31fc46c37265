"""The desk's rules, through the services every page uses."""

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, connection, transaction

from factdesk.articles.services import article_create
from factdesk.claims import services
from factdesk.claims.models import Claim, Claimant, Verdict
from factdesk.claims.workflow import ClaimStatus
from tests.claims.flow import Desk, approve, draft, log_claim, move
from tests.factories import UserFactory


@pytest.fixture
def desk(reporter, editor, publisher, ratings):
    return Desk(reporter=reporter, editor=editor, publisher=publisher, ratings=ratings)


@pytest.fixture
def claimant(reporter):
    return services.claimant_create(actor=reporter, name="Zoë Ångström")


# ── quote anchoring ─────────────────────────────────────────────────────────────────────

TEXT = (
    "Le ministre a déclaré : « Le chômage a baissé de 12 % à Zürich. » 🎉\r\n"
    "Puis il a répété : « Le chômage a baissé. » Les critiques ne sont pas d'accord."
)


@pytest.fixture
def article(reporter):
    return article_create(actor=reporter, title="Un discours", text=TEXT)


def test_article_text_is_stored_with_one_kind_of_line_break(article):
    assert "\r" not in article.text
    assert article.text.count("\n") == 1


def test_offsets_from_the_browser_anchor_the_exact_quote(article, reporter, claimant):
    quote = "Le chômage a baissé de 12 % à Zürich."
    start = article.text.index(quote)
    claim = services.claim_create(
        actor=reporter,
        article=article,
        claimant=claimant,
        text="Unemployment fell 12%.",
        quote=quote,
        quote_start=start,
        quote_end=start + len(quote),
    )
    claim.refresh_from_db()
    assert article.text[claim.quote_start : claim.quote_end] == quote == claim.quote


def test_offsets_after_an_emoji_count_code_points(reporter, claimant):
    # The quote occurs twice, once before the emoji and once after it, so the fallback
    # search cannot rescue wrong offsets: only code-point offsets of the second occurrence
    # slice out the quote. UTF-16 offsets (as JavaScript counts) would run one unit past it,
    # fail the check, and the search would refuse the ambiguous quote.
    quote = "Le chômage a baissé."
    article = article_create(
        actor=reporter,
        title="Un discours répété",
        text=f"Il a dit : « {quote} » 🎉 Puis il a répété : « {quote} »",
    )
    first = article.text.index(quote)
    start = article.text.index(quote, first + 1)  # Python counts the emoji as one character
    emoji_at = article.text.index("🎉")
    assert first < emoji_at < start
    utf16_start = len(article.text[:start].encode("utf-16-le")) // 2
    assert utf16_start == start + 1  # JavaScript would count the emoji as two
    claim = services.claim_create(
        actor=reporter,
        article=article,
        claimant=claimant,
        text="He repeated it.",
        quote=quote,
        quote_start=start,
        quote_end=start + len(quote),
    )
    claim.refresh_from_db()
    assert (claim.quote_start, claim.quote_end) == (start, start + len(quote))
    assert article.text[claim.quote_start : claim.quote_end] == quote


def test_wrong_offsets_are_corrected_when_the_quote_is_unique(article, reporter, claimant):
    quote = "Les critiques ne sont pas d'accord."
    claim = services.claim_create(
        actor=reporter,
        article=article,
        claimant=claimant,
        text="Critics disagree.",
        quote=quote,
        quote_start=0,
        quote_end=len(quote),
    )
    assert article.text[claim.quote_start : claim.quote_end] == quote


def test_a_pasted_quote_is_found_without_offsets(article, reporter, claimant):
    claim = services.claim_create(
        actor=reporter, article=article, claimant=claimant, text="x", quote="12 % à Zürich"
    )
    assert article.text[claim.quote_start : claim.quote_end] == "12 % à Zürich"


def test_an_ambiguous_quote_asks_for_the_occurrence(article, reporter, claimant):
    with pytest.raises(services.DeskError, match="appear more than once"):
        services.claim_create(
            actor=reporter,
            article=article,
            claimant=claimant,
            text="x",
            quote="Le chômage a baissé",
        )
    assert not Claim.objects.exists()


def test_a_quote_not_in_the_article_is_refused(article, reporter, claimant):
    with pytest.raises(services.DeskError, match="not in the article's text"):
        services.claim_create(
            actor=reporter, article=article, claimant=claimant, text="x", quote="Inflation doubled"
        )
    assert not Claim.objects.exists()


def test_the_database_refuses_offsets_without_an_article(reporter, claimant):
    with pytest.raises(IntegrityError), transaction.atomic():
        Claim.objects.create(
            text="x",
            quote="y",
            quote_start=0,
            quote_end=1,
            claimant=claimant,
            created_by=reporter,
            medium="speech",
        )


def test_a_claim_without_an_article_says_where_it_was_said(reporter, claimant):
    with pytest.raises(services.DeskError, match="Say where it was said"):
        services.claim_create(actor=reporter, claimant=claimant, text="x", quote="y", medium="tv")
    claim = services.claim_create(
        actor=reporter,
        claimant=claimant,
        text="x",
        quote="y",
        medium="tv",
        source_description="News at Ten",
    )
    assert claim.quote_start is None


def test_claimants_are_matched_by_name_whatever_the_case(reporter):
    first = services.claimant_create(actor=reporter, name="Zoë  Ångström")
    again = services.claimant_create(actor=reporter, name="zoë ångström")
    assert first == again
    assert Claimant.objects.count() == 1
    assert first.name == "Zoë Ångström"


# ── sign-off ────────────────────────────────────────────────────────────────────────────


def test_the_author_cannot_approve_their_own_draft(desk, editor):
    claim = desk.claim_in(ClaimStatus.RESEARCHING)
    draft(claim, editor, desk.rating)  # an editor revises: now a co-author
    move(claim, editor, ClaimStatus.IN_REVIEW)
    with pytest.raises(services.DeskError, match="You wrote part of this verdict"):
        approve(claim, editor)
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.IN_REVIEW


def test_reporters_cannot_review(desk, reporter):
    claim = desk.claim_in(ClaimStatus.IN_REVIEW)
    with pytest.raises(PermissionDenied):
        approve(claim, UserFactory(roles=["reporter"]))


def test_n_of_m_panel_two_approvals_decide(desk, settings):
    settings.SIGNOFF_APPROVALS = 2
    settings.SIGNOFF_REJECTIONS = 2
    panel = [UserFactory(roles=["editor"]) for _ in range(3)]
    claim = desk.claim_in(ClaimStatus.IN_REVIEW)
    approve(claim, panel[0])
    services.review_submit(
        actor=panel[1], claim=claim, decision="changes", comment="Source the 2019 figure."
    )
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.IN_REVIEW  # one each: undecided
    with pytest.raises(services.DeskError, match="already reviewed"):
        approve(claim, panel[0])
    approve(claim, panel[2])
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.APPROVED


def test_n_of_m_panel_two_requests_send_it_back(desk, settings):
    settings.SIGNOFF_APPROVALS = 2
    settings.SIGNOFF_REJECTIONS = 2
    panel = [UserFactory(roles=["editor"]) for _ in range(2)]
    claim = desk.claim_in(ClaimStatus.IN_REVIEW)
    for editor in panel:
        services.review_submit(actor=editor, claim=claim, decision="changes", comment="No.")
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.RESEARCHING


def test_a_request_for_changes_needs_a_comment(desk, editor):
    claim = desk.claim_in(ClaimStatus.IN_REVIEW)
    with pytest.raises(services.DeskError, match="Say what needs to change"):
        services.review_submit(actor=editor, claim=claim, decision="changes", comment=" ")


def test_approvals_of_an_old_version_do_not_count(desk, settings):
    settings.SIGNOFF_APPROVALS = 2
    first, second = UserFactory(roles=["editor"]), UserFactory(roles=["editor"])
    claim = desk.claim_in(ClaimStatus.IN_REVIEW)
    approve(claim, first)
    move(claim, desk.reporter, ClaimStatus.RESEARCHING)  # the author withdraws to fix a typo
    draft(claim, desk.reporter, desk.rating, conclusion="It fell to 4.2 per cent.")
    move(claim, desk.reporter, ClaimStatus.IN_REVIEW)
    approve(claim, second)
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.IN_REVIEW  # v3 has one approval, not two


def test_the_draft_is_locked_while_in_review(desk):
    claim = desk.claim_in(ClaimStatus.IN_REVIEW)
    with pytest.raises(services.DeskError, match="can't be edited while the claim is in review"):
        draft(claim, desk.reporter, desk.rating)


# ── publication and correction ──────────────────────────────────────────────────────────


def test_publishing_stamps_the_verdict_and_the_claim(desk):
    claim = desk.claim_in(ClaimStatus.PUBLISHED)
    verdict = claim.verdicts.get()
    assert verdict.published_at is not None
    assert claim.published_at == verdict.published_at


def test_a_correction_is_a_new_version_reviewed_and_published_with_a_note(desk, ratings):
    claim = desk.claim_in(ClaimStatus.PUBLISHED)
    original = claim.verdicts.get()
    move(claim, desk.publisher, ClaimStatus.RESEARCHING)
    # The note is asked for where the correction is written, not first at review.
    with pytest.raises(services.DeskError, match="this draft is a correction") as refused:
        draft(claim, desk.reporter, ratings["False"])
    assert refused.value.field == "correction_note"
    assert claim.verdicts.count() == 1
    draft(claim, desk.reporter, ratings["False"], correction_note="We misread the table.")
    move(claim, desk.reporter, ClaimStatus.IN_REVIEW)
    approve(claim, desk.editor)
    claim.refresh_from_db()
    with pytest.raises(services.DeskError, match="publish the new version as a correction"):
        move(claim, desk.publisher, ClaimStatus.PUBLISHED)
    claim = move(claim, desk.publisher, ClaimStatus.CORRECTED)
    versions = list(claim.verdicts.order_by("number"))
    assert [v.number for v in versions] == [1, 2]
    assert versions[0] == original
    assert versions[0].published_at == original.published_at  # still visible, unchanged
    assert versions[1].published_at is not None
    assert versions[1].correction_note == "We misread the table."
    assert claim.published_at == original.published_at  # first publication stays the date
    assert claim.current_rating == ratings["False"]


def test_published_verdicts_are_immutable_in_the_database(desk):
    claim = desk.claim_in(ClaimStatus.PUBLISHED)
    verdict = claim.verdicts.get()
    verdict.conclusion = "Quietly changed"
    with pytest.raises(IntegrityError, match="immutable"), transaction.atomic():
        verdict.save()
    with pytest.raises(IntegrityError, match="publish a correction"), transaction.atomic():
        Verdict.objects.filter(pk=verdict.pk).update(published_at=None)
    # Raw SQL: the ORM would already stop at the reviews that point at it.
    with (
        pytest.raises(IntegrityError, match="cannot be deleted"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("DELETE FROM claims_verdict WHERE id = %s", [verdict.pk])
    verdict.refresh_from_db()
    assert verdict.conclusion == "It fell to 4.2%."


def test_draft_versions_are_immutable_too(desk):
    claim = desk.claim_in(ClaimStatus.RESEARCHING)
    draft(claim, desk.reporter, desk.rating)
    with pytest.raises(IntegrityError, match="immutable"), transaction.atomic():
        Verdict.objects.filter(claim=claim).update(explanation="rewritten")


# ── concurrent edits ────────────────────────────────────────────────────────────────────


def test_second_save_on_a_stale_version_is_a_conflict_and_saves_nothing(desk, editor, ratings):
    claim = desk.claim_in(ClaimStatus.RESEARCHING)
    draft(claim, desk.reporter, desk.rating)  # v1: both editors open the form on it
    services.verdict_save(
        actor=desk.reporter,
        claim=claim,
        base_number=1,
        rating=ratings["False"],
        conclusion="First writer",
        explanation="A",
    )
    with pytest.raises(services.ConflictError) as conflict:
        services.verdict_save(
            actor=editor,
            claim=claim,
            base_number=1,
            rating=ratings["True"],
            conclusion="Second writer",
            explanation="B",
        )
    assert conflict.value.latest.number == 2
    assert conflict.value.latest.conclusion == "First writer"
    assert "saved version 2" in conflict.value.message
    assert claim.verdicts.count() == 2
    # Having seen the newer version, the second editor saves on top of it.
    services.verdict_save(
        actor=editor,
        claim=claim,
        base_number=2,
        rating=ratings["True"],
        conclusion="Second writer",
        explanation="B",
    )
    assert claim.verdict_history().latest.conclusion == "Second writer"


# ── assignment and priority ─────────────────────────────────────────────────────────────


def test_reporters_take_and_let_go_but_do_not_assign_others(desk, reporter):
    claim = log_claim(desk.reporter)
    other = UserFactory(roles=["reporter"])
    with pytest.raises(PermissionDenied, match="Only an editor can assign"):
        services.claim_assign(actor=reporter, claim=claim, assignee=other)
    services.claim_assign(actor=reporter, claim=claim, assignee=reporter)
    claim.refresh_from_db()
    assert claim.assignee == reporter
    with pytest.raises(PermissionDenied, match="assigned to someone else"):
        services.claim_assign(actor=other, claim=claim, assignee=other)
    services.claim_assign(actor=reporter, claim=claim, assignee=None)
    claim.refresh_from_db()
    assert claim.assignee is None


def test_claims_are_assigned_only_to_people_on_the_desk(desk, editor, outsider):
    claim = log_claim(desk.reporter)
    with pytest.raises(services.DeskError, match="no role on the desk"):
        services.claim_assign(actor=editor, claim=claim, assignee=outsider)


def test_only_editors_set_priority(desk, reporter, editor):
    claim = log_claim(desk.reporter)
    with pytest.raises(PermissionDenied):
        services.claim_set_priority(actor=reporter, claim=claim, priority=3)
    claim = services.claim_set_priority(actor=editor, claim=claim, priority=3)
    assert claim.get_priority_display() == "Urgent"


def test_outsiders_can_do_nothing(outsider, claimant, ratings):
    with pytest.raises(PermissionDenied):
        services.claimant_create(actor=outsider, name="Anyone")
    with pytest.raises(PermissionDenied):
        article_create(actor=outsider, title="t", text="x")
    with pytest.raises(PermissionDenied):
        services.claim_create(
            actor=outsider,
            claimant=claimant,
            text="x",
            quote="y",
            medium="tv",
            source_description="z",
        )
