"""The collaboration models 1–4 of seed 000 (R10–R13), word for word where it can be.

They belong to the agreement that defines them: København's (seed 000). Where
the seed names København or its Socialforvaltning, the texts say
`{operator}`, which the obligations page fills in with the provider's own
operating municipality ("Driftskommunen (Herning)"). Each fact is said in one
field only: the "drøftelser" sentence and the prior negotiation are read from
their flags, the review interval from `review_interval_years`.

This is the source of fixtures/collaboration_models.json
(`manage.py build_reference_fixtures`), and the tests compare the loaded
reference data with it.
"""

REQUIRED, FLEXIBLE, NOT_REQUIRED = "required", "flexible", "not_required"

# The municipal solutions seed 000 names, in its order.
MUNICIPAL_SOLUTIONS = [
    ("koer", "KØR"),
    ("sofus", "SOFUS"),
    ("med", "MED-system"),
    ("loen", "Lønsystem"),
    ("csc-social", "CSC Social"),
    ("forandringskompas", "Forandringskompas"),
    ("akkreditering", "Akkreditering"),
    ("mailsystem", "Mailsystem"),
    ("indkoebsaftaler", "Indkøbsaftaler"),
    ("it-sikkerhed", "IT-sikkerhedsregulativet"),
]

_ONLY_BY_AGREEMENT = "Kun hvis samarbejdsaftalen kræver det."

COLLABORATION_MODELS = [
    {
        "number": 1,
        "name": "Driftsoverenskomst med krav om anvendelse af alle kommunale løsninger",
        "agreement_kind": "driftsoverenskomst",
        "requires_prior_negotiation": False,
        "fully_municipally_financed": True,
        "deficit_covered": True,
        "municipality_liable_for_extraordinary_expenses": True,
        "fixed_places_for_yearly_payment": False,
        "part_of_municipal_discussions": True,
        "continuous_bookkeeping_required": False,
        "review_interval_years": 5,
        "financing": (
            "Tilbuddet finansieres 100 % med kommunale midler og er underskudsdækket. "
            "{operator} hæfter økonomisk for uforudsete ekstraordinære udgifter, som ikke kan "
            "afholdes inden for det udmeldte budget, f.eks. brand, vandskade mv."
        ),
        "documentation_duties": "",
        "municipal_solutions_note": (
            "Tilbuddet benytter som standard alle kommunale løsninger "
            "(MED-samarbejde med mulighed for fleksibel løsning)."
        ),
        "review_note": "",
        "levels": {
            "koer": (REQUIRED, ""),
            "sofus": (REQUIRED, ""),
            "med": (FLEXIBLE, "MED-samarbejde med mulighed for fleksibel løsning."),
            "loen": (REQUIRED, ""),
            "csc-social": (REQUIRED, ""),
            "forandringskompas": (REQUIRED, ""),
            "akkreditering": (REQUIRED, ""),
            "mailsystem": (REQUIRED, ""),
            "indkoebsaftaler": (REQUIRED, ""),
            # "alle kommunale løsninger": at least what model 2's minimum requires.
            "it-sikkerhed": (REQUIRED, ""),
        },
    },
    {
        "number": 2,
        "name": "Driftsoverenskomst med minimumkrav",
        "agreement_kind": "driftsoverenskomst",
        "requires_prior_negotiation": True,
        "fully_municipally_financed": True,
        "deficit_covered": True,
        "municipality_liable_for_extraordinary_expenses": True,
        "fixed_places_for_yearly_payment": False,
        "part_of_municipal_discussions": True,
        "continuous_bookkeeping_required": False,
        "review_interval_years": 5,
        "financing": (
            "Tilbuddet finansieres 100 % med kommunale midler og er underskudsdækket. "
            "{operator} hæfter økonomisk for uforudsete ekstraordinære udgifter, som "
            "ikke kan afholdes inden for det udmeldte budget, f.eks. brand, vandskade mv."
        ),
        "documentation_duties": "",
        "municipal_solutions_note": (
            "Tilbuddet skal som minimum leve op til standardkrav om CSC-Social, "
            "Forandringskompas, akkreditering, MED-reglerne (MED-samarbejde med fleksibel "
            "løsning) og IT-sikkerhedsregulativet (fleksibel løsning for anvendelse af "
            "mailsystem). Anvendelse af KØR og SOFUS er ikke et krav."
        ),
        "review_note": "",
        "levels": {
            "koer": (NOT_REQUIRED, "Ikke et krav i driftsoverenskomster med minimumskrav."),
            "sofus": (NOT_REQUIRED, "Ikke et krav i driftsoverenskomster med minimumskrav."),
            "med": (FLEXIBLE, "MED-reglerne, MED-samarbejde med fleksibel løsning."),
            "loen": (NOT_REQUIRED, ""),
            "csc-social": (REQUIRED, ""),
            "forandringskompas": (REQUIRED, ""),
            "akkreditering": (REQUIRED, ""),
            "mailsystem": (FLEXIBLE, "Fleksibel løsning for anvendelse af mailsystem."),
            "indkoebsaftaler": (NOT_REQUIRED, ""),
            "it-sikkerhed": (REQUIRED, ""),
        },
    },
    {
        "number": 3,
        "name": "Samarbejdsaftale",
        "agreement_kind": "samarbejdsaftale",
        "requires_prior_negotiation": False,
        "fully_municipally_financed": False,
        "deficit_covered": False,
        "municipality_liable_for_extraordinary_expenses": False,
        "fixed_places_for_yearly_payment": True,
        "part_of_municipal_discussions": False,
        "continuous_bookkeeping_required": True,
        "review_interval_years": None,
        "financing": (
            "Institutionen leverer et bestemt antal pladser til kommunen mod en fast årlig "
            "ydelse. Der er ingen underskudsdækning."
        ),
        "documentation_duties": (
            "Der stilles krav til løbende bogføring af regnskabet, men ikke om brug af den "
            "kommunale løsning. Krav om skriftlig dokumentation for arbejdet og underretning "
            "som led i en almindelig opfølgning; løsningen er betinget i den individuelle "
            "samarbejdsaftale."
        ),
        "municipal_solutions_note": (
            "I samarbejdsaftalen kan indgå krav om, at kommunale løsninger anvendes på "
            "forskellige områder; det er betinget af det givne forhold mellem tilbud og "
            "forvaltning."
        ),
        "review_note": "Det er individuelt, hvor tit aftalen genforhandles.",
        "levels": {code: (NOT_REQUIRED, _ONLY_BY_AGREEMENT) for code, _name in MUNICIPAL_SOLUTIONS},
    },
    {
        "number": 4,
        "name": "Løbende køb af pladser ved behov",
        "agreement_kind": "koeb",
        "requires_prior_negotiation": False,
        "fully_municipally_financed": False,
        "deficit_covered": False,
        "municipality_liable_for_extraordinary_expenses": False,
        "fixed_places_for_yearly_payment": False,
        "part_of_municipal_discussions": False,
        "continuous_bookkeeping_required": False,
        "review_interval_years": None,
        "financing": "Forvaltningen køber pladser ved behov.",
        "documentation_duties": (
            "Der stilles krav om skriftlig dokumentation for arbejdet og underretning som led i "
            "en almindelig opfølgning, men ikke i en bestemt form."
        ),
        "municipal_solutions_note": "Der stilles ikke krav om kommunale løsninger.",
        "review_note": "Ingen driftsoverenskomst; pladser købes ved behov.",
        "levels": {code: (NOT_REQUIRED, "") for code, _name in MUNICIPAL_SOLUTIONS},
    },
]
