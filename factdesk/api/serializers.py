"""What the public API says about a fact check: what its public page says, as data."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from factdesk.claims.models import Claim, Medium, Priority, Verdict
from factdesk.claims.workflow import ClaimStatus
from factdesk.public.selectors import as_fact_check
from factdesk.public.views import public_url
from factdesk.sources.models import Citation

AS_TIME = serializers.DateTimeField().to_representation  # one field for every time written


class RatingSerializer(serializers.Serializer):
    label = serializers.CharField()
    description = serializers.CharField()
    value = serializers.IntegerField(allow_null=True, help_text="Its place on the scale, if any.")


class CorrectionSerializer(serializers.Serializer):
    version = serializers.IntegerField(source="number")
    published_at = serializers.DateTimeField()
    note = serializers.CharField(source="correction_note")
    rating = serializers.CharField(source="rating.label")


class RetractionSerializer(serializers.Serializer):
    retracted_at = serializers.DateTimeField()
    note = serializers.CharField(source="retraction_note")


class FactCheckSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField(help_text="Its public page.")
    claim = serializers.CharField(source="text", help_text="The claim, as the desk words it.")
    claimant = serializers.CharField(source="claimant.name")
    rating = serializers.SerializerMethodField()
    conclusion = serializers.SerializerMethodField()
    explanation = serializers.SerializerMethodField()
    first_published_at = serializers.DateTimeField(source="published_at")
    last_published_at = serializers.SerializerMethodField()
    updated_at = serializers.SerializerMethodField()
    corrections = serializers.SerializerMethodField()
    retraction = serializers.SerializerMethodField()
    topics = serializers.SlugRelatedField(many=True, read_only=True, slug_field="name")

    class Meta:
        model = Claim
        fields = [
            "id",
            "url",
            "claim",
            "quote",
            "claimant",
            "claimed_on",
            "language",
            "rating",
            "conclusion",
            "explanation",
            "first_published_at",
            "last_published_at",
            "updated_at",
            "corrections",
            "retraction",
            "topics",
        ]

    def _shown(self, claim: Claim) -> Verdict:
        """The newest published version: what readers see (read with the claim)."""
        return as_fact_check(claim).newest

    def get_url(self, claim: Claim) -> str:
        request = self.context.get("request")
        path = public_url(claim)
        return request.build_absolute_uri(path) if request else path

    # The nested parts are built as plain dicts (their serializers describe them in the
    # schema): a serializer made per claim cost more than the rest of the list together.
    @extend_schema_field(RatingSerializer)
    def get_rating(self, claim: Claim) -> dict[str, Any]:
        rating = self._shown(claim).rating
        return {"label": rating.label, "description": rating.description, "value": rating.value}

    def get_conclusion(self, claim: Claim) -> str:
        return self._shown(claim).conclusion

    def get_explanation(self, claim: Claim) -> str:
        return self._shown(claim).explanation

    @extend_schema_field(serializers.DateTimeField())
    def get_last_published_at(self, claim: Claim) -> Any:
        return AS_TIME(self._shown(claim).published_at)

    @extend_schema_field(serializers.DateTimeField())
    def get_updated_at(self, claim: Claim) -> Any:
        """Published, corrected or retracted last: what `updated_since` compares."""
        return AS_TIME(as_fact_check(claim).updated)

    @extend_schema_field(CorrectionSerializer(many=True))
    def get_corrections(self, claim: Claim) -> list[dict[str, Any]]:
        return [
            {
                "version": version.number,
                "published_at": AS_TIME(version.published_at),
                "note": version.correction_note,
                "rating": version.rating.label,
            }
            for version in as_fact_check(claim).corrections
        ]

    @extend_schema_field(RetractionSerializer(allow_null=True))
    def get_retraction(self, claim: Claim) -> dict[str, Any] | None:
        if claim.status != ClaimStatus.RETRACTED:
            return None
        return {"retracted_at": AS_TIME(claim.retracted_at), "note": claim.retraction_note}


# The desk's own endpoints (a token's owner, their role): claims as the desk works them.


class DeskClaimSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField(help_text="Its page on the desk.")
    claimant = serializers.CharField(source="claimant.name")
    status_label = serializers.CharField(source="get_status_display")
    assignee = serializers.CharField(source="assignee.username", allow_null=True, default=None)
    rating = serializers.CharField(source="current_rating.label", allow_null=True, default=None)

    class Meta:
        model = Claim
        fields = [
            "id",
            "url",
            "text",
            "quote",
            "claimant",
            "claimed_on",
            "status",
            "status_label",
            "priority",
            "assignee",
            "due_date",
            "rating",
            "created_at",
        ]

    def get_url(self, claim: Claim) -> str:
        request = self.context.get("request")
        path = claim.get_absolute_url()
        return request.build_absolute_uri(path) if request else path


class DeskCitationSerializer(serializers.ModelSerializer):
    url = serializers.CharField(source="source.url")
    fetch_status = serializers.CharField(
        source="source.get_status_display", help_text="Where the desk's copy of it stands."
    )

    class Meta:
        model = Citation
        fields = ["id", "url", "stance", "note", "fetch_status", "created_at"]


class DeskClaimDetailSerializer(DeskClaimSerializer):
    sources = DeskCitationSerializer(source="citations", many=True, read_only=True)
    topics = serializers.SlugRelatedField(many=True, read_only=True, slug_field="name")

    class Meta(DeskClaimSerializer.Meta):
        fields = [*DeskClaimSerializer.Meta.fields, "medium", "source_url", "sources", "topics"]


class ClaimCreateSerializer(serializers.Serializer):
    """What logging a claim takes, as the "Log a claim" form does."""

    text = serializers.CharField(max_length=1000, help_text="The claim as the desk words it.")
    quote = serializers.CharField(max_length=5000, help_text="The exact words said or written.")
    claimant = serializers.CharField(
        max_length=200, help_text="Who said it: an existing claimant's name, or a new one."
    )
    claimed_on = serializers.DateField(required=False)
    medium = serializers.ChoiceField(choices=Medium.choices, default=Medium.ARTICLE)
    source_url = serializers.URLField(max_length=2000, required=False, default="")
    source_description = serializers.CharField(max_length=500, required=False, default="")
    priority = serializers.ChoiceField(choices=Priority.choices, default=Priority.NORMAL)
    new_appearance = serializers.BooleanField(
        default=False,
        help_text="Log it though the claimant said the same words before (a new appearance).",
    )


class CitationCreateSerializer(serializers.Serializer):
    url = serializers.CharField(max_length=2000, help_text="The source's address.")
    stance = serializers.ChoiceField(choices=Citation.Stance.choices, default="context")
    note = serializers.CharField(max_length=2000, required=False, default="")
