"""Evidence passages ranked against the claim, highlighted, and pinned."""

from collections import Counter

import pytest
from django.urls import reverse

from factdesk.claims import services as claim_services
from factdesk.claims.models import Activity, Claimant
from factdesk.sources import services
from factdesk.sources.passages import bm25_scores, rank_passages, split_passages
from tests.factories import SnapshotFactory

TEXT = (
    "The office publishes labour statistics every month.\n\n"
    "In March, unemployment fell to 4.2 per cent, down from 4.5 per cent a year earlier.\n\n"
    "Wages rose by 3 per cent.\n\n"
    "Employment in Zürich grew faster than anywhere else."
)


@pytest.fixture
def citation(reporter, ratings):
    claimant = Claimant.objects.create(name="A. Minister")
    claim = claim_services.claim_create(
        actor=reporter,
        text="Unemployment fell in March.",
        claimant=claimant,
        quote="unemployment fell",
        medium="speech",
        source_description="Speech",
    )
    cited = services.citation_add(actor=reporter, claim=claim, url="https://stats.example/lm")
    SnapshotFactory(source=cited.source, text=TEXT)
    return cited


def test_passages_are_paragraphs_and_a_heading_joins_the_next():
    first, second = "Rates fell sharply this spring. " * 3, "Wages rose again. " * 4
    assert split_passages(f"Labour market\n\n{first}\n\n{second}") == [
        f"Labour market {first.strip()}",
        second.strip(),
    ]


def test_the_passage_that_matches_the_claim_comes_first_and_is_highlighted(citation):
    ranked = rank_passages(citation.claim.text, {citation.pk: TEXT})[citation.pk]
    assert ranked[0].text.startswith("In March, unemployment fell")
    assert "<mark>unemployment</mark> <mark>fell</mark>" in ranked[0].highlighted
    assert all("Wages rose" not in passage.text for passage in ranked)  # shares no word


def test_the_claim_page_loads_passages_and_an_editor_pins_one(client, citation, reporter):
    client.force_login(reporter)
    url = reverse("sources:passages", args=[citation.claim_id])
    fragment = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert "Pin as evidence" in fragment
    passage = "In March, unemployment fell to 4.2 per cent, down from 4.5 per cent a year earlier."
    client.post(reverse("sources:pin", args=[citation.claim_id, citation.pk]), {"passage": passage})
    citation.refresh_from_db()
    assert citation.pinned == [passage]
    assert Activity.objects.filter(action="citation.pinned", claim=citation.claim).exists()
    page = client.get(url).content.decode()  # without htmx: a whole page
    assert "<html" in page
    assert "Unpin" in page


def test_a_passage_not_in_the_source_cannot_be_pinned(citation, reporter):
    with pytest.raises(services.DeskError, match="not in the archived copy"):
        services.citation_pin(actor=reporter, citation=citation, passage="Invented words.")


def test_a_rare_word_of_the_claim_outweighs_a_common_one():
    # Lexeme counts per passage: "council" is in three of four, "zurich" in one.
    passages = [
        Counter(council=1, budget=1),
        Counter(zurich=1, budget=1),
        Counter(council=2),
        Counter(council=1, librari=1),
    ]
    scores = bm25_scores(Counter(council=1, zurich=1), passages)
    assert scores[1] == max(scores)
    assert scores[2] > scores[0]  # the word twice counts more than once (but not double)
    assert scores[2] < 2 * scores[0]


def test_the_passage_with_the_accent_free_match_is_found(citation):
    ranked = rank_passages("Employment grew in Zurich.", {citation.pk: TEXT})[citation.pk]
    assert "Employment in Zürich grew faster" in ranked[0].text
    assert "<mark>Zürich</mark>" in ranked[0].highlighted
