from django.apps import AppConfig


class SourcesConfig(AppConfig):
    name = "factdesk.sources"
    label = "sources"
