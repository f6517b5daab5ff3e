import datetime

from django import forms
from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from accounts import roles
from accounts.admin_mixins import VisibleToAdminMixin, VisibleToInlineMixin
from agreements.admin_filters import AutocompleteFilter, AutocompleteFilterMedia
from providers.models import (
    CollaborationModel,
    MunicipalSolution,
    Offer,
    OperatingAgreement,
    Provider,
    SolutionRequirement,
    Tariff,
)
from providers.resources import (
    OfferResource,
    OperatingAgreementResource,
    ProviderResource,
    TariffResource,
)
from register_io.admin import RegisterImportExportMixin
from versioning.admin import VersionedAdmin


class SolutionRequirementInline(VisibleToInlineMixin, admin.TabularInline):
    model = SolutionRequirement
    extra = 0


@admin.register(CollaborationModel)
class CollaborationModelAdmin(VisibleToAdminMixin, SimpleHistoryAdmin):
    list_display = [
        "number",
        "name",
        "agreement_kind",
        "deficit_covered",
        "part_of_municipal_discussions",
        "review_interval_years",
    ]
    search_fields = ["name"]
    inlines = [SolutionRequirementInline]

    # Read by all (providers under any agreement refer to them); changed only
    # by the secretariat of the agreement that defines them.
    def has_change_permission(self, request, obj=None) -> bool:
        return super().has_change_permission(request, obj) and _defines(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        return super().has_delete_permission(request, obj) and _defines(request, obj)


def _defines(request, model: CollaborationModel | None) -> bool:
    if model is None or roles.sees_every_secretariat(request.user):
        return True
    return model.framework_agreement_id in roles.secretariat_scope(request.user).agreement_ids


@admin.register(MunicipalSolution)
class MunicipalSolutionAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "position"]
    search_fields = ["name"]


# R5: an existing offer's places, opening and closing change only by a
# carried-out capacity adjustment; a new offer is registered with its places.
CAPACITY_FIELDS = ("approved_places", "opened_on", "closed_on")
# 001: where the policy asks for it, a relabelling is an approved adjustment too.
RELABELLING_FIELDS = ("target_group", "legal_basis")


class OfferInlineForm(forms.ModelForm):
    """In the provider's list of offers, an existing offer's places are shown, not edited."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            for name in CAPACITY_FIELDS:
                if name in self.fields:
                    self.fields[name].disabled = True


def registered_reason(offer: Offer) -> str:
    return gettext("Registered with %(places)s places") % {"places": offer.approved_places}


class OfferInline(VisibleToInlineMixin, admin.TabularInline):
    model = Offer
    form = OfferInlineForm
    extra = 0
    fields = ["name", "legal_basis", "target_group", "specialisation_level", "approved_places"]
    show_change_link = True


@admin.register(Provider)
class ProviderAdmin(
    VisibleToAdminMixin, VersionedAdmin, RegisterImportExportMixin, SimpleHistoryAdmin
):
    resource_classes = [ProviderResource]
    list_display = [
        "name",
        "cvr",
        "kind",
        "operating_municipality",
        "operating_region",
        "collaboration_model",
    ]
    list_filter = [
        "kind",
        "collaboration_model",
        "operating_municipality__region",
    ]
    list_select_related = ["operating_municipality", "operating_region", "collaboration_model"]
    search_fields = ["name", "cvr", "tilbudsportalen_id", "board_chair", "centre"]
    autocomplete_fields = ["operating_municipality", "operating_region", "leaders"]
    inlines = [OfferInline]
    fieldsets = [
        (None, {"fields": ["name", "cvr", "kind", "tilbudsportalen_id"]}),
        (
            _("Operation"),
            {
                "fields": [
                    "operating_municipality",
                    "operating_region",
                    "collaboration_model",
                    "centre",
                ]
            },
        ),
        (_("Management"), {"fields": ["board_chair", "leaders"]}),
        (_("Contact"), {"fields": ["address", "postal_code", "city", "phone", "email", "website"]}),
    ]


class TariffForm(forms.ModelForm):
    """A tariff set from an approved calculation basis keeps the basis's
    offer, year, unit and amount whatever is posted: the fields are disabled
    (read-only on the tariff's own page), and the stored values are kept when
    the history's form reverts to an earlier version, which brings that
    version's values in the instance, not through the fields."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.set_from_basis = self.instance.from_approved_basis() is not None
        if self.set_from_basis:
            for name in Tariff.BASIS_FIELDS:
                if name in self.fields:
                    self.fields[name].disabled = True

    def clean(self):
        cleaned = super().clean()
        if self.set_from_basis:
            stored = Tariff._base_manager.get(pk=self.instance.pk)
            for name in Tariff.BASIS_FIELDS:
                attname = Tariff._meta.get_field(name).attname
                setattr(self.instance, attname, getattr(stored, attname))
        return cleaned


class TariffInline(VisibleToInlineMixin, VersionedAdmin, admin.TabularInline):
    model = Tariff
    form = TariffForm
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).with_approved_basis()


