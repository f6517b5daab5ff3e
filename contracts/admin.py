"""The secretariat's back office for contracts.

Creating and changing a contract goes through the services, like every other
path; a contract that has left draft is read-only here (and refused by the
model guard if anything tries anyway). CPR numbers are never shown in clear
in the admin: lists show them masked, forms never echo them back, and they
cannot be searched for here (a search would put them in the URL).
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.templatetags.admin_urls import add_preserved_filters
from django.contrib.admin.utils import quote
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.text import smart_split, unescape_string_literal
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables
from simple_history.admin import SimpleHistoryAdmin

from accounts.admin_mixins import VisibleToAdminMixin, VisibleToInlineMixin
from agreements.admin_filters import AutocompleteFilter, AutocompleteFilterMedia
from contracts import services
from contracts.cpr import mask_cpr, normalise_cpr
from contracts.models import (
    CPR_FIELDS,
    Contract,
    ContractError,
    CprAccessLog,
    GeneralPart,
    IndividualContract,
    InterventionType,
    InterventionTypeLegalBasis,
    Signature,
    StandardContract,
)
from providers.models import Provider
from versioning.admin import VersionedAdmin


class InterventionTypeLegalBasisInline(admin.TabularInline):
    model = InterventionTypeLegalBasis
    extra = 0


@admin.register(InterventionType)
class InterventionTypeAdmin(SimpleHistoryAdmin):
    list_display = ["name", "legal_basis", "code"]
    search_fields = ["name", "legal_basis"]
    inlines = [InterventionTypeLegalBasisInline]


@admin.register(GeneralPart)
class GeneralPartAdmin(VisibleToAdminMixin, SimpleHistoryAdmin):
    """New terms are a new version: a version is never edited once saved."""

    list_display = ["authority", "version", "created_at"]
    list_filter = [("authority", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["authority"]
    autocomplete_fields = ["authority"]
    fields = [
        "authority",
        "ethics",
        "payment_terms",
        "disputes_and_breach",
        "sanctions_and_termination",
    ]

    def get_readonly_fields(self, request, obj=None):
        return ["version", *self.fields] if obj else []

    def get_fields(self, request, obj=None):
        return ["version", *self.fields] if obj else self.fields

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def save_model(self, request, obj, form, change) -> None:
        created = services.general_part_create(user=request.user, **form.cleaned_data)
        obj.pk, obj.version = created.pk, created.version
        obj._state.adding = False


class SignatureInline(VisibleToInlineMixin, admin.TabularInline):
    """Signatures are recorded on the contract page, through the service."""

    model = Signature
    extra = 0
    fields = ["party", "signer_name", "signer_title", "signed_on", "method", "recorded_by"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class ContractAdmin(VisibleToAdminMixin, VersionedAdmin, SimpleHistoryAdmin):
    """What both contract admins share: services for saving, read-only once
    frozen, lifecycle actions, no deleting of anything but drafts."""

    inlines = [SignatureInline]
    actions = ["submit_for_signature", "mark_signed", "mark_expired"]
    lifecycle_readonly = ["number", "version", "status", "replaces", "signed_at", "pdf_sha256"]

    def action_checkbox(self, obj) -> str:
        """The row's checkbox, as the admin writes it, without a form widget
        rendered through the template engine for each of the rows."""
        return format_html(
            '<input type="checkbox" name="{}" value="{}" class="action-select" aria-label="{}">',
            helpers.ACTION_CHECKBOX_NAME,
            obj.pk,
            format_html(gettext("Select this object for an action - {}"), str(obj)),
        )

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.is_frozen:
            return [*self.lifecycle_readonly, *self.content_fields(request, obj)]
        return self.lifecycle_readonly if obj is not None else []

    def content_fields(self, request, obj) -> list[str]:
        return [
            name
            for name in services.editable_fields(self.model)
            if name not in self.lifecycle_readonly
        ]

    def get_fields(self, request, obj=None):
        fields = self.content_fields(request, obj)
        return [*self.lifecycle_readonly, *fields] if obj is not None else fields

    def has_change_permission(self, request, obj=None) -> bool:
        # A frozen contract is shown read-only; a POST to it is refused (403).
        if obj is not None and obj.is_frozen:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        if obj is not None and obj.is_frozen:
            return False
        return super().has_delete_permission(request, obj)

    def get_actions(self, request):
        actions = super().get_actions(request)
        # Deleting in bulk would meet frozen contracts; drafts are deleted one by one.
        actions.pop("delete_selected", None)
        return actions

    def create(self, request, form) -> Contract:
        raise NotImplementedError

    def save_model(self, request, obj, form, change) -> None:
        if change:
            changes = {name: form.cleaned_data[name] for name in form.changed_data}
            services.contract_update(contract=obj, user=request.user, **changes)
        else:
            created = self.create(request, form)
            obj.pk, obj.number = created.pk, created.number
            obj._state.adding = False

    def _each(self, request, queryset: QuerySet, perform, done: str) -> None:
        succeeded = 0
        for contract in queryset:
            try:
                perform(contract=contract, user=request.user)
            except ContractError as error:
                self.message_user(request, f"{contract.number}: {error.message}", messages.ERROR)
            else:
                succeeded += 1
        if succeeded:
            self.message_user(request, done % {"count": succeeded}, messages.SUCCESS)

    @admin.action(description=_("Send the selected contracts for signature"))
    def submit_for_signature(self, request, queryset):
        self._each(
            request,
            queryset,
            services.contract_submit,
            gettext("%(count)s contracts sent for signature."),
        )

    @admin.action(description=_("Mark the selected contracts signed (both parties have signed)"))
    def mark_signed(self, request, queryset):
        self._each(
            request, queryset, services.contract_sign, gettext("%(count)s contracts signed.")
        )

    @admin.action(description=_("Mark the selected contracts expired"))
    def mark_expired(self, request, queryset):
        self._each(
            request, queryset, services.contract_expire, gettext("%(count)s contracts expired.")
        )

    @admin.display(description=_("Contract page"))
    def page_link(self, obj) -> str:
        return format_html('<a href="{}">{}</a>', obj.get_absolute_url(), gettext("Open"))


class StandardContractAdminForm(forms.ModelForm):
    class Meta:
        model = StandardContract
        fields = services.editable_fields(StandardContract)

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk is None and all(
            cleaned.get(name) for name in ["authority", "provider", "intervention_type"]
        ):
            try:
                services.check_no_signed_standard_contract(
                    cleaned["authority"], cleaned["provider"], cleaned["intervention_type"]
                )
            except ContractError as error:
                raise ValidationError(error.message) from None
        return cleaned


@admin.register(StandardContract)
class StandardContractAdmin(AutocompleteFilterMedia, ContractAdmin):
    form = StandardContractAdminForm
    ordering = ["-starts_on", "number"]
    show_full_result_count = False
    show_facets = admin.ShowFacets.NEVER
    list_display = [
        "number",
        "version",
        "intervention_type",
        "authority",
        "provider",
        "status",
        "starts_on",
        "page_link",
    ]
    list_filter = [
        "status",
        "intervention_type",
        ("authority", AutocompleteFilter),
        ("provider", AutocompleteFilter),
        ("offer", AutocompleteFilter),
    ]
    list_select_related = ["intervention_type", "authority", "provider"]
    search_fields = ["number", "provider__name", "offer__name", "authority__name"]
    autocomplete_fields = ["authority", "provider", "offer"]

    def create(self, request, form) -> Contract:
        return services.standard_contract_create(user=request.user, **form.cleaned_data)


class WriteOnlyInput(forms.TextInput):
    """Never echoes the stored value back into the page."""

    def format_value(self, value):
        return None

    def get_context(self, name, value, attrs):
        attrs = {**(attrs or {}), "autocomplete": "off"}
        return super().get_context(name, None, attrs)


# Stands for the row's key in the change URL worked out once (a key is never this).
ROW_PK = "ROW-PK-PLACEHOLDER"


class RowLinksChangeList(ChangeList):
    """Each row's link to its change page, with the list's search and filters
    carried along as Django carries them (`_changelist_filters`), worked out
    once for the page: Django reverses the URL and resolves it again to add
    the filters for every row."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.row_link_filters = self.preserved_filters
        # The links below carry the filters already; nothing to add per row.
        self.preserved_filters = ""
        self._row_link = None

    def url_for_result(self, result) -> str:
        if self._row_link is None:
            url = reverse(
                f"admin:{self.opts.app_label}_{self.opts.model_name}_change",
                args=(ROW_PK,),
                current_app=self.model_admin.admin_site.name,
            )
            linked = add_preserved_filters(
                {"preserved_filters": self.row_link_filters, "opts": self.opts}, url
            )
            self._row_link = linked.split(ROW_PK)
        before, after = self._row_link
        return f"{before}{quote(getattr(result, self.pk_attname))}{after}"


