"""Audit completeness: every service that writes leaves an Activity with who, when and
before/after. The list of services is read from the modules, so a new service without an
audit scenario here fails this test."""

import inspect
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from factdesk.accounts import services as account_services
from factdesk.api import services as api_services
from factdesk.articles import services as article_services
from factdesk.checkimport import importing as checkimport_importing
from factdesk.checkimport import services as checkimport_services
from factdesk.claims import audit
from factdesk.claims import services as claim_services
from factdesk.claims.models import Activity, Claim
from factdesk.claims.services import CLAIM_FIELDS
from factdesk.claims.workflow import ClaimStatus
from factdesk.core.errors import DeskError
from factdesk.intake import feeds as intake_feeds
from factdesk.intake import services as intake_services
from factdesk.notifications import services as notification_services
from factdesk.privacy import services as privacy_services
from factdesk.signin import twofactor as signin_twofactor
from factdesk.sources import services as source_services
from factdesk.sources.models import Source
from factdesk.webhooks import services as webhook_services
from factdesk.webhooks.models import Delivery
from tests.checkimport.exports import checked_export, export_path
from tests.claims.flow import Desk, draft, log_claim
from tests.factories import SnapshotFactory, UserFactory
from tests.servers import local_site
from tests.signin.test_two_factor import totp

MODULES = (
    claim_services,
    article_services,
    source_services,
    intake_services,
    intake_feeds,
    notification_services,
    webhook_services,
    signin_twofactor,
    api_services,
    checkimport_services,
    checkimport_importing,
    privacy_services,
    account_services,
)
# Functions in those modules that take an actor but only check.
CHECKS = {"require_role"}


def write_services() -> set[str]:
    """Every service that acts for a person (takes `actor`): what the audit trail covers.
    The workers' own steps (fetching, sweeping) act for nobody and are logged by Celery."""
    names = set()
    for module in MODULES:
        for name, function in inspect.getmembers(module, inspect.isfunction):
            if (
                function.__module__ == module.__name__
                and not name.startswith("_")
                and "actor" in inspect.signature(function).parameters
            ):
                names.add(name)
    return names - CHECKS


@pytest.fixture
def desk(reporter, editor, publisher, ratings, archive_storage):
    return Desk(reporter=reporter, editor=editor, publisher=publisher, ratings=ratings)


CLAIM_REVIEW_PAGE = (
    b'<html><script type=\'application/ld+json\'>{"@type": "ClaimReview", '
    b'"claimReviewed": "Fares fell.", "reviewRating": {"alternateName": "False"}}'
    b"</script></html>"
)


@pytest.fixture
def fact_check_site(settings):
    with local_site("127.0.0.22", settings) as pages:
        pages["/check"] = (200, {"Content-Type": "text/html"}, CLAIM_REVIEW_PAGE)
        yield pages


