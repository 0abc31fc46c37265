"""Citing several sources at once from the claim page."""

import pytest
from django.urls import reverse

from factdesk.sources.models import Citation, Source
from factdesk.sources.services import citation_add
from tests.claims.flow import log_claim
from tests.sources.panel import sources_panel


def test_pasting_several_urls_cites_each_once(client, reporter, ratings):
    claim = log_claim(reporter)
    client.force_login(reporter)
    urls = "https://a.example/one\n\n https://b.example/two \nhttps://a.example/one?utm_source=x"
    response = client.post(
        reverse("sources:citation_add", args=[claim.pk]),
        {"urls": urls, "stance": "refutes", "note": "Official data"},
        follow=True,
    )
    assert Citation.objects.filter(claim=claim).count() == 2
    assert Source.objects.count() == 2
    body = response.content.decode()
    assert "Cited https://a.example/one, https://b.example/two." in body
    assert "Already cited: https://a.example/one?utm_source=x." in body
    assert set(Citation.objects.values_list("stance", flat=True)) == {"refutes"}


def test_one_bad_line_cites_nothing_and_keeps_the_paste(client, reporter, ratings):
    claim = log_claim(reporter)
    client.force_login(reporter)
    urls = "https://a.example/one\nnot a link\nftp://files.example/x"
    response = client.post(
        reverse("sources:citation_add", args=[claim.pk]),
        {"urls": urls, "stance": "context", "note": "keep me"},
        HTTP_HX_REQUEST="true",
    )
    body = response.content.decode()
    assert "line 2: “not a link” is not a web address." in body
    assert "line 3: “ftp://files.example/x” is not a web address." in body
    assert "Nothing was cited." in body
    assert "https://a.example/one\nnot a link\nftp://files.example/x</textarea>" in body
    assert "keep me" in body
    assert not Citation.objects.exists()
    assert not Source.objects.exists()


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("http://127.0.0.1:65536/", "its port must be a number from 1 to 65535"),
        ("http://127.0.0.1:0/", "its port must be a number from 1 to 65535"),
        ("http://ex\ufffdample.com/", "its site name has characters no site name can have"),
    ],
)
def test_an_address_that_cannot_be_fetched_is_refused_in_words(
    client, reporter, ratings, url, reason
):
    claim = log_claim(reporter)
    client.force_login(reporter)
    response = client.post(
        reverse("sources:citation_add", args=[claim.pk]),
        {"urls": url, "stance": "context"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert f"is not a web address that can be fetched: {reason}." in response.content.decode()
    assert not Source.objects.exists()


def test_a_long_paste_costs_no_more_queries_than_a_short_one(reporter, ratings):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from factdesk.sources.services import citations_paste

    claim = log_claim(reporter)
    with CaptureQueriesContext(connection) as short:
        citations_paste(
            actor=reporter, claim=claim, urls=[f"https://a.example/{n}" for n in range(5)]
        )
    with CaptureQueriesContext(connection) as long:
        citations_paste(
            actor=reporter, claim=claim, urls=[f"https://b.example/{n}" for n in range(200)]
        )
    assert len(long) == len(short) <= 12
    assert Citation.objects.filter(claim=claim).count() == 205


def test_the_claim_page_loads_the_sources_panel_from_its_url(client, reporter, ratings):
    """The claim page (claims) does not read sources: it loads the panel by URL."""
    claim = log_claim(reporter)
    citation_add(actor=reporter, claim=claim, url="https://a.example/one")
    client.force_login(reporter)
    page = client.get(claim.get_absolute_url()).content.decode()
    panel_url = reverse("sources:panel", args=[claim.pk])
    assert f'hx-get="{panel_url}" hx-trigger="load"' in page
    assert "data-source=" not in page  # no citation rows: they are the panel's
    section = sources_panel(client, claim)
    assert '<section class="card" id="sources"' in section
    assert "https://a.example/one" in section
    assert 'hx-trigger="every 2s"' in section  # pending: the list polls itself
    assert "Cite source" in section


def test_the_polling_list_gets_the_list_alone_and_no_js_gets_a_page(client, reporter, ratings):
    claim = log_claim(reporter)
    citation_add(actor=reporter, claim=claim, url="https://a.example/one")
    client.force_login(reporter)
    url = reverse("sources:panel", args=[claim.pk])
    polled = client.get(url, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="sources-panel")
    listing = polled.content.decode()
    assert listing.lstrip().startswith('<div id="sources-panel"')
    assert "https://a.example/one" in listing
    assert "Cite source" not in listing  # the form being typed in is not replaced
    page = client.get(url).content.decode()
    assert "<html" in page
    assert "https://a.example/one" in page
    assert "Cite source" in page


def test_the_panel_of_a_missing_claim_is_a_404(client, reporter):
    client.force_login(reporter)
    assert client.get(reverse("sources:panel", args=[999999])).status_code == 404
