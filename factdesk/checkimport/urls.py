from django.urls import path

from factdesk.checkimport import views

app_name = "checkimport"

urlpatterns = [
    path("check-import/", views.start, name="start"),
    path("check-import/statuses/", views.statuses, name="statuses"),
    path("check-import/<int:import_id>/", views.detail, name="detail"),
    path("check-import/<int:import_id>/check/", views.recheck, name="recheck"),
    path("check-import/<int:import_id>/confirm/", views.confirm, name="confirm"),
]
