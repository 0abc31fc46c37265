"""The dashboard's figures, and the rating scale in Django admin."""

import datetime

from django.urls import reverse
from django.utils import timezone

from factdesk.claims.models import Claim, Rating
from factdesk.claims.workflow import ClaimStatus
from tests.claims.flow import Desk
from tests.factories import UserFactory


def test_dashboard_counts_median_overdue_and_workload(client, reporter, editor, publisher, ratings):
    desk = Desk(reporter=reporter, editor=editor, publisher=publisher, ratings=ratings)
    published = desk.claim_in(ClaimStatus.PUBLISHED)
    # Logged three days before it was published.
    Claim.objects.filter(pk=published.pk).update(
        created_at=published.published_at - datetime.timedelta(days=3)
    )
    # Overdue is past due, not old: a claim logged long ago but due tomorrow is not overdue,
    # one due yesterday is, and a published claim past its date is done, not overdue.
    today = timezone.localdate()
    old = desk.claim_in(ClaimStatus.RESEARCHING)
    Claim.objects.filter(pk=old.pk).update(
        due_date=today - datetime.timedelta(days=1), assignee=reporter
    )
    long_logged = desk.claim_in(ClaimStatus.NEW)
    Claim.objects.filter(pk=long_logged.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=30),
        due_date=today + datetime.timedelta(days=1),
    )
    Claim.objects.filter(pk=published.pk).update(due_date=today - datetime.timedelta(days=9))
    client.force_login(editor)
    stats = client.get(reverse("claims:dashboard")).context["stats"]
    assert {value: n for value, _, n in stats.by_status}["published"] == 1
    assert [(row["rating__label"], row["n"]) for row in stats.by_rating] == [("Mostly true", 1)]
    assert round(stats.median_days_to_publish, 1) == 3.0
    assert [claim.pk for claim in stats.overdue] == [old.pk]
    assert stats.workload[0]["assignee__username"] == reporter.username
    assert stats.workload[0]["researching"] == 1
    body = client.get(reverse("claims:dashboard")).content.decode()
    assert "3.0 days" in body
    assert "overdue by 1 day" in body
    # The charts: a labelled bar and its count for each rating published, the longest full.
    mostly_true = ratings["Mostly true"].pk
    assert (
        '<span class="bar-label">Mostly true</span><svg class="bar-track" viewBox="0 0 100 10"'
        ' preserveAspectRatio="none" aria-hidden="true">'
        f'<rect class="bar" data-rating="{mostly_true}" width="100" height="10"/>' in body
    )


def test_a_rating_in_use_cannot_be_deleted_in_admin(client, reporter, editor, publisher, ratings):
    desk = Desk(reporter=reporter, editor=editor, publisher=publisher, ratings=ratings)
    desk.claim_in(ClaimStatus.IN_REVIEW)  # uses "Mostly true"
    admin = UserFactory(is_superuser=True, is_staff=True)
    client.force_login(admin)
    used = ratings["Mostly true"]
    url = reverse("admin:claims_rating_delete", args=[used.pk])
    page = client.get(url).content.decode()
    assert "Cannot delete rating" in page
    assert "Mostly true" in page
    client.post(url, {"post": "yes"})
    assert Rating.objects.filter(pk=used.pk).exists()
    unused = ratings["Pants on fire"]
    client.post(reverse("admin:claims_rating_delete", args=[unused.pk]), {"post": "yes"})
    assert not Rating.objects.filter(pk=unused.pk).exists()


def test_history_is_read_only_in_admin(client, ratings):
    admin = UserFactory(is_superuser=True, is_staff=True)
    client.force_login(admin)
    for name in ("claim", "verdict", "review", "activity", "comment"):
        assert client.get(reverse(f"admin:claims_{name}_changelist")).status_code == 200
        assert client.get(reverse(f"admin:claims_{name}_add")).status_code == 403
