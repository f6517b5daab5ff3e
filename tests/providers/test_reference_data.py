"""The collaboration models as seed 000 states them (R10–R13).

The expected table is written out here, from the seed, rather than read from
providers/reference.py, so that a change to the reference data fails here.
"""

import pytest

from providers.models import CollaborationModel, MunicipalSolution

R, F, N = "required", "flexible", "not_required"
SOLUTIONS = [
    "KØR",
    "SOFUS",
    "MED-system",
    "Lønsystem",
    "CSC Social",
    "Forandringskompas",
    "Akkreditering",
    "Mailsystem",
    "Indkøbsaftaler",
    "IT-sikkerhedsregulativet",
]
EXPECTED_LEVELS = {
    # R10: all municipal solutions as standard, MED with a flexible solution; the
    # IT security rule model 2 requires as a minimum is among "all" of model 1.
    1: [R, R, F, R, R, R, R, R, R, R],
    # R11: CSC Social, Forandringskompas, akkreditering, MED (flexible), IT security
    # (flexible mail solution); KØR and SOFUS not required.
    2: [N, N, F, N, R, R, R, F, N, R],
    # R12: municipal solutions only where the agreement says so.
    3: [N] * 10,
    # R13: purchase as needed, no municipal solutions.
    4: [N] * 10,
}


def test_there_are_four_collaboration_models(db):
    assert list(CollaborationModel.objects.values_list("number", flat=True)) == [1, 2, 3, 4]


def test_the_ten_municipal_solutions_of_seed_000(db):
    assert list(MunicipalSolution.objects.values_list("name", flat=True)) == SOLUTIONS


@pytest.mark.parametrize("number", [1, 2, 3, 4])
def test_each_solution_has_the_level_of_its_rule(db, number):
    model = CollaborationModel.objects.get(number=number)
    levels = {
        requirement.solution.name: requirement.level
        for requirement in model.requirements.select_related("solution")
    }
    assert levels == dict(zip(SOLUTIONS, EXPECTED_LEVELS[number], strict=True))


def test_models_1_and_2_are_financed_and_deficit_covered_with_five_year_review(db):
    for number in (1, 2):
        model = CollaborationModel.objects.get(number=number)
        assert model.fully_municipally_financed
        assert model.deficit_covered
        assert model.municipality_liable_for_extraordinary_expenses
        assert model.part_of_municipal_discussions
        assert model.review_interval_years == 5
        assert not model.fixed_places_for_yearly_payment
    assert CollaborationModel.objects.get(number=2).requires_prior_negotiation
    assert not CollaborationModel.objects.get(number=1).requires_prior_negotiation


def test_model_3_is_places_for_a_fixed_payment_without_deficit_cover(db):
    model = CollaborationModel.objects.get(number=3)
    assert model.fixed_places_for_yearly_payment
    assert not model.deficit_covered
    assert not model.part_of_municipal_discussions
    assert model.continuous_bookkeeping_required
    assert model.review_interval_years is None
    assert "skriftlig dokumentation" in model.documentation_duties


def test_model_4_is_purchase_as_needed_with_written_documentation(db):
    model = CollaborationModel.objects.get(number=4)
    assert model.agreement_kind == CollaborationModel.AgreementKind.PURCHASE
    assert not model.deficit_covered
    assert not model.part_of_municipal_discussions
    assert "ikke i en bestemt form" in model.documentation_duties


def test_the_models_belong_to_the_copenhagen_agreement(copenhagen_agreement):
    assert set(CollaborationModel.objects.values_list("framework_agreement", flat=True)) == {
        copenhagen_agreement.pk
    }
