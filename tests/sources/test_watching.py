"""After publication: re-checks flag changed sources (with a diff) and dead links."""

import pytest
from django.urls import reverse

from factdesk.claims.workflow import ClaimStatus
from factdesk.sources import fetching, services
from factdesk.sources.models import Source
from tests.claims.flow import Desk
from tests.servers import local_site
from tests.sources.panel import sources_panel

HOST = "127.0.0.7"


def page(sentence):
    body = f"<html><head><title>Jobs report</title></head><body><article><p>{sentence}</p>"
    body += "<p>" + "The office publishes these figures every month. " * 8 + "</p></article>"
    return (200, {"Content-Type": "text/html"}, (body + "</body></html>").encode())


@pytest.fixture
def published(settings, archive_storage, reporter, editor, publisher, ratings):
    """A published fact check citing one archived page on a local site."""
    with local_site(HOST, settings) as pages:
        pages["/jobs"] = page("Unemployment fell to 4.2 per cent in March.")
        desk = Desk(reporter=reporter, editor=editor, publisher=publisher, ratings=ratings)
        claim = desk.claim_in(ClaimStatus.RESEARCHING)
        url = f"{pages.base}/jobs"
        citation = services.citation_add(actor=reporter, claim=claim, url=url)
        fetching.source_fetch(source_id=citation.source_id)
        claim = desk.claim_in(ClaimStatus.PUBLISHED)  # another claim, published, citing it too
        services.citation_add(actor=reporter, claim=claim, url=url)
        yield pages, claim, Source.objects.get()


def recheck(source):
    assert fetching.sources_recheck_published() == 1
    fetching.source_fetch(source_id=source.pk)
    source.refresh_from_db()
    return source


def test_a_changed_source_is_flagged_with_what_changed(client, published, reporter):
    pages, claim, source = published
    pages["/jobs"] = page("Unemployment fell to 4.4 per cent in March.")
    source = recheck(source)
    assert source.snapshots.count() == 2
    client.force_login(reporter)
    body = sources_panel(client, claim)
    assert "Source changed since cited" in body
    citation = claim.citations.get()
    changes = client.get(reverse("sources:changes", args=[citation.pk])).content.decode()
    assert "-Unemployment fell to 4.2 per cent in March." in changes
    assert "+Unemployment fell to 4.4 per cent in March." in changes


def test_unchanged_content_is_not_flagged(client, published, reporter):
    _, claim, source = published
    source = recheck(source)
    assert source.snapshots.count() == 1
    client.force_login(reporter)
    body = sources_panel(client, claim)
    assert f'data-source="{source.pk}"' in body
    assert "Source changed since cited" not in body


def test_a_dead_link_is_flagged_and_the_archived_copy_stays(client, published, reporter):
    pages, claim, source = published
    del pages["/jobs"]
    source = recheck(source)
    assert source.status == Source.Status.DONE
    assert source.dead_since is not None
    assert source.last_error == "The server answered 404 Not Found."
    client.force_login(reporter)
    body = sources_panel(client, claim)
    assert "Link dead since" in body
    assert "archived copy" in body


def test_only_sources_of_published_fact_checks_are_rechecked(published):
    _, claim, _source = published
    claim.citations.all().delete()
    assert fetching.sources_recheck_published() == 0
