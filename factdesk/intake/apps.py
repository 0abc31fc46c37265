from django.apps import AppConfig


class IntakeConfig(AppConfig):
    name = "factdesk.intake"
    label = "intake"
    verbose_name = "Intake"

    def ready(self) -> None:
        from factdesk.claims.signals import activity_recorded
        from factdesk.intake import receivers

        activity_recorded.connect(receivers.on_activity, dispatch_uid="intake-embed")
