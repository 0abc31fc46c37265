from django.urls import path

from factdesk.exchange import views

app_name = "exchange"

urlpatterns = [
    path("desk-export/", views.export, name="export"),
]
