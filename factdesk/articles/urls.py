from django.urls import path

from factdesk.articles import views

app_name = "articles"

urlpatterns = [
    path("", views.article_list, name="list"),
    path("new/", views.article_new, name="new"),
    path("<int:article_id>/", views.article_detail, name="detail"),
    path("<int:article_id>/claims/", views.article_log_claim, name="log_claim"),
]
