"""The admin as each secretariat's back office: every list, form, choice,
autocomplete, history and export shows only the rows the user's secretariat
administers (`Model.objects.visible_to(user)`, the same querysets the pages
use), and a row of another secretariat answers 404.

The user admin is for superusers: a secretariat administers its users on the
pages of `accounts.views` and can never reach permissions or the
superuser/staff flags. It may only look users up (the autocomplete that
links a leader to a provider), among the users it administers.
"""

from axes.admin import AccessAttemptAdmin
from axes.models import AccessAttempt
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest

from accounts import roles
from accounts.users import users_administered_by


def visible_queryset(model: type[Model], request: HttpRequest) -> QuerySet | None:
    """What of `model` the user may see, or None when the model has no rule
    (reference data: regions, collaboration models, intervention types)."""
    if model is User:
        return users_administered_by(request.user)
    manager = model._default_manager
    if hasattr(manager, "visible_to"):
        return manager.visible_to(request.user)
    return None


class VisibleChoicesMixin:
    """The choices of every foreign key and many-to-many field are the visible
    rows, so a crafted POST cannot point at another secretariat's row."""

    def _narrow(self, db_field, request: HttpRequest, kwargs: dict) -> dict:
        if "queryset" not in kwargs and not roles.sees_every_secretariat(request.user):
            visible = visible_queryset(db_field.remote_field.model, request)
            if visible is not None:
                kwargs["queryset"] = visible
        return kwargs

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        return super().formfield_for_foreignkey(
            db_field, request, **self._narrow(db_field, request, kwargs)
        )

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        return super().formfield_for_manytomany(
            db_field, request, **self._narrow(db_field, request, kwargs)
        )


class VisibleToAdminMixin(VisibleChoicesMixin):
    """Narrows a ModelAdmin to `visible_to(request.user)`: the changelist and
    its export, the change, delete and history pages (404 outside), and the
    choices of its fields."""

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        queryset = super().get_queryset(request)
        if roles.sees_every_secretariat(request.user):
            return queryset
        if hasattr(queryset, "visible_to"):
            return queryset.visible_to(request.user)
        return queryset

    def _get_obj_does_not_exist_redirect(self, request, opts, object_id):
        # What a user may not see answers 404, as on every page.
        raise Http404

    def _require_visible(self, request: HttpRequest, object_id) -> None:
        if roles.sees_every_secretariat(request.user):
            return
        if not self.get_queryset(request).filter(pk=object_id).exists():
            raise Http404

    def history_view(self, request, object_id, extra_context=None):
        self._require_visible(request, object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        self._require_visible(request, object_id)
        return super().history_form_view(request, object_id, version_id, extra_context)


class VisibleToInlineMixin(VisibleChoicesMixin):
    """An inline's foreign keys offer only visible rows."""


class SuperuserOnlyAdmin(admin.ModelAdmin):
    """For what only a superuser may change (secretariats and their members,
    user accounts): a secretariat would otherwise add itself to another."""

    def has_module_permission(self, request) -> bool:
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None) -> bool:
        return request.user.is_active and request.user.is_superuser

    def has_add_permission(self, request) -> bool:
        return request.user.is_active and request.user.is_superuser

    def has_change_permission(self, request, obj=None) -> bool:
        return request.user.is_active and request.user.is_superuser

    def has_delete_permission(self, request, obj=None) -> bool:
        return request.user.is_active and request.user.is_superuser


# Users are linked to providers and municipalities from those pages; the user
# admin must be searchable for their autocomplete fields.
admin.site.unregister(User)


@admin.register(User)
class RammeaftaleUserAdmin(UserAdmin):
    """Superusers administer accounts here. The secretariat group holds
    `auth.view_user` only so that the autocomplete of leaders, staff and
    representatives finds the users it administers (and no others)."""

    search_fields = ["username", "first_name", "last_name", "email"]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return queryset.filter(pk__in=users_administered_by(request.user).values("pk"))

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

    def _get_obj_does_not_exist_redirect(self, request, opts, object_id):
        raise Http404


# Failed logins (django-axes; accounts.lockout). The secretariat sees them to
# unlock an account by deleting its row: only for the usernames of the users it
# administers, as on the users' pages. Superusers see every row, usernames
# without an account included.
admin.site.unregister(AccessAttempt)


@admin.register(AccessAttempt)
class LoginAttemptAdmin(AccessAttemptAdmin):
    def get_queryset(self, request: HttpRequest) -> QuerySet:
        queryset = super().get_queryset(request)
        if roles.sees_every_secretariat(request.user):
            return queryset
        return queryset.filter(username__in=users_administered_by(request.user).values("username"))

    def get_actions(self, request: HttpRequest) -> dict:
        actions = super().get_actions(request)
        if not roles.sees_every_secretariat(request.user):
            # It removes every user's expired rows, not only the ones shown.
            actions.pop("cleanup_expired_attempts", None)
        return actions

    def _get_obj_does_not_exist_redirect(self, request, opts, object_id):
        raise Http404
