"""The claim page and its forms: the action row, the published write-up and its versions, the
review round trip, and every form's empty, over-size and repeated input."""

import html
import re

import pytest
from django.urls import reverse

from factdesk.claims import services
from factdesk.claims.models import Activity, Comment, Priority, Review
from factdesk.claims.workflow import ClaimStatus
from tests.claims.flow import Desk, approve, draft, move, retract
from tests.factories import UserFactory


@pytest.fixture
def desk(ratings):
    return Desk(
        reporter=UserFactory(roles=["reporter"], first_name="Rita", last_name="Reyes"),
        editor=UserFactory(roles=["editor"], first_name="Ed", last_name="Ellis"),
        publisher=UserFactory(roles=["publisher"], first_name="Paula", last_name="Park"),
        ratings=ratings,
    )


def page_of(client, claim) -> str:
    return client.get(claim.get_absolute_url()).content.decode()


def post(client, name, claim, data) -> str:
    """An action as htmx sends it: the claim body comes back, with the message."""
    response = client.post(reverse(name, args=[claim.pk]), data, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    return html.unescape(response.content.decode())


def button(body: str, label: str) -> str:
    """The <button> element with `label`."""
    found = re.search(rf"<button[^>]*>{re.escape(label)}</button>", body)
    assert found, f"no button {label!r}"
    return found.group(0)


def activities(claim) -> int:
    return Activity.objects.filter(claim=claim).count()


# ── the action row ─────────────────────────────────────────────────────────────────────


def test_the_next_step_is_the_primary_button(client, desk):
    client.force_login(desk.publisher)
    new = desk.claim_in(ClaimStatus.NEW)
    assert 'class="primary"' in button(page_of(client, new), "Start research")
    approved = desk.claim_in(ClaimStatus.APPROVED)
    body = page_of(client, approved)
    assert 'class="primary"' in button(body, "Publish")
    assert 'class="primary"' not in button(body, "Reopen research")


def test_a_move_that_cannot_be_made_yet_is_disabled_with_the_reason(client, desk):
    client.force_login(desk.reporter)
    claim = desk.claim_in(ClaimStatus.RESEARCHING)
    body = html.unescape(page_of(client, claim))
    send = button(body, "Send to review")
    assert "disabled" in send
    assert 'aria-describedby="why-in_review"' in send
    assert re.search(r'id="why-in_review">Send to review needs a verdict draft', body)
    draft(claim, desk.reporter, desk.rating)
    send = button(page_of(client, claim), "Send to review")
    assert "disabled" not in send
    assert 'class="primary"' in send


def test_dismissing_is_its_own_labelled_form_with_its_reasons(client, desk):
    client.force_login(desk.editor)
    body = html.unescape(page_of(client, desk.claim_in(ClaimStatus.NEW)))
    form = body[body.index('data-action="dismiss"') : body.index("Dismiss the claim")]
    assert '<label for="dismiss-reason">Why dismiss it?</label>' in form
    for label in ("Choose a reason", "Not checkable", "Opinion", "Out of scope", "Other"):
        assert f">{label}</option>" in form
    assert 'Note <span class="muted">(required when the reason is “Other”)</span>' in form
    assert "can be reopened" in form  # what it does


def test_a_published_claim_offers_retract_not_dismiss(client, desk):
    claim = desk.claim_in("correction_researching")
    client.force_login(desk.publisher)
    body = page_of(client, claim)
    assert "Retract…" in body
    assert "Dismiss…" not in body
    assert "Mark as duplicate…" not in body
    client.force_login(desk.editor)
    assert "Retract…" not in page_of(client, claim)  # publishers only


# ── the published write-up ─────────────────────────────────────────────────────────────


def corrected(desk, ratings):
    """A claim published, then corrected with a changed explanation."""
    claim = desk.claim_in(ClaimStatus.PUBLISHED)
    move(claim, desk.publisher, ClaimStatus.RESEARCHING)
    services.verdict_save(
        actor=desk.reporter,
        claim=claim,
        base_number=1,
        rating=ratings["False"],
        conclusion="It fell to 4.2%.",
        explanation="Official statistics show <4.6%> after the revision.",
        correction_note="The statistics office revised the figure.",
    )
    move(claim, desk.reporter, ClaimStatus.IN_REVIEW)
    approve(claim, desk.editor)
    return move(claim, desk.publisher, ClaimStatus.CORRECTED)


def test_the_verdict_card_shows_the_write_up_and_who_wrote_and_approved_it(client, desk, ratings):
    claim = corrected(desk, ratings)
    client.force_login(desk.reporter)
    body = html.unescape(page_of(client, claim))
    card = body[body.index('class="verdict published"') : body.index("All 2 versions")]
    assert "Official statistics show <4.6%> after the revision." in card
    assert "Correction:</strong> The statistics office revised the figure." in card
    assert "Written by Rita Reyes · approved by Ed Ellis" in card
    assert "&lt;4.6%&gt;" in page_of(client, claim)  # escaped


def test_all_versions_show_their_explanations_and_people(client, desk, ratings):
    claim = corrected(desk, ratings)
    client.force_login(desk.reporter)
    body = html.unescape(page_of(client, claim))
    versions = body[body.index("All 2 versions") : body.index('id="version-diff"')]
    assert "Official statistics show 4.2%." in versions
    assert "Official statistics show <4.6%> after the revision." in versions
    assert versions.count("approved by Ed Ellis") == 2
    assert "Compare with version 1" in versions


def test_two_versions_compare_word_by_word(client, desk, ratings):
    claim = corrected(desk, ratings)
    client.force_login(desk.reporter)
    response = client.get(
        reverse("claims:compare", args=[claim.pk]), {"older": 1, "newer": 2}, HTTP_HX_REQUEST="true"
    )
    body = response.content.decode()
    assert "<html" not in body
    explanation = re.search(r'data-field="explanation">(.*?)</dd>', body, re.S).group(1)
    assert explanation == (
        "Official statistics show <del>4.2%.</del><ins>&lt;4.6%&gt; after the revision.</ins>"
    )
    assert 'Conclusion <span class="muted">(unchanged)</span>' in body
    assert "<del>Mostly true</del><ins>False</ins>" in body
    missing = client.get(reverse("claims:compare", args=[claim.pk]), {"older": 1, "newer": 9})
    assert missing.status_code == 404


def test_during_a_correction_the_page_says_what_readers_see(client, desk):
    claim = desk.claim_in("correction_researching")
    client.force_login(desk.reporter)
    body = html.unescape(page_of(client, claim))
    assert re.search(r"Readers see:</strong> version 1, published .* until the correction", body)
    published = desk.claim_in(ClaimStatus.PUBLISHED)
    assert "Readers see:" not in page_of(client, published)


def test_a_retracted_claim_shows_its_notice(client, desk):
    claim = retract(desk.claim_in(ClaimStatus.PUBLISHED), desk.publisher, "The data was made up.")
    client.force_login(desk.reporter)
    body = page_of(client, claim)
    assert re.search(r'data-testid="retraction"><strong>Retracted .*:</strong> The data', body)
    assert 'class="verdict published retracted"' in body


# ── the review round trip ──────────────────────────────────────────────────────────────


def sent_back(desk):
    claim = desk.claim_in(ClaimStatus.IN_REVIEW)
    services.review_submit(
        actor=desk.editor, claim=claim, decision="changes", comment="Cite the <ONS> table."
    )
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.RESEARCHING
    return claim


def test_the_revise_form_shows_the_reviewers_comments(client, desk):
    claim = sent_back(desk)
    client.force_login(desk.reporter)
    body = client.get(reverse("claims:verdict", args=[claim.pk])).content.decode()
    assert "Changes requested on version 1" in body
    assert "<strong>Ed Ellis</strong>: “Cite the &lt;ONS&gt; table.”" in body
    draft(claim, desk.reporter, desk.rating, conclusion="Revised.")
    body = client.get(reverse("claims:verdict", args=[claim.pk])).content.decode()
    assert "Changes requested" not in body  # the new version has no reviews yet


def test_cards_mark_changes_requested_until_the_draft_is_revised(client, desk):
    claim = sent_back(desk)
    waiting = desk.claim_in(ClaimStatus.RESEARCHING)
    client.force_login(desk.reporter)
    for url in (reverse("claims:board"), reverse("claims:list")):
        body = client.get(url).content.decode()
        assert body.count("changes requested</span>") == 1, url
    card = re.search(
        rf'href="/claims/{claim.pk}/">.*?</article>', client.get("/").content.decode(), re.S
    )
    assert "changes requested" in card.group(0)
    assert waiting.pk != claim.pk
    draft(claim, desk.reporter, desk.rating, conclusion="Revised.")
    assert "changes requested</span>" not in client.get(reverse("claims:board")).content.decode()


def test_a_draft_rating_is_marked_as_a_draft_until_published(client, desk):
    client.force_login(desk.reporter)
    researching = desk.claim_in(ClaimStatus.IN_REVIEW)
    board = client.get(reverse("claims:board")).content.decode()
    assert re.search(r'<span class="rating draft" data-rating="\d+">Mostly true <span', board)
    desk.claim_in(ClaimStatus.PUBLISHED)
    board = client.get(reverse("claims:board")).content.decode()
    assert re.search(r'<span class="rating" data-rating="\d+">Mostly true</span>', board)
    page = page_of(client, researching)
    assert re.search(r'class="rating draft" data-rating="\d+">Mostly true <span[^>]*>draft', page)


# ── names, not logins ──────────────────────────────────────────────────────────────────


def test_the_assignee_menu_and_messages_use_names(client, desk):
    claim = desk.claim_in(ClaimStatus.NEW)
    client.force_login(desk.editor)
    body = page_of(client, claim)
    assert f'<option value="{desk.reporter.pk}">Rita Reyes</option>' in body
    assert desk.reporter.username not in body
    body = post(client, "claims:assign", claim, {"assignee": desk.reporter.pk})
    assert "Assigned to Rita Reyes." in body
    assert Activity.objects.filter(claim=claim).latest("id").summary == (
        "assigned the claim to Rita Reyes"
    )


# ── every form: empty, over-size, sent twice ───────────────────────────────────────────


def edit_data(claim, **changes):
    return {
        "text": claim.text,
        "claimant_name": claim.claimant.name,
        "claimed_on": claim.claimed_on.isoformat(),
        **changes,
    }


def test_edit_wording_shows_the_date_as_iso_for_the_date_input(client, desk):
    claim = desk.claim_in(ClaimStatus.NEW)
    client.force_login(desk.reporter)
    body = client.get(reverse("claims:edit", args=[claim.pk])).content.decode()
    assert f'type="date" name="claimed_on" value="{claim.claimed_on.isoformat()}"' in body


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"text": ""}, "This field is required."),
        ({"text": "x" * 1001}, "Ensure this value has at most 1000 characters (it has 1001)."),
        ({"claimed_on": ""}, "This field is required."),
    ],
)
def test_edit_wording_refuses_empty_and_over_size_input(client, desk, changes, message):
    claim = desk.claim_in(ClaimStatus.NEW)
    client.force_login(desk.reporter)
    response = client.post(reverse("claims:edit", args=[claim.pk]), edit_data(claim, **changes))
    assert response.status_code == 200
    assert message in html.unescape(response.content.decode())
    before = claim.text
    claim.refresh_from_db()
    assert claim.text == before


