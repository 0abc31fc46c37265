from django.apps import AppConfig


class BackupsConfig(AppConfig):
    name = "factdesk.backups"
    label = "backups"
    verbose_name = "Backups and restore"
