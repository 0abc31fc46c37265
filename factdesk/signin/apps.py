from django.apps import AppConfig


class SigninConfig(AppConfig):
    name = "factdesk.signin"
    label = "signin"
    verbose_name = "Signing in"
