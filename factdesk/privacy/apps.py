from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "factdesk.privacy"
    label = "privacy"
    verbose_name = "Personal data"
