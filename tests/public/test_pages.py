"""Public fact-check pages: published content only, a 404 for a claim never published, the
newest published version while a correction is worked on, a retraction's notice, valid
ClaimReview, and HTTP caching."""

import gzip
import html
import json
from pathlib import Path

import extruct
import pytest
from django.urls import reverse

from factdesk.claims import services
from factdesk.claims.models import Claim
from factdesk.claims.workflow import ClaimStatus
from factdesk.public.views import public_url
from factdesk.sources.models import Citation, Source
from tests.claims.flow import Desk, approve, draft, move

VOCABULARY = (
    Path(__file__).resolve().parent.parent / "data" / "schemaorg-current-https-30.0.jsonld.gz"
)
DRAFT_CONCLUSION = "A draft nobody outside may read."
COMMENT = "Internal: ring the statistics office first."

NEVER_PUBLISHED = [
    ClaimStatus.NEW,
    ClaimStatus.RESEARCHING,
    ClaimStatus.IN_REVIEW,
    ClaimStatus.APPROVED,
    ClaimStatus.DISMISSED,
    ClaimStatus.DUPLICATE,
]
PUBLISHED = [
    ClaimStatus.PUBLISHED,
    "correction_researching",
    "correction_in_review",
    "correction_approved",
    ClaimStatus.CORRECTED,
    ClaimStatus.RETRACTED,
]


@pytest.fixture
def desk(reporter, editor, publisher, ratings):
    return Desk(reporter=reporter, editor=editor, publisher=publisher, ratings=ratings)


def text_of(response) -> str:
    return html.unescape(response.content.decode())


def with_secrets(desk: Desk, claim: Claim) -> Claim:
    """What never leaves the desk: a comment, an assignee, and (while the claim can take one)
    a draft whose conclusion is distinctive."""
    services.comment_add(actor=desk.editor, claim=claim, body=COMMENT)
    services.claim_assign(actor=desk.editor, claim=claim, assignee=desk.editor)
    claim.refresh_from_db()
    if claim.status == ClaimStatus.RESEARCHING:
        correcting = claim.published_at is not None
        note = "A correction note nobody outside may read." if correcting else ""
        draft(claim, desk.reporter, desk.rating, conclusion=DRAFT_CONCLUSION, correction_note=note)
    return claim


@pytest.mark.parametrize("state", NEVER_PUBLISHED + PUBLISHED)
def test_every_public_url_in_every_state_shows_published_content_only(client, desk, state):
    claim = with_secrets(desk, desk.claim_in(state))
    desk.editor.first_name, desk.editor.last_name = "Editha", "Quill"
    desk.editor.save()
    page = client.get(f"/fact-checks/{claim.pk}/", follow=True)
    index = text_of(client.get(reverse("public:index")))
    corrections = text_of(client.get(reverse("public:corrections")))
    claimant = client.get(f"/fact-checks/claimants/{claim.claimant_id}/", follow=True)
    if state in NEVER_PUBLISHED:
        assert page.status_code == 404  # not a 403: nothing says the claim exists
        assert claimant.status_code == 404  # nor that the claimant is on the desk
        assert claim.text not in index
    else:
        assert page.status_code == 200
        assert claimant.status_code == 200
        assert claim.text in index
        assert claim.text in text_of(claimant)
    for answer in (text_of(page), index, corrections, text_of(claimant)):
        assert DRAFT_CONCLUSION not in answer
        assert COMMENT not in answer
        assert "Editha" not in answer


def test_a_correction_in_progress_shows_the_last_published_version(client, desk):
    claim = desk.claim_in("correction_in_review")
    page = text_of(client.get(public_url(claim)))
    assert "It fell to 4.2%." in page  # the published conclusion
    assert "We misread the table." not in page  # the correction's note, not yet published


def test_a_published_correction_shows_its_notice_and_the_earlier_version_stays_readable(
    client, desk
):
    claim = desk.claim_in(ClaimStatus.CORRECTED)
    page = text_of(client.get(public_url(claim)))
    assert "We misread the table." in page
    first = text_of(client.get(public_url(claim) + "?version=1"))
    assert "You are reading version 1" in first
    assert client.get(public_url(claim) + "?version=9").status_code == 404
    log = text_of(client.get(reverse("public:corrections")))
    assert "We misread the table." in log