def scenarios(desk, ratings, site=None):
    """name → (call, the object the activity must be about)."""
    claim = desk.claim_in(ClaimStatus.RESEARCHING)
    in_review = desk.claim_in(ClaimStatus.IN_REVIEW)
    citation_claim = log_claim(desk.reporter)
    cited = source_services.citation_add(
        actor=desk.reporter, claim=citation_claim, url="https://stats.example/unemployment"
    )
    Source.objects.filter(pk=cited.source_id).update(status=Source.Status.FAILED, attempts=5)
    pinnable = source_services.citation_add(
        actor=desk.reporter, claim=citation_claim, url="https://stats.example/pinnable"
    )
    SnapshotFactory(source=pinnable.source, text="Intro.\n\nThe rate fell to 4.2 per cent.")
    by_url = article_services.article_create_from_url(
        actor=desk.reporter, url="https://news.example/paywalled"
    )
    pasted = article_services.article_create(
        actor=desk.reporter,
        title="Budget day",
        text="The council cut bus fares by half on Monday.\nShare this article",
    )
    hook = webhook_services.subscription_create(
        actor=desk.publisher, url="https://hooks.example/in", events=["fact_check.published"]
    )
    failed = Delivery.objects.create(
        subscription=hook, event="webhook.test", payload={}, status=Delivery.Status.FAILED
    )
    token, _ = api_services.api_token_create(actor=desk.reporter, name="Script", scope="read")
    reporter_secret = signin_twofactor.secret_text(signin_twofactor.pending_device(desk.reporter))
    editor_secret = signin_twofactor.secret_text(signin_twofactor.pending_device(desk.editor))
    editor_codes = signin_twofactor.two_factor_confirm(actor=desk.editor, code=totp(editor_secret))
    admin = UserFactory(roles=[], is_superuser=True)
    leaving = UserFactory(roles=["reporter"])
    log_claim(desk.reporter, "Maria Privata said fares fell.")
    invited, _ = account_services.invitation_create(
        actor=desk.editor, email="waiting@newsroom.example", role="reporter"
    )
    elsewhere = Client()
    elsewhere.force_login(desk.publisher)
    return {
        "two_factor_confirm": lambda: signin_twofactor.two_factor_confirm(
            actor=desk.reporter, code=totp(reporter_secret)
        ),
        "recovery_codes_renew": lambda: signin_twofactor.recovery_codes_renew(
            actor=desk.editor, code=editor_codes[0]
        ),
        "two_factor_disable": lambda: signin_twofactor.two_factor_disable(
            actor=desk.editor, code=editor_codes[1]
        ),
        "security_settings_update": lambda: signin_twofactor.security_settings_update(
            actor=admin, require_two_factor_for_editors=True
        ),
        "user_erase": lambda: privacy_services.user_erase(actor=admin, user=leaving),
        "person_redact": lambda: privacy_services.person_redact(
            actor=desk.editor, name="Maria Privata"
        ),
        "invitation_create": lambda: account_services.invitation_create(
            actor=desk.editor, email="new@newsroom.example", role="reporter"
        ),
        "invitation_revoke": lambda: account_services.invitation_revoke(
            actor=desk.editor, invitation=invited
        ),
        "sessions_end_others": lambda: account_services.sessions_end_others(
            actor=desk.publisher, keep_session_key="none-kept"
        ),
        "password_change": lambda: account_services.password_change(
            actor=desk.reporter, password="a quiet lighthouse at noon", keep_session_key=None
        ),
        "api_token_create": lambda: api_services.api_token_create(
            actor=desk.editor, name="CMS", scope="read_write"
        ),
        "api_token_revoke": lambda: api_services.api_token_revoke(actor=desk.reporter, token=token),
        "subscription_create": lambda: webhook_services.subscription_create(
            actor=desk.publisher, url="https://cms.example/hooks", events=["fact_check.retracted"]
        ),
        "subscription_set_active": lambda: webhook_services.subscription_set_active(
            actor=desk.publisher, subscription=hook, active=False
        ),
        "webhook_test_send": lambda: webhook_services.webhook_test_send(
            actor=desk.publisher, subscription=hook
        ),
        "delivery_retry": lambda: webhook_services.delivery_retry(
            actor=desk.publisher, delivery=failed
        ),
        "claimant_create": lambda: claim_services.claimant_create(
            actor=desk.reporter, name="New Person"
        ),
        "claim_create": lambda: log_claim(desk.reporter, "A brand new claim."),
        "claimant_merge": lambda: claim_services.claimant_merge(
            actor=desk.editor,
            claimant=claim_services.claimant_create(actor=desk.reporter, name="A. Ministr"),
            into=claim.claimant,
        ),
        "claimant_delete": lambda: claim_services.claimant_delete(
            actor=desk.editor,
            claimant=claim_services.claimant_create(actor=desk.reporter, name="Nobody Yet"),
        ),
        "claim_update": lambda: claim_services.claim_update(
            actor=desk.reporter,
            claim=claim,
            text="Reworded.",
            claimant=claim.claimant,
            claimed_on=claim.claimed_on,
        ),
        "claim_set_priority": lambda: claim_services.claim_set_priority(
            actor=desk.editor, claim=claim, priority=3
        ),
        # The reporter has the claim since starting its research: the editor takes it over.
        "claim_assign": lambda: claim_services.claim_assign(
            actor=desk.editor, claim=claim, assignee=desk.editor
        ),
        "verdict_save": lambda: draft(claim, desk.reporter, ratings["False"]),
        "claim_topic_add": lambda: claim_services.claim_topic_add(
            actor=desk.editor, claim=claim, name="Housing"
        ),
        "claim_topic_remove": lambda: claim_services.claim_topic_remove(
            actor=desk.editor,
            claim=claim,
            topic=claim_services.claim_topic_add(actor=desk.editor, claim=claim, name="Jobs"),
        ),
        "claim_set_due_date": lambda: claim_services.claim_set_due_date(
            actor=desk.editor, claim=claim, due_date=timezone.localdate() + timedelta(days=30)
        ),
        "claims_bulk": lambda: claim_services.claims_bulk(
            actor=desk.editor, action="priority", claims=[claim, in_review], priority=3
        ),
        "review_submit": lambda: claim_services.review_submit(
            actor=desk.editor, claim=in_review, decision="changes", comment="Add a source."
        ),
        "claim_transition": lambda: claim_services.claim_transition(
            actor=desk.editor, claim=claim, target=ClaimStatus.DISMISSED, dismiss_reason="opinion"
        ),
        "comment_add": lambda: claim_services.comment_add(
            actor=desk.editor, claim=claim, body="Looks solid."
        ),
        "article_create": lambda: article_services.article_create(
            actor=desk.reporter,
            title="A new piece",
            text="Some text.",
            url="https://news.example/a",
            outlet_name="News Example",
        ),
        "outlet_for": lambda: article_services.outlet_for(
            actor=desk.reporter, name="Another Outlet"
        ),
        "citation_add": lambda: source_services.citation_add(
            actor=desk.reporter,
            claim=claim,
            url="https://stats.example/table-7",
            stance="refutes",
            note="Table 7",
        ),
        "citation_remove": lambda: source_services.citation_remove(
            actor=desk.reporter, citation=cited
        ),
        "citations_paste": lambda: source_services.citations_paste(
            actor=desk.reporter, claim=claim, urls=["https://stats.example/a", "https://b.example/"]
        ),
        "citations_carry_over": lambda: source_services.citations_carry_over(
            actor=desk.editor, claim=citation_claim, into=claim
        ),
        "citation_pin": lambda: source_services.citation_pin(
            actor=desk.reporter, citation=pinnable, passage="The rate fell to 4.2 per cent."
        ),
        "source_retry": lambda: source_services.source_retry(
            actor=desk.reporter, source=cited.source
        ),
        "citation_upload": lambda: source_services.citation_upload(
            actor=desk.reporter,
            claim=claim,
            upload=SimpleUploadedFile("memo.txt", b"The memo says 4.2 per cent."),
        ),
        "article_create_from_url": lambda: article_services.article_create_from_url(
            actor=desk.reporter, url="https://news.example/by-url"
        ),
        "article_set_text": lambda: article_services.article_set_text(
            actor=desk.reporter, article=by_url, text="The text, pasted by hand."
        ),
        "follow_set": lambda: notification_services.follow_set(
            actor=desk.editor, claim=claim, following=True
        ),
        "sentence_not_a_claim": lambda: intake_services.sentence_not_a_claim(
            actor=desk.reporter, article=pasted, start=0, end=44
        ),
        "external_fact_checks_from_page": lambda: intake_services.external_fact_checks_from_page(
            actor=desk.reporter, url=f"{site.base}/check"
        ),
        "article_triage_done": lambda: intake_services.article_triage_done(
            actor=desk.reporter, article=pasted
        ),
        "line_mark": lambda: intake_services.line_mark(
            actor=desk.reporter, article=pasted, start=45, end=63, is_furniture=False
        ),
        "email_preference_save": lambda: notification_services.email_preference_save(
            actor=desk.reporter, enabled=True, address="", kinds=["mention"]
        ),
        "article_set_language": lambda: article_services.article_set_language(
            actor=desk.editor, article=pasted, language="fr"
        ),
        "intake_settings_update": lambda: intake_services.intake_settings_update(
            actor=desk.publisher, search_google=True
        ),
        "feed_import_start": lambda: intake_feeds.feed_import_start(
            actor=desk.reporter,
            upload=SimpleUploadedFile("feed.json", b'[{"@type": "ClaimReview"}]'),
        ),
        "check_import_start": lambda: checked_export(desk.publisher),
        "check_import_recheck": lambda: checkimport_services.check_import_recheck(
            actor=desk.publisher, check_import=checked_export(desk.publisher)
        ),
        "check_import_confirm": lambda: checkimport_services.check_import_confirm(
            actor=desk.publisher, check_import=checked_export(desk.publisher)
        ),
        "check_import_from_file": lambda: checkimport_services.check_import_from_file(
            actor=desk.publisher, path=export_path()
        ),
        "export_import": lambda: checkimport_importing.export_import(
            checkimport_importing.Export(export_path()),
            actor=desk.publisher,
            check_import=checkimport_importing.CheckImport.objects.create(name="export.zip"),
        ),
        "status_mapping_save": lambda: checkimport_services.status_mapping_save(
            actor=desk.publisher, check_status="misleading", outcome="dismissed"
        ),
    }