class CappedCountPaginator(Paginator):
    """Counts the rows up to `cap` and no further: the first `cap` rows can be
    paged through, and the page says there are more (a search for a common
    surname finds thousands; counting them all was the search's slowest
    query, and nobody pages past the first thousand). `capped` tells the
    page's templates."""

    cap = 1000
    capped = False

    @cached_property
    def count(self) -> int:
        found = self.object_list.order_by()[: self.cap + 1].count()
        self.capped = found > self.cap
        return min(found, self.cap)


class IndividualContractAdminForm(forms.ModelForm):
    """CPR numbers can be entered but are never shown: on a change, an empty
    field keeps the stored number."""

    class Meta:
        model = IndividualContract
        fields = services.editable_fields(IndividualContract)
        widgets = dict.fromkeys(CPR_FIELDS, WriteOnlyInput())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is None:
            return
        for name in CPR_FIELDS:
            if name not in self.fields:
                continue
            stored = getattr(self.instance, name)
            self.fields[name].required = False
            if stored:
                self.fields[name].help_text = gettext(
                    "Stored: %(masked)s. Leave empty to keep it."
                ) % {"masked": mask_cpr(stored)}

    @method_decorator(sensitive_variables("value"))
    def _clean_cpr(self, name: str) -> str:
        value = normalise_cpr(self.cleaned_data.get(name, ""))
        if not value and self.instance.pk is not None:
            return getattr(self.instance, name)
        return value

    def clean_citizen_cpr(self) -> str:
        return self._clean_cpr("citizen_cpr")

    def clean_father_cpr(self) -> str:
        return self._clean_cpr("father_cpr")

    def clean_mother_cpr(self) -> str:
        return self._clean_cpr("mother_cpr")

    def clean_guardian_cpr(self) -> str:
        return self._clean_cpr("guardian_cpr")


