"""Fact checks by other newsrooms, read from their pages' ClaimReview (JSON-LD and
microdata) over a local server, then found beside claims like them."""

import html
import json

import pytest
from django.urls import reverse

from factdesk.claims.models import Activity
from factdesk.core.errors import DeskError
from factdesk.intake.claimreview import read_claim_reviews
from factdesk.intake.matching import similar_claims
from factdesk.intake.models import ExternalFactCheck
from factdesk.intake.services import external_fact_checks_from_page
from tests.servers import local_site

CLAIM = "Bus ridership in Harbridge doubled after the fare cut."


def jsonld_page(review: dict) -> bytes:
    return (
        "<html><head><title>Fact check</title><script type='application/ld+json'>"
        + json.dumps(review)
        + "</script></head><body><p>Our verdict.</p></body></html>"
    ).encode()


REVIEW = {
    "@context": "https://schema.org",
    "@type": "ClaimReview",
    "url": "https://checkers.example/harbridge-buses",
    "claimReviewed": CLAIM,
    "datePublished": "2026-03-04",
    "author": {"@type": "Organization", "name": "Checkers Weekly"},
    "itemReviewed": {
        "@type": "Claim",
        "author": {"@type": "Person", "name": "Maren Holt"},
    },
    "reviewRating": {
        "@type": "Rating",
        "ratingValue": 2,
        "bestRating": 5,
        "worstRating": 1,
        "alternateName": "Mostly false",
    },
}

MICRODATA = b"""<html><body>
<div itemscope itemtype="https://schema.org/ClaimReview">
  <link itemprop="url" href="https://other.example/check/7">
  <span itemprop="claimReviewed">The council cut road repairs by a third.</span>
  <div itemprop="author" itemscope itemtype="https://schema.org/Organization">
    <span itemprop="name">Other Checkers</span></div>
  <meta itemprop="datePublished" content="2026-02-01">
  <div itemprop="reviewRating" itemscope itemtype="https://schema.org/Rating">
    <span itemprop="alternateName">True</span></div>
</div></body></html>"""


@pytest.fixture
def site(settings):
    with local_site("127.0.0.21", settings) as pages:
        yield pages


def test_json_ld_is_read_with_its_rating_scale_and_claimant():
    [review] = read_claim_reviews(jsonld_page(REVIEW).decode(), "https://checkers.example/x")
    assert review.claim_reviewed == CLAIM
    assert (review.publisher, review.claimant) == ("Checkers Weekly", "Maren Holt")
    assert (review.rating_text, review.rating_value) == ("Mostly false", 0.25)
    assert str(review.date_published) == "2026-03-04"


def test_microdata_is_read_too_and_a_label_without_a_number_has_no_value():
    [review] = read_claim_reviews(MICRODATA.decode(), "https://other.example/check/7")
    assert review.claim_reviewed == "The council cut road repairs by a third."
    assert (review.publisher, review.rating_text, review.rating_value) == (
        "Other Checkers",
        "True",
        None,
    )


HEADLINE = "Did Harbridge's cheaper fares really double bus use?"


@pytest.mark.parametrize("key", ["headline", "name"])
def test_the_headline_is_the_claim_reviews_own(key):
    page = jsonld_page({**REVIEW, key: HEADLINE})
    [review] = read_claim_reviews(page.decode(), "https://checkers.example/x")
    assert (review.headline, review.claim_reviewed) == (HEADLINE, CLAIM)


def test_without_one_the_headline_is_the_pages_article_and_none_without_either():
    article = {"@type": "NewsArticle", "headline": HEADLINE, "author": REVIEW["author"]}
    page = jsonld_page({"@context": "https://schema.org", "@graph": [article, REVIEW]})
    [review] = read_claim_reviews(page.decode(), "https://checkers.example/x")
    assert review.headline == HEADLINE
    [review] = read_claim_reviews(jsonld_page(REVIEW).decode(), "https://checkers.example/x")
    assert review.headline == ""  # the page's <title> is not taken: it names the site too


def test_the_article_a_claim_review_is_nested_in_gives_the_headline():
    article = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": HEADLINE,
        "review": {key: value for key, value in REVIEW.items() if key != "@context"},
    }
    [review] = read_claim_reviews(jsonld_page(article).decode(), "https://checkers.example/x")
    assert (review.headline, review.claim_reviewed) == (HEADLINE, CLAIM)


def test_a_claim_reviews_own_headline_wins_over_the_pages():
    article = {"@type": "NewsArticle", "headline": "Harbridge buses: the week in fares"}
    page = jsonld_page({"@context": "https://schema.org", "@graph": [article, REVIEW]})
    [review] = read_claim_reviews(page.decode(), "https://checkers.example/x")
    assert review.headline == "Harbridge buses: the week in fares"
    reviewed = {**REVIEW, "headline": HEADLINE}
    page = jsonld_page({"@context": "https://schema.org", "@graph": [article, reviewed]})
    [review] = read_claim_reviews(page.decode(), "https://checkers.example/x")
    assert review.headline == HEADLINE