def test_every_write_service_has_an_audit_scenario(desk, ratings):
    assert write_services() == set(scenarios(desk, ratings))


@pytest.mark.parametrize("name", sorted(write_services()))
def test_service_records_an_activity(desk, ratings, fact_check_site, name):
    call = scenarios(desk, ratings, fact_check_site)[name]
    last = Activity.objects.order_by("-id").values_list("id", flat=True).first() or 0
    call()
    new = list(Activity.objects.filter(id__gt=last))
    assert new, f"{name} changed the desk without an activity"
    for activity in new:
        assert activity.actor_id is not None
        assert activity.summary
        assert activity.changes, f"{name}: activity {activity.action} has no before/after"
        for before_after in activity.changes.values():
            assert len(before_after) == 2


def test_creation_records_the_initial_state(desk):
    claim = log_claim(desk.reporter)
    created = Activity.objects.get(claim=claim, action="claim.created")
    assert set(created.changes) == set(CLAIM_FIELDS)
    assert created.changes["status"] == [None, "new"]
    assert created.changes["text"] == [None, claim.text]


def test_status_change_records_before_and_after(desk):
    claim = desk.claim_in(ClaimStatus.NEW)
    claim_services.claim_transition(actor=desk.editor, claim=claim, target=ClaimStatus.RESEARCHING)
    activity = Activity.objects.filter(claim=claim).latest("id")
    assert activity.changes["status"] == ["new", "researching"]
    assert activity.actor == desk.editor