@method_decorator(sensitive_post_parameters(*CPR_FIELDS), name="changeform_view")
@admin.register(IndividualContract)
class IndividualContractAdmin(AutocompleteFilterMedia, ContractAdmin):
    """At a region's 100,000 contracts: the default ordering and the filters
    are indexed, filters by municipality or provider are search boxes (no
    scan for their choices), and the table is counted once, not twice."""

    form = IndividualContractAdminForm
    lifecycle_readonly = [*ContractAdmin.lifecycle_readonly, "cpr_removed_on"]
    show_full_result_count = False
    show_facets = admin.ShowFacets.NEVER
    # Fifty rows a page: rendering the rows is most of the page's time.
    list_per_page = 50
    list_display = [
        "number",
        "version",
        "citizen_name",
        "masked_citizen_cpr",
        "provider_name",
        "acting_municipality",
        "paying_municipality",
        "status",
        "starts_on",
        "page_link",
    ]
    list_filter = [
        "status",
        ("acting_municipality", AutocompleteFilter),
        ("paying_municipality", AutocompleteFilter),
        ("standard_contract__provider", AutocompleteFilter),
        ("standard_contract__offer", AutocompleteFilter),
    ]
    # The page's rows are read alone and their provider and municipalities
    # after (get_queryset): a join before the sort would be made for every
    # contract a search finds, not for the fifty shown.
    list_select_related = ()
    # Not by CPR: a GET search would carry the number in the URL. The contract
    # pages have a POST search, logged.
    search_fields = ["number", "citizen_name", "provider__name"]
    autocomplete_fields = ["acting_municipality", "paying_municipality"]
    raw_id_fields = ["standard_contract"]

    # Counted up to a thousand (templates/admin/contracts/individualcontract/).
    paginator = CappedCountPaginator

    def get_changelist(self, request, **kwargs):
        return RowLinksChangeList

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .prefetch_related("provider", "acting_municipality", "paying_municipality")
        )

    def get_search_results(self, request, queryset, search_term):
        """Every word is looked for in the number, the citizen's name (both
        trigram-indexed on PostgreSQL) and the provider's name. The providers
        are matched first, to their ids (the contract's own, indexed column):
        an OR across the join would read every contract."""
        for word in smart_split(search_term):
            if word.startswith(('"', "'")) and word[0] == word[-1]:
                word = unescape_string_literal(word)
            condition = Q(number__icontains=word) | Q(citizen_name__icontains=word)
            providers = list(
                Provider.objects.filter(name__icontains=word).values_list("pk", flat=True)
            )
            if providers:
                condition |= Q(provider_id__in=providers)
            queryset = queryset.filter(condition)
        return queryset, False

    def content_fields(self, request, obj) -> list[str]:
        fields = super().content_fields(request, obj)
        if obj is not None and obj.is_frozen:
            # Read-only display would show the number whole: show it masked.
            return [f"masked_{name}" if name in CPR_FIELDS else name for name in fields]
        return fields

    def create(self, request, form) -> Contract:
        return services.individual_contract_create(user=request.user, **form.cleaned_data)

    @admin.display(description=_("provider"), ordering="provider__name")
    def provider_name(self, obj: IndividualContract) -> str:
        return obj.provider.name

    @admin.display(description=_("citizen's CPR number"))
    def masked_citizen_cpr(self, obj: IndividualContract) -> str:
        return obj.cpr_display("citizen_cpr", full=False)

    @admin.display(description=_("father's CPR number"))
    def masked_father_cpr(self, obj: IndividualContract) -> str:
        return obj.cpr_display("father_cpr", full=False)

    @admin.display(description=_("mother's CPR number"))
    def masked_mother_cpr(self, obj: IndividualContract) -> str:
        return obj.cpr_display("mother_cpr", full=False)

    @admin.display(description=_("guardian's CPR number"))
    def masked_guardian_cpr(self, obj: IndividualContract) -> str:
        return obj.cpr_display("guardian_cpr", full=False)


@admin.register(CprAccessLog)
class CprAccessLogAdmin(VisibleToAdminMixin, admin.ModelAdmin):
    """Read-only. Per citizen: the CPR access log page (the number is POSTed)."""

    list_display = [
        "at",
        "user",
        "action",
        "individual_contract",
        "person",
        "person_cpr_masked",
        "purpose",
    ]
    list_filter = ["action", "person"]
    list_select_related = ["user", "individual_contract"]
    search_fields = ["user__username", "individual_contract__number", "purpose"]
    date_hierarchy = "at"
    exclude = ["person_digest", "digest_key_id"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False
