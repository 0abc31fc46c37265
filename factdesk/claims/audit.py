"""The audit trail: every service that changes the desk writes one Activity per change.

A service wraps its change in `change()`, which reads the fields before and records what
differs after. `activity`, `creation` and `record` build or save one entry by hand (for
bulk_create, when one action changes many rows).
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import User
from django.db import models, transaction

from factdesk.claims.models import Activity, Claim
from factdesk.claims.signals import activity_recorded

logger = logging.getLogger(__name__)


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
    transaction.on_commit(lambda: announce(entry))
    return entry


def record_many(entries: list[Activity]) -> None:
    """Save the entries of one action on many rows (`activity`) in one insert, and announce
    each once committed, as `record` does."""
    Activity.objects.bulk_create(entries)

    def announce_all() -> None:
        for entry in entries:
            announce(entry)

    transaction.on_commit(announce_all)


def announce(entry: Activity) -> None:
    """Tell the apps above that `entry` is committed. One receiver failing neither undoes
    the change (it is committed) nor stops the others: it is logged."""
    for receiver, outcome in activity_recorded.send_robust(Activity, activity=entry):
        if isinstance(outcome, Exception):
            logger.error("%s failed for activity %s", receiver, entry.pk, exc_info=outcome)


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


@dataclass
class Change:
    """One audited change under way: what `change()` yields. The body may set `target` (to
    the row it creates, or to a new version of the row), `claim`, `summary`, or `changes`
    (to record those instead of the fields' differences)."""

    target: models.Model | None
    claim: Claim | None
    summary: str
    fields: tuple[str, ...]
    before: dict[str, Any] | None  # None: the target is created in the block
    changes: dict[str, list[Any]] | None = None
    entry: Activity | None = None  # the Activity recorded, once the block is done

    def before_values(self) -> dict[str, Any]:
        """The fields as they were on entry (empty for a creation)."""
        return dict(self.before or {})

    def differences(self) -> dict[str, list[Any]]:
        """The fields' changes so far: each changed field's [before, after]; every field,
        with before empty, for a creation."""
        if self.target is None:
            return {}
        after = field_values(self.target, self.fields)
        if self.before is None:
            return {name: [None, value] for name, value in after.items()}
        return diff(self.before, after)


@contextmanager
def change(
    *,
    actor: User,
    action: str,
    fields: Iterable[str],
    target: models.Model | None = None,
    claim: Claim | None = None,
    summary: str = "",
) -> Iterator[Change]:
    """Record the change the block makes as one Activity.

    1. On entry, read `fields` of `target` (none given: the block creates it, and sets
       `change.target`).
    2. The block changes and saves the rows, or raises: then nothing is recorded.
    3. On exit, read `fields` of `change.target` again and record the differences (a
       creation records every field, with `before` empty). No difference, no Activity.
    """
    fields = tuple(fields)
    current = Change(
        target=target,
        claim=claim,
        summary=summary,
        fields=fields,
        before=field_values(target, fields) if target is not None else None,
    )
    yield current
    if current.target is None:
        raise ValueError(f"audit.change({action!r}): the block set no target to record")
    changes = current.changes if current.changes is not None else current.differences()
    if changes:
        current.entry = record(
            actor=actor,
            action=action,
            target=current.target,
            claim=current.claim,
            summary=current.summary,
            changes=changes,
        )
