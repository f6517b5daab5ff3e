"""What the secretariat's dashboard shows of the hearing and the publication."""

from django.db.models import Count, Q

from agreements.models import FrameworkAgreement
from hearings.models import AgreementHearing
from hearings.services import unpublished


def dashboard(user) -> dict:
    """The running hearings of the user's agreements, with how many councils
    have answered, and per agreement the municipalities not yet published."""
    running = (
        AgreementHearing.objects.administered_by(user)
        .filter(status=AgreementHearing.Status.OPEN)
        .annotate(
            council_answers=Count("answers__municipality", distinct=True)
            + Count("answers__region", distinct=True, filter=Q(answers__region__isnull=False))
        )
        .order_by("deadline", "pk")
    )
    return {
        "hearings": list(running),
        "unpublished": unpublished(FrameworkAgreement.objects.administered_by(user)),
    }
