"""The contract lists' filters, sorts and downloads (listing/ does the rest).

Search covers the contract number, names and CVR numbers; a CPR number is
searched only through the logged POST search (`contracts:cpr_search`), never
through a list's query string.
"""

import django_filters
from django.db.models import F
from django.utils.translation import gettext_lazy as _

from agreements.models import Municipality
from contracts.models import IndividualContract, StandardContract, Status
from listing.filters import ListFilterSet, id_filter, period_filters, visible_choices
from listing.pages import Column
from providers.models import Offer, Provider

# An open-ended contract ends last, on every database.
ENDS_SOONEST = F("ends_on").asc(nulls_last=True)


def _municipalities(label, field_name: str) -> django_filters.ModelChoiceFilter:
    return django_filters.ModelChoiceFilter(
        label=label,
        field_name=field_name,
        queryset=visible_choices(Municipality.objects.filter_choices_for),
        empty_label=_("All"),
    )


def _status() -> django_filters.ChoiceFilter:
    return django_filters.ChoiceFilter(
        label=_("Status"), choices=Status.choices, empty_label=_("All")
    )


class StandardContractFilter(ListFilterSet):
    search_label = _("Number, provider, offer or CVR")
    search_fields = (
        "number__istartswith",
        "provider__name__icontains",
        "offer__name__icontains",
        "provider__cvr",
    )
    sorts = {
        "number": (_("Contract number"), ("number", "version")),
        "ends_on": (_("End date, soonest first"), (ENDS_SOONEST,)),
        "status": (_("Status"), ("status", "number", "version")),
    }
    default_sort = "number"

    status = _status()
    authority = _municipalities(_("Authority"), "authority")
    provider = id_filter(_("Provider"), "provider", Provider)
    offer = id_filter(_("Offer"), "offer", Offer)
    starts_from, starts_to = period_filters(
        "starts_on", _("Commencement from"), _("Commencement to")
    )
    ends_from, ends_to = period_filters("ends_on", _("Ends from"), _("Ends to"))

    class Meta:
        model = StandardContract
        fields: list[str] = []


class IndividualContractFilter(ListFilterSet):
    search_label = _("Number, citizen's name, provider or CVR")
    search_fields = (
        "number__istartswith",
        "citizen_name__icontains",
        "provider__name__icontains",
        "provider__cvr",
    )
    sorts = {
        "-starts_on": (_("Newest start first"), ("-starts_on", "citizen_name")),
        "number": (_("Contract number"), ("number", "version")),
        "ends_on": (_("End date, soonest first"), (ENDS_SOONEST,)),
        "status": (_("Status"), ("status", "number", "version")),
    }
    default_sort = "-starts_on"

    status = _status()
    acting_municipality = _municipalities(_("Acting municipality"), "acting_municipality")
    paying_municipality = _municipalities(_("Paying municipality"), "paying_municipality")
    provider = id_filter(_("Provider"), "provider", Provider)
    offer = id_filter(_("Offer"), "offer", Offer)
    starts_from, starts_to = period_filters("starts_on", _("Start from"), _("Start to"))
    ends_from, ends_to = period_filters("ends_on", _("Ends from"), _("Ends to"))

    class Meta:
        model = IndividualContract
        fields: list[str] = []


STANDARD_COLUMNS = [
    Column(_("Contract number"), lambda c: c.number),
    Column(_("Version"), lambda c: c.version),
    Column(_("Status"), lambda c: c.get_status_display()),
    Column(_("Authority"), lambda c: c.authority.name),
    Column(_("Provider"), lambda c: c.provider.name),
    Column(_("CVR number"), lambda c: c.provider.cvr),
    Column(_("Offer"), lambda c: c.offer.name),
    Column(_("Intervention type"), lambda c: str(c.intervention_type)),
    Column(_("Commencement"), lambda c: c.starts_on),
    Column(_("Ends"), lambda c: c.ends_on),
    Column(_("Price"), lambda c: c.price),
    Column(_("Price unit"), lambda c: c.get_price_unit_display()),
]

# CPR numbers masked: a download is a list, and lists never show them whole.
INDIVIDUAL_COLUMNS = [
    Column(_("Contract number"), lambda c: c.number),
    Column(_("Version"), lambda c: c.version),
    Column(_("Status"), lambda c: c.get_status_display()),
    Column(_("Citizen"), lambda c: c.citizen_name),
    Column(_("CPR number"), lambda c: c.masked_citizen_cpr),
    Column(_("Standard contract"), lambda c: c.standard_contract.number),
    Column(_("Provider"), lambda c: c.provider.name),
    Column(_("CVR number"), lambda c: c.provider.cvr),
    Column(_("Acting municipality"), lambda c: c.acting_municipality.name),
    Column(_("Paying municipality"), lambda c: c.paying_municipality.name),
    Column(_("Start"), lambda c: c.starts_on),
    Column(_("Ends"), lambda c: c.ends_on),
    Column(_("Price"), lambda c: c.price),
    Column(_("Price unit"), lambda c: c.get_price_unit_display()),
]
