from django.contrib import admin

from factdesk.sources.models import Citation, Source


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ("url", "created_at")
    search_fields = ("url",)

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Citation)
class CitationAdmin(admin.ModelAdmin):
    list_display = ("claim", "source", "stance", "created_at")
    list_select_related = ("claim", "source")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
