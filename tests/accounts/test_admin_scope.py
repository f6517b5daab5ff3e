"""The admin shows each secretariat only its own rows (issues 16 and 22).

Every ModelAdmin and inline of a model with a visibility rule uses the mixin
of `accounts.admin_mixins`; every list filter on a related field offers only the
rows the user may see (Django's own filters list every row of the related
table); and a secretary's links to a municipality or a body seat widen
nothing in the admin.
"""

from decimal import Decimal

import pytest
from axes.models import AccessAttempt
from django.contrib import admin
from django.contrib.admin.utils import get_fields_from_path, get_model_from_relation
from django.contrib.auth.models import User
from django.urls import reverse

from accounts.admin_mixins import (
    VisibleRelatedFieldListFilter,
    VisibleToAdminMixin,
    VisibleToInlineMixin,
)
from agreements.admin_filters import AutocompleteFilter
from agreements.models import (
    CycleKind,
    CycleStep,
    FrameworkAgreement,
    GoverningBody,
    Meeting,
    Municipality,
)
from contracts.models import GeneralPart
from providers.models import CollaborationModel
from tariffs.models import CostShareLine, PriceIndex, TariffPolicy
from tests.accounts import test_secretariats
from tests.accounts.test_secretariats import DIRECTIONS

# Each secretariat's rows, with names of its own ("Midt …", "Kbh …").
two_secretariats = test_secretariats.two_secretariats

# Rows of these belong to someone. Users and failed logins have no manager of
# their own to say so; accounts.admin_mixins holds their rule.
RULES_OUTSIDE_A_MANAGER = (User, AccessAttempt)


def has_rule(model) -> bool:
    return hasattr(model._default_manager, "visible_to") or model in RULES_OUTSIDE_A_MANAGER


def unscoped(site: admin.AdminSite) -> list[str]:
    """The admins and inlines of `site` that show rows without the mixin."""
    missing = []
    for model, model_admin in site._registry.items():
        if has_rule(model) and not isinstance(model_admin, VisibleToAdminMixin):
            missing.append(model._meta.label)
        for inline in model_admin.inlines:
            if (has_rule(model) or has_rule(inline.model)) and not issubclass(
                inline, VisibleToInlineMixin
            ):
                missing.append(f"{model._meta.label}: {inline.__name__}")
    return missing


def test_every_admin_and_inline_of_a_model_with_a_rule_uses_the_mixin():
    assert not unscoped(admin.site)


def test_the_walk_finds_an_admin_without_the_mixin():
    site = admin.AdminSite(name="bare")
    site.register(TariffPolicy)
    site.register(Municipality)

    class BareInline(admin.TabularInline):
        model = PriceIndex

    class PolicyWithInline(VisibleToAdminMixin, admin.ModelAdmin):
        inlines = [BareInline]

    site.register(FrameworkAgreement, PolicyWithInline)
    assert unscoped(site) == [
        "tariffs.TariffPolicy",
        "agreements.Municipality",
        "agreements.FrameworkAgreement: BareInline",
    ]


def related_paths(model, list_filter) -> list[str]:
    """The paths of `list_filter` that end in a related field."""
    paths = []
    for entry in list_filter:
        path = entry[0] if isinstance(entry, list | tuple) else entry
        if isinstance(path, str) and get_fields_from_path(model, path)[-1].is_relation:
            paths.append(path)
    return paths


ADMINS_WITH_RELATED_FILTERS = [
    (model, model_admin)
    for model, model_admin in admin.site._registry.items()
    if related_paths(model, model_admin.list_filter)
]


def test_the_mixin_gives_every_related_list_filter_the_visible_rows(rf, secretariat_user):
    request = rf.get("/")
    request.user = secretariat_user
    assert ADMINS_WITH_RELATED_FILTERS
    unnarrowed = []
    for model, model_admin in ADMINS_WITH_RELATED_FILTERS:
        if not isinstance(model_admin, VisibleToAdminMixin):
            continue
        for entry in model_admin.get_list_filter(request):
            if not related_paths(model, [entry]):
                continue
            kind = entry[1] if isinstance(entry, list | tuple) else None
            if not (kind and issubclass(kind, VisibleRelatedFieldListFilter | AutocompleteFilter)):
                unnarrowed.append(f"{model._meta.label}: {entry}")
    assert not unnarrowed


