from django import forms
from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from accounts import roles
from accounts.admin_mixins import SuperuserOnlyAdmin, VisibleToAdminMixin, VisibleToInlineMixin
from agreements.models import (
    BodyRepresentative,
    CouncilApproval,
    CycleDeadline,
    CycleStep,
    FrameworkAgreement,
    GoverningBody,
    Meeting,
    Municipality,
    Principle,
    Region,
    Secretariat,
)
from agreements.resources import MunicipalityResource
from agreements.services import annual_cycle_generate
from register_io.admin import RegisterImportExportMixin
from versioning.admin import VersionedAdmin


@admin.register(Region)
class RegionAdmin(SimpleHistoryAdmin):
    list_display = ["name", "code", "iso_code"]
    search_fields = ["name", "code"]


@admin.register(Municipality)
class MunicipalityAdmin(VisibleToAdminMixin, RegisterImportExportMixin, SimpleHistoryAdmin):
    resource_classes = [MunicipalityResource]
    list_display = ["name", "code", "cvr", "region"]
    list_filter = ["region"]
    list_select_related = ["region"]
    search_fields = ["name", "code", "cvr"]
    autocomplete_fields = ["staff"]

    # Municipalities are reference data, read by all; a secretariat changes
    # (links staff to) only the parties of its own agreements.
    def has_change_permission(self, request, obj=None) -> bool:
        return super().has_change_permission(request, obj) and _administers(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        return super().has_delete_permission(request, obj) and _administers(request, obj)


def _administers(request, municipality) -> bool:
    if municipality is None or roles.sees_every_secretariat(request.user):
        return True
    return municipality.pk in roles.secretariat_scope(request.user).party_municipality_ids


@admin.register(Secretariat)
class SecretariatAdmin(VisibleToAdminMixin, SuperuserOnlyAdmin, SimpleHistoryAdmin):
    """Superusers make secretariats; a secretariat adds its own members on the
    user pages (`/brugere/`)."""

    list_display = ["name"]
    search_fields = ["name"]
    filter_horizontal = ["members"]


class PrincipleInline(VisibleToInlineMixin, admin.StackedInline):
    model = Principle
    extra = 0


class CouncilApprovalInline(VisibleToInlineMixin, admin.TabularInline):
    model = CouncilApproval
    extra = 0
    autocomplete_fields = ["municipality", "region"]
    fields = ["municipality", "region", "approved_on", "reference", "documents"]
    readonly_fields = ["documents"]

    @admin.display(description=_("documents"))
    def documents(self, obj: CouncilApproval):
        if obj.pk is None:
            return "–"
        return format_html(
            '<a href="{}">{}</a>',
            reverse("meetings:documents", args=["byraadsgodkendelse", obj.pk]),
            _("The decision's documents"),
        )

    verbose_name_plural = _("council approvals (004: each party's council approves the agreement)")


class CycleDeadlineInline(VisibleToInlineMixin, admin.TabularInline):
    model = CycleDeadline
    extra = 0
    fields = ["title", "kind", "due_on", "done_on"]
    readonly_fields = ["title", "kind", "due_on"]
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None) -> bool:
        # Deadlines come from the region's annual cycle (the action on the list).
        return False


