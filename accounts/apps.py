from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _ensure_groups(sender, **kwargs) -> None:
    from accounts.roles import ensure_secretariat_group

    ensure_secretariat_group()


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Brugere og adgang"

    def ready(self) -> None:
        from axes.models import AccessAttempt
        from django.contrib.auth import get_user_model
        from django.contrib.auth.signals import user_logged_in

        from accounts import (
            admin_mixins,
            checks,  # noqa: F401 - registers the deploy check
            scope,
        )
        from accounts.middleware import record_login
        from accounts.users import failed_logins_administered_by, users_administered_by

        scope.install()
        # Every app's admin offers only the user accounts the secretariat
        # administers; the rule reads the domain models, which the mixins may not.
        admin_mixins.VISIBLE_ROWS[get_user_model()] = users_administered_by
        admin_mixins.VISIBLE_ROWS[AccessAttempt] = failed_logins_administered_by

        # Permissions exist only after migrate; the group is kept complete then
        # (sent per app with models, so it runs after the last one too).
        post_migrate.connect(_ensure_groups, dispatch_uid="accounts_groups")
        from accounts import saml_checks  # noqa: F401 - registers the check

        user_logged_in.connect(record_login, dispatch_uid="accounts_record_login")
