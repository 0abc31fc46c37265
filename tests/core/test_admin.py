"""The one read-only admin every app uses for rows that change only through services."""

import pytest
from django.contrib import admin
from django.urls import reverse

from factdesk.articles.models import Article
from factdesk.claims.models import Activity, Claim, Comment, Review, Verdict
from factdesk.core.admin import ReadOnlyAdmin
from factdesk.sources.models import Citation
from tests.factories import UserFactory

READ_ONLY = [Article, Citation, Claim, Verdict, Review, Comment, Activity]


@pytest.mark.parametrize("model", READ_ONLY, ids=lambda model: model.__name__)
def test_a_superuser_may_look_but_not_add(client, db, model):
    assert isinstance(admin.site._registry[model], ReadOnlyAdmin)
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    prefix = f"admin:{model._meta.app_label}_{model._meta.model_name}"
    assert client.get(reverse(f"{prefix}_changelist")).status_code == 200
    assert client.get(reverse(f"{prefix}_add")).status_code == 403
