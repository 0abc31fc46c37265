from django.apps import AppConfig


class IntakeConfig(AppConfig):
    name = "factdesk.intake"
    label = "intake"
    verbose_name = "Intake"
