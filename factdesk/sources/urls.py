from django.urls import path

from factdesk.sources import views

app_name = "sources"

urlpatterns = [
    path("claims/<int:claim_id>/citations/", views.citation_add, name="citation_add"),
    path(
        "claims/<int:claim_id>/citations/<int:citation_id>/remove/",
        views.citation_remove,
        name="citation_remove",
    ),
]