def foreign_rows(user, other_side: dict, other_user) -> dict[type, set[int]]:
    """What `user`'s secretariat must not be offered: the other secretariat's
    rows, and every agreement (Sjælland's too) and body it does not administer."""
    agreements = FrameworkAgreement.objects.exclude(secretariat__members=user)
    bodies = GoverningBody.objects.filter(agreement__in=agreements)
    rows = {
        FrameworkAgreement: agreements,
        GoverningBody: bodies,
        Meeting: Meeting.objects.filter(body__in=bodies),
    }
    foreign = {
        model: set(queryset.values_list("pk", flat=True)) for model, queryset in rows.items()
    }
    for key in ("provider", "offer", "standard", "individual", "adjustment"):
        foreign[type(other_side[key])] = {other_side[key].pk}
    foreign[GeneralPart] = {other_side["standard"].general_part_id}
    foreign[User] = {other_side["leader"].pk, other_user.pk}
    return foreign


def _changelist(model) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")


def _admin_url(obj, action: str = "change") -> str:
    opts = obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_{action}", args=[obj.pk])


@pytest.mark.parametrize(("own", "other"), DIRECTIONS)
def test_the_list_filters_offer_none_of_the_other_secretariats_rows(
    client, two_secretariats, own, other
):
    """Every registered admin with a list filter on a related field, each
    filter's choices: the plain ones as listed, the searching ones as their
    search answers and as the row they name when chosen."""
    sides, users = two_secretariats
    client.force_login(users[own])
    foreign = foreign_rows(users[own], sides[other], users[other])
    offered: dict[type, set[int]] = {}
    for model, _model_admin in ADMINS_WITH_RELATED_FILTERS:
        if model is User:
            continue  # superusers only (tests/accounts/test_users.py)
        url = _changelist(model)
        response = client.get(url)
        assert response.status_code == 200, url
        for spec in response.context["cl"].filter_specs:
            if isinstance(spec, admin.RelatedFieldListFilter):
                related = get_model_from_relation(spec.field)
                choices = {pk for pk, _label in spec.lookup_choices}
            elif isinstance(spec, AutocompleteFilter):
                related = spec.remote_model
                source = spec.field.model._meta
                answer = client.get(
                    reverse("admin:autocomplete"),
                    {
                        "term": "",
                        "app_label": source.app_label,
                        "model_name": source.model_name,
                        "field_name": spec.field.name,
                    },
                ).json()
                choices = {int(result["id"]) for result in answer["results"]}
                for pk in foreign.get(related, ()):
                    chosen = client.get(url, {spec.lookup_kwarg: pk}).content.decode()
                    assert str(related.objects.get(pk=pk)) not in chosen, (url, spec.field_path)
            else:
                continue
            leaked = choices & foreign.get(related, set())
            assert not leaked, (url, spec.field_path, leaked)
            offered.setdefault(related, set()).update(choices)
    # The filters do offer the secretariat's own rows.
    assert sides[own]["agreement"].pk in offered[FrameworkAgreement]
    assert sides[own]["body"].pk in offered[GoverningBody]
    assert sides[own]["provider"].pk in offered[type(sides[own]["provider"])]
    assert sides[own]["offer"].pk in offered[type(sides[own]["offer"])]


# The rows each side's change form is opened for.
CHANGE_FORMS = [
    "agreement",
    "provider",
    "offer",
    "tariff",
    "operating_agreement",
    "body",
    "meeting",
]


def _offered(response) -> list[tuple[str, object]]:
    """(field name, choices) of every choice field of the page's form and
    inlines; not an inline row's own id (hidden, its rows are the parent's)."""
    forms = [(response.context["adminform"].form, None)]
    for inline in response.context["inline_admin_formsets"]:
        own_id = inline.formset.model._meta.pk.name
        forms += [(form, own_id) for form in [*inline.formset.forms, inline.formset.empty_form]]
    return [
        (name, field.queryset)
        for form, own_id in forms
        for name, field in form.fields.items()
        if hasattr(field, "queryset") and name != own_id
    ]