@admin.register(Offer)
class OfferAdmin(
    VisibleToAdminMixin,
    AutocompleteFilterMedia,
    VersionedAdmin,
    RegisterImportExportMixin,
    SimpleHistoryAdmin,
):
    resource_classes = [OfferResource]
    ordering = ["name"]
    show_full_result_count = False
    show_facets = admin.ShowFacets.NEVER
    list_display = [
        "name",
        "provider",
        "legal_basis",
        "target_group",
        "specialisation_level",
        "approved_places",
        "closed_on",
    ]
    list_filter = [
        "specialisation_level",
        "target_group",
        "legal_basis",
        "provider__operating_municipality__region",
        ("provider", AutocompleteFilter),
        "provider__kind",
        "framework_agreements",
    ]
    list_select_related = ["provider"]
    search_fields = ["name", "tilbudsportalen_id", "provider__name", "provider__cvr"]
    autocomplete_fields = ["provider", "framework_agreements"]
    inlines = [TariffInline]

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if obj is not None and obj.pk is not None:
            readonly += [*CAPACITY_FIELDS, "capacity_adjustment_link"]
            if obj.relabelling_needs_approval():
                readonly += list(RELABELLING_FIELDS)
        return readonly

    @admin.display(description=_("capacity"))
    def capacity_adjustment_link(self, obj: Offer):
        return format_html(
            '<a href="{}">{}</a>',
            reverse("capacity:request", args=[obj.pk]),
            gettext("Ask for a capacity adjustment"),
        )

    def save_model(self, request, obj, form, change):
        if not change:
            # The history records the places a new offer opens with.
            obj._change_reason = registered_reason(obj)
        super().save_model(request, obj, form, change)


class ReviewOverdueFilter(admin.SimpleListFilter):
    title = _("service review")
    parameter_name = "review"

    def lookups(self, request, model_admin):
        return [
            ("overdue", _("Overdue")),
            ("90", _("Due within 90 days")),
        ]

    def queryset(self, request, queryset):
        if self.value() == "overdue":
            return queryset.review_overdue()
        if self.value() == "90":
            return queryset.review_due_within(90)
        return queryset


@admin.register(OperatingAgreement)
class OperatingAgreementAdmin(
    VisibleToAdminMixin, VersionedAdmin, RegisterImportExportMixin, SimpleHistoryAdmin
):
    resource_classes = [OperatingAgreementResource]
    list_display = [
        "provider",
        "municipality",
        "model",
        "signed_on",
        "last_review_on",
        "next_review",
    ]
    list_filter = [ReviewOverdueFilter, "model", "municipality__region"]
    list_select_related = ["provider", "municipality", "model", "framework_agreement"]
    search_fields = ["provider__name", "provider__cvr", "municipality__name"]
    autocomplete_fields = ["provider", "municipality", "framework_agreement"]

    @admin.display(description=_("next service review"))
    def next_review(self, obj: OperatingAgreement):
        due = obj.next_review_on
        if due is None:
            return "–"
        if due < datetime.date.today():
            return _("%(date)s (overdue)") % {"date": due.strftime("%d.%m.%Y")}
        return due.strftime("%d.%m.%Y")


@admin.register(Tariff)
class TariffAdmin(
    VisibleToAdminMixin,
    AutocompleteFilterMedia,
    VersionedAdmin,
    RegisterImportExportMixin,
    SimpleHistoryAdmin,
):
    resource_classes = [TariffResource]
    form = TariffForm
    ordering = ["-year", "offer_id", "unit"]
    show_full_result_count = False
    show_facets = admin.ShowFacets.NEVER
    list_display = ["offer", "year", "unit", "amount"]
    list_filter = ["year", "unit", ("offer", AutocompleteFilter)]
    list_select_related = ["offer"]
    search_fields = ["offer__name", "offer__provider__name"]
    autocomplete_fields = ["offer"]

    def get_queryset(self, request):
        return super().get_queryset(request).with_approved_basis()

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if obj is not None and obj.from_approved_basis() is not None:
            readonly += [*Tariff.BASIS_FIELDS, "calculation_basis_link"]
        return readonly

    @admin.display(description=_("calculation basis"))
    def calculation_basis_link(self, obj: Tariff):
        return format_html(
            '<a href="{}">{}</a>',
            reverse("tariffs:basis", args=[obj.from_approved_basis()]),
            gettext("Set from the approved calculation basis; a new amount needs a new basis."),
        )