def test_edit_wording_sent_twice_changes_it_once(client, desk):
    claim = desk.claim_in(ClaimStatus.NEW)
    client.force_login(desk.reporter)
    data = edit_data(claim, text="Unemployment fell to 4% in 2025.")
    for _ in range(2):
        response = client.post(reverse("claims:edit", args=[claim.pk]), data)
        assert response.status_code == 302
    assert Activity.objects.filter(claim=claim, action="claim.updated").count() == 1


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Move: Choose what to do with the claim."),
        ({"target": "dismissed"}, "Choose why the claim is dismissed."),
        ({"target": "dismissed", "dismiss_reason": "other"}, "Say why the claim is dismissed."),
        (
            {"target": "dismissed", "dismiss_reason": "other", "dismiss_note": "x" * 501},
            "Note: Ensure this value has at most 500 characters (it has 501).",
        ),
        ({"target": "duplicate"}, "Choose the claim this one duplicates."),
        ({"target": "duplicate", "duplicate_of": "99999999"}, "There is no claim #99999999."),
    ],
)
def test_moves_refuse_empty_and_over_size_input(client, desk, data, message):
    claim = desk.claim_in(ClaimStatus.NEW)
    client.force_login(desk.editor)
    before = activities(claim)
    assert message in post(client, "claims:transition", claim, data)
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.NEW
    assert activities(claim) == before


