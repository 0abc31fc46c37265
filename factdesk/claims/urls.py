from django.urls import path

from factdesk.claims import views

app_name = "claims"

urlpatterns = [
    path("", views.board, name="board"),
    path("claims/", views.claim_list, name="list"),
    path("claims/new/", views.claim_new, name="new"),
    path("claims/export.csv", views.claims_csv, name="csv"),
    path("claims/<int:claim_id>/", views.claim_detail, name="detail"),
    path("claims/<int:claim_id>/edit/", views.claim_edit, name="edit"),
    path("claims/<int:claim_id>/verdict/", views.verdict_edit, name="verdict"),
    path("claims/<int:claim_id>/verdict/compare/", views.verdict_compare, name="compare"),
    path("claims/<int:claim_id>/transition/", views.claim_move, name="transition"),
    path("claims/<int:claim_id>/assign/", views.claim_assign, name="assign"),
    path("claims/<int:claim_id>/priority/", views.claim_priority, name="priority"),
    path("claims/<int:claim_id>/comment/", views.claim_comment, name="comment"),
    path("claims/<int:claim_id>/review/", views.claim_review, name="review"),
    path("claims/<int:claim_id>/topics/", views.claim_topic_add, name="topic_add"),
    path("claims/<int:claim_id>/topics/remove/", views.claim_topic_remove, name="topic_remove"),
    path("claims/<int:claim_id>/due/", views.claim_due_date, name="due_date"),
    path("claims/bulk/", views.claims_bulk, name="bulk"),
    path("topics/suggest/", views.topic_suggest, name="topic_suggest"),
    path("claimants/suggest/", views.claimant_suggest, name="claimant_suggest"),
    path("claimants/<int:claimant_id>/", views.claimant_detail, name="claimant"),
    path("claimants/<int:claimant_id>/merge/", views.claimant_merge, name="claimant_merge"),
    path("claimants/<int:claimant_id>/delete/", views.claimant_delete, name="claimant_delete"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("ratings.css", views.rating_styles, name="rating_styles"),
]
