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


# Which offers each type fits: the paragraphs of the Social Services Act an
# offer delivering it is approved under (seed 002; DESIGN.md glossary).
OFFER_LEGAL_BASES = {
    "kontaktperson": ["SEL § 52", "SEL § 85"],
    "aflastning": ["SEL § 52", "SEL § 66", "SEL § 67", "SEL § 84"],
    "doegnanbringelse": ["SEL § 52", "SEL § 66", "SEL § 67"],
    "botilbud-107": ["SEL § 107"],
    "botilbud-108": ["SEL § 108"],
}


def ensure_intervention_types(intervention_type_model=None, legal_basis_model=None) -> int:
    """Create the intervention types that are missing, with the paragraphs
    they fit when none are registered; return how many types were created."""
    if intervention_type_model is None:
        from contracts.models import InterventionType as intervention_type_model
        from contracts.models import InterventionTypeLegalBasis as legal_basis_model
    created = 0
    for code, name, legal_basis, description in INTERVENTION_TYPES:
        intervention_type, was_created = intervention_type_model.objects.get_or_create(
            code=code,
            defaults={"name": name, "legal_basis": legal_basis, "description": description},
        )
        created += was_created
        if legal_basis_model is None:
            continue  # an early migration, before the table existed
        if not legal_basis_model.objects.filter(intervention_type=intervention_type).exists():
            legal_basis_model.objects.bulk_create(
                legal_basis_model(intervention_type=intervention_type, legal_basis=basis)
                for basis in OFFER_LEGAL_BASES[code]
            )
    return created
