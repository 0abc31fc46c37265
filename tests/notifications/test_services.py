"""Each event → who is told (and who is not: the actor, people who don't follow), following,
mentions, sources that change after publication, and the email preferences."""

from __future__ import annotations

import pytest

from factdesk.claims import audit
from factdesk.claims import services as claim_services
from factdesk.claims.models import Activity
from factdesk.claims.workflow import ClaimStatus
from factdesk.core.errors import DeskError
from factdesk.notifications import services
from factdesk.notifications.models import EmailPreference, Follow, Kind, Notification
from factdesk.sources import fetching
from factdesk.sources import services as source_services
from tests.claims.flow import Desk, approve, draft, log_claim, move
from tests.factories import UserFactory
from tests.servers import local_site
from tests.sources.test_watching import HOST, page


@pytest.fixture
def desk(reporter, editor, publisher, ratings):
    return Desk(reporter=reporter, editor=editor, publisher=publisher, ratings=ratings)


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run the block's on-commit work (the signal the notifications listen to) as a
    committed transaction would: the test's own transaction never commits."""

    def run(call):
        with django_capture_on_commit_callbacks(execute=True):
            return call()

    return run


def told(user) -> list[tuple[str, str]]:
    return list(Notification.objects.filter(recipient=user).values_list("kind", "text"))


def kinds(user) -> list[str]:
    return [kind for kind, _ in told(user)]


def test_assigning_tells_the_assignee_and_nobody_else(desk, committed, reporter, editor):
    claim = committed(lambda: log_claim(reporter))
    committed(lambda: claim_services.claim_assign(actor=editor, claim=claim, assignee=reporter))
    assert told(reporter) == [(Kind.ASSIGNED, f"{editor.get_full_name()} assigned you a claim")]
    assert told(editor) == []


def test_assigning_in_bulk_tells_the_assignee_of_each_claim(desk, committed, reporter, editor):
    claims = [committed(lambda: log_claim(editor)) for _ in range(2)]
    committed(
        lambda: claim_services.claims_bulk(
            actor=editor, action="assign", claims=claims, assignee=reporter
        )
    )
    assert kinds(reporter) == [Kind.ASSIGNED, Kind.ASSIGNED]
    assert told(editor) == []


def test_taking_a_claim_yourself_tells_nobody(desk, committed, reporter):
    claim = committed(lambda: log_claim(reporter))
    committed(lambda: claim_services.claim_assign(actor=reporter, claim=claim, assignee=reporter))
    assert Notification.objects.count() == 0


def test_changes_requested_tell_the_author_with_the_comment(
    desk, committed, reporter, editor, publisher
):
    claim = committed(lambda: desk.claim_in(ClaimStatus.IN_REVIEW))
    committed(
        lambda: claim_services.review_submit(
            actor=editor, claim=claim, decision="changes", comment="Cite the  March table."
        )
    )
    assert told(reporter) == [
        (
            Kind.CHANGES_REQUESTED,
            f"{editor.get_full_name()} requested changes on your draft: “Cite the March table.”",
        )
    ]
    assert told(editor) == told(publisher) == []


def test_an_approval_tells_the_author(desk, committed, reporter, editor, publisher):
    claim = committed(lambda: desk.claim_in(ClaimStatus.IN_REVIEW))
    committed(lambda: approve(claim, editor))
    assert told(reporter) == [
        (Kind.APPROVED, f"{editor.get_full_name()} approved your draft (version 1)")
    ]
    assert told(editor) == told(publisher) == []


def test_the_desk_follows_for_who_logs_drafts_is_assigned_and_reviews(
    desk, committed, reporter, editor, publisher
):
    other = UserFactory(roles=["reporter"])
    claim = committed(lambda: log_claim(reporter))
    assert set(Follow.objects.values_list("user", flat=True)) == {reporter.pk}
    committed(lambda: claim_services.claim_assign(actor=editor, claim=claim, assignee=other))
    assert set(Follow.objects.values_list("user", flat=True)) == {reporter.pk, other.pk}
    claim = committed(lambda: move(claim, other, ClaimStatus.RESEARCHING))
    committed(lambda: draft(claim, other, desk.rating))
    claim = committed(lambda: move(claim, other, ClaimStatus.IN_REVIEW))
    committed(lambda: approve(claim, editor))
    followers = set(Follow.objects.filter(claim=claim).values_list("user", flat=True))
    assert followers == {reporter.pk, other.pk, editor.pk}
    assert publisher.pk not in followers