@admin.register(FrameworkAgreement)
class FrameworkAgreementAdmin(VisibleToAdminMixin, VersionedAdmin, SimpleHistoryAdmin):
    list_display = [
        "name",
        "kind",
        "status",
        "period_start",
        "period_end",
        "approval_threshold",
        "hearing_days",
        "next_evaluation",
    ]
    list_filter = ["kind", "status", "region"]
    list_select_related = ["region", "municipality"]
    search_fields = ["name"]
    autocomplete_fields = ["region", "municipality", "parties"]
    inlines = [PrincipleInline, CouncilApprovalInline, CycleDeadlineInline]
    readonly_fields = ["documents"]
    actions = ["make_annual_cycle"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "name",
                    "kind",
                    "secretariat",
                    "region",
                    "municipality",
                    "status",
                    "purpose",
                    "documents",
                ]
            },
        ),
        (
            _("Period and approval"),
            {
                "fields": [
                    "period_start",
                    "period_end",
                    "approved_on",
                    "approved_by",
                    "last_evaluated_on",
                ]
            },
        ),
        (_("Parties"), {"fields": ["parties"]}),
        (
            _("Archiving of contract records"),
            {
                "fields": ["archiving_status", "archiving_reference", "archiving_date"],
                "description": _(
                    "CPR numbers and full PDFs of contracts past the retention period are "
                    "deleted only when the archive allows it: record the delivered archival "
                    "version or the discard decision here."
                ),
            },
        ),
        (
            _("Policy"),
            {
                "fields": [
                    "approval_threshold",
                    "hearing_days",
                    "closure_requires_approval",
                    "opening_requires_approval",
                    "add_on_services_allowed",
                    "new_offer_deficit_guarantee_years",
                    "operating_agreement_review_years",
                    "regional_council_approves",
                ]
            },
        ),
    ]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "secretariat" and not roles.sees_every_secretariat(request.user):
            # An agreement without a secretariat would vanish from its maker's view.
            field.required = True
        return field

    @admin.display(description=_("next yearly evaluation"))
    def next_evaluation(self, obj: FrameworkAgreement):
        return obj.next_evaluation_on()

    @admin.display(description=_("documents"))
    def documents(self, obj: FrameworkAgreement):
        if obj.pk is None:
            return "–"
        return format_html(
            '<a href="{}">{}</a>',
            reverse("meetings:documents", args=["rammeaftale", obj.pk]),
            _("The agreement's documents"),
        )

    @admin.action(description=_("Make the deadlines of the annual cycle"))
    def make_annual_cycle(self, request, queryset):
        count = sum(
            len(annual_cycle_generate(agreement=agreement))
            for agreement in queryset.select_related("municipality")
        )
        self.message_user(
            request, _("%(count)d deadlines of the annual cycle made.") % {"count": count}
        )


@admin.register(CycleStep)
class CycleStepAdmin(VisibleToAdminMixin, SimpleHistoryAdmin):
    list_display = ["title", "region", "kind", "recurs_yearly", "year_offset", "month", "day"]
    list_filter = ["region", "kind"]
    list_select_related = ["region"]
    search_fields = ["title"]


class RepresentativeInline(VisibleToInlineMixin, admin.TabularInline):
    model = BodyRepresentative
    extra = 0
    fields = ["municipality", "region", "role", "name", "email", "user"]
    autocomplete_fields = ["municipality", "region", "user"]


@admin.register(GoverningBody)
class GoverningBodyAdmin(VisibleToAdminMixin, SimpleHistoryAdmin):
    list_display = ["name", "kind", "agreement", "decides_on_behalf_of", "may_approve_capacity"]
    list_filter = ["kind", "may_approve_capacity", "agreement"]
    list_select_related = ["agreement", "decides_on_behalf_of"]
    search_fields = ["name"]
    autocomplete_fields = ["agreement", "decides_on_behalf_of", "members"]
    inlines = [RepresentativeInline]


class MeetingForm(forms.ModelForm):
    """A meeting whose minutes are approved keeps what they record: the fields
    are read-only, and the stored values are kept when the history's form
    reverts to an earlier version (which brings that version's values in the
    instance, not through the fields)."""

    def clean(self):
        cleaned = super().clean()
        if self.instance.has_approved_minutes():
            stored = Meeting._base_manager.get(pk=self.instance.pk)
            for name in Meeting.RECORDED_FIELDS:
                attname = Meeting._meta.get_field(name).attname
                setattr(self.instance, attname, getattr(stored, attname))
        return cleaned


@admin.register(Meeting)
class MeetingAdmin(VisibleToAdminMixin, SimpleHistoryAdmin):
    form = MeetingForm
    list_display = ["body", "date", "location"]
    list_filter = ["body"]
    list_select_related = ["body"]
    date_hierarchy = "date"
    search_fields = ["body__name", "location", "agenda_note"]
    autocomplete_fields = ["body"]

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if obj is not None and obj.has_approved_minutes():
            # Approved minutes record when, where and of which body the meeting was.
            readonly += Meeting.RECORDED_FIELDS
        return readonly
