"""Import and export of providers, offers, operating agreements and tariffs.

Natural keys only: a provider by its CVR number, an offer by its provider's
CVR number and its Tilbudsportalen id (or its name), an operating agreement
by provider, municipality and signing date, a tariff by its offer, year and
unit. The column headers are the same in the export and the import.
"""

import functools
import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export.fields import Field

from agreements.models import FrameworkAgreement
from agreements.resources import municipality_widget, region_widget
from providers.models import (
    CollaborationModel,
    Offer,
    OperatingAgreement,
    Provider,
    Tariff,
    validate_cvr,
)
from register_io.services import (
    ChoiceWidget,
    DateWidget,
    DecimalWidget,
    IntegerWidget,
    NaturalKeyWidget,
    RegisterResource,
    TextWidget,
    cell_text,
    chunked,
    column_values,
)

PROVIDER_CVR = "Udbyder (CVR-nummer)"
PROVIDER_NAME = "Udbyder"
TILBUDSPORTALEN_ID = "Tilbudsportalen-id"
OFFER_NAME = "Tilbud"


def compact_cvr(value: object) -> str:
    """12 34 56 78, DK12345678 and 12345678 are the same CVR number."""
    return re.sub(r"[\s.-]", "", cell_text(value)).upper().removeprefix("DK")


@functools.lru_cache(maxsize=100_000)
def check_cvr(number: str) -> None:
    """Raise ValueError (in the active language) for an invalid CVR number."""
    try:
        validate_cvr(number)
    except ValidationError as error:
        raise ValueError(error.messages[0]) from None


def collaboration_model_widget() -> NaturalKeyWidget:
    return NaturalKeyWidget(
        CollaborationModel.objects.all(),
        "number",
        gettext_lazy("There is no collaboration model %(value)s; the models are 1–4."),
    )


class CvrWidget(TextWidget):
    def clean(self, value, row=None, **kwargs):
        return compact_cvr(value)


class ProviderWidget(NaturalKeyWidget):
    """A provider by its CVR number: first a valid number, then a known one."""

    def __init__(self):
        super().__init__(
            Provider.objects.all(),
            "cvr",
            gettext_lazy("There is no provider with CVR number %(value)s."),
            normalize=compact_cvr,
        )

    def prime(self, dataset, column: str) -> None:
        """Only the providers whose CVR numbers the file holds."""
        numbers = {compact_cvr(value) for value in column_values(dataset, column)} - {""}
        self.cache = {
            provider.cvr: provider
            for chunk in chunked(sorted(numbers))
            for provider in self.queryset.filter(cvr__in=chunk)
        }

    def clean(self, value, row=None, **kwargs):
        number = compact_cvr(value)
        if number:
            check_cvr(number)
        return super().clean(number, row, **kwargs)


class OfferWidget(NaturalKeyWidget):
    """An offer by its provider's CVR number and its Tilbudsportalen id or name
    (three columns of the row)."""

    def __init__(self):
        super().__init__(
            Offer.objects.select_related("provider"),
            "name",
            gettext_lazy("There is no such offer."),
        )

    def objects(self) -> dict:
        if self.cache is None:
            self.cache = self._index(self.queryset.all())
        return self.cache

    def prime(self, dataset, column: str) -> None:
        """Only the offers of the providers whose CVR numbers the file holds."""
        numbers = {compact_cvr(value) for value in column_values(dataset, PROVIDER_CVR)} - {""}
        self.cache = {}
        for chunk in chunked(sorted(numbers)):
            self.cache |= self._index(self.queryset.filter(provider__cvr__in=chunk))

    @staticmethod
    def _index(offers) -> dict:
        index = {}
        for offer in offers:
            if offer.tilbudsportalen_id:
                index[("tp", offer.provider.cvr, offer.tilbudsportalen_id)] = offer
            index[("name", offer.provider.cvr, offer.name)] = offer
        return index

    def clean(self, value, row=None, **kwargs):
        row = row or {}
        number = compact_cvr(row.get(PROVIDER_CVR))
        portal_id = cell_text(row.get(TILBUDSPORTALEN_ID))
        name = cell_text(value)
        if not number and not name:
            return None
        if number:
            check_cvr(number)
        offers = self.objects()
        offer = offers.get(("tp", number, portal_id)) or offers.get(("name", number, name))
        if offer is None:
            raise ValueError(
                _(
                    "There is no offer %(name)s with Tilbudsportalen id %(id)s at the provider with CVR number %(cvr)s."
                )
                % {"name": f"«{name}»", "id": portal_id or "–", "cvr": number or "–"}
            )
        return offer

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else value.name


