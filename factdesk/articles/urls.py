from django.urls import path

from factdesk.articles import views

app_name = "articles"

urlpatterns = [
    path("", views.article_list, name="list"),
    path("new/", views.article_new, name="new"),
    path("<int:article_id>/", views.article_detail, name="detail"),
    path("new/url/", views.article_new_from_url, name="new_from_url"),
    path("<int:article_id>/claims/", views.article_log_claim, name="log_claim"),
    path("<int:article_id>/fetching/", views.article_fetch_status, name="fetch_status"),
    path("<int:article_id>/text/", views.article_set_text, name="set_text"),
    path("<int:article_id>/retry/", views.article_retry, name="retry"),
    path("<int:article_id>/language/", views.article_set_language, name="set_language"),
    path("<int:article_id>/links/cite/", views.article_cite_link, name="cite_link"),
    path("<int:article_id>/not-a-claim/", views.article_not_a_claim, name="not_a_claim"),
    path("<int:article_id>/lines/", views.article_mark_line, name="mark_line"),
    path("<int:article_id>/triage-done/", views.article_triage_done, name="triage_done"),
]