def test_a_refused_change_records_nothing(desk):
    claim = desk.claim_in(ClaimStatus.NEW)
    count = Activity.objects.count()
    outsider = UserFactory(roles=[])
    with pytest.raises(Exception, match="Only a"):
        claim_services.claim_transition(actor=outsider, claim=claim, target="researching")
    assert Activity.objects.count() == count
    assert Claim.objects.get(pk=claim.pk).status == ClaimStatus.NEW


def test_the_claim_page_timeline_shows_every_step(client, desk):
    claim = desk.claim_in(ClaimStatus.PUBLISHED)
    client.force_login(desk.editor)
    body = client.get(claim.get_absolute_url()).content.decode()
    for summary in (
        "logged the claim",
        "moved the claim to researching",
        "saved verdict version 1",
        "moved the claim to in review",
        "approved verdict version 1",
        "moved the claim to approved",
        "published verdict version 1",
    ):
        assert summary in body


def test_an_audited_change_records_its_differences_once_and_nothing_if_refused(desk):
    claim = desk.claim_in(ClaimStatus.NEW)
    count = Activity.objects.count()

    def refused_change():
        with audit.change(
            actor=desk.editor, action="claim.test", target=claim, claim=claim, fields=("priority",)
        ):
            claim.priority = 3
            raise DeskError("refused")

    with pytest.raises(DeskError):
        refused_change()
    with audit.change(
        actor=desk.editor, action="claim.test", target=claim, fields=("priority",), summary="-"
    ):
        pass  # nothing changed: nothing recorded
    assert Activity.objects.count() == count
    claim.refresh_from_db()
    with audit.change(
        actor=desk.editor,
        action="claim.test",
        target=claim,
        claim=claim,
        fields=("priority", "text"),
        summary="raised the priority",
    ) as change:
        claim.priority = 3
        claim.save()
    assert change.entry is not None
    assert change.entry.changes == {"priority": [1, 3]}
    assert Activity.objects.count() == count + 1
