from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "factdesk.api"
    label = "api"
    verbose_name = "API"
