from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "factdesk.accounts"
    label = "accounts"

    def ready(self) -> None:
        from django.contrib.auth.models import User
        from django.contrib.auth.signals import user_logged_in
        from django.db.models.signals import m2m_changed

        from factdesk.accounts import receivers

        user_logged_in.connect(receivers.on_login, dispatch_uid="accounts-session-login")
        m2m_changed.connect(
            receivers.on_groups_changed,
            sender=User.groups.through,
            dispatch_uid="accounts-roles-changed",
        )