def test_publishing_tells_the_followers_not_the_publisher_nor_others(
    desk, committed, reporter, editor, publisher
):
    bystander = UserFactory(roles=["editor"])
    claim = committed(lambda: desk.claim_in(ClaimStatus.APPROVED))
    Notification.objects.all().delete()
    committed(lambda: move(claim, publisher, ClaimStatus.PUBLISHED))
    text = f"{publisher.get_full_name()} published verdict version 1 (now published)"
    assert told(reporter) == [(Kind.FOLLOWED, text)]  # logged and drafted it
    assert told(editor) == [(Kind.FOLLOWED, text)]  # reviewed it
    assert told(publisher) == told(bystander) == []


def test_a_correction_tells_the_followers_and_starting_one_does_not(
    desk, committed, reporter, editor, publisher
):
    claim = committed(lambda: desk.claim_in(ClaimStatus.PUBLISHED))
    Notification.objects.all().delete()
    claim = committed(lambda: move(claim, publisher, ClaimStatus.RESEARCHING))
    assert Notification.objects.count() == 0
    committed(lambda: draft(claim, reporter, desk.rating, correction_note="Wrong table."))
    claim = committed(lambda: move(claim, reporter, ClaimStatus.IN_REVIEW))
    committed(lambda: approve(claim, editor))
    Notification.objects.all().delete()
    committed(lambda: move(claim, publisher, ClaimStatus.CORRECTED))
    assert kinds(reporter) == kinds(editor) == [Kind.FOLLOWED]
    assert "published correction (version 2)" in told(reporter)[0][1]


def test_leaving_publication_for_a_status_readers_see_tells_the_followers(
    desk, committed, reporter, publisher
):
    """Retract is another engineer's status: any move of a published claim out of work in
    progress is one the followers hear of, whatever the workflow names it."""
    claim = committed(lambda: desk.claim_in(ClaimStatus.PUBLISHED))
    Notification.objects.all().delete()
    entry = committed(
        lambda: audit.record(
            actor=publisher,
            action="status.retracted",
            target=claim,
            claim=claim,
            summary="retracted the fact check",
            changes={"status": ["published", "retracted"]},
        )
    )
    assert told(reporter) == [
        (Kind.FOLLOWED, f"{publisher.get_full_name()} retracted the fact check (now retracted)")
    ]
    assert told(publisher) == []
    assert Notification.objects.get(recipient=reporter).key == f"activity:{entry.pk}"


def test_dismissing_a_claim_never_published_tells_nobody(desk, committed, reporter, editor):
    claim = committed(lambda: log_claim(reporter))
    committed(lambda: move(claim, editor, ClaimStatus.DISMISSED, dismiss_reason="opinion"))
    assert Notification.objects.count() == 0


def test_pressing_follow_and_unfollow(desk, committed, reporter, editor, publisher):
    claim = committed(lambda: desk.claim_in(ClaimStatus.APPROVED))
    watcher = UserFactory(first_name="Wanda", roles=["reporter"])
    assert services.follow_set(actor=watcher, claim=claim, following=True) is True
    assert services.follow_set(actor=watcher, claim=claim, following=True) is True  # twice
    assert Follow.objects.filter(user=watcher, claim=claim).count() == 1
    assert services.follow_set(actor=editor, claim=claim, following=False) is False
    committed(lambda: move(claim, publisher, ClaimStatus.PUBLISHED))
    assert kinds(watcher) == [Kind.FOLLOWED]
    assert told(editor) == []  # stopped following