class ProviderResource(RegisterResource):
    cvr = Field(attribute="cvr", column_name="CVR-nummer", widget=CvrWidget())
    name = Field(attribute="name", column_name="Navn", widget=TextWidget())
    kind = Field(attribute="kind", column_name="Type", widget=ChoiceWidget(Provider.Kind.choices))
    operating_municipality = Field(
        attribute="operating_municipality",
        column_name="Driftskommune (kommunekode)",
        widget=municipality_widget(),
    )
    operating_region = Field(
        attribute="operating_region",
        column_name="Driftsregion (regionskode)",
        widget=region_widget(),
    )
    collaboration_model = Field(
        attribute="collaboration_model",
        column_name="Samarbejdsmodel",
        widget=collaboration_model_widget(),
    )
    board_chair = Field(
        attribute="board_chair", column_name="Bestyrelsesformand", widget=TextWidget()
    )
    centre = Field(attribute="centre", column_name="Center", widget=TextWidget())
    address = Field(attribute="address", column_name="Adresse", widget=TextWidget())
    postal_code = Field(attribute="postal_code", column_name="Postnummer", widget=TextWidget())
    city = Field(attribute="city", column_name="By", widget=TextWidget())
    phone = Field(attribute="phone", column_name="Telefon", widget=TextWidget())
    email = Field(attribute="email", column_name="E-mail", widget=TextWidget())
    website = Field(attribute="website", column_name="Hjemmeside", widget=TextWidget())
    tilbudsportalen_id = Field(
        attribute="tilbudsportalen_id", column_name=TILBUDSPORTALEN_ID, widget=TextWidget()
    )

    key_fields = ("cvr",)

    class Meta(RegisterResource.Meta):
        model = Provider
        name = gettext_lazy("Providers")
        fields = (
            "cvr",
            "name",
            "kind",
            "operating_municipality",
            "operating_region",
            "collaboration_model",
            "board_chair",
            "centre",
            "address",
            "postal_code",
            "city",
            "phone",
            "email",
            "website",
            "tilbudsportalen_id",
        )
        import_id_fields = ("cvr",)

    def existing_queryset(self):
        return Provider.objects.select_related(*self.related_for_export())

    def related_for_export(self) -> list[str]:
        return ["operating_municipality", "operating_region", "collaboration_model"]


def provider_name_column(attribute: str) -> Field:
    """The provider's name, for people reading the file; the import ignores it."""
    return Field(attribute=attribute, column_name=PROVIDER_NAME, readonly=True, widget=TextWidget())


CAPACITY_FIELDS = ("approved_places", "opened_on", "closed_on")
RELABELLING_FIELDS = ("target_group", "legal_basis")


def capacity_field_message(name: str) -> str:
    if name == "approved_places":
        return _("Places change through a capacity adjustment.")
    return _("Places change through a capacity adjustment: an offer is opened or closed by one.")


