from django.contrib import admin

from factdesk.articles.models import Article, Outlet
from factdesk.core.admin import ReadOnlyAdmin


@admin.register(Outlet)
class OutletAdmin(admin.ModelAdmin):
    list_display = ("name", "domain")
    search_fields = ("name", "domain")


@admin.register(Article)
class ArticleAdmin(ReadOnlyAdmin):
    """Read-only: claims' quote offsets point into the text, so it must not change here."""

    list_display = ("title", "outlet", "published_on", "created_at")
    search_fields = ("title",)
    list_select_related = ("outlet",)
