"""Django admin: editable where an admin manages the desk (ratings, claimants); read-only
where the history must not be edited (verdict versions, reviews, the audit trail)."""

from django.contrib import admin, messages
from django.db.models import ProtectedError

from factdesk.claims.models import (
    Activity,
    Claim,
    Claimant,
    Comment,
    Rating,
    RatingScale,
    Review,
    Verdict,
)
from factdesk.core.admin import ReadOnlyAdmin


class RatingInline(admin.TabularInline):
    model = Rating
    extra = 0
    fields = ("position", "label", "value", "colour", "description")


@admin.register(RatingScale)
class RatingScaleAdmin(admin.ModelAdmin):
    list_display = ("name", "is_default")
    inlines = [RatingInline]


@admin.register(Rating)
class RatingAdmin(admin.ModelAdmin):
    list_display = ("label", "scale", "value", "colour", "position")
    list_filter = ("scale",)

    def delete_model(self, request, obj):
        try:
            obj.delete()
        except ProtectedError:
            messages.error(
                request,
                f"“{obj.label}” is used by verdicts and can't be deleted. "
                "Rename it or stop using it instead.",
            )


@admin.register(Claimant)
class ClaimantAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "description")
    search_fields = ("name",)


@admin.register(Claim)
class ClaimAdmin(ReadOnlyAdmin):
    """Claims change only through the desk's services, which keep the audit trail."""

    list_display = ("id", "text", "claimant", "status", "assignee", "created_at")
    list_filter = ("status", "priority")
    search_fields = ("text", "quote")
    list_select_related = ("claimant", "assignee")


@admin.register(Verdict)
class VerdictAdmin(ReadOnlyAdmin):
    list_display = ("claim", "number", "rating", "conclusion", "author", "published_at")
    list_select_related = ("claim", "rating", "author")


@admin.register(Review)
class ReviewAdmin(ReadOnlyAdmin):
    list_display = ("verdict", "reviewer", "decision", "created_at")


@admin.register(Comment)
class CommentAdmin(ReadOnlyAdmin):
    list_display = ("claim", "author", "created_at")


@admin.register(Activity)
class ActivityAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "actor", "action", "claim", "summary")
    list_filter = ("action",)
    list_select_related = ("actor", "claim")
