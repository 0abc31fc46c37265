from django.apps import AppConfig


class SourcesConfig(AppConfig):
    name = "factdesk.sources"
    label = "sources"

    def ready(self) -> None:
        from factdesk.claims.signals import activity_recorded
        from factdesk.sources import receivers

        # A merge (Mark as duplicate) carries the duplicate's citations over.
        activity_recorded.connect(receivers.on_activity, dispatch_uid="sources-carry-over")
