from django.apps import AppConfig


class ExchangeConfig(AppConfig):
    name = "factdesk.exchange"
    label = "exchange"
    verbose_name = "Desk export and import"