def test_following_is_audited_off_the_claims_timeline(desk, reporter):
    claim = log_claim(reporter)
    watcher = UserFactory(roles=["editor"])
    last = Activity.objects.order_by("-id").values_list("id", flat=True).first()
    services.follow_set(actor=watcher, claim=claim, following=True)
    services.follow_set(actor=watcher, claim=claim, following=False)
    entries = list(Activity.objects.filter(id__gt=last).order_by("id"))
    assert [(e.action, e.claim_id, e.changes) for e in entries] == [
        ("claim.followed", None, {"following": [False, True]}),
        ("claim.unfollowed", None, {"following": [True, False]}),
    ]


def test_an_outsider_cannot_follow(desk, reporter, outsider):
    from django.core.exceptions import PermissionDenied

    claim = log_claim(reporter)
    with pytest.raises(PermissionDenied):
        services.follow_set(actor=outsider, claim=claim, following=True)


def test_a_comment_tells_whom_it_mentions_by_login_or_first_name(
    desk, committed, reporter, editor, publisher, outsider
):
    claim = committed(lambda: log_claim(reporter))
    body = "@rita, can you check the table? @PAULA for the record. @ed @otto @nobody rita@x.org"
    committed(lambda: claim_services.comment_add(actor=editor, claim=claim, body=body))
    assert kinds(reporter) == kinds(publisher) == [Kind.MENTION]
    assert told(reporter)[0][1].startswith(
        f"{editor.get_full_name()} mentioned you: “@rita, can you check"
    )
    assert told(editor) == []  # mentions himself
    assert told(outsider) == []  # no desk role: can't see the claim


def test_a_comment_without_mentions_tells_nobody(desk, committed, reporter, editor):
    claim = committed(lambda: log_claim(reporter))
    committed(
        lambda: claim_services.comment_add(actor=editor, claim=claim, body="email me at ed@x.org")
    )
    assert Notification.objects.count() == 0


def test_a_mention_in_a_request_for_changes(desk, committed, reporter, editor, publisher):
    claim = committed(lambda: desk.claim_in(ClaimStatus.IN_REVIEW))
    comment = "@Rita add the source, and @paula please look at the headline."
    committed(
        lambda: claim_services.review_submit(
            actor=editor, claim=claim, decision="changes", comment=comment
        )
    )
    # Rita is told once, of what concerns her most: the request on her draft.
    assert kinds(reporter) == [Kind.CHANGES_REQUESTED]
    assert kinds(publisher) == [Kind.MENTION]


def test_each_person_is_told_of_an_activity_once(desk, committed, reporter, editor):
    claim = committed(lambda: log_claim(reporter))
    committed(lambda: claim_services.claim_assign(actor=editor, claim=claim, assignee=reporter))
    entry = Activity.objects.get(action="claim.assigned")
    assert services.notify_activity(activity=entry) == []  # delivered again: nothing new
    assert Notification.objects.filter(recipient=reporter).count() == 1


@pytest.fixture
def published_source(settings, archive_storage, desk, reporter, committed):
    """A published fact check and a claim in research, both citing one archived page."""
    with local_site(HOST, settings) as pages:
        pages["/jobs"] = page("Unemployment fell to 4.2 per cent in March.")
        researching = committed(lambda: desk.claim_in(ClaimStatus.RESEARCHING))
        url = f"{pages.base}/jobs"
        citation = source_services.citation_add(actor=reporter, claim=researching, url=url)
        fetching.source_fetch(source_id=citation.source_id)
        published = committed(lambda: desk.claim_in(ClaimStatus.PUBLISHED))
        source_services.citation_add(actor=reporter, claim=published, url=url)
        Notification.objects.all().delete()
        yield pages, published, citation.source


def recheck(source, committed):
    assert fetching.sources_recheck_published() == 1
    committed(lambda: fetching.source_fetch(source_id=source.pk))


