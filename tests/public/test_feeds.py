"""Feeds, sitemaps, robots.txt and the DataFeed of ClaimReviews: they parse, and carry
published fact checks only."""
# ruff: noqa: S314 - the XML parsed is the desk's own answer

import json
import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse

from factdesk.claims.workflow import ClaimStatus
from factdesk.public.views import public_url
from tests.claims.flow import Desk
from tests.public.test_pages import assert_schema_org

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


@pytest.fixture
def desk(reporter, editor, publisher, ratings):
    return Desk(reporter=reporter, editor=editor, publisher=publisher, ratings=ratings)


@pytest.fixture
def claims(desk):
    published = desk.claim_in(ClaimStatus.PUBLISHED)
    corrected = desk.claim_in(ClaimStatus.CORRECTED)
    retracted = desk.claim_in(ClaimStatus.RETRACTED)
    unpublished = desk.claim_in(ClaimStatus.IN_REVIEW)
    for claim, words in (
        (published, "Published claim"),
        (corrected, "Corrected claim"),
        (retracted, "Retracted claim"),
        (unpublished, "Unpublished claim"),
    ):
        claim.text = f"{words} about bus fares."
        claim.save(update_fields=["text"])
    return published, corrected, retracted, unpublished


def test_the_atom_and_rss_feeds_list_published_fact_checks_only(client, claims):
    published = claims[0]
    atom = ET.fromstring(client.get(reverse("public:feed_atom")).content)
    titles = [entry.findtext(f"{ATOM}title") for entry in atom.iter(f"{ATOM}entry")]
    assert "Mostly true: Published claim about bus fares." in titles
    assert "Mostly true (retracted): Retracted claim about bus fares." in titles
    assert not [title for title in titles if "Unpublished" in title]
    links = [e.find(f"{ATOM}link").get("href") for e in atom.iter(f"{ATOM}entry")]
    assert f"http://testserver{public_url(published)}" in links
    rss = ET.fromstring(client.get(reverse("public:feed_rss")).content)
    assert len(rss.findall("./channel/item")) == 3


def test_the_corrections_feed_lists_corrections_and_retractions(client, claims):
    atom = ET.fromstring(client.get(reverse("public:corrections_atom")).content)
    titles = {entry.findtext(f"{ATOM}title") for entry in atom.iter(f"{ATOM}entry")}
    assert titles == {
        "Corrected: Corrected claim about bus fares.",
        "Retracted: Retracted claim about bus fares.",
    }
    rss = ET.fromstring(client.get(reverse("public:corrections_rss")).content)
    assert "We misread the table." in rss.findtext("./channel/item/description", "") + "".join(
        item.findtext("description", "") for item in rss.findall("./channel/item")
    )


def test_the_sitemaps_and_robots_point_at_the_public_pages_only(client, claims):
    published, unpublished = claims[0], claims[3]
    sitemap = ET.fromstring(client.get("/sitemap.xml").content)
    locations = {loc.text for loc in sitemap.iter(f"{SITEMAP}loc")}
    assert f"http://testserver{public_url(published)}" in locations
    assert not [loc for loc in locations if f"/fact-checks/{unpublished.pk}-" in loc]
    news = ET.fromstring(client.get("/sitemap-news.xml").content)
    assert len(list(news.iter(f"{SITEMAP}url"))) == 3
    robots = client.get("/robots.txt").content.decode()
    assert "Allow: /fact-checks/" in robots
    assert "Disallow: /\n" in robots
    assert "Sitemap: http://testserver/sitemap.xml" in robots


def test_the_data_feed_holds_every_published_claim_review(client, claims):
    published, corrected, retracted = claims[:3]
    response = client.get(reverse("public:data_feed"))
    feed = json.loads(b"".join(response.streaming_content))
    assert feed["@type"] == "DataFeed"
    reviewed = {element["item"][0]["claimReviewed"] for element in feed["dataFeedElement"]}
    assert reviewed == {published.text, corrected.text, retracted.text}
    assert_schema_org(feed)
