"""The base of every list's filter: a free-text search, a sort on indexed
columns, and the list's own filters (status, municipality, provider, offer,
period) as django-filter filters. Everything lives in the query string, so a
filtered and sorted list can be bookmarked and shared.
"""

import re
from collections.abc import Callable
from typing import ClassVar

import django_filters
from django import forms
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

SEARCH = "q"
SORT = "sort"
# Query-string parameters that are not filters: they leave a list unfiltered.
NOT_FILTERS = {"page", "download", SORT}


LOOKS_LIKE_CPR = re.compile(r"\d{6}\s*-?\s*\d{4}")


def refuse_cpr(value: str) -> None:
    """A list's search is a GET: a CPR number typed into it is not searched
    (and the page says where to search by CPR: the logged POST search)."""
    if LOOKS_LIKE_CPR.search(value or ""):
        raise ValidationError(refuse_cpr_message())


def refuse_cpr_message() -> str:
    return _(
        "Lists are not searched by CPR number. Use the CPR search, "
        "which is logged, to find a citizen's contracts."
    )


class ListFilterSet(django_filters.FilterSet):
    """A FilterSet with a search box over `search_fields` and a sort select
    over `sorts` (key: (label, fields)); `default_sort` applies when none is
    chosen. The primary key ends every ordering, so pages never overlap."""

    search_fields: ClassVar[tuple[str, ...]] = ()
    search_label: ClassVar = _("Search")
    sorts: ClassVar[dict[str, tuple]] = {}
    default_sort: ClassVar[str] = ""

    def __init__(self, data=None, *args, **kwargs):
        super().__init__(data, *args, **kwargs)
        filters = {}
        if self.search_fields:
            filters[SEARCH] = django_filters.CharFilter(
                label=self.search_label,
                method="search",
                max_length=100,
                validators=[refuse_cpr],
            )
        filters.update(self.filters)

        if self.sorts:
            filters[SORT] = django_filters.ChoiceFilter(
                label=_("Sort by"),
                choices=[(key, label) for key, (label, _fields) in self.sorts.items()],
                empty_label=None,
                method="sort",
            )
        for name in (SEARCH, SORT):
            if name in filters:
                filters[name].parent = self
                filters[name].model = self.queryset.model
        self.filters = filters

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        condition = Q()
        for lookup in self.search_fields:
            condition |= Q(**{lookup: value.strip()})
        return queryset.filter(condition)

    def sort(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        # Applied in filter_queryset, after every filter.
        return queryset

    @property
    def sort_key(self) -> str:
        if self.is_bound and self.form.is_valid():
            chosen = self.form.cleaned_data.get(SORT)
            if chosen in self.sorts:
                return chosen
        return self.default_sort

    def filter_queryset(self, queryset: QuerySet) -> QuerySet:
        queryset = super().filter_queryset(queryset)
        if self.sort_key:
            _label, fields = self.sorts[self.sort_key]
            queryset = queryset.order_by(*fields, "pk")
        return queryset

    @property
    def searched_by_cpr(self) -> bool:
        """Was a CPR number typed into the search (and refused)?"""
        value = self.data.get(SEARCH, "") if self.is_bound else ""
        return bool(LOOKS_LIKE_CPR.search(value))

    @property
    def is_filtered(self) -> bool:
        """Does the query string narrow the list (a sort or a page does not)?"""
        if not self.is_bound:
            return False
        return any(value for key, value in self.data.items() if key not in NOT_FILTERS)


def requester(request):
    """The user a list's choices are narrowed to; without a request, nobody."""
    user = getattr(request, "user", None)
    return user if user is not None else AnonymousUser()


def visible_choices(choices: Callable) -> Callable:
    """A filter's queryset as django-filter takes it, a function of the
    request: `choices(user)` for the requesting user, so that a list offers
    only what its user may see (`Model.objects.visible_to(user)`)."""
    return lambda request: choices(requester(request))


def id_filter(label, field_name: str, model) -> django_filters.ModelChoiceFilter:
    """A filter by the id of a row from a big table (a provider, an offer)
    the user may see: set by links from other pages, kept in the form as a
    hidden field, not rendered as a select of thousands of options."""
    return django_filters.ModelChoiceFilter(
        label=label,
        field_name=field_name,
        queryset=visible_choices(model.objects.visible_to),
        widget=forms.HiddenInput,
    )


def period_filters(
    field_name: str, from_label, to_label
) -> tuple[django_filters.DateFilter, django_filters.DateFilter]:
    """From and to (both inclusive) on a date field."""
    widget = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    return (
        django_filters.DateFilter(
            field_name=field_name, lookup_expr="gte", label=from_label, widget=widget
        ),
        django_filters.DateFilter(
            field_name=field_name, lookup_expr="lte", label=to_label, widget=widget
        ),
    )