def test_a_move_sent_twice_says_it_is_done(client, desk):
    claim = desk.claim_in(ClaimStatus.NEW)
    client.force_login(desk.reporter)
    assert "The claim is now researching." in post(
        client, "claims:transition", claim, {"target": "researching"}
    )
    body = post(client, "claims:transition", claim, {"target": "researching"})
    assert "The claim is already researching." in body
    assert Activity.objects.filter(claim=claim, action="status.researching").count() == 1


@pytest.mark.parametrize(
    ("note", "message"),
    [
        ("", "Write the retraction note readers will see"),
        ("x" * 2001, "Retraction note: Ensure this value has at most 2000 characters"),
    ],
)
def test_retract_refuses_an_empty_or_over_size_note(client, desk, note, message):
    claim = desk.claim_in(ClaimStatus.PUBLISHED)
    client.force_login(desk.publisher)
    body = post(
        client, "claims:transition", claim, {"target": "retracted", "retraction_note": note}
    )
    assert message in body
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.PUBLISHED
    assert claim.retraction_note == ""


def test_retract_sent_twice_retracts_once(client, desk):
    claim = desk.claim_in(ClaimStatus.PUBLISHED)
    client.force_login(desk.publisher)
    data = {"target": "retracted", "retraction_note": "The data was made up."}
    assert "The claim is now retracted." in post(client, "claims:transition", claim, data)
    assert "The claim is already retracted." in post(client, "claims:transition", claim, data)
    assert Activity.objects.filter(claim=claim, action="status.retracted").count() == 1