MICRODATA_ARTICLE = b"""<html><body>
<article itemscope itemtype="https://schema.org/NewsArticle">
  <h1 itemprop="headline">Did the council really cut road repairs by a third?</h1>
  <div itemprop="review" itemscope itemtype="https://schema.org/ClaimReview">
    <link itemprop="url" href="https://other.example/check/7">
    <span itemprop="claimReviewed">The council cut road repairs by a third.</span>
    <div itemprop="author" itemscope itemtype="https://schema.org/Organization">
      <span itemprop="name">Other Checkers</span></div>
    <div itemprop="reviewRating" itemscope itemtype="https://schema.org/Rating">
      <span itemprop="alternateName">True</span></div>
  </div>
</article></body></html>"""


def test_a_microdata_articles_headline_is_read_too():
    [review] = read_claim_reviews(MICRODATA_ARTICLE.decode(), "https://other.example/check/7")
    assert review.headline == "Did the council really cut road repairs by a third?"
    assert (review.claim_reviewed, review.publisher, review.rating_text) == (
        "The council cut road repairs by a third.",
        "Other Checkers",
        "True",
    )
    [review] = read_claim_reviews(MICRODATA.decode(), "https://other.example/check/7")
    assert review.headline == ""


def test_a_graph_holding_two_reviews_gives_both():
    second = {**REVIEW, "url": "https://checkers.example/other", "claimReviewed": "Fares fell."}
    page = jsonld_page({"@context": "https://schema.org", "@graph": [REVIEW, second]})
    assert len(read_claim_reviews(page.decode(), "https://checkers.example/")) == 2


def test_importing_a_page_over_the_guarded_client_saves_it_once_and_matches_it(site, editor, db):
    site["/harbridge-buses"] = (200, {"Content-Type": "text/html"}, jsonld_page(REVIEW))
    url = f"{site.base}/harbridge-buses"
    for _ in range(2):  # importing again updates, never duplicates
        [row] = external_fact_checks_from_page(actor=editor, url=url)
    assert ExternalFactCheck.objects.count() == 1
    assert (row.origin, row.imported_by) == ("page", editor)
    assert Activity.objects.filter(action="external.imported").count() == 1
    matches = similar_claims("Harbridge bus ridership has doubled since the fare cut.")
    assert [m.fact_check for m in matches.elsewhere] == [row]


@pytest.mark.parametrize(
    ("path", "page", "message"),
    [
        (
            "/plain",
            b"<html><body><p>No markup here.</p></body></html>",
            "has no ClaimReview markup",
        ),
        (
            "/broken",
            b'<html><script type=\'application/ld+json\'>{"@type": "ClaimReview",</script></html>',
            "has no ClaimReview markup",
        ),
        (
            "/nameless",
            jsonld_page({"@type": "ClaimReview", "reviewRating": {"ratingValue": 1}}),
            "does not say which claim it reviews",
        ),
    ],
    ids=["no-markup", "malformed-json", "no-claim"],
)
def test_a_page_without_a_usable_claim_review_is_refused_in_words(
    site, editor, db, path, page, message
):
    site[path] = (200, {"Content-Type": "text/html"}, page)
    with pytest.raises(DeskError, match=message):
        external_fact_checks_from_page(actor=editor, url=f"{site.base}{path}")
    assert not ExternalFactCheck.objects.exists()


def test_an_address_that_fails_says_why(site, editor, db, settings):
    with pytest.raises(DeskError, match="The server answered 404 Not Found"):
        external_fact_checks_from_page(actor=editor, url=f"{site.base}/missing")
    settings.FETCH_ALLOW_NETWORKS = []
    with pytest.raises(DeskError, match="private network"):
        external_fact_checks_from_page(actor=editor, url=f"{site.base}/missing")
    with pytest.raises(DeskError, match="not a web address"):
        external_fact_checks_from_page(actor=editor, url="checkers dot example")


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("", "Paste the address of a fact-check page."),
        ("https://x.example/" + "a" * 2100, "A web address is at most 2,000 characters"),
    ],
    ids=["empty", "over-size"],
)
def test_the_import_form_refuses_empty_and_over_size_input(client, editor, url, message):
    client.force_login(editor)
    response = client.post(reverse("intake:elsewhere"), {"url": url})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not ExternalFactCheck.objects.exists()


def test_the_import_form_imports_and_lists_it_and_an_outsider_is_refused(
    client, site, editor, outsider
):
    site["/check"] = (200, {"Content-Type": "text/html"}, jsonld_page({**REVIEW, "name": HEADLINE}))
    client.force_login(editor)
    response = client.post(reverse("intake:elsewhere"), {"url": f"{site.base}/check"}, follow=True)
    body = html.unescape(response.content.decode())
    assert "Read 1 fact check from the page" in body
    assert "Checkers Weekly" in body
    # Listed by its headline, with the claim it reviews.
    assert f'target="_blank">{HEADLINE}</a><div>Claim reviewed: \u201c{CLAIM}\u201d</div>' in body
    client.force_login(outsider)
    assert client.get(reverse("intake:elsewhere")).status_code == 403
