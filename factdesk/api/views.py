"""The public API (read-only, no login): published fact checks, as the public pages show
them, for the newsroom's CMS and for anyone who reuses its work. The OpenAPI schema is at
/api/schema/ and its documentation at /api/docs/ (Swagger UI served by the desk itself)."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.dateparse import parse_datetime
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination

from factdesk.api.serializers import FactCheckSerializer
from factdesk.claims.models import Claim, Verdict
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
