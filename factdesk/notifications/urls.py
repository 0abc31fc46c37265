from django.urls import path

from factdesk.notifications import views

app_name = "notifications"

urlpatterns = [
    path("", views.notification_list, name="list"),
    path("<int:notification_id>/", views.notification_open, name="open"),
    path("read/", views.mark_all_read, name="mark_all_read"),
    path("email/", views.email_preferences, name="email"),
    path("follow/<int:claim_id>/", views.follow, name="follow"),
    path("people/", views.people, name="people"),
]
