"""The audit trail: every service that changes the desk writes one Activity per change."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.contrib.auth.models import User
from django.db import models

from factdesk.claims.models import Activity, Claim


def _jsonable(value: Any) -> Any:
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    if isinstance(value, models.Choices):
        return value.value
    return value


def field_values(instance: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    """The current values of `fields`, as they would read in the timeline."""
    return {name: _jsonable(getattr(instance, name)) for name in fields}


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    return {
        name: [before.get(name), value]
        for name, value in after.items()
        if before.get(name) != value
    }


def activity(
    *,
    actor: User,
    action: str,
    target: models.Model,
    summary: str,
    claim: Claim | None = None,
    changes: dict[str, list[Any]] | None = None,
) -> Activity:
    """An unsaved Activity (for bulk_create, when one action changes many rows)."""
    return Activity(
        actor=actor,
        action=action,
        claim=claim,
        target_type=target._meta.model_name or "",
        target_id=target.pk,
        summary=summary[:300],
        changes=changes or {},
    )


def record(
    *,
    actor: User,
    action: str,
    target: models.Model,
    summary: str,
    claim: Claim | None = None,
    changes: dict[str, list[Any]] | None = None,
) -> Activity:
    entry = activity(
        actor=actor, action=action, target=target, summary=summary, claim=claim, changes=changes
    )
    entry.save()
    return entry


def creation(
    *,
    actor: User,
    action: str,
    target: models.Model,
    fields: Iterable[str],
    summary: str,
    claim: Claim | None = None,
) -> Activity:
    """An unsaved creation Activity: the initial state, every field with `before` empty."""
    return activity(
        actor=actor,
        action=action,
        target=target,
        claim=claim,
        summary=summary,
        changes={name: [None, value] for name, value in field_values(target, fields).items()},
    )


def record_creation(
    *,
    actor: User,
    action: str,
    target: models.Model,
    fields: Iterable[str],
    summary: str,
    claim: Claim | None = None,
) -> Activity:
    """A creation records the initial state: every field, with `before` empty."""
    entry = creation(
        actor=actor, action=action, target=target, fields=fields, summary=summary, claim=claim
    )
    entry.save()
    return entry
