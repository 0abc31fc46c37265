from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    """Listens to the apps below (claims' audited changes, sources' watching) and tells the
    people concerned; nothing below imports it."""

    name = "factdesk.notifications"
    label = "notifications"

    def ready(self) -> None:
        from factdesk.claims.signals import activity_recorded
        from factdesk.notifications import receivers
        from factdesk.sources.signals import source_watch_flagged

        activity_recorded.connect(receivers.on_activity, dispatch_uid="notifications-activity")
        source_watch_flagged.connect(
            receivers.on_source_flagged, dispatch_uid="notifications-source-flagged"
        )
