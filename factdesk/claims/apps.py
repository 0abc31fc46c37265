from django.apps import AppConfig


class ClaimsConfig(AppConfig):
    name = "factdesk.claims"
    label = "claims"
