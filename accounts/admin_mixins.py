"""The admin as each secretariat's back office: every list, form, choice,
autocomplete, history and export shows only the rows the user's secretariat
administers (`Model.objects.visible_to(user)`, the same querysets the pages
use), and a row of another secretariat answers 404. Every app's admin is
built on these mixins.

`VisibleToAdminMixin` goes on every ModelAdmin of a model with such a rule,
`VisibleToInlineMixin` on their inlines (tests/accounts/test_admin_scope.py
fails for one without). The mixin also gives every list filter on a related
field its choices from the visible rows, so a new admin cannot forget it.

This module imports no app: the rules for user accounts and their failed
logins, which live above the domain apps (`accounts.users`), are handed to it
in `VISIBLE_ROWS` when the apps are ready (`AccountsConfig.ready`).
"""

from collections.abc import Callable

from django.contrib import admin
from django.contrib.admin.utils import get_fields_from_path, get_model_from_relation, unquote
from django.contrib.admin.widgets import ForeignKeyRawIdWidget
from django.core.exceptions import ValidationError
from django.db.models import Model, Q, QuerySet
from django.http import Http404, HttpRequest

from accounts import roles

# What of a model a user may see, for models whose manager has no `visible_to`:
# the user accounts a secretariat administers and their failed logins.
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


class VisibleRawIdWidget(ForeignKeyRawIdWidget):
    """A raw id box names the row it holds only when the user may see it: an
    id put in the add page's address must not reveal another's row."""

    def __init__(self, rel, admin_site, *, visible: QuerySet, **kwargs) -> None:
        super().__init__(rel, admin_site, **kwargs)
        self.visible = visible

    def label_and_url_for_value(self, value):
        try:
            seen = self.visible.filter(**{self.rel.get_related_field().name: value}).exists()
        except (ValueError, ValidationError):
            seen = False
        return super().label_and_url_for_value(value) if seen else ("", "")


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
        kwargs = self._narrow(db_field, request, kwargs)
        if "queryset" in kwargs and "widget" not in kwargs and db_field.name in self.raw_id_fields:
            kwargs["widget"] = VisibleRawIdWidget(
                db_field.remote_field,
                self.admin_site,
                using=kwargs.get("using"),
                visible=kwargs["queryset"],
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        return super().formfield_for_manytomany(
            db_field, request, **self._narrow(db_field, request, kwargs)
        )


class VisibleRelatedFieldListFilter(admin.RelatedFieldListFilter):
    """A list filter on a related field whose choices are the related rows the
    user may see (all for a superuser, and of reference data)."""

    def limit_choices(self, field, request: HttpRequest, model_admin) -> Q:
        condition = Q()
        own = field.get_limit_choices_to() if hasattr(field, "get_limit_choices_to") else None
        if own:
            condition &= own if isinstance(own, Q) else Q(**own)
        if not roles.sees_every_secretariat(request.user):
            visible = visible_queryset(get_model_from_relation(field), request)
            if visible is not None:
                condition &= Q(pk__in=visible.values("pk"))
        return condition

    def field_choices(self, field, request, model_admin):
        return field.get_choices(
            include_blank=False,
            limit_choices_to=self.limit_choices(field, request, model_admin),
            ordering=self.field_admin_ordering(field, request, model_admin),
        )


class VisibleRelatedOnlyFieldListFilter(VisibleRelatedFieldListFilter):
    """`RelatedOnlyFieldListFilter` among the visible rows: those the listed
    rows refer to."""

    def limit_choices(self, field, request: HttpRequest, model_admin) -> Q:
        referred = (
            model_admin.get_queryset(request)
            .distinct()
            .values_list(f"{self.field_path}__pk", flat=True)
        )
        return super().limit_choices(field, request, model_admin) & Q(pk__in=referred)


# Django's filters for related fields, and what the admin uses instead.
VISIBLE_FILTERS = {
    admin.RelatedFieldListFilter: VisibleRelatedFieldListFilter,
    admin.RelatedOnlyFieldListFilter: VisibleRelatedOnlyFieldListFilter,
}


def visible_list_filter(model: type[Model], entry):
    """`entry` of a `list_filter`, with Django's filter of a related field
    replaced by its visible-rows one; other entries as they are."""
    if isinstance(entry, str):
        field = get_fields_from_path(model, entry)[-1]
        if getattr(field, "remote_field", None) is not None:
            return (entry, VisibleRelatedFieldListFilter)
    elif isinstance(entry, list | tuple) and entry[1] in VISIBLE_FILTERS:
        return (entry[0], VISIBLE_FILTERS[entry[1]], *entry[2:])
    return entry


class VisibleToAdminMixin(VisibleChoicesMixin):
    """Narrows a ModelAdmin to `visible_to(request.user)`: the changelist and
    its export, the change, delete and history pages (404 outside), the
    autocomplete results it serves, the choices of its fields and of its
    list filters."""

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        queryset = super().get_queryset(request)
        if roles.sees_every_secretariat(request.user):
            return queryset
        if hasattr(queryset, "visible_to"):
            return queryset.visible_to(request.user)
        visible = visible_queryset(self.model, request)
        if visible is not None:
            return queryset.filter(pk__in=visible.values("pk"))
        return queryset

    def get_list_filter(self, request: HttpRequest):
        return [
            visible_list_filter(self.model, entry) for entry in super().get_list_filter(request)
        ]

    def _get_obj_does_not_exist_redirect(self, request, opts, object_id):
        # What a user may not see answers 404, as on every page.
        raise Http404

    def _require_visible(self, request: HttpRequest, object_id) -> None:
        if roles.sees_every_secretariat(request.user):
            return
        try:
            visible = self.get_queryset(request).filter(pk=unquote(object_id)).exists()
        except (ValueError, ValidationError):
            visible = False
        if not visible:
            raise Http404

    # Another's row answers 404 before any permission is asked: a change or
    # delete refused to everyone (read-only admins) would otherwise say 403.
    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if object_id is not None:
            self._require_visible(request, object_id)
        return super().changeform_view(request, object_id, form_url, extra_context)

    def delete_view(self, request, object_id, extra_context=None):
        self._require_visible(request, object_id)
        return super().delete_view(request, object_id, extra_context)

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
