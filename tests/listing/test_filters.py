"""Every list filter offers only what its user may see: a secretariat the
municipalities party to its agreements and its own providers, offers and
bodies; anyone else what `visible_to` gives them. A link with the id of
something out of sight is a bad filter value, not a filter."""

import django_filters
import pytest
from django.forms import ModelChoiceField
from django.test import RequestFactory
from django.urls import reverse

from agreements.models import GoverningBody, Municipality
from capacity.filters import AdjustmentFilter
from contracts.filters import IndividualContractFilter, StandardContractFilter
from listing.filters import ListFilterSet
from meetings.filters import BodyListFilter, DecisionFilter, MeetingFilter
from portal.filters import OfferFilter, TariffFilter
from providers.models import Offer, Provider
from tariffs.filters import TariffListFilter
from tests.conftest import make_offer, make_provider

pytestmark = pytest.mark.django_db

FILTERSETS = [
    AdjustmentFilter,
    StandardContractFilter,
    IndividualContractFilter,
    DecisionFilter,
    MeetingFilter,
    OfferFilter,
    TariffFilter,
]


def _subclasses(cls) -> set:
    return {sub for direct in cls.__subclasses__() for sub in {direct, *_subclasses(direct)}}


def _choices(filterset, user) -> dict:
    """{filter name: (model, the rows its select offers)} for `user`."""
    request = RequestFactory().get("/")
    request.user = user
    form = filterset(queryset=filterset._meta.model.objects.none(), request=request).form
    return {
        name: (field.queryset.model, set(field.queryset))
        for name, field in form.fields.items()
        if isinstance(field, ModelChoiceField)
    }


def _offers_rows(filterset) -> bool:
    """Whether the filter set lets the user choose rows (a select of rows)."""
    return any(
        isinstance(one, django_filters.ModelChoiceFilter) for one in filterset.base_filters.values()
    )


def test_every_list_filter_set_offering_rows_is_tested_here():
    offering = {one for one in _subclasses(ListFilterSet) if _offers_rows(one)}
    # The base of the meetings' lists, and the open tariff list, whose only
    # row choice is the five regions (reference data, open to all).
    assert offering - {BodyListFilter, TariffListFilter} == set(FILTERSETS)


@pytest.mark.parametrize("filterset", FILTERSETS)
def test_a_list_offers_each_user_only_the_choices_they_may_see(
    filterset, secretariat_user, copenhagen_secretary, municipality_user, copenhagen
):
    midtjylland_offer = make_offer()  # operated by Aarhus
    copenhagen_offer = make_offer(make_provider(operating_municipality=copenhagen))
    midtjylland_parties = set(Municipality.objects.filter(region__code=1082))
    expected = {
        secretariat_user: {
            Municipality: midtjylland_parties,
            Provider: {midtjylland_offer.provider},
            Offer: {midtjylland_offer},
            GoverningBody: set(GoverningBody.objects.filter(agreement__region__code=1082)),
        },
        copenhagen_secretary: {
            Municipality: {copenhagen},
            Provider: {copenhagen_offer.provider},
            Offer: {copenhagen_offer},
            GoverningBody: set(GoverningBody.objects.filter(agreement__municipality=copenhagen)),
        },
        # Municipality staff read the whole register; they hold no seat in a body.
        municipality_user: {
            Municipality: set(Municipality.objects.all()),
            Provider: {midtjylland_offer.provider, copenhagen_offer.provider},
            Offer: {midtjylland_offer, copenhagen_offer},
            GoverningBody: set(),
        },
    }
    for user, rows in expected.items():
        choices = _choices(filterset, user)
        assert choices
        for name, (model, offered) in choices.items():
            assert offered == rows[model], (user.username, name)


def test_a_link_to_another_secretariats_provider_is_a_bad_filter_value(
    client, secretariat_user, copenhagen_secretary, copenhagen
):
    own = make_offer(name="Midtjysk tilbud")
    other = make_offer(make_provider(operating_municipality=copenhagen), name="Københavnsk tilbud")
    url = reverse("portal:offers")
    for user, shown, hidden in (
        (secretariat_user, own, other),
        (copenhagen_secretary, other, own),
    ):
        client.force_login(user)
        response = client.get(url, {"provider": hidden.provider.pk})
        assert "provider" in response.context["listing"].form.errors
        assert hidden.name not in response.content.decode()
        response = client.get(url, {"provider": shown.provider.pk})
        assert response.context["listing"].form.errors == {}
        assert shown.name in response.content.decode()
