"""The calendar's and the decision register's filters, sorts and downloads
(listing/ does the rest)."""

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agreements.models import GoverningBody, Meeting
from listing.filters import ListFilterSet, visible_choices
from listing.pages import Column
from meetings.models import AgendaItem

ABOUT = {
    "adjustment": Q(adjustment__isnull=False),
    "evaluation": Q(evaluation_of__isnull=False),
    "mandate": Q(mandate__isnull=False),
    "tariff": ~Q(tariff_matter=""),
}


def body_filter(field_name: str) -> django_filters.ModelChoiceFilter:
    return django_filters.ModelChoiceFilter(
        label=_("Body"),
        field_name=field_name,
        queryset=visible_choices(GoverningBody.objects.material_visible_to),
        empty_label=_("All"),
    )


class BodyListFilter(ListFilterSet):
    """A list with a `body` filter (`body_filter`) offering the bodies whose
    material the user may read."""


class DecisionFilter(BodyListFilter):
    search_label = _("Search the decisions")
    search_fields = ("title__icontains", "decision__icontains", "case_text__icontains")
    sorts = {
        "newest": (_("Newest meeting first"), ("-meeting__date", "position")),
        "oldest": (_("Oldest meeting first"), ("meeting__date", "position")),
    }
    default_sort = "newest"

    body = body_filter("meeting__body")
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


class MeetingFilter(BodyListFilter):
    """The calendar: the coming meetings, soonest first, or the held ones,
    newest first."""

    when = django_filters.ChoiceFilter(
        label=_("Meetings"),
        choices=[("coming", _("Coming meetings")), ("held", _("Held meetings"))],
        empty_label=None,
        method="by_when",
    )
    body = body_filter("body")

    class Meta:
        model = Meeting
        fields: list[str] = []

    def by_when(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        # Applied in filter_queryset: the coming meetings when none is chosen.
        return queryset

    @property
    def held(self) -> bool:
        return self.is_bound and self.form.is_valid() and self.form.cleaned_data["when"] == "held"

    def filter_queryset(self, queryset: QuerySet) -> QuerySet:
        queryset = super().filter_queryset(queryset)
        today = timezone.localdate()
        if self.held:
            return queryset.filter(date__lt=today).order_by("-date", "body__name", "pk")
        return queryset.filter(date__gte=today).order_by("date", "body__name", "pk")


def _minutes(meeting: Meeting) -> str:
    minutes = getattr(meeting, "record", None)
    if minutes is None:
        return ""
    return str(_("Approved") if minutes.approved else _("Draft"))


MEETING_COLUMNS = [
    Column(_("Date"), lambda meeting: meeting.date),
    Column(_("Starts at"), lambda meeting: meeting.starts_at),
    Column(_("Body"), lambda meeting: meeting.body.name),
    Column(_("Place"), lambda meeting: meeting.location or str(_("Online"))),
    Column(_("Items"), lambda meeting: meeting.item_count),
    Column(_("Minutes"), _minutes),
]
