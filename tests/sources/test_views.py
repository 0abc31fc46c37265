"""Citing several sources at once from the claim page."""

import pytest
from django.urls import reverse

from factdesk.sources.models import Citation, Source
from tests.claims.flow import log_claim


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