class OfferResource(RegisterResource):
    provider = Field(attribute="provider", column_name=PROVIDER_CVR, widget=ProviderWidget())
    provider_name = provider_name_column("provider__name")
    tilbudsportalen_id = Field(
        attribute="tilbudsportalen_id", column_name=TILBUDSPORTALEN_ID, widget=TextWidget(null=True)
    )
    name = Field(attribute="name", column_name=OFFER_NAME, widget=TextWidget())
    legal_basis = Field(
        attribute="legal_basis",
        column_name="Lovgrundlag",
        widget=ChoiceWidget(Offer.LegalBasis.choices),
    )
    target_group = Field(
        attribute="target_group",
        column_name="Målgruppe",
        widget=ChoiceWidget(Offer.TargetGroup.choices),
    )
    specialisation_level = Field(
        attribute="specialisation_level",
        column_name="Specialiseringsniveau",
        widget=ChoiceWidget(Offer.SpecialisationLevel.choices),
    )
    approved_places = Field(
        attribute="approved_places", column_name="Godkendte pladser", widget=IntegerWidget(0)
    )
    opened_on = Field(attribute="opened_on", column_name="Åbnet", widget=DateWidget())
    closed_on = Field(attribute="closed_on", column_name="Lukket", widget=DateWidget())
    description = Field(attribute="description", column_name="Beskrivelse", widget=TextWidget())

    key_fields = ("provider", "name")

    class Meta(RegisterResource.Meta):
        model = Offer
        name = gettext_lazy("Offers")
        fields = (
            "provider",
            "provider_name",
            "tilbudsportalen_id",
            "name",
            "legal_basis",
            "target_group",
            "specialisation_level",
            "approved_places",
            "opened_on",
            "closed_on",
            "description",
        )
        import_id_fields = ("provider", "name")

    def existing_queryset(self):
        return Offer.objects.select_related("provider").prefetch_related("framework_agreements")

    def import_instance(self, instance, row, **kwargs):
        """R5: an existing offer's places, opening and closing change only by a
        carried-out capacity adjustment; a new offer may bring its places."""
        before = {name: getattr(instance, name) for name in CAPACITY_FIELDS + RELABELLING_FIELDS}
        errors: dict = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if instance.pk is not None:
            for name in CAPACITY_FIELDS:
                if getattr(instance, name) != before[name]:
                    column = self.fields[name].column_name
                    errors.setdefault(column, []).append(capacity_field_message(name))
            changed = [n for n in RELABELLING_FIELDS if getattr(instance, n) != before[n]]
            if changed and instance.relabelling_needs_approval():
                for name in changed:
                    errors.setdefault(self.fields[name].column_name, []).append(
                        _("The offer is relabelled through a capacity adjustment (ommærkning).")
                    )
        if errors:
            raise ValidationError(errors)

    def related_for_export(self) -> list[str]:
        return ["provider"]

    def row_keys(self, row) -> list[tuple]:
        provider = self.fields["provider"].clean(row)
        provider_id = getattr(provider, "pk", None)
        keys = []
        if TILBUDSPORTALEN_ID in row:
            portal_id = self.fields["tilbudsportalen_id"].clean(row)
            if portal_id:
                keys.append(("tp", provider_id, portal_id))
        keys.append(("name", provider_id, self.fields["name"].clean(row)))
        return keys

    def instance_keys(self, obj) -> list[tuple]:
        keys = [("name", obj.provider_id, obj.name)]
        if obj.tilbudsportalen_id:
            keys.insert(0, ("tp", obj.provider_id, obj.tilbudsportalen_id))
        return keys