def test_a_retracted_fact_check_stays_struck_through_with_its_notice(client, desk):
    claim = desk.claim_in(ClaimStatus.RETRACTED)
    page = text_of(client.get(public_url(claim)))
    assert "Retracted on" in page
    assert "The figures were misread." in page
    assert 'class="struck"' in page
    assert "The figures were misread." in text_of(client.get(reverse("public:corrections")))


def test_the_address_follows_the_wording_and_old_ones_redirect(client, desk):
    claim = desk.claim_in(ClaimStatus.PUBLISHED)
    canonical = public_url(claim)
    assert canonical.startswith(f"/fact-checks/{claim.pk}-unemployment-fell")
    for old in (f"/fact-checks/{claim.pk}/", f"/fact-checks/{claim.pk}-old-words/"):
        response = client.get(old)
        assert response.status_code == 301
        assert response.url == canonical


def test_the_page_shows_the_quote_the_claimant_the_rating_and_the_sources_readers_saw(client, desk):
    claim = desk.claim_in(ClaimStatus.PUBLISHED)
    source = Source.objects.create(
        url="https://stats.example/labour",
        canonical_url="https://stats.example/labour",
        added_by=desk.reporter,
    )
    cited = Citation.objects.create(
        claim=claim,
        source=source,
        stance=Citation.Stance.SUPPORTS,
        pinned=["Unemployment was 4.2 per cent."],
        note="Internal note on the source.",
        added_by=desk.reporter,
    )
    # Cited before the verdict was published (as it would have been).
    Citation.objects.filter(pk=cited.pk).update(created_at=claim.published_at)
    later = Source.objects.create(
        url="https://late.example/", canonical_url="https://late.example/", added_by=desk.reporter
    )
    Citation.objects.create(claim=claim, source=later, added_by=desk.reporter)
    page = text_of(client.get(public_url(claim)))
    assert "“unemployment fell to 4%”" in page
    assert "A. Minister" in page
    assert "Mostly true" in page
    assert "Official statistics show 4.2%." in page
    assert "Unemployment was 4.2 per cent." in page  # the pinned passage, quoted
    assert "Internal note on the source." not in page
    assert "late.example" not in page  # cited after publication: not what readers saw


def test_the_page_carries_one_valid_claim_review(client, desk, settings):
    settings.ORGANISATION_NAME = "Harbridge Ledger Fact Check"
    claim = desk.claim_in(ClaimStatus.PUBLISHED)
    url = public_url(claim)
    found = extruct.extract(
        client.get(url).content.decode(), base_url=f"http://testserver{url}", syntaxes=["json-ld"]
    )["json-ld"]
    reviews = [item for item in found if item.get("@type") == "ClaimReview"]
    assert len(reviews) == 1
    review = reviews[0]
    # Google's required fields, and the recommended ones.
    assert review["claimReviewed"] == claim.text
    assert review["url"] == f"http://testserver{url}"
    assert review["author"] == {"@type": "Organization", "name": "Harbridge Ledger Fact Check"}
    assert review["reviewRating"]["alternateName"] == "Mostly true"
    assert review["datePublished"] == claim.published_at.date().isoformat()
    item = review["itemReviewed"]
    assert item["@type"] == "Claim"
    assert item["author"] == {"@type": "Person", "name": "A. Minister"}
    assert item["datePublished"] == claim.claimed_on.isoformat()
    rating = review["reviewRating"]
    assert rating["worstRating"] <= rating["ratingValue"] <= rating["bestRating"]
    assert_schema_org(review)


def schema_org_terms() -> set[str]:
    graph = json.loads(gzip.decompress(VOCABULARY.read_bytes()))["@graph"]
    return {node["@id"].removeprefix("schema:") for node in graph}


def assert_schema_org(node, terms=None) -> None:
    """Every type and property of the JSON-LD is a term of schema.org's vocabulary."""
    terms = terms or schema_org_terms()
    if isinstance(node, list):
        for item in node:
            assert_schema_org(item, terms)
    elif isinstance(node, dict):
        for key, value in node.items():
            if key == "@type":
                assert value in terms, f"{value} is not a schema.org type"
            elif not key.startswith("@"):
                assert key in terms, f"{key} is not a schema.org property"
                assert_schema_org(value, terms)


