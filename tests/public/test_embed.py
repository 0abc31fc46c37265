"""The embed (a card in a frame, for the newsroom's CMS) and oEmbed: only the embed may be
framed, and only by the origins the setting names; published content only."""

import html

import pytest
from django.urls import reverse

from factdesk.claims.workflow import ClaimStatus
from factdesk.public.views import public_url
from tests.claims.flow import Desk


@pytest.fixture
def desk(reporter, editor, publisher, ratings):
    return Desk(reporter=reporter, editor=editor, publisher=publisher, ratings=ratings)


def test_only_the_embed_may_be_framed_and_only_by_the_named_origins(client, desk, settings):
    claim = desk.claim_in(ClaimStatus.PUBLISHED)
    page = client.get(public_url(claim))
    assert page["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in page["Content-Security-Policy"]
    embed = client.get(reverse("public:embed", args=[claim.pk]))
    assert not embed.has_header("X-Frame-Options")
    assert "frame-ancestors 'none'" in embed["Content-Security-Policy"]  # none named yet
    assert "Mostly true" in embed.content.decode()
    settings.EMBED_FRAME_ANCESTORS = ["https://news.example"]
    embed = client.get(reverse("public:embed", args=[claim.pk]))
    assert "frame-ancestors https://news.example" in embed["Content-Security-Policy"]


def test_an_unpublished_claim_has_no_embed_and_no_oembed(client, desk):
    claim = desk.claim_in(ClaimStatus.APPROVED)
    assert client.get(reverse("public:embed", args=[claim.pk])).status_code == 404
    url = f"http://testserver/fact-checks/{claim.pk}/"
    assert client.get(reverse("public:oembed"), {"url": url}).status_code == 404


def test_oembed_answers_for_a_fact_check_address(client, desk):
    claim = desk.claim_in(ClaimStatus.PUBLISHED)
    answer = client.get(
        reverse("public:oembed"), {"url": f"http://testserver{public_url(claim)}"}
    ).json()
    assert answer["type"] == "rich"
    assert answer["title"] == f"Mostly true: {claim.text}"
    assert f'src="http://testserver/fact-checks/{claim.pk}/embed/"' in answer["html"]
    assert '"@type": "ClaimReview"' in answer["html"]
    assert (
        client.get(reverse("public:oembed"), {"url": "http://testserver/claims/"}).status_code
        == 404
    )
    xml = client.get(reverse("public:oembed"), {"url": public_url(claim), "format": "xml"})
    assert xml.status_code == 501


def test_the_public_page_offers_the_embed_code(client, desk):
    claim = desk.claim_in(ClaimStatus.PUBLISHED)
    page = html.unescape(client.get(public_url(claim)).content.decode())
    assert f'<iframe src="http://testserver/fact-checks/{claim.pk}/embed/"' in page
    assert "application/json+oembed" in page
