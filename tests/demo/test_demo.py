import html

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.core.management import CommandError, call_command
from django.test import RequestFactory
from django.urls import reverse

from factdesk.accounts.roles import Role, user_roles
from factdesk.articles.models import Article
from factdesk.claims.models import Claim
from factdesk.demo.desk import DEMO_PASSWORD
from factdesk.sources.models import Source


def test_demo_loads_once_and_its_logins_work(db, settings, capsys):
    settings.DEBUG = True
    call_command("load_demo")
    out = capsys.readouterr().out
    assert "Created 6 demo accounts" in out
    assert "Created the demo desk" in out
    call_command("load_demo")
    assert "already loaded" in capsys.readouterr().out
    assert user_roles(
        authenticate(RequestFactory().post("/"), username="rita", password=DEMO_PASSWORD)
    ) == {Role.REPORTER}
    assert user_roles(
        authenticate(RequestFactory().post("/"), username="ed", password=DEMO_PASSWORD)
    ) == {Role.EDITOR}
    assert authenticate(
        RequestFactory().post("/"), username="admin", password=DEMO_PASSWORD
    ).is_superuser


def test_demo_is_refused_in_production(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="only loaded with DEBUG on"):
        call_command("load_demo")


def test_a_first_look_at_the_demo_shows_an_archived_source_and_its_evidence(
    db, settings, archive_storage, client, django_user_model
):
    """The researching claim cites a document received by email: archived at once (no
    network needed), its passages ranked against the claim, one pinned as evidence."""
    settings.DEBUG = True
    call_command("load_demo")
    claim = Claim.objects.get(text__startswith="Harbridge bus ridership doubled")
    counts = claim.citations.get(source__kind=Source.Kind.UPLOAD)
    assert counts.source.status == Source.Status.DONE
    assert counts.cited_snapshot is not None
    assert "5.69 million boardings" in counts.cited_snapshot.text
    client.force_login(django_user_model.objects.get(username="rita"))
    panel = client.get(reverse("sources:panel", args=[claim.pk])).content.decode()
    assert "bus-boardings-2024-2026.txt" in panel
    passages = client.get(reverse("sources:passages", args=[claim.pk])).content.decode()
    assert "Pinned</span> In the twelve months after it" in passages
    assert "<mark>ridership</mark>" in passages.lower()
    # The published fact check shows its evidence too.
    stadium = Claim.objects.get(text__startswith="The new stadium will pay for itself")
    assert stadium.citations.get().pinned == [
        "On these estimates the council's share of the cost is repaid in 22 years."
    ]
    # Its article has a date (the articles list shows it), which the claim takes as said on.
    assert claim.article.published_on is not None
    assert claim.claimed_on == claim.article.published_on


def test_a_demo_article_shows_suggestions_and_its_page_furniture_folded(db, settings, client):
    """The health article came pasted with its page's furniture: folded, never suggested;
    its sentences that carry claims are suggested with their reasons."""
    settings.DEBUG = True
    call_command("load_demo")
    client.force_login(get_user_model().objects.get(username="ed"))
    article = Article.objects.get(text__contains="flu vaccine")
    page = html.unescape(client.get(article.get_absolute_url()).content.decode())
    assert "Show the 6 lines of page furniture" in page
    suggestions = page.split('id="suggestions"')[1].split("</ol>")[0]
    assert "Suggested claims" in page
    assert "a number:" in suggestions
    assert "Sign up for our newsletter" not in suggestions
    assert "View all comments" not in suggestions


def test_the_demo_shows_a_claim_already_checked(db, settings, client):
    """A claim logged again on the desk meets the published fact check of the same words."""
    settings.DEBUG = True
    call_command("load_demo")
    client.force_login(get_user_model().objects.get(username="ed"))
    shown = []
    for claim in Claim.objects.exclude(published_at__isnull=False):
        panel = client.get(reverse("intake:claim_similar", args=[claim.pk]), HTTP_HX_REQUEST="true")
        if 'data-testid="already-checked"' in panel.content.decode():
            shown.append(claim.pk)
    assert shown, "no demo claim shows an already-checked match"
    ridership = Claim.objects.get(text__startswith="Harbridge bus ridership doubled")
    panel = client.get(reverse("intake:claim_similar", args=[ridership.pk]), HTTP_HX_REQUEST="true")
    assert "Checkers Weekly" in panel.content.decode()  # checked elsewhere
