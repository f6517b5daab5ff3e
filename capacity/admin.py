"""The register's view of capacity adjustments. The workflow itself (status,
places, decisions) changes only through the pages and `capacity/services.py`,
so the admin shows it read-only."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from accounts.admin_mixins import VisibleToAdminMixin, VisibleToInlineMixin
from agreements.admin_filters import AutocompleteFilter, AutocompleteFilterMedia
from capacity.models import (
    CapacityAdjustment,
    Consultation,
    Hearing,
    HearingMember,
    HearingResponse,
    Notification,
)


class ReadOnlyInline(VisibleToInlineMixin, admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class ConsultationInline(ReadOnlyInline):
    model = Consultation
    fields = ["municipality", "source", "contacted_on", "method", "answer", "comment"]


class NotificationInline(ReadOnlyInline):
    model = Notification
    fields = ["sent_at", "template", "subject", "recipients"]


class WorkflowAdmin(VisibleToAdminMixin, SimpleHistoryAdmin):
    """Read-only: the workflow changes these objects only through its services."""

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(CapacityAdjustment)
class CapacityAdjustmentAdmin(AutocompleteFilterMedia, WorkflowAdmin):
    show_full_result_count = False
    show_facets = admin.ShowFacets.NEVER
    list_display = [
        "pk",
        "offer",
        "kind",
        "places_before",
        "change",
        "effective_on",
        "status",
        "route",
        "meeting",
    ]
    list_filter = ["status", "kind", "route", "requires_approval", ("offer", AutocompleteFilter)]
    list_select_related = ["offer", "meeting__body"]
    search_fields = ["offer__name", "offer__provider__name", "reason"]
    inlines = [ConsultationInline, NotificationInline]


class HearingMemberInline(ReadOnlyInline):
    model = HearingMember
    fields = ["municipality", "region", "representative", "email", "notified_at", "left_out_reason"]


class HearingResponseInline(ReadOnlyInline):
    model = HearingResponse
    fields = [
        "municipality",
        "region",
        "answer",
        "comment",
        "channel",
        "respondent",
        "received_on",
        "answered_by",
        "answered_at",
    ]


@admin.register(Hearing)
class HearingAdmin(WorkflowAdmin):
    list_display = ["adjustment", "body", "opened_on", "deadline", "concluded_on", "outcome"]
    list_filter = ["body", "outcome"]
    list_select_related = ["adjustment__offer", "body"]
    inlines = [HearingMemberInline, HearingResponseInline]