@pytest.mark.parametrize(("own", "other"), DIRECTIONS)
def test_the_add_and_change_forms_offer_none_of_the_other_secretariats_rows(
    client, two_secretariats, own, other
):
    """Every registered admin's add form, and the change forms of the
    secretariat's own rows, with their inlines: no choice is the other's."""
    sides, users = two_secretariats
    client.force_login(users[own])
    foreign = foreign_rows(users[own], sides[other], users[other])
    pages = [
        reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_add")
        for model in admin.site._registry
    ] + [_admin_url(sides[own][key]) for key in CHANGE_FORMS]
    opened = 0
    for url in pages:
        response = client.get(url)
        if response.status_code == 403:
            continue  # added by the pages and services only, or by superusers
        assert response.status_code == 200, url
        opened += 1
        for name, queryset in _offered(response):
            leaked = set(queryset.values_list("pk", flat=True)) & foreign.get(queryset.model, set())
            assert not leaked, (url, name, leaked)
    assert opened > len(CHANGE_FORMS)


@pytest.mark.parametrize(("own", "other"), DIRECTIONS)
def test_an_id_in_the_add_pages_address_names_no_row_of_the_other_secretariat(
    client, two_secretariats, own, other
):
    """The individual contract's standard contract is a raw id box."""
    sides, users = two_secretariats
    client.force_login(users[own])
    url = reverse("admin:contracts_individualcontract_add")
    for side, shown in ((own, True), (other, False)):
        standard = sides[side]["standard"]
        page = client.get(url, {"standard_contract": standard.pk}).content.decode()
        assert (standard.number in page) is shown, side


def test_a_chosen_row_of_the_secretariats_own_is_named_in_the_search_filter(
    client, two_secretariats
):
    sides, users = two_secretariats
    client.force_login(users["midt"])
    offer = sides["midt"]["offer"]
    page = client.get(_changelist(type(offer)), {"provider__id__exact": offer.provider_id})
    assert str(offer.provider) in page.content.decode()


def test_a_superuser_is_offered_every_secretariats_rows(admin_client, two_secretariats):
    sides, _users = two_secretariats
    response = admin_client.get(_changelist(GoverningBody))
    (spec,) = [s for s in response.context["cl"].filter_specs if s.field_path == "agreement"]
    choices = {pk for pk, _label in spec.lookup_choices}
    assert choices == set(FrameworkAgreement.objects.values_list("pk", flat=True))


def test_a_secretariat_sees_only_the_failed_logins_of_the_accounts_it_administers(
    client, two_secretariats
):
    sides, users = two_secretariats
    attempts = {
        side: AccessAttempt.objects.create(
            username=sides[side]["leader"].username,
            ip_address="192.0.2.1",
            user_agent="test",
            get_data="",
            post_data="",
            http_accept="",
            path_info="/login/",
            failures_since_start=3,
        )
        for side in ("midt", "kbh")
    }
    client.force_login(users["midt"])
    listed = client.get(_changelist(AccessAttempt)).context["cl"].queryset
    assert list(listed) == [attempts["midt"]]
    delete = reverse("admin:axes_accessattempt_delete", args=[attempts["kbh"].pk])
    assert client.post(delete, {"post": "yes"}).status_code == 404
    assert AccessAttempt.objects.filter(pk=attempts["kbh"].pk).exists()


def test_only_the_defining_secretariat_changes_a_collaboration_model(
    client, secretariat_user, copenhagen_secretary
):
    """Models 1–4 are København's (000); everyone reads them, København edits them."""
    model = CollaborationModel.objects.get(number=1)
    assert model.framework_agreement.secretariat.members.filter(pk=copenhagen_secretary.pk)
    url = _admin_url(model)
    client.force_login(secretariat_user)
    assert client.get(url).context["has_change_permission"] is False
    response = client.post(url, {"number": 1, "name": "Midtjyllands udgave"})
    assert response.status_code == 403
    assert CollaborationModel.objects.get(pk=model.pk).name == model.name
    client.force_login(copenhagen_secretary)
    assert client.get(url).context["has_change_permission"] is True