def verdict_data(desk, **changes):
    return {
        "base_number": "",
        "rating": str(desk.rating.pk),
        "conclusion": "It fell to 4.2%.",
        "explanation": "Official statistics show 4.2%.",
        "correction_note": "",
        **changes,
    }


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"conclusion": ""}, "This field is required."),
        ({"explanation": ""}, "This field is required."),
        ({"rating": ""}, "This field is required."),
        (
            {"conclusion": "x" * 281},
            "Ensure this value has at most 280 characters (it has 281).",
        ),
        (
            {"explanation": "x" * 20_001},
            "Ensure this value has at most 20000 characters (it has 20001).",
        ),
    ],
)
def test_the_verdict_draft_refuses_empty_and_over_size_input(client, desk, changes, message):
    claim = desk.claim_in(ClaimStatus.RESEARCHING)
    client.force_login(desk.reporter)
    response = client.post(
        reverse("claims:verdict", args=[claim.pk]), verdict_data(desk, **changes)
    )
    assert response.status_code == 200
    assert message in html.unescape(response.content.decode())
    assert not claim.verdicts.exists()


def test_the_verdict_draft_sent_twice_saves_one_version(client, desk):
    claim = desk.claim_in(ClaimStatus.RESEARCHING)
    client.force_login(desk.reporter)
    for _ in range(2):
        response = client.post(reverse("claims:verdict", args=[claim.pk]), verdict_data(desk))
        assert response.status_code == 302
    assert claim.verdicts.count() == 1


