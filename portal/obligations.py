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


def operator_label(provider) -> str:
    """The provider's own operator, as the model texts name it."""
    if provider.operating_municipality is not None:
        return _("The operating municipality (%(name)s)") % {
            "name": provider.operating_municipality.name
        }
    if provider.operating_region is not None:
        return _("The operating region (%(name)s)") % {"name": provider.operating_region.name}
    return _("The operating municipality")


def obligations_of(model: CollaborationModel, operator: str | None = None) -> Obligations:
    """Every obligation of the model, each field of the reference data said once,
    with `{operator}` in its texts naming the provider's own operator.

    `model.requirements` should be prefetched with their solutions."""
    operator = operator or _("The operating municipality")
    result = Obligations(model=model)

    def text(value: str) -> str:
        return value.replace("{operator}", operator)

    # Financing and deficit cover (R10–R13).
    if model.financing:
        result.financing.append(text(model.financing))
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
    result.solutions_note = text(model.municipal_solutions_note)

    # Documentation and reporting.
    if model.documentation_duties:
        result.documentation.append(text(model.documentation_duties))
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
        result.review.append(text(model.review_note))
    return result
