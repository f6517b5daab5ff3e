"""The hearing of the framework agreement and the publication of its approved
documents, one function per step (004: "Rammeaftalen i høring i kommuner og
region", "Godkendelse i de 19 byråd og Regionsrådet").

Every path — pages, admin, the demo — goes through these functions. Each is
atomic, takes the acting user, checks that the user may act on this
agreement and council, locks what it changes and raises `HearingRefused`
with a Danish message when the step is refused; a refused step changes
nothing.
"""

import datetime
import hashlib

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Exists, Max, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.access import require_in_scope, secretariat
from agreements.models import (
    CouncilApproval,
    FrameworkAgreement,
    Municipality,
    councils_missing,
    with_regional_approval,
)
from hearings.models import (
    AgreementHearing,
    ApprovedDocument,
    Council,
    DocumentKind,
    HearingAnswer,
    HearingRefused,
    HearingSection,
    PublicationAddress,
)

Status = AgreementHearing.Status


def _save(obj, *, user, reason: str) -> None:
    """Save with the acting user and the reason in the history."""
    obj._history_user = user
    obj._change_reason = reason
    obj.save()


def _require_secretariat_of(user, agreement: FrameworkAgreement) -> None:
    if not secretariat(user):
        raise HearingRefused(_("Only the secretariat may do this."))
    require_in_scope(
        FrameworkAgreement.objects.administered_by(user),
        agreement,
        HearingRefused(_("Your secretariat does not administer this framework agreement.")),
    )


def _locked(hearing: AgreementHearing) -> AgreementHearing:
    return AgreementHearing.objects.select_for_update().get(pk=hearing.pk)


# The hearing ------------------------------------------------------------------------------


@transaction.atomic
def hearing_create(
    *, user, agreement: FrameworkAgreement, document: str, title: str, deadline: datetime.date
) -> AgreementHearing:
    """A draft put to hearing: prepared (its sections added) before it opens."""
    _require_secretariat_of(user, agreement)
    if document not in DocumentKind.values:
        raise HearingRefused(_("Choose the development strategy or the steering agreement."))
    if deadline < timezone.localdate():
        raise HearingRefused(_("The deadline cannot be in the past."))
    hearing = AgreementHearing(
        agreement=agreement,
        document=document,
        title=title.strip(),
        deadline=deadline,
        created_by=user,
    )
    _save(hearing, user=user, reason=_("Hearing prepared"))
    return hearing


@transaction.atomic
def section_add(
    *, user, hearing: AgreementHearing, number: int, title: str, text: str
) -> HearingSection:
    """A numbered section of the draft; only while the hearing is being prepared."""
    _require_secretariat_of(user, hearing.agreement)
    hearing = _locked(hearing)
    if hearing.status != Status.DRAFT:
        raise HearingRefused(_("The draft cannot change once the hearing has opened."))
    if hearing.sections.filter(number=number).exists():
        raise HearingRefused(_("The draft already has a section %(number)s.") % {"number": number})
    if not title.strip() or not text.strip():
        raise HearingRefused(_("A section has a title and a text."))
    section = HearingSection(hearing=hearing, number=number, title=title.strip(), text=text)
    _save(section, user=user, reason=_("Section added"))
    return section


@transaction.atomic
def hearing_open(*, user, hearing: AgreementHearing) -> AgreementHearing:
    """Open the hearing: the councils can answer until the deadline day (inclusive)."""
    _require_secretariat_of(user, hearing.agreement)
    hearing = _locked(hearing)
    if not hearing.sections.exists():
        raise HearingRefused(_("Add the draft's sections before the hearing opens."))
    if hearing.deadline < timezone.localdate():
        raise HearingRefused(_("The deadline has passed: set a new one before opening."))
    hearing.transition_to(Status.OPEN)
    hearing.opened_at = timezone.now()
    _save(hearing, user=user, reason=_("Hearing opened"))
    return hearing


def _council_refusal(user, hearing: AgreementHearing, council: Council) -> str | None:
    """Why `user` may not answer for `council` in `hearing` (None: they may).
    The secretariat records any heard council's answer; municipality staff
    answer for their own municipality, until the deadline day."""
    if council not in hearing.heard_councils():
        return _("%(council)s is not heard in this hearing.") % {"council": council}
    if secretariat(user):
        if not AgreementHearing.objects.administered_by(user).filter(pk=hearing.pk).exists():
            return _("Your secretariat does not administer this framework agreement.")
        return None
    if council.municipality is None or council.municipality.pk not in user.scope.municipality_ids:
        return _("You may answer only for the municipality you work for.")
    if timezone.localdate() > hearing.deadline:
        return _("The deadline was %(date)s: ask the secretariat to record a late answer.") % {
            "date": hearing.deadline.strftime("%d.%m.%Y")
        }
    return None


