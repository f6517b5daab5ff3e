"""The calculation basis's state machine: one table, one method that moves it."""

import pytest

from tariffs.models import CalculationBasis, TariffError
from tests.conftest import make_offer
from tests.tariffs.helpers import make_basis

Status = CalculationBasis.Status


def test_a_submitted_basis_may_become_approved(db):
    basis = make_basis(make_offer(), status=Status.SUBMITTED)
    basis.transition_to(Status.APPROVED)
    assert basis.status == Status.APPROVED


def test_an_approved_basis_cannot_be_submitted_again(db):
    basis = make_basis(make_offer(), status=Status.APPROVED)
    with pytest.raises(TariffError, match="der er “Godkendt”, kan ikke blive “Indsendt”"):
        basis.transition_to(Status.SUBMITTED)
    assert basis.status == Status.APPROVED


def test_a_draft_cannot_skip_the_review_and_become_approved(db):
    basis = make_basis(make_offer(), status=Status.DRAFT)
    with pytest.raises(TariffError):
        basis.transition_to(Status.APPROVED)
    assert basis.status == Status.DRAFT
    basis.refresh_from_db()
    assert basis.status == Status.DRAFT
