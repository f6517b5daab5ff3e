from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from accounts.admin_mixins import VisibleToAdminMixin
from meetings.models import AgendaItem, Mandate, Minutes


class FrozenWhenApprovedAdmin(VisibleToAdminMixin, SimpleHistoryAdmin):
    """Approved minutes, and the items of their meeting, are read-only here
    too; the meetings pages call the services for every change."""

    def _frozen(self, obj) -> bool:
        if obj is None:
            return False
        meeting = obj.meeting
        return Minutes.objects.filter(meeting=meeting, status=Minutes.Status.APPROVED).exists()

    def has_change_permission(self, request, obj=None) -> bool:
        return super().has_change_permission(request, obj) and not self._frozen(obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        return super().has_delete_permission(request, obj) and not self._frozen(obj)

    def has_add_permission(self, request) -> bool:
        # Items and minutes are made on the meeting's page, through the services.
        return False


@admin.register(AgendaItem)
class AgendaItemAdmin(FrozenWhenApprovedAdmin):
    list_display = ["title", "meeting", "kind", "outcome"]
    list_filter = ["kind", "outcome", "meeting__body"]
    list_select_related = ["meeting__body"]
    search_fields = ["title", "decision"]
    readonly_fields = ["meeting", "adjustment", "evaluation_of", "mandate", "outcome", "decided_by"]
    show_full_result_count = False


@admin.register(Minutes)
class MinutesAdmin(FrozenWhenApprovedAdmin):
    list_display = ["meeting", "status", "approved_on"]
    list_filter = ["status"]
    list_select_related = ["meeting__body"]
    readonly_fields = [
        "meeting",
        "status",
        "approved_on",
        "approved_how",
        "approved_by",
        "pdf",
        "pdf_sha256",
    ]


@admin.register(Mandate)
class MandateAdmin(VisibleToAdminMixin, SimpleHistoryAdmin):
    list_display = ["group", "time_frame", "approved"]
    list_select_related = ["group"]
    search_fields = ["group__name", "purpose"]
    readonly_fields = ["approved_at"]

    @admin.display(boolean=True, description=_("approved"))
    def approved(self, obj: Mandate) -> bool:
        return obj.approved
