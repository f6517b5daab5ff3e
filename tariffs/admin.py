"""The steering agreement's rules are edited here, with history. Bases and
cost splits change only through the pages and `tariffs/services.py`, so the
admin shows them read-only. Every list, page and choice holds only what the
user may see (`visible_to`, accounts.admin): a secretariat its own agreements'
rules, rounds, splits and bases, and the approved bases open to all (001)."""

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from accounts.admin_mixins import VisibleToAdminMixin, VisibleToInlineMixin
from tariffs.models import (
    AddOnService,
    CalculationBasis,
    CostShare,
    CostShareLine,
    PriceIndex,
    TariffNotification,
    TariffPolicy,
    TariffRound,
    tariff_agreements_q,
)


class PriceIndexInline(VisibleToInlineMixin, admin.TabularInline):
    model = PriceIndex
    extra = 1


@admin.register(TariffPolicy)
class TariffPolicyAdmin(VisibleToAdminMixin, SimpleHistoryAdmin):
    list_display = [
        "agreement",
        "overhead_cap_percent",
        "occupancy_min_residential",
        "occupancy_min_short_stay",
        "regulation_years",
    ]
    list_select_related = ["agreement"]
    inlines = [PriceIndexInline]
    fieldsets = [
        (None, {"fields": ["agreement"]}),
        (_("Overhead"), {"fields": ["overhead_share_percent", "overhead_cap_percent"]}),
        (
            _("Occupancy"),
            {
                "fields": [
                    "occupancy_min_residential",
                    "occupancy_max_residential",
                    "occupancy_min_short_stay",
                    "occupancy_max_short_stay",
                ]
            },
        ),
        (
            _("Regulation and closure"),
            {"fields": ["regulation_years", "surplus_share_kept_percent", "closure_use_years"]},
        ),
    ]


@admin.register(PriceIndex)
class PriceIndexAdmin(VisibleToAdminMixin, SimpleHistoryAdmin):
    list_display = ["policy", "year", "percent"]
    list_filter = ["year"]
    list_select_related = ["policy__agreement"]


class ReadOnlyAdmin(VisibleToAdminMixin, SimpleHistoryAdmin):
    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields]

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        # Shown, never saved: a save would write history for no change, also
        # on another secretariat's approved basis (open to all, 001).
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class AddOnInline(VisibleToInlineMixin, admin.TabularInline):
    model = AddOnService
    extra = 0
    can_delete = False
    fields = ["name", "price", "unit", "description"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(CalculationBasis)
class CalculationBasisAdmin(ReadOnlyAdmin):
    list_display = ["offer", "year", "status", "tariff_amount", "unit", "agreement"]
    list_filter = ["year", "status", "agreement"]
    list_select_related = ["offer", "agreement"]
    search_fields = ["offer__name", "offer__provider__name"]
    inlines = [AddOnInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        # The back office holds the secretariat's own bases; another's
        # approved bases are read on the open pages (001), not here.
        return (
            super()
            .get_queryset(request)
            .filter(tariff_agreements_q(request.user.scope, "agreement"))
        )


@admin.register(TariffRound)
class TariffRoundAdmin(ReadOnlyAdmin):
    list_display = ["agreement", "year", "deadline", "opened_by"]
    list_select_related = ["agreement", "opened_by"]


class CostShareLineInline(VisibleToInlineMixin, admin.TabularInline):
    model = CostShareLine
    extra = 0
    can_delete = False
    fields = ["municipality", "contract_days", "amount"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(CostShare)
class CostShareAdmin(ReadOnlyAdmin):
    list_display = ["offer", "kind", "year", "total", "entered_at"]
    list_filter = ["kind"]
    list_select_related = ["offer"]
    inlines = [CostShareLineInline]


@admin.register(TariffNotification)
class TariffNotificationAdmin(ReadOnlyAdmin):
    list_display = ["sent_at", "round", "subject"]
    list_select_related = ["round__agreement"]
    # A reminder keeps no history of its own (it is never changed): Django's log.
    history_view = admin.ModelAdmin.history_view
