"""Reference data: the intervention types (indsatstyper) of seed 002 and the
housing offers of the framework agreements, with their legal basis."""

# code, name, legal basis, description
INTERVENTION_TYPES = [
    (
        "kontaktperson",
        "Kontaktperson",
        "SEL § 52, stk. 3, nr. 6",
        "Fast kontaktperson for barnet, den unge eller hele familien.",
    ),
    (
        "aflastning",
        "Aflastning",
        "SEL § 52, stk. 3, nr. 5 / § 84",
        "Aflastningsophold for barnet eller den unge uden for hjemmet.",
    ),
    (
        "doegnanbringelse",
        "Døgnanbringelse",
        "SEL § 52, stk. 3, nr. 7 / § 66",
        "Anbringelse uden for hjemmet på døgninstitution, opholdssted eller i plejefamilie.",
    ),
    (
        "botilbud-107",
        "Botilbud § 107",
        "SEL § 107",
        "Midlertidigt ophold i boformer til personer med nedsat funktionsevne.",
    ),
    (
        "botilbud-108",
        "Botilbud § 108",
        "SEL § 108",
        "Længerevarende ophold i boformer til personer med nedsat funktionsevne.",
    ),
]


def ensure_intervention_types(intervention_type_model=None) -> int:
    """Create the intervention types that are missing; return how many were created."""
    if intervention_type_model is None:
        from contracts.models import InterventionType as intervention_type_model
    created = 0
    for code, name, legal_basis, description in INTERVENTION_TYPES:
        _, was_created = intervention_type_model.objects.get_or_create(
            code=code,
            defaults={"name": name, "legal_basis": legal_basis, "description": description},
        )
        created += was_created
    return created
