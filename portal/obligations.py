"""What a self-governing provider owes under its collaboration model (R10–R13),
in plain Danish, rendered from the reference data in providers."""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from providers.models import CollaborationModel, SolutionRequirement


@dataclass(frozen=True)
class SolutionDuty:
    solution: str
    note: str


@dataclass
class Obligations:
    model: CollaborationModel
    financing: list[str] = field(default_factory=list)
    solutions: dict[str, list[SolutionDuty]] = field(default_factory=dict)
    solutions_note: str = ""
    documentation: list[str] = field(default_factory=list)
    discussions: list[str] = field(default_factory=list)
    review: list[str] = field(default_factory=list)

    @property
    def required(self) -> list[SolutionDuty]:
        return self.solutions[SolutionRequirement.Level.REQUIRED]

    @property
    def flexible(self) -> list[SolutionDuty]:
        return self.solutions[SolutionRequirement.Level.FLEXIBLE]

    @property
    def not_required(self) -> list[SolutionDuty]:
        return self.solutions[SolutionRequirement.Level.NOT_REQUIRED]


def obligations_of(model: CollaborationModel) -> Obligations:
    """Every obligation of the model, each field of the reference data said once.

    `model.requirements` should be prefetched with their solutions."""
    result = Obligations(model=model)

    # Financing and deficit cover (R10–R13).
    if model.financing:
        result.financing.append(model.financing)
    result.financing.append(
        _("The municipality finances the offer 100 %.")
        if model.fully_municipally_financed
        else _("The municipality does not finance the offer in full.")
    )
    result.financing.append(
        _("The municipality covers a deficit.")
        if model.deficit_covered
        else _("There is no deficit cover.")
    )
    if model.municipality_liable_for_extraordinary_expenses:
        result.financing.append(
            _(
                "The municipality is liable for unforeseen extraordinary expenses "
                "(e.g. fire or water damage)."
            )
        )
    if model.fixed_places_for_yearly_payment:
        result.financing.append(
            _("The offer delivers a set number of places for a fixed yearly payment.")
        )

    # Municipal solutions, each required, flexible or not required.
    result.solutions = {level: [] for level in SolutionRequirement.Level.values}
    for requirement in model.requirements.all():
        result.solutions[requirement.level].append(
            SolutionDuty(solution=requirement.solution.name, note=requirement.note)
        )
    result.solutions_note = model.municipal_solutions_note

    # Documentation and reporting.
    if model.documentation_duties:
        result.documentation.append(model.documentation_duties)
    if model.continuous_bookkeeping_required:
        result.documentation.append(
            _("The accounts must be kept continuously (not necessarily in the municipal system).")
        )

    # Participation in the municipality's professional discussions.
    result.discussions.append(
        _(
            "The offer takes part in the municipality's professional discussions "
            "on the same terms as municipal institutions."
        )
        if model.part_of_municipal_discussions
        else _("The offer is not part of the municipality's professional discussions.")
    )
    if model.requires_prior_negotiation:
        result.discussions.append(
            _("The model requires prior negotiation and agreement with the municipality.")
        )

    # Review and renegotiation.
    if model.review_interval_years:
        result.review.append(
            _("Service review every %(years)s years.") % {"years": model.review_interval_years}
        )
    if model.review_note:
        result.review.append(model.review_note)
    return result
