"""The desk's API, for a newsroom's own tools: list and log claims, cite sources, read where
a claim stands. Each call acts as the token's owner, through the same services and role
checks as the desk's pages; a create passes the `Idempotency-Key` header (a UUID) as the
forms pass theirs, so a retried request logs one claim."""

from __future__ import annotations

import uuid
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.generics import get_object_or_404
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import UserRateThrottle
from rest_framework.views import exception_handler

from factdesk.api.authentication import DeskMember, DeskTokenAuthentication
from factdesk.api.serializers import (
    CitationCreateSerializer,
    ClaimCreateSerializer,
    DeskCitationSerializer,
    DeskClaimDetailSerializer,
    DeskClaimSerializer,
)
from factdesk.api.views import Pages
from factdesk.claims import selectors, services
from factdesk.claims.models import Claim
from factdesk.claims.selectors import CARD_FIELDS
from factdesk.claims.services import DuplicateClaimError
from factdesk.claims.workflow import ClaimStatus
from factdesk.core.errors import DeskError
from factdesk.core.numbers import whole_number
from factdesk.sources.services import citation_add

IDEMPOTENCY_KEY = OpenApiParameter(
    "Idempotency-Key",
    OpenApiTypes.UUID,
    location=OpenApiParameter.HEADER,
    required=False,
    description="A UUID of your choosing: the same key sent again returns what the first "
    "request made, instead of making it twice.",
)
LIST_FILTERS = [
    OpenApiParameter("status", OpenApiTypes.STR, enum=ClaimStatus.values),
    OpenApiParameter("claimant", OpenApiTypes.INT, description="A claimant's id."),
    OpenApiParameter("assignee", OpenApiTypes.INT, description="A person's id."),
]


def desk_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """The desk's refusals as the API's answers: a rule that stops a change is a 400 with
    the desk's words (and the field it concerns); a claim already logged is a 409 naming it."""
    if isinstance(exc, DuplicateClaimError):
        return Response(
            {
                "detail": exc.message,
                "existing_claim": exc.existing.pk,
                "can_log_anyway": exc.can_log_anyway,
            },
            status=status.HTTP_409_CONFLICT,
        )
    if isinstance(exc, DeskError):
        body = {"detail": exc.message, **({"field": exc.field} if exc.field else {})}
        return Response(body, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, PermissionDenied) and str(exc):
        # The services' words ("Only an editor can…"), which DRF would replace with its own.
        return Response({"detail": str(exc)}, status=status.HTTP_403_FORBIDDEN)
    return exception_handler(exc, context)


def idempotency_key(request: Request) -> uuid.UUID | None:
    value = request.headers.get("Idempotency-Key", "").strip()
    if not value:
        return None
    try:
        return uuid.UUID(value)
    except ValueError:
        raise ValidationError(
            {"Idempotency-Key": "Send a UUID, e.g. 3f2b8f6e-9c1a-4c3e-8d2e-5b7a1e0c4d9f."}
        ) from None


class DeskThrottle(UserRateThrottle):
    scope = "desk"


@extend_schema_view(
    list=extend_schema(parameters=LIST_FILTERS, summary="Claims on the desk, newest first"),
    retrieve=extend_schema(summary="One claim: where it stands, its sources"),
    create=extend_schema(
        parameters=[IDEMPOTENCY_KEY],
        request=ClaimCreateSerializer,
        responses={201: DeskClaimDetailSerializer},
        summary="Log a claim",
    ),
)
class DeskClaimViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    authentication_classes = [DeskTokenAuthentication]
    permission_classes = [DeskMember]
    throttle_classes = [DeskThrottle]
    pagination_class = Pages
    lookup_value_regex = r"[0-9]+"

    def get_serializer_class(self) -> type:
        if self.action == "list":
            return DeskClaimSerializer
        return DeskClaimDetailSerializer

    def get_queryset(self) -> QuerySet[Claim]:
        if self.action != "list":
            return Claim.objects.select_related(
                "claimant", "assignee", "current_rating"
            ).prefetch_related("topics", "citations__source")
        params = self.request.query_params
        numbers: dict[str, int | None] = {}
        for name in ("claimant", "assignee"):
            value = params.get(name, "")
            numbers[name] = whole_number(value)
            if value and numbers[name] is None:
                raise ValidationError(
                    {name: f"{name} is a number (an id), not \u201c{value[:40]}\u201d."}
                )
        wanted = params.get("status", "")
        if wanted and wanted not in ClaimStatus.values:
            known = ", ".join(ClaimStatus.values)
            raise ValidationError(
                {"status": f"There is no status {wanted[:40]!r}: one of {known}."}
            )
        filters = selectors.ClaimFilters(
            status=wanted or None, claimant=numbers["claimant"], assignee=numbers["assignee"]
        )
        # What a card on the board shows, and the quote.
        return (
            filters.apply(Claim.objects.select_related("claimant", "assignee", "current_rating"))
            .only(*CARD_FIELDS, "quote")
            .order_by("-created_at", "-pk")
        )

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        given = ClaimCreateSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        data = given.validated_data
        key = idempotency_key(request)
        with transaction.atomic():
            claimant = services.claimant_create(actor=request.user, name=data["claimant"])
            claim = services.claim_create(
                actor=request.user,
                text=data["text"],
                quote=data["quote"],
                claimant=claimant,
                medium=data["medium"],
                source_url=data["source_url"],
                source_description=data["source_description"],
                priority=data["priority"],
                new_appearance=data["new_appearance"],
                idempotency_key=key,
                **({"claimed_on": data["claimed_on"]} if data.get("claimed_on") else {}),
            )
        shown = self.get_queryset().get(pk=claim.pk)
        answer = DeskClaimDetailSerializer(shown, context=self.get_serializer_context())
        return Response(answer.data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=CitationCreateSerializer,
        responses={201: DeskCitationSerializer},
        summary="Cite a source (the desk fetches and archives it)",
    )
    @action(detail=True, methods=["post"])
    def sources(self, request: Request, pk: str | None = None) -> Response:
        claim = get_object_or_404(Claim, pk=pk)
        given = CitationCreateSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        citation = citation_add(actor=request.user, claim=claim, **given.validated_data)
        return Response(DeskCitationSerializer(citation).data, status=status.HTTP_201_CREATED)
