"""The admin side of `Versioned`: the form carries the version it was loaded
with, and a form from an older version is refused with what changed since."""

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.formats import localize
from django.utils.functional import cached_property
from django.utils.text import capfirst
from django.utils.translation import gettext

from versioning.models import stale_message

FIELD = "row_version_seen"


def _shown(field: models.Field, value) -> str:
    if value in (None, ""):
        return "–"
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return gettext("yes") if value else gettext("no")
    return str(localize(value))


def changes_since(instance: models.Model, version: int) -> list[tuple[str, str, str]]:
    """(field label, value then, value now) for each field of `instance`'s row
    that changed since `version`, read from its history. Fields the history
    does not hold (CPR numbers) are never listed."""
    model = type(instance)
    current = model._base_manager.filter(pk=instance.pk).first()
    history = getattr(model, "history", None)
    if current is None or history is None:
        return []
    then = (
        history.filter(id=instance.pk, row_version=version)
        .order_by("-history_date", "-history_id")
        .first()
    )
    if then is None:
        return []
    held = {field.attname for field in then._meta.concrete_fields}
    changes = []
    for field in model._meta.concrete_fields:
        if field.attname not in held or field.name == "row_version" or not field.editable:
            continue
        old, new = getattr(then, field.attname), getattr(current, field.attname)
        if old == new:
            continue
        if field.is_relation:
            related = field.related_model._base_manager
            old = related.filter(pk=old).first() if old is not None else None
            new = related.filter(pk=new).first() if new is not None else None
        changes.append((capfirst(field.verbose_name), _shown(field, old), _shown(field, new)))
    return changes


def refusal(instance: models.Model, version: int) -> list[str]:
    """The refusal, then one line per field changed meanwhile."""
    lines = [stale_message()]
    changes = changes_since(instance, version)
    if changes:
        lines.append(gettext("Changed meanwhile:"))
        lines.extend(
            gettext("%(field)s: %(old)s → %(new)s") % {"field": label, "old": old, "new": new}
            for label, old, new in changes
        )
    return lines


class VersionedForm(forms.ModelForm):
    """Carries the version the record had when the form was opened."""

    row_version_seen = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            self.fields[FIELD].initial = self.instance.row_version

    @cached_property
    def changed_data(self) -> list[str]:
        return [name for name in super().changed_data if name != FIELD]

    def clean(self):
        cleaned = super().clean()
        instance = self.instance
        seen = cleaned.pop(FIELD, None)
        if instance.pk is None:
            # A new record has no version to compare with.
            return cleaned
        # Locked until the admin's transaction ends, so no save slips in
        # between this check and the form's own save.
        current = (
            type(instance)
            ._base_manager.select_for_update()
            .filter(pk=instance.pk)
            .values_list("row_version", flat=True)
            .first()
        )
        if seen is None or current is None or seen != current:
            raise ValidationError(
                [ValidationError(line, code="stale") for line in refusal(instance, seen or 0)]
            )
        instance.row_version = seen
        return cleaned


class VersionedAdmin:
    """ModelAdmin / InlineModelAdmin mixin for `Versioned` models: put it
    before the admin base class."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not issubclass(self.form, VersionedForm):
            self.form = type(self.form.__name__, (VersionedForm, self.form), {})

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None or not self.has_change_permission(request, obj):
            return fieldsets
        *before, (name, options) = fieldsets
        fields = list(options.get("fields", ()))
        if FIELD not in fields:
            fields.append(FIELD)
        return [*before, (name, {**options, "fields": fields})]
