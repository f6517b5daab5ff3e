"""The hearing's and the publication's pages. Thin: each fetches through
`visible_to(user)` / `administered_by(user)` (what a user may not see is a
404), validates with a form and calls one service through `post_step`."""

from django.db.models import Count, Prefetch
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import decide, municipality_staff, public, secretariat, visible_or_404
from agreements.models import FrameworkAgreement, Municipality
from domain.steps import post_step
from hearings import services
from hearings.catalogue import dcat_catalogue
from hearings.documents import (
    DOCX_CONTENT_TYPE,
    consultation_note,
    render_note_docx,
    render_note_pdf,
)
from hearings.forms import AddressForm, AnswerForm, CommentForm, HearingForm, SectionForm
from hearings.models import (
    AgreementHearing,
    ApprovedDocument,
    Council,
    HearingAnswer,
    PublicationAddress,
)

Status = AgreementHearing.Status


# The secretariat's pages ------------------------------------------------------------------


def _administered(user):
    return AgreementHearing.objects.administered_by(user).select_related(
        "agreement", "agreement__region"
    )


@decide(secretariat)
def hearing_list(request: HttpRequest) -> HttpResponse:
    """The secretariat's hearings of its agreements; a new one is prepared here."""
    form = HearingForm(request.POST or None, user=request.user)

    def page() -> HttpResponse:
        hearings = _administered(request.user).annotate(answer_count=Count("answers"))
        return render(request, "hearings/list.html", {"hearings": hearings, "form": form})

    if request.method != "POST":
        return page()
    return post_step(
        request,
        lambda data: services.hearing_create(user=request.user, **data),
        form=form,
        page=page,
        done=_("The hearing is prepared: add the draft's sections."),
        then=lambda hearing: reverse("hearings:hearing", args=[hearing.pk]),
    )


def _hearing_page(request: HttpRequest, hearing: AgreementHearing, **forms) -> HttpResponse:
    note = consultation_note(hearing)
    councils = hearing.heard_councils()
    answered = {(a.municipality_id, a.region_id) for a in hearing.answers.all()}
    comment_forms = {
        answer.pk: forms.get(f"comment_{answer.pk}")
        or CommentForm(initial={"comment": answer.comment}, prefix=f"c{answer.pk}")
        for _section, answers in note.sections
        for answer in answers
    }
    for _section, answers in note.sections:
        for answer in answers:
            answer.comment_form = comment_forms[answer.pk]
    context = {
        "hearing": hearing,
        "note": note,
        "answered_count": len(answered),
        "council_count": len(councils),
        "section_form": forms.get("section_form") or SectionForm(),
        "answer_form": forms.get("answer_form")
        or AnswerForm(hearing=hearing, councils=councils, recording=True),
        "approved": getattr(hearing, "approved_document", None)
        if hearing.status == Status.CONCLUDED
        else None,
    }
    return render(request, "hearings/hearing.html", context)


@decide(secretariat)
def hearing_detail(request: HttpRequest, pk: int) -> HttpResponse:
    hearing = visible_or_404(_administered(request.user), pk=pk)
    return _hearing_page(request, hearing)


def _step(request, pk: int, perform, done: str, form=None, name: str = "") -> HttpResponse:
    hearing = visible_or_404(_administered(request.user), pk=pk)
    page = None
    if name:

        def page() -> HttpResponse:
            return _hearing_page(request, hearing, **{name: form})

    return post_step(
        request,
        lambda data: perform(hearing, data),
        form=form,
        page=page,
        done=done,
        then=reverse("hearings:hearing", args=[hearing.pk]),
    )