class OperatingAgreementResource(RegisterResource):
    provider = Field(attribute="provider", column_name=PROVIDER_CVR, widget=ProviderWidget())
    provider_name = provider_name_column("provider__name")
    municipality = Field(
        attribute="municipality", column_name="Kommune (kommunekode)", widget=municipality_widget()
    )
    signed_on = Field(attribute="signed_on", column_name="Underskrevet", widget=DateWidget())
    model = Field(
        attribute="model",
        column_name="Samarbejdsmodel",
        widget=collaboration_model_widget(),
    )
    framework_agreement = Field(
        attribute="framework_agreement",
        column_name="Rammeaftale",
        widget=NaturalKeyWidget(
            FrameworkAgreement.objects.all(),
            "name",
            gettext_lazy("There is no framework agreement named %(value)s."),
        ),
    )
    last_review_on = Field(
        attribute="last_review_on", column_name="Seneste serviceeftersyn", widget=DateWidget()
    )
    individual_review_on = Field(
        attribute="individual_review_on",
        column_name="Aftalt genforhandling",
        widget=DateWidget(),
    )
    committed_places = Field(
        attribute="committed_places", column_name="Forpligtede pladser", widget=IntegerWidget(0)
    )
    yearly_payment = Field(
        attribute="yearly_payment",
        column_name="Fast årlig betaling (kr.)",
        widget=DecimalWidget(),
    )
    notes = Field(attribute="notes", column_name="Noter", widget=TextWidget())

    key_fields = ("provider", "municipality", "signed_on")

    class Meta(RegisterResource.Meta):
        model = OperatingAgreement
        name = gettext_lazy("Operating agreements")
        fields = (
            "provider",
            "provider_name",
            "municipality",
            "signed_on",
            "model",
            "framework_agreement",
            "last_review_on",
            "individual_review_on",
            "committed_places",
            "yearly_payment",
            "notes",
        )
        import_id_fields = ("provider", "municipality", "signed_on")

    def existing_queryset(self):
        return OperatingAgreement.objects.select_related(*self.related_for_export())

    def related_for_export(self) -> list[str]:
        return ["provider", "municipality", "model", "framework_agreement"]


class TariffResource(RegisterResource):
    provider_cvr = Field(
        attribute="offer__provider__cvr",
        column_name=PROVIDER_CVR,
        readonly=True,
        widget=TextWidget(),
    )
    provider_name = provider_name_column("offer__provider__name")
    offer_portal_id = Field(
        attribute="offer__tilbudsportalen_id",
        column_name=TILBUDSPORTALEN_ID,
        readonly=True,
        widget=TextWidget(null=True),
    )
    offer = Field(attribute="offer", column_name=OFFER_NAME, widget=OfferWidget())
    year = Field(attribute="year", column_name="År", widget=IntegerWidget(2000, 2100))
    unit = Field(attribute="unit", column_name="Enhed", widget=ChoiceWidget(Tariff.Unit.choices))
    amount = Field(attribute="amount", column_name="Beløb (kr.)", widget=DecimalWidget())
    covers = Field(attribute="covers", column_name="Dækker", widget=TextWidget())

    key_fields = ("offer", "year", "unit")

    class Meta(RegisterResource.Meta):
        model = Tariff
        name = gettext_lazy("Tariffs")
        fields = (
            "provider_cvr",
            "provider_name",
            "offer_portal_id",
            "offer",
            "year",
            "unit",
            "amount",
            "covers",
        )
        import_id_fields = ("offer", "year", "unit")

    def existing_queryset(self):
        return Tariff.objects.select_related("offer__provider").with_approved_basis()

    def import_instance(self, instance, row, **kwargs):
        """A tariff set from an approved calculation basis keeps its amount (as
        in the admin): a new amount takes a new basis."""
        fields = [Tariff._meta.get_field(name).attname for name in Tariff.BASIS_FIELDS]
        before = {name: getattr(instance, name) for name in fields}
        errors: dict = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if instance.pk is not None and instance.from_approved_basis() is not None:
            for name, attname in zip(Tariff.BASIS_FIELDS, fields, strict=True):
                if getattr(instance, attname) != before[attname]:
                    errors.setdefault(self.fields[name].column_name, []).append(
                        _(
                            "Set from the approved calculation basis; a new amount needs a new basis."
                        )
                    )
        if errors:
            raise ValidationError(errors)

    def related_for_export(self) -> list[str]:
        return ["offer__provider"]
