import datetime

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

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


class SolutionRequirementInline(admin.TabularInline):
    model = SolutionRequirement
    extra = 0


@admin.register(CollaborationModel)
class CollaborationModelAdmin(SimpleHistoryAdmin):
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


@admin.register(MunicipalSolution)
class MunicipalSolutionAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "position"]
    search_fields = ["name"]


class OfferInline(admin.TabularInline):
    model = Offer
    extra = 0
    fields = ["name", "legal_basis", "target_group", "specialisation_level", "approved_places"]
    show_change_link = True


@admin.register(Provider)
class ProviderAdmin(RegisterImportExportMixin, SimpleHistoryAdmin):
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


class TariffInline(admin.TabularInline):
    model = Tariff
    extra = 0


@admin.register(Offer)
class OfferAdmin(AutocompleteFilterMedia, RegisterImportExportMixin, SimpleHistoryAdmin):
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
class OperatingAgreementAdmin(RegisterImportExportMixin, SimpleHistoryAdmin):
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
class TariffAdmin(AutocompleteFilterMedia, RegisterImportExportMixin, SimpleHistoryAdmin):
    resource_classes = [TariffResource]
    ordering = ["-year", "offer_id", "unit"]
    show_full_result_count = False
    show_facets = admin.ShowFacets.NEVER
    list_display = ["offer", "year", "unit", "amount"]
    list_filter = ["year", "unit", ("offer", AutocompleteFilter)]
    list_select_related = ["offer"]
    search_fields = ["offer__name", "offer__provider__name"]
    autocomplete_fields = ["offer"]
