from django.urls import path

from factdesk.public import views

app_name = "public"

urlpatterns = [
    path("fact-checks/", views.index, name="index"),
    path("fact-checks/methodology/", views.methodology, name="methodology"),
    path("fact-checks/corrections/", views.corrections, name="corrections"),
    path("fact-checks/<int:claim_id>/", views.fact_check, name="fact_check_short"),
    path("fact-checks/<int:claim_id>-<slug:slug>/", views.fact_check, name="fact_check"),
]
