"""Claims and other newsrooms' fact checks embedded by a worker, and matched by meaning:
the same claim in other words is found; a short text is matched by its words only, and the
page says so."""

import numpy as np
import pytest
from django.urls import reverse

from factdesk.claims.models import Claim
from factdesk.claims.workflow import ClaimStatus
from factdesk.intake import embeddings, services
from factdesk.intake.matching import similar_claims
from factdesk.intake.models import (
    EMBEDDING_DIMENSIONS,
    ClaimEmbedding,
    ExternalFactCheck,
    FactCheckEmbedding,
)
from tests.claims.flow import Desk, log_claim
from tests.conftest import wait_until

JOBLESS = "The jobless rate has gone up twofold since the government took office two years ago."
# The same claim in other words: too few words in common to be matched by its words.
UNEMPLOYMENT = "Unemployment doubled in the last two years under this government, he said."


@pytest.fixture
def desk(reporter, editor, publisher, ratings):
    return Desk(reporter=reporter, editor=editor, publisher=publisher, ratings=ratings)


def test_vectors_are_unit_length_and_close_for_the_same_claim_in_other_words():
    jobless, unemployment, stadium = embeddings.embed(
        [JOBLESS, UNEMPLOYMENT, "The council approved a new stadium for the club next spring."]
    )
    assert jobless.shape == (EMBEDDING_DIMENSIONS,)
    assert np.linalg.norm(jobless) == pytest.approx(1, abs=1e-5)
    assert jobless @ unemployment > 0.5
    assert jobless @ stadium < 0.2


def test_a_logged_claim_and_an_imported_fact_check_are_embedded_by_the_worker(
    celery_worker, reporter, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        claim = log_claim(reporter, JOBLESS)
    wait_until(lambda: ClaimEmbedding.objects.filter(claim=claim).exists(), timeout=60)
    stored = ClaimEmbedding.objects.get(claim=claim)
    # Its wording and the quote it was logged with (which says more).
    assert stored.text_digest == services._digest(f"{JOBLESS} unemployment fell to 4%")
    assert np.array(stored.vector) @ embeddings.embed([JOBLESS])[0] > 0.8

    check = ExternalFactCheck.objects.create(
        url="https://checkers.example/jobless",
        claim_reviewed=UNEMPLOYMENT,
        origin=ExternalFactCheck.Origin.PAGE,
    )
    services.send_embed("fact_check", [check.pk])
    wait_until(lambda: FactCheckEmbedding.objects.filter(fact_check=check).exists(), timeout=60)


def test_an_unchanged_text_is_not_embedded_again_and_a_reworded_one_is(reporter):
    claim = log_claim(reporter, JOBLESS)
    assert services.embed_claims([claim.pk]) == 1
    assert services.embed_claims([claim.pk]) == 0
    Claim.objects.filter(pk=claim.pk).update(text=UNEMPLOYMENT)
    assert services.embed_claims([claim.pk]) == 1


def test_embed_missing_catches_up_on_claims_that_have_no_vector(reporter):
    claims = [log_claim(reporter, f"{JOBLESS} ({n})") for n in range(3)]
    assert services.embed_missing() == 3
    assert ClaimEmbedding.objects.filter(claim__in=claims).count() == 3
    assert services.embed_missing() == 0


def test_the_same_claim_in_other_words_is_already_checked_by_meaning(desk):
    checked = desk.claim_in(ClaimStatus.PUBLISHED)
    Claim.objects.filter(pk=checked.pk).update(text=JOBLESS, quote=JOBLESS)
    services.embed_claims([checked.pk])
    by_words_only = similar_claims(UNEMPLOYMENT[:40])  # under 8 words
    assert not by_words_only.by_meaning
    assert not by_words_only.checked
    matches = similar_claims(UNEMPLOYMENT)
    assert matches.by_meaning
    assert [m.claim.pk for m in matches.checked] == [checked.pk]
    assert matches.checked[0].rating == "Mostly true"


def test_checked_elsewhere_by_meaning(db):
    check = ExternalFactCheck.objects.create(
        url="https://checkers.example/jobless",
        claim_reviewed=JOBLESS,
        publisher="Checkers Weekly",
        rating_text="False",
        origin=ExternalFactCheck.Origin.PAGE,
    )
    services.embed_fact_checks([check.pk])
    assert [m.fact_check for m in similar_claims(UNEMPLOYMENT).elsewhere] == [check]


def test_a_fact_checks_headline_is_embedded_with_it_and_again_when_it_changes(db):
    check = ExternalFactCheck.objects.create(
        url="https://checkers.example/jobless",
        claim_reviewed=JOBLESS,
        headline="Has unemployment really doubled under this government?",
        origin=ExternalFactCheck.Origin.PAGE,
    )
    assert services.embed_fact_checks([check.pk]) == 1
    stored = FactCheckEmbedding.objects.get(fact_check=check)
    assert np.array(stored.vector) @ embeddings.embed([JOBLESS])[0] > 0.99
    assert np.array(stored.headline_vector) @ embeddings.embed([check.headline])[0] > 0.99
    assert services.embed_fact_checks([check.pk]) == 0  # unchanged

    retitled = "Jobless figures: what the minister left out"
    ExternalFactCheck.objects.filter(pk=check.pk).update(headline=retitled)
    assert services.embed_fact_checks([check.pk]) == 1
    stored.refresh_from_db()
    assert np.array(stored.headline_vector) @ embeddings.embed([retitled])[0] > 0.99

    # A headline that only repeats the claim adds no second vector of the same meaning.
    ExternalFactCheck.objects.filter(pk=check.pk).update(headline=JOBLESS.upper().rstrip("."))
    assert services.embed_fact_checks([check.pk]) == 1
    stored.refresh_from_db()
    assert stored.headline_vector is None


def test_the_panels_say_how_the_text_was_matched(client, desk):
    client.force_login(desk.editor)
    short = client.get(reverse("intake:similar"), {"text": "Unemployment doubled."})
    long = client.get(reverse("intake:similar"), {"text": UNEMPLOYMENT})
    # Nothing matches either: the "before logging" panel stays quiet, saying nothing.
    assert "matched-how" not in short.content.decode()
    claim = desk.claim_in(ClaimStatus.NEW)
    page = client.get(reverse("intake:claim_similar", args=[claim.pk])).content.decode()
    assert "Under 8 words: matched by its words only" in page  # "Unemployment fell to 4%…"
    Claim.objects.filter(pk=claim.pk).update(text=UNEMPLOYMENT, quote=UNEMPLOYMENT)
    page = client.get(reverse("intake:claim_similar", args=[claim.pk])).content.decode()
    assert "Matched by meaning and by their words." in page
    assert long.status_code == 200


def test_the_folded_model_is_kept_and_embeds_as_the_packaged_one(tmp_path, monkeypatch):
    monkeypatch.setenv("EMBEDDING_CACHE_DIR", str(tmp_path))
    folded = embeddings.Embedder()
    (kept,) = tmp_path.iterdir()
    assert kept.name.startswith("minilm-")
    monkeypatch.setenv("EMBEDDING_CACHE_DIR", "/proc/not-writable")
    packaged = embeddings.Embedder()  # the cache cannot be written: the packaged file
    assert folded.embed([JOBLESS])[0] @ packaged.embed([JOBLESS])[0] > 0.999
