from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _ensure_groups(sender, **kwargs) -> None:
    from accounts.roles import ensure_secretariat_group

    ensure_secretariat_group()


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Brugere og adgang"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from accounts import (
            checks,  # noqa: F401 - registers the deploy check
            scope,
        )
        from accounts.middleware import record_login

        scope.install()

        # Permissions exist only after migrate; the group is kept complete then
        # (sent per app with models, so it runs after the last one too).
        post_migrate.connect(_ensure_groups, dispatch_uid="accounts_groups")
        from accounts import saml_checks  # noqa: F401 - registers the check

        user_logged_in.connect(record_login, dispatch_uid="accounts_record_login")
