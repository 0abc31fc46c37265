from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "factdesk.accounts"
    label = "accounts"
