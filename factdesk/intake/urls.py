from django.urls import path

from factdesk.intake import views

app_name = "intake"

urlpatterns = [
    path("claims/<int:claim_id>/similar/", views.claim_similar, name="claim_similar"),
    path("intake/similar/", views.similar, name="similar"),
    path("intake/elsewhere/", views.elsewhere, name="elsewhere"),
]
