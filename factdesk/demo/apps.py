from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo desk: above every app, imported by none (only `manage.py load_demo` runs it)."""

    name = "factdesk.demo"
    label = "demo"
