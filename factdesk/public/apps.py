from django.apps import AppConfig


class PublicConfig(AppConfig):
    name = "factdesk.public"
    label = "public"
    verbose_name = "Public fact checks"
