"""The public API (read-only, no login): published fact checks, as the public pages show
them, for the newsroom's CMS and for anyone who reuses its work. The OpenAPI schema is at
/api/schema/ and its documentation at /api/docs/ (Swagger UI served by the desk itself).
The desk's own endpoints are in desk.py; the page where people make their tokens is here."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.core.paginator import Paginator
from django.db.models import Prefetch, QuerySet
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.dateparse import parse_datetime
from django.utils.functional import cached_property
from django.views.decorators.http import require_POST
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination

from factdesk.accounts.roles import DeskRequest, role_required
from factdesk.api import services
from factdesk.api.forms import ApiTokenForm
from factdesk.api.models import ApiToken
from factdesk.api.serializers import FactCheckSerializer
from factdesk.claims.models import Claim, Verdict
from factdesk.core.errors import DeskError, form_error
from factdesk.core.numbers import whole_number
from factdesk.public import selectors

ISO_8601 = "Give a date and time in ISO 8601, e.g. 2026-03-04T10:00:00Z."


class Pages(PageNumberPagination):
    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100


class CountedAWhileAgo(Paginator):
    """A paginator whose total is kept for PUBLIC_CACHE_SECONDS, as long as a CDN keeps a
    public page: counting tens of thousands of published fact checks under a filter cost
    more than the rest of the answer (the API's throttle is in Redis too)."""

    @cached_property
    def count(self) -> int:
        query = self.object_list.query  # type: ignore[attr-defined]
        key = "api:count:" + hashlib.sha256(str(query).encode()).hexdigest()
        known = cache.get(key)
        if known is None:
            known = super().count
            cache.set(key, known, settings.PUBLIC_CACHE_SECONDS)
        return known


class PublicPages(Pages):
    django_paginator_class = CountedAWhileAgo


FILTERS = [
    OpenApiParameter(
        "rating", OpenApiTypes.INT, description="A rating's id: fact checks rated so."
    ),
    OpenApiParameter("claimant", OpenApiTypes.INT, description="A claimant's id."),
    OpenApiParameter("topic", OpenApiTypes.INT, description="A topic's id."),
    OpenApiParameter(
        "updated_since",
        OpenApiTypes.DATETIME,
        description="Only fact checks published, corrected or retracted since (ISO 8601).",
    ),
]


def _for_api(claims: QuerySet[Claim]) -> QuerySet[Claim]:
    """What the API says of each fact check, read with it: the claimant, the published
    versions with their ratings (not the whole scale, nor the article, which the pages
    show), the topics."""
    versions = Verdict.objects.filter(published_at__isnull=False).select_related("rating")
    return (
        claims.select_related(None)
        .select_related("claimant")
        .prefetch_related(None)
        .prefetch_related(Prefetch("verdicts", queryset=versions.order_by("-number")), "topics")
    )


@extend_schema_view(
    list=extend_schema(parameters=FILTERS, summary="Published fact checks, newest first"),
    retrieve=extend_schema(summary="One published fact check"),
)
class FactCheckViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = FactCheckSerializer
    pagination_class = PublicPages
    authentication_classes: list = []  # public: no session, no CSRF

    def get_queryset(self) -> QuerySet[Claim]:
        if self.action != "list":
            return _for_api(selectors.index(selectors.IndexFilters()))
        params = self.request.query_params
        numbers: dict[str, int | None] = {}
        for name in ("rating", "claimant", "topic"):
            value = params.get(name, "")
            numbers[name] = whole_number(value)
            if value and numbers[name] is None:
                raise ValidationError({name: f"{name} is a number (an id), not “{value[:40]}”."})
        filters = selectors.IndexFilters(
            rating=numbers["rating"], claimant=numbers["claimant"], topic=numbers["topic"]
        )
        claims = _for_api(selectors.index(filters))
        if value := params.get("updated_since"):
            try:  # a date that does not exist (30 February) is refused in words too
                since = parse_datetime(value.strip().replace(" ", "+"))
            except ValueError:
                since = None
            if since is None:
                raise ValidationError({"updated_since": ISO_8601})
            claims = selectors.updated_since(claims, since)
        return claims


@role_required()
def tokens(request: DeskRequest) -> HttpResponse:
    """A person's API tokens: make one (its value is shown this once), see when each was last
    used, revoke one."""
    form = ApiTokenForm(request.POST if request.method == "POST" else None)
    made: str | None = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                token, made = services.api_token_create(
                    actor=request.user,
                    name=form.cleaned_data["name"],
                    scope=form.cleaned_data["scope"],
                    idempotency_key=form.cleaned_data["idempotency_key"],
                )
            except DeskError as error:
                form_error(form, error)
            else:
                if made is None:
                    messages.info(
                        request,
                        f"The token \u201c{token.name}\u201d was made by your first click; "
                        "its value was shown then. If you did not copy it, revoke it and "
                        "make another.",
                    )
                    return redirect("api:tokens")
                form = ApiTokenForm()
        status = 400 if form.errors else 200
    listed = ApiToken.objects.filter(user=request.user)
    context = {"form": form, "tokens": listed, "made": made}
    response = render(request, "api/tokens.html", context, status=status)
    if made:
        response["Cache-Control"] = "no-store"  # the token is on this page once
    return response


@require_POST
@role_required()
def token_revoke(request: DeskRequest, token_id: int) -> HttpResponse:
    token = get_object_or_404(ApiToken, pk=token_id, user=request.user)
    try:
        services.api_token_revoke(actor=request.user, token=token)
    except DeskError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, f"\u201c{token.name}\u201d is revoked: it is refused from now on."
        )
    return redirect("api:tokens")