def test_a_correction_draft_asks_for_the_note_in_the_form(client, desk):
    claim = desk.claim_in("correction_researching")
    client.force_login(desk.reporter)
    form = client.get(reverse("claims:verdict", args=[claim.pk])).content.decode()
    assert "Required: the verdict was published, so this version is a correction." in form
    assert re.search(r'<textarea name="correction_note"[^>]*required', form)
    response = client.post(
        reverse("claims:verdict", args=[claim.pk]), verdict_data(desk, base_number="1")
    )
    body = html.unescape(response.content.decode())
    assert "This is a correction of a published verdict: say what changed and why" in body
    assert claim.verdicts.count() == 1
    response = client.post(
        reverse("claims:verdict", args=[claim.pk]),
        verdict_data(desk, base_number="1", correction_note="x" * 2001),
    )
    assert "at most 2000 characters" in response.content.decode()
    assert claim.verdicts.count() == 1


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Choose approve or request changes."),
        ({"decision": "changes"}, "Say what needs to change, so the author can fix it."),
        (
            {"decision": "changes", "comment": "x" * 5001},
            "Comment for the author: Ensure this value has at most 5000 characters",
        ),
    ],
)
def test_a_review_refuses_empty_and_over_size_input(client, desk, data, message):
    claim = desk.claim_in(ClaimStatus.IN_REVIEW)
    client.force_login(desk.editor)
    assert message in post(client, "claims:review", claim, data)
    assert not Review.objects.exists()


def test_a_review_sent_twice_counts_once(client, desk, settings):
    settings.SIGNOFF_REJECTIONS = 2  # stays in review after one request
    claim = desk.claim_in(ClaimStatus.IN_REVIEW)
    client.force_login(desk.editor)
    data = {"decision": "changes", "comment": "Cite the table."}
    assert "Review recorded" in post(client, "claims:review", claim, data)
    assert "You have already reviewed version 1." in post(client, "claims:review", claim, data)
    assert Review.objects.count() == 1


def test_assigning_refuses_someone_unknown_and_sent_twice_assigns_once(client, desk):
    claim = desk.claim_in(ClaimStatus.NEW)
    client.force_login(desk.editor)
    body = post(client, "claims:assign", claim, {"assignee": "999999"})
    assert "Select a valid choice" in body
    claim.refresh_from_db()
    assert claim.assignee is None
    for _ in range(2):
        post(client, "claims:assign", claim, {"assignee": desk.reporter.pk})
    assert Activity.objects.filter(claim=claim, action="claim.assigned").count() == 1
    assert "Unassigned." in post(client, "claims:assign", claim, {"assignee": ""})  # empty


@pytest.mark.parametrize(
    ("priority", "message"),
    [
        ("", "Choose a priority."),
        ("9" * 5000, "Choose a priority from the list: low, normal, high or urgent."),
        ("urgentish", "Choose a priority from the list: low, normal, high or urgent."),
    ],
    ids=["empty", "over-size", "unknown"],
)
def test_the_priority_form_refuses_empty_and_over_size_input(client, desk, priority, message):
    claim = desk.claim_in(ClaimStatus.NEW)
    client.force_login(desk.editor)
    body = post(client, "claims:priority", claim, {"priority": priority})
    assert message in body
    assert "9" * 50 not in body  # what was sent is not echoed back
    claim.refresh_from_db()
    assert claim.priority == Priority.NORMAL
    assert not Activity.objects.filter(claim=claim, action="claim.priority").exists()


def test_the_priority_sent_twice_is_set_once(client, desk):
    claim = desk.claim_in(ClaimStatus.NEW)
    client.force_login(desk.editor)
    for _ in range(2):
        body = post(client, "claims:priority", claim, {"priority": Priority.URGENT})
        assert "Priority set to urgent." in body
    claim.refresh_from_db()
    assert claim.priority == Priority.URGENT
    assert Activity.objects.filter(claim=claim, action="claim.priority").count() == 1


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("", "Write something before posting."),
        ("x" * 5001, "Comment: Ensure this value has at most 5000 characters (it has 5001)."),
    ],
)
def test_a_comment_refuses_empty_and_over_size_input(client, desk, body, message):
    claim = desk.claim_in(ClaimStatus.NEW)
    client.force_login(desk.reporter)
    assert message in post(client, "claims:comment", claim, {"body": body})
    assert not Comment.objects.exists()
