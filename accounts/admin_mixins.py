"""The admin as each secretariat's back office: every list, form, choice,
autocomplete, history and export shows only the rows the user's secretariat
administers (`Model.objects.visible_to(user)`, the same querysets the pages
use), and a row of another secretariat answers 404. Every app's admin is
built on these mixins.

This module imports no app: the rule for user accounts, which lives above
the domain apps (`accounts.users`), is handed to it in `VISIBLE_ROWS` when
the apps are ready (`AccountsConfig.ready`).
"""

from collections.abc import Callable

from django.contrib import admin
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest

from accounts import roles

# What of a model a user may see, for models whose manager has no `visible_to`:
# the user accounts a secretariat administers.
VISIBLE_ROWS: dict[type[Model], Callable[..., QuerySet]] = {}


def visible_queryset(model: type[Model], request: HttpRequest) -> QuerySet | None:
    """What of `model` the user may see, or None when the model has no rule
    (reference data: regions, collaboration models, intervention types)."""
    rule = VISIBLE_ROWS.get(model)
    if rule is not None:
        return rule(request.user)
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
