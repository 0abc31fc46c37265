from django.urls import path

from factdesk.claims import views

app_name = "claims"

urlpatterns = [
    path("", views.board, name="board"),
]
