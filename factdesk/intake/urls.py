from django.urls import path

from factdesk.intake import views

app_name = "intake"

urlpatterns = [
    path("claims/<int:claim_id>/similar/", views.claim_similar, name="claim_similar"),
    path("intake/similar/", views.similar, name="similar"),
    path("intake/elsewhere/", views.elsewhere, name="elsewhere"),
    path("intake/feeds/", views.feed_new, name="feed_new"),
    path("intake/settings/", views.intake_settings, name="settings"),
    path("intake/feeds/<int:feed_id>/", views.feed, name="feed"),
]