def test_a_source_that_changes_after_publication_tells_the_followers(
    published_source, committed, reporter, editor, publisher
):
    pages, published, source = published_source
    pages["/jobs"] = page("Unemployment fell to 4.4 per cent in March.")
    recheck(source, committed)
    notes = list(Notification.objects.filter(kind=Kind.SOURCE))
    assert {(n.recipient_id, n.claim_id) for n in notes} == {
        (reporter.pk, published.pk),
        (editor.pk, published.pk),
    }  # the published claim's followers; not the claim in research's, not the publisher
    assert notes[0].text == f"A source of this fact check changed since it was cited: {source.url}"
    recheck(source, committed)  # unchanged since: nothing more
    assert Notification.objects.filter(kind=Kind.SOURCE).count() == 2


def test_a_source_that_dies_after_publication_tells_the_followers_once(
    published_source, committed, reporter
):
    pages, _, source = published_source
    del pages["/jobs"]
    recheck(source, committed)
    recheck(source, committed)  # still dead: told once
    assert told(reporter) == [
        (
            Kind.SOURCE,
            "A source of this fact check is gone (The server answered 404 Not Found.); the "
            f"archived copy stays: {source.url}",
        )
    ]


def test_an_unchanged_source_tells_nobody(published_source, committed):
    _, _, source = published_source
    recheck(source, committed)
    assert Notification.objects.count() == 0


# ── email preferences ───────────────────────────────────────────────────────────────────


def test_email_is_wanted_only_for_the_kinds_ticked(desk, committed, reporter, editor):
    services.email_preference_save(
        actor=reporter, enabled=True, address="", kinds=[Kind.CHANGES_REQUESTED]
    )
    claim = committed(lambda: desk.claim_in(ClaimStatus.IN_REVIEW))  # the reporter's draft
    other = committed(lambda: log_claim(editor))
    committed(lambda: claim_services.claim_assign(actor=editor, claim=other, assignee=reporter))
    committed(
        lambda: claim_services.review_submit(
            actor=editor, claim=claim, decision="changes", comment="More sources."
        )
    )
    wanted = dict(
        Notification.objects.filter(recipient=reporter).values_list("kind", "email_wanted")
    )
    assert wanted == {Kind.ASSIGNED: False, Kind.CHANGES_REQUESTED: True}


def test_email_off_overall_wants_none(desk, committed, reporter, editor):
    services.email_preference_save(actor=reporter, enabled=False, address="", kinds=Kind.values)
    claim = committed(lambda: log_claim(reporter))
    committed(lambda: claim_services.claim_assign(actor=editor, claim=claim, assignee=reporter))
    assert not Notification.objects.get(recipient=reporter).email_wanted


@pytest.mark.parametrize(
    ("enabled", "address", "kinds", "message"),
    [
        (True, "", [Kind.MENTION], "Your account has no email address"),
        (True, "me@example.org", [], "Tick what you want to be emailed about"),
        (True, "a" * 250 + "@example.org", [Kind.MENTION], "an email address has at most 254"),
        (True, "me@example.org", ["gossip"], "There is no notification called gossip"),
    ],
)
def test_email_preferences_refused_with_the_reason_and_nothing_changed(
    reporter, enabled, address, kinds, message
):
    reporter.email = ""
    reporter.save()
    services.email_preference_save(
        actor=reporter, enabled=False, address="old@example.org", kinds=[]
    )
    with pytest.raises(DeskError, match=message):
        services.email_preference_save(
            actor=reporter, enabled=enabled, address=address, kinds=kinds
        )
    preference = EmailPreference.objects.get(user=reporter)
    assert (preference.enabled, preference.address, preference.kinds) == (
        False,
        "old@example.org",
        [],
    )


def test_saving_the_same_preferences_twice_records_one_change(reporter):
    last = Activity.objects.order_by("-id").values_list("id", flat=True).first() or 0
    for _ in range(2):
        services.email_preference_save(
            actor=reporter, enabled=True, address="", kinds=[Kind.MENTION]
        )
    assert EmailPreference.objects.filter(user=reporter).count() == 1
    entries = Activity.objects.filter(id__gt=last, action="notifications.email")
    assert [entry.changes for entry in entries] == [
        {"enabled": [False, True], "kinds": [[], ["mention"]]}
    ]
