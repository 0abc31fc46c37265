"""The desk's own check-worthiness model: decisions gathered from what editors did, a
model trained and put in use only when it scores at least as well on decisions held back,
through a real worker, and the version that suggested a claim recorded."""

import html

import pytest
from django.urls import reverse

from factdesk.articles.services import article_create
from factdesk.claims.models import Activity, Claimant
from factdesk.claims.services import claim_create
from factdesk.intake import learning
from factdesk.intake.learning import Example, train
from factdesk.intake.models import SuggestionLogged, TriageDone, WorthinessModel
from factdesk.intake.selectors import article_intake
from factdesk.intake.services import (
    article_triage_done,
    sentence_not_a_claim,
    worthiness_decisions,
    worthiness_retrain,
)
from factdesk.intake.tasks import worthiness_retrain as retrain_task
from tests.conftest import wait_until

TEXT = (
    "The depot cost £9.4m, auditors said on Monday.\n"
    "What a lovely morning it was for everyone!\n"
    "Maren Holt said bus ridership doubled after the fare cut.\n"
    "Share this article"
)


def kiwi_desk(editor, articles: int) -> None:
    """Articles whose logged sentence mentions a kiwi and whose others do not: a pattern
    the rules cannot see and a model learns."""
    holt = Claimant.objects.get_or_create(name="Maren Holt")[0]
    for n in range(articles):
        article = article_create(
            actor=editor,
            title=f"Market report {n}",
            text=f"The kiwi stall number {n} opened early today.\n"
            f"Traders met near the old square number {n} at noon.\n"
            f"Shoppers walked along the river path number {n} later.",
        )
        claim_create(
            actor=editor,
            article=article,
            claimant=holt,
            quote=f"The kiwi stall number {n} opened early today.",
            text=f"Stall {n} opened.",
        )
        article_triage_done(actor=editor, article=article)


def test_a_model_learns_a_pattern_the_rules_cannot_see():
    examples = [Example(f"The kiwi stall number {n} opened.", True) for n in range(20)]
    examples += [Example(f"The apple stall number {n} opened.", False) for n in range(60)]
    model = train(examples)
    assert model.probability("A kiwi stall opened.") > model.probability("An apple stall opened.")
    assert train(examples).as_json() == model.as_json()  # the same decisions, the same model


def test_decisions_are_logged_sentences_not_a_claim_and_the_rest_of_triaged_articles(editor):
    article = article_create(actor=editor, title="Depot", text=TEXT)
    claim_create(
        actor=editor,
        article=article,
        claimant=Claimant.objects.create(name="Auditors"),
        quote="cost £9.4m",
        text="The depot cost £9.4m.",
    )
    start = TEXT.index("Maren Holt")
    sentence_not_a_claim(actor=editor, article=article, start=start, end=start + 57)
    assert {(e.text, e.positive) for e in worthiness_decisions()} == {
        ("The depot cost £9.4m, auditors said on Monday.", True),
        ("Maren Holt said bus ridership doubled after the fare cut.", False),
    }
    article_triage_done(actor=editor, article=article)
    article_triage_done(actor=editor, article=article)  # twice: once
    assert TriageDone.objects.count() == 1
    assert Activity.objects.filter(action="article.triage_done").count() == 1
    negatives = {e.text for e in worthiness_decisions() if not e.positive}
    assert "What a lovely morning it was for everyone!" in negatives
    assert "Share this article" not in negatives  # furniture is no decision


def test_nothing_is_trained_before_enough_new_decisions(editor, settings):
    settings.WORTHINESS_RETRAIN_AFTER = 1000
    kiwi_desk(editor, 10)
    assert worthiness_retrain() is None
    assert not WorthinessModel.objects.exists()


def test_a_model_that_scores_at_least_as_well_is_put_in_use_and_ranks_the_page(
    client, editor, settings
):
    settings.WORTHINESS_RETRAIN_AFTER = 10
    kiwi_desk(editor, 12)
    row = worthiness_retrain()
    assert row is not None
    assert row.active
    assert row.decisions == 36
    assert row.held_back_ap >= row.previous_ap
    article = article_create(
        actor=editor,
        title="Market",
        text="Traders met near the old square at noon today.\n"
        "The kiwi stall opened early again today.",
    )
    intake = article_intake(article, [])
    assert intake.model_version == row.pk
    assert intake.suggestions[0].sentence.text == "The kiwi stall opened early again today."
    client.force_login(editor)
    page = html.unescape(client.get(article.get_absolute_url()).content.decode())
    assert f"Ranked by the desk's own model, version {row.pk}" in page


def test_a_new_model_that_scores_worse_is_kept_out_of_use(editor, settings):
    """Twenty reports alike but for their numbers; five were logged. The new model cannot
    tell them apart (each number is seen once), so on the decisions held back (every fifth:
    reports 0, 5, 10, 15) it ranks them in order, a negative first. The model in use was
    given the numbers of reports 5 and 10: it ranks both first. The new one stays out."""
    settings.WORTHINESS_RETRAIN_AFTER = 1
    lines = [f"Report item alpha-{n} filed." for n in range(20)]
    article = article_create(actor=editor, title="Reports", text="\n".join(lines))
    clerk = Claimant.objects.create(name="The clerk")
    for n in (1, 2, 5, 7, 10):
        claim_create(actor=editor, article=article, claimant=clerk, quote=lines[n], text=lines[n])
    article_triage_done(actor=editor, article=article)
    knowing = learning.Model(bias=-5.0, weights={"w:alpha-5": 40.0, "w:alpha-10": 40.0})
    old = WorthinessModel.objects.create(
        decisions=0, held_back_ap=1.0, previous_ap=0.0, weights=knowing.as_json(), active=True
    )
    row = worthiness_retrain()
    assert row is not None
    assert row.previous_ap == 1.0
    assert row.held_back_ap == pytest.approx((1 / 2 + 2 / 3) / 2)
    assert not row.active
    assert WorthinessModel.objects.get(active=True) == old


def test_the_retraining_task_runs_on_a_real_worker(celery_worker, editor):
    kiwi_desk(editor, 6)
    retrain_task.delay(force=True)
    wait_until(lambda: WorthinessModel.objects.exists(), what="a model trained by the worker")
    assert WorthinessModel.objects.get().decisions == 18


def test_a_claim_logged_from_a_suggestion_records_the_model_that_suggested_it(client, editor):
    article = article_create(actor=editor, title="Depot", text=TEXT)
    suggestion = article_intake(article, []).suggestions[0]
    client.force_login(editor)
    client.post(
        reverse("articles:log_claim", args=[article.pk]),
        {
            "idempotency_key": str(suggestion.key),
            "quote": suggestion.sentence.text,
            "quote_start": suggestion.sentence.start,
            "quote_end": suggestion.sentence.end,
            "text": suggestion.wording,
            "claimant_name": "Auditors",
            "suggested_by": "0",
            "suggested_score": f"{suggestion.scored.score:.4f}",
        },
        HTTP_HX_REQUEST="true",
    )
    logged = SuggestionLogged.objects.get()
    assert logged.model_version == 0
    assert logged.score == pytest.approx(suggestion.scored.score, abs=1e-4)


def test_triage_done_is_refused_to_an_outsider(client, outsider, editor):
    article = article_create(actor=editor, title="Depot", text=TEXT)
    client.force_login(outsider)
    assert client.post(reverse("articles:triage_done", args=[article.pk])).status_code == 403
    assert not TriageDone.objects.exists()
