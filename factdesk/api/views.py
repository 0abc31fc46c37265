"""The public API (read-only, no login): published fact checks, as the public pages show
them, for the newsroom's CMS and for anyone who reuses its work. The OpenAPI schema is at
/api/schema/ and its documentation at /api/docs/ (Swagger UI served by the desk itself).
The desk's own endpoints are in desk.py; the page where people make their tokens is here."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.dateparse import parse_datetime
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
from factdesk.core.errors import DeskError
from factdesk.core.numbers import whole_number
from factdesk.public import selectors

ISO_8601 = "Give a date and time in ISO 8601, e.g. 2026-03-04T10:00:00Z."


class Pages(PageNumberPagination):
    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100


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


@extend_schema_view(
    list=extend_schema(parameters=FILTERS, summary="Published fact checks, newest first"),
    retrieve=extend_schema(summary="One published fact check"),
)
class FactCheckViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = FactCheckSerializer
    pagination_class = Pages
    authentication_classes: list = []  # public: no session, no CSRF

    def get_queryset(self) -> QuerySet[Claim]:
        if self.action != "list":
            return selectors.index(selectors.IndexFilters()).prefetch_related("topics")
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
        claims = selectors.index(filters).prefetch_related("topics")
        if value := params.get("updated_since"):
            try:  # a date that does not exist (30 February) is refused in words too
                since = parse_datetime(value.strip().replace(" ", "+"))
            except ValueError:
                since = None
            if since is None:
                raise ValidationError({"updated_since": ISO_8601})
            changed = Verdict.objects.filter(claim=OuterRef("pk"), published_at__gte=since)
            claims = claims.filter(Exists(changed) | Q(retracted_at__gte=since))
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
                form.add_error(error.field if error.field in form.fields else None, error.message)
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
