from django.urls import path

from factdesk.privacy import views

app_name = "privacy"

urlpatterns = [
    path("privacy/redact/", views.redact, name="redact"),
    path("privacy/users/<int:user_id>/erase/", views.user_erase, name="user_erase"),
]
