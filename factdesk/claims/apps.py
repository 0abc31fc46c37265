from django.apps import AppConfig


class ClaimsConfig(AppConfig):
    name = "factdesk.claims"
    label = "claims"

    def ready(self) -> None:
        from axes.signals import user_locked_out

        # The audit trail lives here; accounts, below claims, cannot write to it.
        user_locked_out.connect(_record_lockout, dispatch_uid="claims-audit-lockout")


def _record_lockout(sender: object, *, username: str, ip_address: str, **kwargs: object) -> None:
    """A lockout of an existing account is an entry in the audit trail (axes keeps every
    attempt, for unknown names too, under Django admin → Axes)."""
    from django.conf import settings
    from django.contrib.auth.models import User
    from django.utils import timezone

    from factdesk.claims import audit
    from factdesk.claims.models import Activity

    account = User.objects.filter(username=username).first()
    if account is None:
        return
    # Every refused try while locked out sends the signal again: one entry per lockout.
    recorded = Activity.objects.filter(
        action="account.locked_out",
        target_type="user",
        target_id=account.pk,
        summary__contains=f" from {ip_address} ",
        created_at__gte=timezone.now() - settings.AXES_COOLOFF_TIME,
    )
    if not recorded.exists():
        audit.record(
            actor=account,
            action="account.locked_out",
            target=account,
            summary=f"login locked for {username} from {ip_address} after repeated wrong passwords",
        )
