from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "factdesk.core"
    label = "core"