def test_a_label_without_a_number_is_published_by_name_only(client, desk, ratings):
    claim = desk.claim_in(ClaimStatus.PUBLISHED)
    rating = claim.verdicts.get().rating
    rating.value = None
    rating.save()
    found = extruct.extract(client.get(public_url(claim)).content.decode(), syntaxes=["json-ld"])
    assert found["json-ld"][0]["reviewRating"] == {
        "@type": "Rating",
        "alternateName": "Mostly true",
    }


def test_pages_can_be_cached_and_revalidated(client, desk):
    claim = desk.claim_in(ClaimStatus.PUBLISHED)
    first = client.get(public_url(claim))
    assert "public" in first["Cache-Control"]
    assert "max-age=300" in first["Cache-Control"]
    assert first.has_header("Last-Modified")
    again = client.get(public_url(claim), headers={"If-None-Match": first["ETag"]})
    assert again.status_code == 304


def test_the_index_filters_and_the_methodology_explains_the_scale(client, desk, ratings):
    published = desk.claim_in(ClaimStatus.PUBLISHED)
    by_rating = text_of(client.get(reverse("public:index"), {"rating": ratings["False"].pk}))
    assert published.text not in by_rating
    by_right_rating = text_of(
        client.get(reverse("public:index"), {"rating": ratings["Mostly true"].pk})
    )
    assert published.text in by_right_rating
    assert published.text not in text_of(client.get(reverse("public:index"), {"q": "bananas"}))
    methodology = text_of(client.get(reverse("public:methodology")))
    for label, rating in ratings.items():
        assert label in methodology
        assert rating.description in methodology


def test_a_page_is_rendered_once_per_version_and_a_correction_shows_at_once(
    client, desk, django_assert_num_queries
):
    claim = desk.claim_in(ClaimStatus.PUBLISHED)
    url = public_url(claim)
    first = client.get(url)
    with django_assert_num_queries(1):  # when the page last changed; the page itself is kept
        again = client.get(url)
    assert again.content == first.content
    assert again["Cache-Control"] == first["Cache-Control"]
    claim = move(claim, desk.publisher, ClaimStatus.RESEARCHING)
    draft(claim, desk.reporter, desk.rating, correction_note="The table was misread.")
    claim = move(claim, desk.reporter, ClaimStatus.IN_REVIEW)
    approve(claim, desk.editor)
    move(claim, desk.publisher, ClaimStatus.CORRECTED)
    assert "The table was misread." in client.get(url).content.decode()


def test_a_claimants_page_tallies_what_readers_see(client, desk, ratings):
    published = desk.claim_in(ClaimStatus.PUBLISHED)  # Mostly true
    in_correction = desk.claim_in("correction_in_review")  # still Mostly true to readers
    retracted = desk.claim_in(ClaimStatus.RETRACTED)  # listed, struck, not counted
    desk.claim_in(ClaimStatus.IN_REVIEW)  # never published: nowhere
    first = client.get(f"/fact-checks/claimants/{published.claimant_id}/")
    assert first.status_code == 301  # to the address with the name
    page = client.get(first["Location"])
    body = text_of(page)
    assert "in 3 fact checks" in body
    tally = body.split('data-testid="claimant-tally"')[1].split("</ul>")[0]
    assert "Mostly true</span> 2" in tally
    assert tally.count("<li>") == 1
    listed = body.split('data-testid="claimant-fact-checks"')[1]
    for claim in (published, in_correction, retracted):
        assert f"/fact-checks/{claim.pk}/" in listed
    assert 'class="struck"' in listed
    assert client.get("/fact-checks/claimants/999999/").status_code == 404
    # Linked from the fact check's page and the index.
    short = f"/fact-checks/claimants/{published.claimant_id}/"
    assert short in text_of(client.get(f"/fact-checks/{published.pk}/", follow=True))
    assert short in text_of(client.get(reverse("public:index")))


def test_the_newsrooms_logo_and_colour(client, desk, settings):
    settings.SITE_LOGO_URL = "/static/factdesk/favicon.svg"
    settings.SITE_COLOUR = "#aa3300"
    index = text_of(client.get(reverse("public:index")))
    assert '<img class="logo" src="/static/factdesk/favicon.svg" alt=""' in index
    css = client.get(reverse("public:brand_styles"))
    assert css["Content-Type"] == "text/css"
    assert css.content.decode() == ".public{--accent:#aa3300}"
