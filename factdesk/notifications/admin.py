from django.contrib import admin

from factdesk.notifications.models import EmailPreference, Follow, Notification


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ("created_at", "recipient", "kind", "text", "read_at", "emailed_at")
    list_filter = ("kind",)
    raw_id_fields = ("recipient", "actor", "claim")
    search_fields = ("recipient__username", "text")


@admin.register(Follow)
class FollowAdmin(admin.ModelAdmin):
    list_display = ("user", "claim", "created_at")
    raw_id_fields = ("user", "claim")


@admin.register(EmailPreference)
class EmailPreferenceAdmin(admin.ModelAdmin):
    list_display = ("user", "enabled", "address", "kinds")
    raw_id_fields = ("user",)
