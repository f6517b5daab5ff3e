"""The offer and tariff lists' filters, sorts and downloads (listing/ does the rest)."""

import datetime

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from agreements.models import Municipality
from listing.filters import ListFilterSet, id_filter, visible_choices
from listing.pages import Column
from providers.models import Offer, Provider, Tariff


class OfferFilter(ListFilterSet):
    search_label = _("Offer, provider, operating municipality or CVR")
    search_fields = (
        "name__icontains",
        "provider__name__icontains",
        "provider__operating_municipality__name__icontains",
        "provider__cvr",
    )
    sorts = {
        "name": (_("Provider and offer"), ("provider__name", "name")),
        "-approved_places": (_("Most places first"), ("-approved_places",)),
    }
    default_sort = "name"

    state = django_filters.ChoiceFilter(
        label=_("Open or closed"),
        choices=[("open", pgettext_lazy("offer", "Open")), ("closed", _("Closed"))],
        empty_label=_("All"),
        method="by_state",
    )
    operating_municipality = django_filters.ModelChoiceFilter(
        label=_("Operating municipality"),
        field_name="provider__operating_municipality",
        queryset=visible_choices(Municipality.objects.filter_choices_for),
        empty_label=_("All"),
    )
    target_group = django_filters.ChoiceFilter(
        label=_("Target group"), choices=Offer.TargetGroup.choices, empty_label=_("All")
    )
    specialisation_level = django_filters.ChoiceFilter(
        label=_("Specialisation level"),
        choices=Offer.SpecialisationLevel.choices,
        empty_label=_("All"),
    )
    provider = id_filter(_("Provider"), "provider", Provider)

    class Meta:
        model = Offer
        fields: list[str] = []

    def by_state(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        today = datetime.date.today()
        if value == "open":
            return queryset.open(today)
        return queryset.filter(Q(closed_on__lte=today))


class TariffFilter(ListFilterSet):
    search_label = _("Offer, provider or CVR")
    search_fields = (
        "offer__name__icontains",
        "offer__provider__name__icontains",
        "offer__provider__cvr",
    )
    sorts = {
        "-year": (_("Newest year first"), ("-year", "offer__name", "unit")),
        "offer": (_("Offer"), ("offer__name", "-year", "unit")),
        "-amount": (_("Highest amount first"), ("-amount",)),
    }
    default_sort = "-year"

    year = django_filters.NumberFilter(label=_("Year"), min_value=1900, max_value=2200)
    unit = django_filters.ChoiceFilter(
        label=_("Unit"), choices=Tariff.Unit.choices, empty_label=_("All")
    )
    provider = id_filter(_("Provider"), "offer__provider", Provider)
    offer = id_filter(_("Offer"), "offer", Offer)

    class Meta:
        model = Tariff
        fields: list[str] = []


OFFER_COLUMNS = [
    Column(_("Offer"), lambda o: o.name),
    Column(_("Provider"), lambda o: o.provider.name),
    Column(_("CVR number"), lambda o: o.provider.cvr),
    Column(_("Operating municipality"), lambda o: str(o.provider.operating_municipality or "")),
    Column(_("Legal basis"), lambda o: o.legal_basis),
    Column(_("Target group"), lambda o: o.get_target_group_display()),
    Column(_("Specialisation level"), lambda o: o.get_specialisation_level_display()),
    Column(_("Approved places"), lambda o: o.approved_places),
    Column(_("Opened on"), lambda o: o.opened_on),
    Column(_("Closed on"), lambda o: o.closed_on),
]

TARIFF_COLUMNS = [
    Column(_("Offer"), lambda t: t.offer.name),
    Column(_("Provider"), lambda t: t.offer.provider.name),
    Column(_("CVR number"), lambda t: t.offer.provider.cvr),
    Column(_("Year"), lambda t: t.year),
    Column(_("Unit"), lambda t: t.get_unit_display()),
    Column(_("Amount (DKK)"), lambda t: t.amount),
    Column(_("What it covers"), lambda t: t.covers),
]