@pytest.mark.parametrize(("own", "other"), DIRECTIONS)
def test_a_secretariat_changes_only_the_annual_cycle_its_agreements_follow(
    client, two_secretariats, own, other
):
    sides, users = two_secretariats
    steps = {
        side: CycleStep.objects.create(
            region=sides[side]["offer"].provider.operating_municipality.region,
            title=f"{side} evaluering",
            kind=CycleKind.EVALUATION,
            month=11,
            day=1,
        )
        for side in (own, other)
    }
    client.force_login(users[own])
    assert client.get(_admin_url(steps[own])).status_code == 200
    assert client.get(_admin_url(steps[other])).status_code == 404
    assert client.post(_admin_url(steps[other]), {"title": "Flyttet"}).status_code == 404
    assert CycleStep.objects.get(pk=steps[other].pk).title == f"{other} evaluering"


# Acceptance 4: a secretary's other links give nothing more in the admin ---------------


def _tariff_rows(side: dict) -> dict:
    """The side's steering agreement with a price index, and a cost split line."""
    policy = TariffPolicy.objects.create(agreement=side["agreement"])
    index = PriceIndex.objects.create(policy=policy, year=2031, percent=Decimal("2.50"))
    CostShareLine.objects.create(
        share=side["cost_share"],
        municipality=side["offer"].provider.operating_municipality,
        contract_days=365,
        amount=100,
    )
    return {"policy": policy, "price_index": index}


# The other secretariat's provider, offer and tariff, and its tariff work.
LINKED_SECRETARY_SEES_NOT = [
    "provider",
    "offer",
    "tariff",
    "policy",
    "price_index",
    "basis",
    "round",
    "cost_share",
]


def _link_as_staff(client, municipality: Municipality, user) -> None:
    response = client.post(
        _admin_url(municipality),
        {
            "code": municipality.code,
            "name": municipality.name,
            "region": municipality.region_id,
            "cvr": municipality.cvr,
            "staff": [user.pk],
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert municipality.staff.filter(pk=user.pk).exists()


def _seat(client, body: GoverningBody, municipality: Municipality, user) -> None:
    response = client.post(
        _admin_url(body),
        {
            "name": body.name,
            "kind": body.kind,
            "agreement": body.agreement_id,
            "members": [municipality.pk],
            "representatives-TOTAL_FORMS": "1",
            "representatives-INITIAL_FORMS": "0",
            "representatives-0-municipality": municipality.pk,
            "representatives-0-role": "member",
            "representatives-0-name": user.get_full_name(),
            "representatives-0-user": user.pk,
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert body.representatives.filter(user=user).exists()


def _sees_only_her_own(client, sides: dict, secretary) -> None:
    client.force_login(secretary)
    for key in LINKED_SECRETARY_SEES_NOT:
        assert client.get(_admin_url(sides["midt"][key])).status_code == 200, key
        assert client.get(_admin_url(sides["kbh"][key])).status_code == 404, key
        assert client.get(_admin_url(sides["kbh"][key], "history")).status_code == 404, key


def test_a_secretary_who_links_herself_as_staff_and_to_a_seat_sees_no_more(
    client, two_secretariats
):
    sides, users = two_secretariats
    for key in ("midt", "kbh"):
        sides[key] |= _tariff_rows(sides[key])
    sara = users["midt"]
    client.force_login(sara)
    _link_as_staff(client, Municipality.objects.get(code=751), sara)
    _seat(client, sides["midt"]["body"], Municipality.objects.get(code=751), sara)
    takstgruppe = GoverningBody.objects.get(kind=GoverningBody.Kind.TARIFF_GROUP)
    _seat(client, takstgruppe, Municipality.objects.get(code=730), sara)
    _sees_only_her_own(client, sides, User.objects.get(pk=sara.pk))


def test_a_secretary_linked_by_a_superuser_to_the_others_municipality_and_bodies_sees_no_more(
    client, admin_client, two_secretariats, copenhagen_agreement
):
    sides, users = two_secretariats
    for key in ("midt", "kbh"):
        sides[key] |= _tariff_rows(sides[key])
    sara = users["midt"]
    copenhagen = Municipality.objects.get(code=101)
    _link_as_staff(admin_client, copenhagen, sara)
    _seat(admin_client, sides["kbh"]["body"], copenhagen, sara)
    kbh_takstgruppe = GoverningBody.objects.create(
        name="Kbh takstgruppe",
        kind=GoverningBody.Kind.TARIFF_GROUP,
        agreement=copenhagen_agreement,
    )
    _seat(admin_client, kbh_takstgruppe, copenhagen, sara)
    _sees_only_her_own(client, sides, User.objects.get(pk=sara.pk))
