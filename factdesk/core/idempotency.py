"""Creating things once: a submission sent twice (a double click, a retried request, an
import run again) creates one object.

Whoever submits sends a key with the submission (forms a hidden `idempotency_key`, later
the API a header, imports one key per row) and the create service passes it here. The
database decides who was first: the key is unique per user.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import TypeVar, cast

from django import forms
from django.contrib.auth.models import User
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ObjectDoesNotExist
from django.db import IntegrityError, models, transaction

from factdesk.core.errors import DeskError
from factdesk.core.models import IdempotencyKey

Created = TypeVar("Created", bound=models.Model)

KEY_CONSTRAINT = "idempotency_key_unique"


def once(*, key: uuid.UUID | None, user: User, create: Callable[[], Created]) -> Created:
    """What `create()` returns, run at most once per (user, key): a repeat of the key
    returns the object the first run created. Without a key, `create()` simply runs.

    1. The key is claimed first, by inserting its row, so a concurrent repeat waits on the
       unique index until the first transaction ends, doing no work of its own meanwhile.
    2. If the first committed, the repeat's insert fails and it answers with the first's
       object; if the first failed (a refused form), its row went with it and the repeat
       runs `create()` itself.
    3. The row and the object commit together: a key never points at nothing.
    """
    if key is None:
        return create()
    with transaction.atomic():
        try:
            with transaction.atomic():
                record = IdempotencyKey.objects.create(key=key, user=user)
        except IntegrityError as error:
            if KEY_CONSTRAINT not in str(error):
                raise
            return cast(Created, _earlier(key=key, user=user))
        created = create()
        record.content_type = ContentType.objects.get_for_model(created)
        record.object_id = created.pk
        record.save(update_fields=["content_type", "object_id"])
    return created


def _earlier(*, key: uuid.UUID, user: User) -> models.Model:
    record = IdempotencyKey.objects.select_related("content_type").get(key=key, user=user)
    assert record.content_type is not None  # committed with its object
    model = record.content_type.model_class()
    assert model is not None
    try:
        return model._default_manager.get(pk=record.object_id)
    except ObjectDoesNotExist:
        raise DeskError(
            "This was submitted before, and what it created has since been removed."
        ) from None


class IdempotentForm(forms.Form):
    """A form that sends the same key however often it is submitted. Each rendering of an
    unbound form draws a new key; a form shown again with its errors keeps the one sent."""

    idempotency_key = forms.UUIDField(required=False, widget=forms.HiddenInput, initial=uuid.uuid4)