@transaction.atomic
def answer_give(
    *,
    user,
    hearing: AgreementHearing,
    council: Council,
    texts: dict[int, str],
    no_comments: bool = False,
    received: str = HearingAnswer.Received.PAGE,
) -> list[HearingAnswer]:
    """A council's answer: a text per section it comments on (keyed by the
    section's number), or "ingen bemærkninger". A new answer replaces the
    council's earlier one; a changed text loses the secretariat's comment."""
    if refusal := _council_refusal(user, hearing, council):
        raise HearingRefused(refusal)
    hearing = _locked(hearing)
    if hearing.status != Status.OPEN:
        raise HearingRefused(_("The hearing is not open for answers."))
    if not secretariat(user):
        received = HearingAnswer.Received.PAGE
    texts = {number: text.strip() for number, text in texts.items() if text and text.strip()}
    if no_comments and texts:
        raise HearingRefused(_("Either answer the sections or choose “no comments”, not both."))
    if not no_comments and not texts:
        raise HearingRefused(_("Answer at least one section, or choose “no comments”."))
    sections = {section.number: section for section in hearing.sections.all()}
    if unknown := sorted(set(texts) - set(sections)):
        raise HearingRefused(_("The draft has no section %(number)s.") % {"number": unknown[0]})
    existing = {answer.section_id: answer for answer in council.answers(hearing.answers.all())}
    now = timezone.now()
    wanted = {None: ""} if no_comments else {sections[n].pk: t for n, t in texts.items()}
    for section_id, answer in existing.items():
        if section_id not in wanted:
            answer._history_user = user
            answer.delete()
    saved = []
    for section_id, text in wanted.items():
        answer = existing.get(section_id) or HearingAnswer(
            hearing=hearing,
            municipality=council.municipality,
            region=council.region,
            section_id=section_id,
        )
        if answer.pk and answer.text == text and answer.received == received:
            saved.append(answer)
            continue
        if answer.text != text:
            answer.comment = ""
        answer.text = text
        answer.received = received
        answer.recorded_by = user
        answer.recorded_at = now
        _save(answer, user=user, reason=_("Answer recorded"))
        saved.append(answer)
    return saved


@transaction.atomic
def answer_comment(*, user, answer: HearingAnswer, comment: str) -> HearingAnswer:
    """The secretariat's comment on an answer, for the consultation note."""
    _require_secretariat_of(user, answer.hearing.agreement)
    hearing = _locked(answer.hearing)
    if hearing.status != Status.OPEN:
        raise HearingRefused(_("The hearing is concluded: its note can no longer change."))
    answer = HearingAnswer.objects.select_for_update().get(pk=answer.pk)
    answer.comment = comment.strip()
    _save(answer, user=user, reason=_("Comment written"))
    return answer


def unanswered_councils(hearing: AgreementHearing) -> list[Council]:
    answered = set(hearing.answers.values_list("municipality_id", "region_id"))
    keys = {f"m{m}" if m else f"r{r}" for m, r in answered}
    return [council for council in hearing.heard_councils() if council.key not in keys]


@transaction.atomic
def hearing_conclude(*, user, hearing: AgreementHearing) -> AgreementHearing:
    """Conclude after the deadline day, or earlier once every council has
    answered; the note and the answers are then final."""
    _require_secretariat_of(user, hearing.agreement)
    hearing = _locked(hearing)
    if (
        hearing.status == Status.OPEN
        and timezone.localdate() <= hearing.deadline
        and unanswered_councils(hearing)
    ):
        raise HearingRefused(
            _("The deadline is %(date)s and not every council has answered yet.")
            % {"date": hearing.deadline.strftime("%d.%m.%Y")}
        )
    hearing.transition_to(Status.CONCLUDED)
    hearing.concluded_at = timezone.now()
    _save(hearing, user=user, reason=_("Hearing concluded"))
    return hearing


# The approved documents and their publication -------------------------------------------


