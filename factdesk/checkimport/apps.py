from django.apps import AppConfig


class CheckImportConfig(AppConfig):
    name = "factdesk.checkimport"
    label = "checkimport"
    verbose_name = "Import from Meedan Check"
