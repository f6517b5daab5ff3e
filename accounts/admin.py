"""The user admin is for superusers: a secretariat administers its users on the
pages of `accounts.views` and can never reach permissions or the
superuser/staff flags. It may only look users up (the autocomplete that
links a leader to a provider), among the users it administers, and unlock
(delete the failed logins of) those users' accounts.

The mixins that narrow every app's admin to the user's rows are in
`accounts.admin_mixins`.
"""

from axes.admin import AccessAttemptAdmin
from axes.models import AccessAttempt
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from accounts import roles
from accounts.admin_mixins import VisibleToAdminMixin

# Users are linked to providers and municipalities from those pages; the user
# admin must be searchable for their autocomplete fields.
admin.site.unregister(User)


@admin.register(User)
class RammeaftaleUserAdmin(VisibleToAdminMixin, UserAdmin):
    """Superusers administer accounts here. The secretariat group holds
    `auth.view_user` only so that the autocomplete of leaders, staff and
    representatives finds the users it administers (and no others)."""

    search_fields = ["username", "first_name", "last_name", "email"]

    def has_module_permission(self, request) -> bool:
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None) -> bool:
        # The autocomplete view asks without an object; pages ask with one.
        if obj is None:
            return super().has_view_permission(request)
        return request.user.is_active and request.user.is_superuser

    def changelist_view(self, request, extra_context=None):
        if not request.user.is_superuser:
            raise PermissionDenied
        return super().changelist_view(request, extra_context)


# Failed logins (django-axes; accounts.lockout). The secretariat sees them to
# unlock an account by deleting its row: only for the usernames of the users it
# administers, as on the users' pages (`VISIBLE_ROWS`, set in
# `AccountsConfig.ready`). Superusers see every row, usernames without an
# account included.
admin.site.unregister(AccessAttempt)


@admin.register(AccessAttempt)
class LoginAttemptAdmin(VisibleToAdminMixin, AccessAttemptAdmin):
    """The failed logins of the accounts the user administers only."""

    def get_actions(self, request: HttpRequest) -> dict:
        actions = super().get_actions(request)
        if not roles.sees_every_secretariat(request.user):
            # It removes every user's expired rows, not only the ones shown.
            actions.pop("cleanup_expired_attempts", None)
        return actions