def approval_date(agreement: FrameworkAgreement) -> datetime.date | None:
    """The day the last council approved the agreement, or None while a
    council's approval is missing (004: the councils approve it)."""
    annotated = with_regional_approval(
        FrameworkAgreement.objects.filter(pk=agreement.pk)
    ).select_related("region")
    if councils_missing(list(annotated)):
        return None
    return CouncilApproval.objects.filter(agreement=agreement).aggregate(last=Max("approved_on"))[
        "last"
    ]


@transaction.atomic
def document_gather(*, user, hearing: AgreementHearing) -> ApprovedDocument:
    """After the councils' approvals, the concluded hearing's draft becomes
    the approved document: rendered once as PDF/A with its approval date,
    stored with its SHA-256 and never changed."""
    from hearings.documents import render_approved_document

    agreement = hearing.agreement
    _require_secretariat_of(user, agreement)
    hearing = _locked(hearing)
    if hearing.status != Status.CONCLUDED:
        raise HearingRefused(_("Conclude the hearing before gathering the approved document."))
    if ApprovedDocument.objects.filter(agreement=agreement, document=hearing.document).exists():
        raise HearingRefused(_("This document of the agreement is already gathered."))
    approved_on = approval_date(agreement)
    if approved_on is None:
        raise HearingRefused(
            _("Not every council has approved the agreement yet: record the approvals first.")
        )
    document = ApprovedDocument(
        agreement=agreement,
        document=hearing.document,
        hearing=hearing,
        title=hearing.title,
        approved_on=approved_on,
        gathered_at=timezone.now(),
    )
    pdf = render_approved_document(document)
    document.sha256 = hashlib.sha256(pdf).hexdigest()
    document.size = len(pdf)
    document.pdf.save(f"{document.sha256}.pdf", ContentFile(pdf), save=False)
    _save(document, user=user, reason=_("Approved document gathered"))
    return document


def _address_refusal(user, agreement: FrameworkAgreement, municipality: Municipality) -> str | None:
    """Why `user` may not record where `municipality` published (None: they
    may): the secretariat of the agreement, or the municipality's own staff."""
    if not agreement.parties.filter(pk=municipality.pk).exists():
        return _("%(municipality)s is not a party to the agreement.") % {
            "municipality": municipality
        }
    if secretariat(user):
        if not FrameworkAgreement.objects.administered_by(user).filter(pk=agreement.pk).exists():
            return _("Your secretariat does not administer this framework agreement.")
        return None
    if municipality.pk not in user.scope.municipality_ids:
        return _("You may record the address only for the municipality you work for.")
    return None


@transaction.atomic
def publication_address_record(
    *, user, agreement: FrameworkAgreement, municipality: Municipality, url: str
) -> PublicationAddress:
    """Where the municipality published the approved documents on its website."""
    if refusal := _address_refusal(user, agreement, municipality):
        raise HearingRefused(refusal)
    if not agreement.approved_documents.exists():
        raise HearingRefused(_("The agreement has no approved documents to publish yet."))
    url = url.strip()
    if not url.startswith(("https://", "http://")):
        raise HearingRefused(_("The address is a web address beginning with https://."))
    address = (
        PublicationAddress.objects.select_for_update()
        .filter(agreement=agreement, municipality=municipality)
        .first()
    ) or PublicationAddress(agreement=agreement, municipality=municipality)
    address.url = url
    address.recorded_by = user
    address.recorded_at = timezone.now()
    _save(address, user=user, reason=_("Publication address recorded"))
    return address


def unpublished(agreements) -> list[tuple[FrameworkAgreement, list[Municipality]]]:
    """For each of `agreements` with approved documents, the party
    municipalities that have not recorded where they published them: one query."""
    through = FrameworkAgreement.parties.through
    rows = (
        through.objects.filter(
            frameworkagreement__in=agreements.filter(approved_documents__isnull=False).values("pk")
        )
        .exclude(
            Exists(
                PublicationAddress.objects.filter(
                    agreement=OuterRef("frameworkagreement_id"),
                    municipality=OuterRef("municipality_id"),
                )
            )
        )
        .select_related("frameworkagreement", "municipality")
        .order_by(
            "frameworkagreement__period_start", "frameworkagreement__name", "municipality__name"
        )
    )
    missing: dict[int, tuple[FrameworkAgreement, list[Municipality]]] = {}
    for row in rows:
        agreement = row.frameworkagreement
        missing.setdefault(agreement.pk, (agreement, []))[1].append(row.municipality)
    return list(missing.values())
