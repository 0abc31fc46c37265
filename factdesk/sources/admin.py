from django.contrib import admin

from factdesk.core.admin import ReadOnlyAdmin
from factdesk.sources.models import Citation, Source


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ("url", "created_at")
    search_fields = ("url",)

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Citation)
class CitationAdmin(ReadOnlyAdmin):
    list_display = ("claim", "source", "stance", "created_at")
    list_select_related = ("claim", "source")
