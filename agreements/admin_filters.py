"""An admin list filter for foreign keys to large tables.

Django's related-object filters list their choices: every row of the related
table, or (`RelatedOnlyFieldListFilter`) a DISTINCT scan over every row of
the filtered table. At 100,000 contracts that scan is the slowest part of the
changelist. `AutocompleteFilter` instead shows one search box backed by the
admin's own autocomplete view (the related model's admin must have
`search_fields`), and filters with a plain indexed equality.

Used as `list_filter = [("acting_municipality", AutocompleteFilter)]`; a path
across relations works too (`("standard_contract__provider", AutocompleteFilter)`).
The admin class that uses it mixes in `AutocompleteFilterMedia` for the scripts.
Like every related filter in the admin it offers only the rows the user may
see: the search answers from the related admin's (narrowed) queryset, and
the chosen row is named only when it is one of them.
"""

from functools import cached_property

from django import forms
from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import ValidationError
from django.db.models.fields.related import RelatedField
from django.utils import translation

from accounts.admin_mixins import visible_queryset

__all__ = ["AutocompleteFilter", "AutocompleteFilterMedia"]


class AutocompleteFilter(admin.FieldListFilter):
    template = "admin/autocomplete_filter.html"

    def __init__(self, field: RelatedField, request, params, model, model_admin, field_path):
        self.lookup_kwarg = f"{field_path}__{field.target_field.name}__exact"
        super().__init__(field, request, params, model, model_admin, field_path)
        self.admin_site = model_admin.admin_site
        self.remote_model = field.remote_field.model
        self.request = request
        values = [value for value in self.used_parameters.pop(self.lookup_kwarg, []) if value]
        # A cleared box sends the parameter empty: no filter.
        self.value = values[-1] if values else None

    def expected_parameters(self) -> list[str]:
        return [self.lookup_kwarg]

    def has_output(self) -> bool:
        return True

    def queryset(self, request, queryset):
        if self.value is None:
            return queryset
        try:
            return queryset.filter(**{self.lookup_kwarg: self.value})
        except (ValueError, ValidationError) as error:
            raise IncorrectLookupParameters(error) from error

    def get_facet_counts(self, pk_attname, filtered_qs) -> dict:
        # Counting per related object would be the scan this filter avoids.
        return {}

    @cached_property
    def _form(self) -> forms.Form:
        return self.form()

    def form(self) -> forms.Form:
        manager = self.remote_model._default_manager
        if self.value is None:
            # The box is empty: the widget names no row and reads none.
            queryset = manager.none()
        else:
            visible = visible_queryset(self.remote_model, self.request)
            queryset = manager.all() if visible is None else visible
        field = forms.ModelChoiceField(
            queryset=queryset,
            required=False,
            widget=AutocompleteSelect(self.field, self.admin_site),
        )
        form_class = type("AutocompleteFilterForm", (forms.Form,), {self.lookup_kwarg: field})
        return form_class(data={self.lookup_kwarg: self.value}, auto_id="filter_%s")

    def choices(self, changelist):
        # The other parameters of the list travel with the form; a new choice
        # starts again from the first page.
        keep = {
            name: value for name, value in changelist.params.items() if name != self.lookup_kwarg
        }
        field_id, field_html = self._field()
        yield {
            "selected": self.value is not None,
            "query_string": changelist.get_query_string(remove=[self.lookup_kwarg]),
            "keep": sorted(keep.items()),
            "field_id": field_id,
            "field_html": field_html,
        }

    def _field(self) -> tuple[str, str]:
        """The search box's id and HTML. An empty box is the same for every
        user of a language (no row, no user data): rendered once a process,
        where the widget's template costs more than the rest of the filter."""
        key = (
            self.field.model._meta.label,
            self.field.name,
            self.lookup_kwarg,
            self.admin_site.name,
            translation.get_language(),
        )
        if self.value is None and key in _EMPTY_BOXES:
            return _EMPTY_BOXES[key]
        bound = self._form[self.lookup_kwarg]
        field = (bound.id_for_label, str(bound))
        if self.value is None:
            _EMPTY_BOXES[key] = field
        return field


# (the field's model and name, the parameter, admin site, language) -> an empty
# filter box's id and HTML: what the widget's HTML depends on.
_EMPTY_BOXES: dict[tuple, tuple[str, str]] = {}


class AutocompleteFilterMedia:
    """The scripts and styles of the admin's autocomplete widget, on the changelist."""

    @property
    def media(self) -> forms.Media:
        # The widget's media does not depend on its field.
        widget = AutocompleteSelect(None, admin.site)
        return super().media + widget.media + forms.Media(js=["js/admin_autocomplete_filter.js"])
