"""The admin's "Erase personal data" action on accounts: it leads to the confirmation page
(views.user_erase), which says what will change before anything does."""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.auth.models import User
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse


@admin.action(description="Erase personal data")
def erase_personal_data(
    modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet[User]
) -> HttpResponse | None:
    if queryset.count() != 1:
        modeladmin.message_user(
            request, "Erase one account at a time: choose just one.", messages.WARNING
        )
        return None
    user = queryset.get()
    return redirect(reverse("privacy:user_erase", args=[user.pk]))


# Added to whichever admin page for accounts is registered (Django's, or an app's own
# above it), rather than registering another and replacing theirs.
if admin.site.is_registered(User):
    user_admin = admin.site.get_model_admin(User)
    user_admin.actions = [*(user_admin.actions or []), erase_personal_data]
