from django.apps import AppConfig


class WebhooksConfig(AppConfig):
    name = "factdesk.webhooks"
    label = "webhooks"
    verbose_name = "Webhooks"

    def ready(self) -> None:
        from factdesk.claims.signals import activity_recorded
        from factdesk.webhooks import receivers

        activity_recorded.connect(receivers.on_activity, dispatch_uid="webhooks-events")
