"""Thin tasks: call a service. The decisions in PostgreSQL say whether there is work."""

from __future__ import annotations

from celery import shared_task

from factdesk.intake import services


@shared_task(name="factdesk.intake.tasks.worthiness_retrain", ignore_result=True, max_retries=0)
def worthiness_retrain(force: bool = False) -> int | None:
    """Hourly (beat), and when asked: train the desk's model if enough new decisions exist.
    Returns the new model's id, if one was trained."""
    row = services.worthiness_retrain(force=force)
    return row.pk if row else None


@shared_task(name="factdesk.intake.tasks.embed", ignore_result=True, max_retries=3)
def embed(kind: str, ids: list[int]) -> int:
    """Embed claims (kind "claim") or external fact checks ("fact_check") by id."""
    if kind == "claim":
        return services.embed_claims(ids)
    return services.embed_fact_checks(ids)


@shared_task(name="factdesk.intake.tasks.embed_missing", ignore_result=True, max_retries=0)
def embed_missing() -> int:
    """Every few minutes (beat): whatever has no vector yet."""
    return services.embed_missing()


@shared_task(name="factdesk.intake.tasks.feed_import", ignore_result=True, max_retries=0)
def feed_import(feed_id: int) -> None:
    """Read a ClaimReview feed an editor gave (intake/feeds.py)."""
    from factdesk.intake.feeds import feed_import_run

    feed_import_run(feed_id)


@shared_task(name="factdesk.intake.tasks.search_google", ignore_result=True, max_retries=0)
def search_google(claim_id: int) -> int:
    """A claim just logged, searched on Google's Fact Check Tools (when opted in)."""
    from factdesk.intake.google import search_for_claim

    return len(search_for_claim(claim_id))
