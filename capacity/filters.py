"""The capacity adjustments list's filters, sorts and download (listing/ does the rest)."""

import django_filters
from django.utils.translation import gettext_lazy as _

from agreements.models import Municipality
from capacity.models import CapacityAdjustment
from listing.filters import ListFilterSet, id_filter, period_filters, visible_choices
from listing.pages import Column
from providers.models import Offer, Provider


class AdjustmentFilter(ListFilterSet):
    search_label = _("Offer, provider or CVR")
    search_fields = (
        "offer__name__icontains",
        "offer__provider__name__icontains",
        "offer__provider__cvr",
    )
    sorts = {
        "-requested_at": (_("Newest request first"), ("-requested_at",)),
        "effective_on": (_("Effective date, soonest first"), ("effective_on",)),
        "status": (_("Status"), ("status", "effective_on")),
    }
    default_sort = "-requested_at"

    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=CapacityAdjustment.Status.choices, empty_label=_("All")
    )
    kind = django_filters.ChoiceFilter(
        label=_("Kind"), choices=CapacityAdjustment.Kind.choices, empty_label=_("All")
    )
    requires_approval = django_filters.BooleanFilter(label=_("Needs approval"))
    municipality = django_filters.ModelChoiceFilter(
        label=_("Operating municipality"),
        field_name="requested_by_municipality",
        queryset=visible_choices(Municipality.objects.filter_choices_for),
        empty_label=_("All"),
    )
    provider = id_filter(_("Provider"), "offer__provider", Provider)
    offer = id_filter(_("Offer"), "offer", Offer)
    effective_from, effective_to = period_filters(
        "effective_on", _("Effective from"), _("Effective to")
    )
    hearing_from, hearing_to = period_filters(
        "hearing__deadline", _("Hearing deadline from"), _("Hearing deadline to")
    )

    class Meta:
        model = CapacityAdjustment
        fields: list[str] = []


COLUMNS = [
    Column(_("Offer"), lambda a: a.offer.name),
    Column(_("Provider"), lambda a: a.offer.provider.name),
    Column(_("CVR number"), lambda a: a.offer.provider.cvr),
    Column(_("Operator"), lambda a: str(a.operator)),
    Column(_("Kind"), lambda a: a.get_kind_display()),
    Column(_("Places before"), lambda a: a.places_before),
    Column(_("Change in places"), lambda a: a.change),
    Column(_("Effective from"), lambda a: a.effective_on),
    Column(_("Needs approval"), lambda a: a.requires_approval),
    Column(_("Status"), lambda a: a.get_status_display()),
    Column(_("Requested at"), lambda a: a.requested_at.date()),
]
