"""Django admin: the imports to look at; the status mappings, which the desk's page edits
with its checks and audit, to look at too."""

from django.contrib import admin

from factdesk.checkimport.models import CheckImport, CheckRecord, StatusMapping
from factdesk.core.admin import ReadOnlyAdmin


@admin.register(CheckImport)
class CheckImportAdmin(ReadOnlyAdmin):
    list_display = ("name", "workspace", "status", "rows_done", "rows_total", "created_at")
    list_filter = ("status",)


@admin.register(StatusMapping)
class StatusMappingAdmin(ReadOnlyAdmin):
    list_display = ("check_status", "outcome", "rating", "updated_by", "updated_at")


@admin.register(CheckRecord)
class CheckRecordAdmin(ReadOnlyAdmin):
    list_display = ("workspace_id", "kind", "check_id", "object_id", "check_import")
    list_filter = ("kind",)