@decide(secretariat)
@require_POST
def section_add(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(
        request,
        pk,
        lambda hearing, data: services.section_add(user=request.user, hearing=hearing, **data),
        _("The section is added."),
        form=SectionForm(request.POST),
        name="section_form",
    )


@decide(secretariat)
@require_POST
def hearing_open(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(
        request,
        pk,
        lambda hearing, data: services.hearing_open(user=request.user, hearing=hearing),
        _("The hearing is open."),
    )


@decide(secretariat)
@require_POST
def answer_record(request: HttpRequest, pk: int) -> HttpResponse:
    """An answer the council gave by e-mail, letter or at a meeting."""
    hearing = visible_or_404(_administered(request.user), pk=pk)
    form = AnswerForm(
        request.POST, hearing=hearing, councils=hearing.heard_councils(), recording=True
    )
    return _step(
        request,
        pk,
        lambda hearing, data: services.answer_give(
            user=request.user,
            hearing=hearing,
            council=data["council"],
            texts=form.texts(),
            no_comments=data["no_comments"],
            received=data["received"],
        ),
        _("The answer is recorded."),
        form=form,
        name="answer_form",
    )


@decide(secretariat)
@require_POST
def answer_comment(request: HttpRequest, pk: int, answer_pk: int) -> HttpResponse:
    answer = visible_or_404(
        HearingAnswer.objects.filter(hearing__in=_administered(request.user)),
        pk=answer_pk,
        hearing=pk,
    )
    form = CommentForm(request.POST, prefix=f"c{answer.pk}")
    return _step(
        request,
        pk,
        lambda hearing, data: services.answer_comment(
            user=request.user, answer=answer, comment=data["comment"]
        ),
        _("The comment is saved."),
        form=form,
        name=f"comment_{answer.pk}",
    )


@decide(secretariat)
@require_POST
def hearing_conclude(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(
        request,
        pk,
        lambda hearing, data: services.hearing_conclude(user=request.user, hearing=hearing),
        _("The hearing is concluded."),
    )


@decide(secretariat)
@require_POST
def document_gather(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(
        request,
        pk,
        lambda hearing, data: services.document_gather(user=request.user, hearing=hearing),
        _("The approved document is gathered for publication."),
    )


@decide(secretariat)
def note_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    hearing = visible_or_404(_administered(request.user), pk=pk)
    response = HttpResponse(render_note_pdf(consultation_note(hearing)), "application/pdf")
    response["Content-Disposition"] = f'attachment; filename="hoeringsnotat-{hearing.pk}.pdf"'
    return response


@decide(secretariat)
def note_docx(request: HttpRequest, pk: int) -> HttpResponse:
    hearing = visible_or_404(_administered(request.user), pk=pk)
    response = HttpResponse(render_note_docx(consultation_note(hearing)), DOCX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="hoeringsnotat-{hearing.pk}.docx"'
    return response


@decide(secretariat)
def publication(request: HttpRequest, pk: int) -> HttpResponse:
    """An agreement's approved documents and where each party published them;
    the secretariat records an address for any party."""
    agreement = visible_or_404(FrameworkAgreement.objects.administered_by(request.user), pk=pk)
    form = AddressForm(request.POST or None, municipalities=agreement.parties.order_by("name"))

    def page() -> HttpResponse:
        return render(
            request,
            "hearings/publication.html",
            {"agreement": agreement, "form": form, **_publication_context(agreement)},
        )

    if request.method != "POST":
        return page()
    return post_step(
        request,
        lambda data: services.publication_address_record(
            user=request.user, agreement=agreement, **data
        ),
        form=form,
        page=page,
        done=_("The address is recorded."),
        then=reverse("hearings:publication", args=[agreement.pk]),
    )


def _publication_context(agreement: FrameworkAgreement) -> dict:
    addresses = {
        a.municipality_id: a for a in PublicationAddress.objects.filter(agreement=agreement)
    }
    parties = [
        (municipality, addresses.get(municipality.pk))
        for municipality in agreement.parties.order_by("name")
    ]
    return {
        "documents": list(agreement.approved_documents.order_by("document")),
        "parties": parties,
        "missing": [municipality for municipality, address in parties if address is None],
    }


# The municipality's page ------------------------------------------------------------------


def _staff_councils(user, hearing: AgreementHearing) -> list[Council]:
    ids = user.scope.municipality_ids
    return [c for c in hearing.heard_councils() if c.municipality and c.municipality.pk in ids]


@decide(municipality_staff)
def mine(request: HttpRequest) -> HttpResponse:
    """The hearings the municipality is heard in, and where it published the
    approved documents of its agreements (recorded here)."""
    ids = request.user.scope.municipality_ids
    hearings = (
        AgreementHearing.objects.visible_to(request.user)
        .select_related("agreement")
        .prefetch_related(
            Prefetch(
                "answers",
                queryset=HearingAnswer.objects.filter(municipality__in=ids),
                to_attr="own_answers",
            )
        )
        .order_by("status", "deadline", "pk")
    )
    agreements = (
        FrameworkAgreement.objects.filter(parties__in=ids, approved_documents__isnull=False)
        .distinct()
        .order_by("-period_start", "name")
    )
    municipalities = Municipality.objects.filter(pk__in=ids).order_by("name")
    publications = []
    for agreement in agreements:
        addresses = PublicationAddress.objects.filter(agreement=agreement, municipality__in=ids)
        publications.append(
            {
                "agreement": agreement,
                "documents": list(agreement.approved_documents.order_by("document")),
                "addresses": list(addresses.select_related("municipality")),
            }
        )
    form = None
    if request.method == "POST":
        agreement = visible_or_404(agreements, pk=request.POST.get("agreement") or 0)
        form = AddressForm(
            request.POST,
            municipalities=municipalities.filter(framework_agreements=agreement),
            prefix=f"a{agreement.pk}",
        )
        form.agreement = agreement
    for item in publications:
        own = municipalities.filter(framework_agreements=item["agreement"])
        if form is not None and form.agreement == item["agreement"]:
            item["form"] = form
        else:
            # One form per agreement: the prefix keeps the fields' ids apart.
            item["form"] = AddressForm(
                municipalities=own,
                initial={
                    "municipality": own.first(),
                    "url": item["addresses"][0].url if item["addresses"] else "",
                },
                prefix=f"a{item['agreement'].pk}",
            )

    def page() -> HttpResponse:
        return render(
            request, "hearings/mine.html", {"hearings": hearings, "publications": publications}
        )

    if form is None:
        return page()
    return post_step(
        request,
        lambda data: services.publication_address_record(
            user=request.user, agreement=form.agreement, **data
        ),
        form=form,
        page=page,
        done=_("The address is recorded."),
        then=reverse("hearings:mine"),
    )


@decide(municipality_staff)
def answer(request: HttpRequest, pk: int) -> HttpResponse:
    """The municipality's answer, per section or "no comments", until the deadline day."""
    hearing = visible_or_404(
        AgreementHearing.objects.visible_to(request.user).select_related("agreement__region"),
        pk=pk,
    )
    councils = _staff_councils(request.user, hearing)
    if not councils:
        raise Http404
    own = list(
        HearingAnswer.objects.filter(
            hearing=hearing, municipality__in=[c.municipality for c in councils]
        ).select_related("section", "municipality")
    )
    initial = {"council": councils[0].key, "no_comments": any(a.no_comments for a in own)}
    initial |= {
        f"section_{a.section.number}": a.text
        for a in own
        if a.section and a.municipality == councils[0].municipality
    }
    form = AnswerForm(
        request.POST or None,
        hearing=hearing,
        councils=councils,
        recording=False,
        initial=initial,
    )

    def page() -> HttpResponse:
        return render(
            request,
            "hearings/answer.html",
            {
                "hearing": hearing,
                "form": form,
                "own": own,
                "may_answer": hearing.status == Status.OPEN,
                "sections": hearing.sections.order_by("number"),
            },
        )

    if request.method != "POST":
        return page()
    return post_step(
        request,
        lambda data: services.answer_give(
            user=request.user,
            hearing=hearing,
            council=data["council"],
            texts=form.texts(),
            no_comments=data["no_comments"],
        ),
        form=form,
        page=page,
        done=_("Your answer is recorded. You can change it until the deadline."),
        then=reverse("hearings:answer", args=[hearing.pk]),
    )


# The open pages ---------------------------------------------------------------------------


@public
def published(request: HttpRequest) -> HttpResponse:
    """The approved documents of every agreement, and where each party
    published them: open to all, without names of people."""
    agreements = (
        FrameworkAgreement.objects.filter(approved_documents__isnull=False)
        .distinct()
        .order_by("-period_start", "name")
    )
    return render(
        request,
        "hearings/published.html",
        {
            "agreements": [
                {"agreement": agreement, **_publication_context(agreement)}
                for agreement in agreements
            ]
        },
    )


@public
def published_document(request: HttpRequest, pk: int) -> FileResponse:
    document = visible_or_404(ApprovedDocument.objects.visible_to(request.user), pk=pk)
    return FileResponse(
        document.pdf.open("rb"),
        content_type="application/pdf",
        filename=f"{document.get_document_display().lower()}-{document.agreement_id}.pdf",
    )


@public
def catalogue(request: HttpRequest) -> JsonResponse:
    """DCAT-AP-DK metadata of the approved documents for the open-data portal."""
    response = JsonResponse(
        dcat_catalogue(request.build_absolute_uri("/").rstrip("/")),
        json_dumps_params={"ensure_ascii": False, "indent": 2},
        content_type="application/ld+json",
    )
    return response
