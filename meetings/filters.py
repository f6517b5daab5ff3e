"""The decision register's filters, sorts and download (listing/ does the rest)."""

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from agreements.models import GoverningBody
from listing.filters import ListFilterSet, visible_choices
from listing.pages import Column
from meetings.models import AgendaItem

ABOUT = {
    "adjustment": Q(adjustment__isnull=False),
    "evaluation": Q(evaluation_of__isnull=False),
    "mandate": Q(mandate__isnull=False),
    "tariff": ~Q(tariff_matter=""),
}


class DecisionFilter(ListFilterSet):
    search_label = _("Search the decisions")
    search_fields = ("title__icontains", "decision__icontains", "case_text__icontains")
    sorts = {
        "newest": (_("Newest meeting first"), ("-meeting__date", "position")),
        "oldest": (_("Oldest meeting first"), ("meeting__date", "position")),
    }
    default_sort = "newest"

    body = django_filters.ModelChoiceFilter(
        label=_("Body"),
        field_name="meeting__body",
        queryset=visible_choices(GoverningBody.objects.material_visible_to),
        empty_label=_("All"),
    )
    about = django_filters.ChoiceFilter(
        label=_("About"),
        choices=[
            ("adjustment", _("Capacity adjustments")),
            ("evaluation", _("Yearly evaluations")),
            ("mandate", _("Mandates of ad hoc groups")),
            ("tariff", _("Tariff matters")),
        ],
        empty_label=_("Anything"),
        method="by_subject",
    )
    date_from = django_filters.DateFilter(
        label=_("From"),
        field_name="meeting__date",
        lookup_expr="gte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    date_to = django_filters.DateFilter(
        label=_("To"),
        field_name="meeting__date",
        lookup_expr="lte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    class Meta:
        model = AgendaItem
        fields: list[str] = []

    def by_subject(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(ABOUT[value])


DECISION_COLUMNS = [
    Column(_("Body"), lambda item: item.meeting.body.name),
    Column(_("Meeting"), lambda item: item.meeting.date),
    Column(_("Item"), lambda item: item.title),
    Column(_("Outcome"), lambda item: item.get_outcome_display()),
    Column(_("Decision"), lambda item: item.decision),
]
