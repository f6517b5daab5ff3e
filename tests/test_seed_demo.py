import io

from django.apps import apps
from django.core.management import call_command


def _counts() -> dict[str, int]:
    return {
        model._meta.label: model.objects.count()
        for model in apps.get_models()
        if model._meta.app_label
        in {"agreements", "providers", "contracts", "capacity", "tariffs", "hearings", "auth"}
    }


def test_seed_demo_twice_leaves_the_same_counts(db):
    call_command("seed_demo", verbosity=0)
    first = _counts()
    call_command("seed_demo", verbosity=0)
    assert _counts() == first


def test_seed_demo_creates_a_realistic_register(db):
    from providers.models import OperatingAgreement, Provider

    call_command("seed_demo", verbosity=0)
    assert Provider.objects.count() >= 20
    assert set(Provider.objects.values_list("kind", flat=True)) == {
        "self_governing",
        "municipal",
        "regional",
        "private",
    }
    assert set(
        Provider.objects.exclude(collaboration_model=None).values_list(
            "collaboration_model__number", flat=True
        )
    ) == {1, 2, 3, 4}
    assert apps.get_model("providers", "Offer").objects.count() >= 40
    assert OperatingAgreement.objects.review_overdue().exists()
    levels = set(
        apps.get_model("providers", "Offer").objects.values_list("specialisation_level", flat=True)
    )
    assert levels == {1, 2, 3}


def test_demo_secretary_may_import_and_export_the_register(db):
    from django.contrib.auth.models import User

    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    secretary = User.objects.get(username="sekretariat")
    assert secretary.has_perm("register_io.import_register")
    assert secretary.has_perm("register_io.export_register")
    # Every demo login is printed, the Takstgruppe's member's too.
    printed = out.getvalue()
    for username in User.objects.filter(
        username__in=["sekretariat", "kbh-sekretariat", "leder", "kommune", "dassos", "takst"]
    ).values_list("username", flat=True):
        assert f"\n  {username} " in printed, username


def test_every_demo_standard_contract_fits_its_offers_paragraph(db):
    from contracts.models import StandardContract

    call_command("seed_demo", verbosity=0)
    contracts = StandardContract.objects.select_related("offer", "intervention_type")
    assert contracts.exists()
    for contract in contracts:
        assert contract.offer.legal_basis in contract.intervention_type.allowed_legal_bases()


def test_the_demo_shows_a_hearing_with_answers_and_a_publication(db):
    from hearings.models import AgreementHearing, ApprovedDocument, PublicationAddress

    call_command("seed_demo", verbosity=0)
    running = AgreementHearing.objects.get(status="open")
    assert running.answers.exclude(section=None).count() >= 3
    assert running.answers.exclude(comment="").exists()
    assert ApprovedDocument.objects.count() == 1
    assert PublicationAddress.objects.count() == 1
