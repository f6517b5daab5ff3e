"""The open tariff list's filters: region, target group, paragraph and
specialisation level, and the year — all in the URL."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from agreements.models import Region
from providers.models import Offer, Tariff


class TariffListFilter(django_filters.FilterSet):
    region = django_filters.ModelChoiceFilter(
        label=_("Region"),
        queryset=Region.objects.all(),
        method="filter_region",
        empty_label=_("All regions"),
    )
    target_group = django_filters.ChoiceFilter(
        label=_("Target group"),
        field_name="offer__target_group",
        choices=Offer.TargetGroup.choices,
        empty_label=_("All target groups"),
    )
    legal_basis = django_filters.ChoiceFilter(
        label=_("Paragraph"),
        field_name="offer__legal_basis",
        choices=Offer.LegalBasis.choices,
        empty_label=_("All paragraphs"),
    )
    level = django_filters.ChoiceFilter(
        label=_("Specialisation level"),
        field_name="offer__specialisation_level",
        choices=Offer.SpecialisationLevel.choices,
        empty_label=_("All levels"),
    )

    class Meta:
        model = Tariff
        fields: list[str] = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.form.fields.values():
            field.widget.attrs["class"] = "form-select"

    def filter_region(self, queryset, name, value):
        """An offer lies in the region of its operating municipality, or of
        the region that runs it."""
        return queryset.filter(
            Q(offer__provider__operating_municipality__region=value)
            | Q(offer__provider__operating_region=value)
        )
