from django.urls import path

from factdesk.sources import views

app_name = "sources"

urlpatterns = [
    path("claims/<int:claim_id>/citations/", views.citation_add, name="citation_add"),
    path("claims/<int:claim_id>/uploads/", views.citation_upload, name="upload"),
    path(
        "claims/<int:claim_id>/citations/<int:citation_id>/remove/",
        views.citation_remove,
        name="citation_remove",
    ),
    path("claims/<int:claim_id>/sources/", views.sources_panel, name="panel"),
    path(
        "claims/<int:claim_id>/sources/<int:source_id>/retry/",
        views.source_retry,
        name="retry",
    ),
    path("snapshots/<int:snapshot_id>/", views.snapshot_detail, name="snapshot"),
    path("snapshots/<int:snapshot_id>/page/", views.snapshot_html, name="snapshot_html"),
    path("snapshots/<int:snapshot_id>/file/", views.snapshot_file, name="snapshot_file"),
    path("citations/<int:citation_id>/changes/", views.citation_changes, name="changes"),
    path("claims/<int:claim_id>/passages/", views.passages, name="passages"),
    path(
        "claims/<int:claim_id>/citations/<int:citation_id>/pin/",
        views.citation_pin,
        name="pin",
    ),
]
