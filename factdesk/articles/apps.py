from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    name = "factdesk.articles"
    label = "articles"
