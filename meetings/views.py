"""The meetings pages: calendar, agenda, decisions, minutes and papers (the
meetings feed is portal's). The secretariat prepares everything; a body's
members read its agendas, papers and approved minutes; the chair reads draft
minutes too. Anyone else gets 404 (accounts.access)."""

from django.contrib import messages
from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import roles
from accounts.access import (
    any_of,
    anyone_logged_in,
    body_member,
    chairs,
    decide,
    secretariat,
    visible_or_404,
)
from agreements.models import FrameworkAgreement, Meeting
from capacity.models import Consultation
from domain.steps import post_step
from listing.pages import list_page
from meetings import forms, services
from meetings.filters import DECISION_COLUMNS, MEETING_COLUMNS, DecisionFilter, MeetingFilter
from meetings.models import (
    AgendaChange,
    AgendaComment,
    AgendaItem,
    AgendaRecipient,
    AgendaReviewer,
    Document,
    ItemExclusion,
    MeetingError,
    MemberNote,
    Minutes,
    agenda_meetings_visible_to,
)
from outbox.models import OutgoingMail

PAGE_SIZE = 50


def _meetings(user) -> QuerySet:
    return Meeting.objects.material_visible_to(user)


def may_read_draft_minutes(user, meeting: Meeting) -> bool:
    return roles.is_secretariat(user) or chairs(meeting.body_id, user)


# Calendar -----------------------------------------------------------------------------


@decide(any_of(secretariat, body_member))
def calendar(request: HttpRequest) -> HttpResponse:
    """The coming (or the held) meetings: every body's for the secretariat,
    the member's own bodies' for a member; a page at a time with the total."""
    may_create = roles.is_secretariat(request.user)
    listing = list_page(
        request,
        _meetings(request.user)
        .select_related("body", "record")
        .annotate(item_count=Count("items")),
        MeetingFilter,
        empty_label=_("No meetings are planned. Plan the next one with the button above.")
        if may_create
        else _("No meetings of your bodies are planned."),
        no_match_label=_("No meetings match the filter"),
    )
    if response := listing.response(MEETING_COLUMNS, "moeder"):
        return response
    return render(
        request,
        "meetings/calendar.html",
        {"listing": listing, "show_past": listing.filterset.held, "may_create": may_create},
    )


# Meetings -----------------------------------------------------------------------------


@decide(secretariat)
def meeting_create(request: HttpRequest) -> HttpResponse:
    form = forms.MeetingForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.meeting_create(user=request.user, **form.cleaned_data)
        except MeetingError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The meeting is created. Add the items of its agenda."))
            return redirect("meetings:meeting", pk=meeting.pk)
    return render(request, "meetings/meeting_form.html", {"form": form})


CAPACITY_FACTS = (
    "offer__provider",
    "requested_by_municipality",
    "requested_by_region",
)


def _consultations() -> Prefetch:
    return Prefetch(
        "consultations",
        queryset=Consultation.objects.select_related("municipality").order_by("municipality__name"),
    )


def _meeting_page_items(meeting: Meeting):
    return (
        AgendaItem.objects.filter(meeting=meeting)
        .select_related(
            *(f"adjustment__{path}" for path in CAPACITY_FACTS),
            "evaluation_of",
            "mandate__group",
        )
        .prefetch_related(
            Prefetch("documents", queryset=Document.objects.order_by("pk")),
            Prefetch("exclusions", queryset=ItemExclusion.objects.select_related("seat")),
            Prefetch("adjustment__consultations", queryset=_consultations().queryset),
        )
        .order_by("position", "pk")
    )


@decide(any_of(secretariat, body_member))
def meeting(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = visible_or_404(
        _meetings(request.user).select_related("body", "record", "release"), pk=pk
    )
    return _meeting_page(request, meeting)


def excluded_item_ids(user, meeting: Meeting) -> set[int]:
    """The items of the meeting the user is disqualified on (title only)."""
    return set(
        ItemExclusion.objects.filter(item__meeting=meeting, seat__user=user.pk or 0).values_list(
            "item_id", flat=True
        )
    )


def _with_notes(user, items: list) -> None:
    """The user's own notes on the items and their papers (nobody else's)."""
    notes = MemberNote.objects.written_by(user).filter(
        Q(item__in=[item.pk for item in items])
        | Q(document__agenda_item__in=[item.pk for item in items])
    )
    by_item = {note.item_id: note for note in notes if note.item_id}
    by_document = {note.document_id: note for note in notes if note.document_id}
    for item in items:
        item.my_note = by_item.get(item.pk)
        item.note_form = forms.NoteForm(
            initial={"text": item.my_note.text if item.my_note else ""},
            auto_id=f"id_note_item{item.pk}_%s",
        )
        for document in item.documents.all():
            document.my_note = by_document.get(document.pk)
            document.note_form = forms.NoteForm(
                initial={"text": document.my_note.text if document.my_note else ""},
                auto_id=f"id_note_document{document.pk}_%s",
            )


def _meeting_page(request: HttpRequest, meeting: Meeting, **bound) -> HttpResponse:
    """The meeting page; a form refused by a step is drawn again as it was
    sent (`bound`: item_form, minutes_form, approve_form, or decision_form for
    the item `decided`), with its errors beside its fields."""
    user = request.user
    is_secretariat = roles.is_secretariat(user)
    minutes = getattr(meeting, "record", None)
    release = getattr(meeting, "release", None)
    released = release is not None and release.released
    frozen = minutes is not None and minutes.approved
    is_reviewer = (
        not is_secretariat
        and AgendaReviewer.objects.filter(meeting=meeting, seat__user=user.pk).exists()
    )
    # A member reads the agenda once it is released, or before as a reviewer.
    agenda_open = is_secretariat or released or frozen or is_reviewer
    draft_readable = may_read_draft_minutes(user, meeting)
    today = timezone.localdate()
    items = list(_meeting_page_items(meeting)) if agenda_open else []
    # The secretariat acts as the secretariat only: never disqualified.
    excluded = set() if is_secretariat else excluded_item_ids(user, meeting)
    for item in items:
        item.title_only = item.pk in excluded
    _with_notes(user, items)
    context = {
        "meeting": meeting,
        "items": items,
        "agenda_open": agenda_open,
        "release": release,
        "released": released,
        # Put on the meeting by the capacity workflow and not yet an item: shown
        # as the last items; they become items when the agenda next changes.
        "waiting_adjustments": meeting.capacity_items.filter(agenda_item__isnull=True)
        .select_related(*CAPACITY_FACTS)
        .prefetch_related(_consultations())
        .order_by("pk")
        if agenda_open
        else [],
        "changes": AgendaChange.objects.filter(meeting=meeting) if agenda_open else [],
        "minutes": minutes,
        "show_minutes": minutes is not None and (minutes.approved or draft_readable),
        "frozen": minutes is not None and minutes.approved,
        "is_secretariat": is_secretariat,
        "is_reviewer": is_reviewer,
        "may_approve": services.may_approve_minutes(user, meeting)
        and meeting.date <= today
        and not (minutes and minutes.approved),
        "held": meeting.date <= today,
    }
    if is_secretariat or is_reviewer:
        context |= {
            "reviewers": AgendaReviewer.objects.filter(meeting=meeting).select_related("seat"),
            "comments": AgendaComment.objects.filter(meeting=meeting).select_related(
                "author", "item"
            ),
            "comment_form": bound.pop("comment_form", None) or forms.CommentForm(),
        }
    if is_secretariat:
        decided = bound.pop("decided", None)
        for item in items:
            item.decision_form = (
                bound.pop("decision_form")
                if decided == item.pk
                else forms.DecisionForm(
                    initial={"outcome": item.outcome, "decision": item.decision},
                    auto_id=f"id_item{item.pk}_%s",
                )
            )
        for item in items:
            item.close_form = forms.CloseForm(
                initial={"reason": item.closed_reason, "reason_text": item.closed_reason_text},
                auto_id=f"id_close{item.pk}_%s",
            )
        context |= {
            "review_form": bound.pop("review_form", None) or forms.ReviewForm(meeting=meeting),
            "exclusion_form": bound.pop("exclusion_form", None)
            or forms.ExclusionForm(meeting=meeting),
            "recipients": AgendaRecipient.objects.filter(meeting=meeting).prefetch_related(
                Prefetch("mails", queryset=OutgoingMail.objects.defer("attachment", "text", "html"))
            ),
            "item_form": forms.ItemForm(user=user),
            "minutes_form": forms.MinutesForm(instance=minutes),
            "document_form": forms.DocumentForm(),
            "move_form": forms.MoveForm(
                user=user,
                meetings=_meetings(user)
                .filter(body=meeting.body, date__gte=today)
                .exclude(pk=meeting.pk)
                .select_related("body"),
            ),
        }
    if context["may_approve"]:
        context["approve_form"] = forms.ApproveForm(
            initial={"how": Minutes.ApprovedHow.CHAIR if not is_secretariat else ""}
        )
    context |= bound
    return render(request, "meetings/meeting.html", context)


def _form_step(request: HttpRequest, meeting: Meeting, perform, done: str, form, name: str, **page):
    """A step whose form has typed input (`post_step`): what was refused, by
    the form or by the service, is shown in the form as it was sent, and
    nothing is written."""

    def again() -> HttpResponse:
        shown = visible_or_404(
            _meetings(request.user).select_related("body", "record"), pk=meeting.pk
        )
        return _meeting_page(request, shown, **{name: form}, **page)

    then = reverse("meetings:meeting", args=[meeting.pk])
    return post_step(request, perform, form=form, done=done, then=then, page=again)


def _step(request: HttpRequest, meeting_pk: int, perform, done: str, form=None):
    """A step on the meeting's page (`post_step`); back to the page after."""
    then = reverse("meetings:meeting", args=[meeting_pk])
    return post_step(request, perform, form=form, done=done, then=then)


def _item(request: HttpRequest, pk: int) -> AgendaItem:
    return visible_or_404(
        AgendaItem.objects.visible_to(request.user).select_related("meeting__body"), pk=pk
    )


@decide(secretariat)
@require_POST
def item_add(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = visible_or_404(_meetings(request.user), pk=pk)
    form = forms.ItemForm(request.POST, user=request.user)
    return _form_step(
        request,
        meeting,
        lambda data: services.item_add(user=request.user, meeting=meeting, **data),
        _("The item is on the agenda."),
        form,
        "item_form",
    )


@decide(secretariat)
def item_edit(request: HttpRequest, pk: int) -> HttpResponse:
    item = _item(request, pk)
    form = forms.ItemForm(request.POST or None, instance=item, user=request.user, editing=True)
    if request.method == "POST" and form.is_valid():
        try:
            services.item_update(
                user=request.user,
                item=item,
                **{name: form.cleaned_data[name] for name in form.fields},
            )
        except MeetingError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The item is saved."))
            return redirect("meetings:meeting", pk=item.meeting_id)
    return render(request, "meetings/item_form.html", {"form": form, "item": item})


@decide(secretariat)
@require_POST
def item_move(request: HttpRequest, pk: int, direction: str) -> HttpResponse:
    if direction not in ("op", "ned"):
        raise Http404
    item = _item(request, pk)
    step = -1 if direction == "op" else 1
    return _step(
        request,
        item.meeting_id,
        lambda data: services.item_move(user=request.user, item=item, direction=step),
        _("The agenda's order is saved."),
    )


@decide(secretariat)
@require_POST
def item_move_to_meeting(request: HttpRequest, pk: int) -> HttpResponse:
    item = _item(request, pk)
    form = forms.MoveForm(request.POST, user=request.user)
    return _step(
        request,
        item.meeting_id,
        lambda data: services.item_move_to_meeting(
            user=request.user, item=item, meeting=data["meeting"]
        ),
        _("The item is moved to the other meeting."),
        form,
    )


@decide(secretariat)
def item_remove(request: HttpRequest, pk: int) -> HttpResponse:
    item = _item(request, pk)
    if request.method != "POST":
        return render(request, "meetings/item_remove.html", {"item": item})
    return _step(
        request,
        item.meeting_id,
        lambda data: services.item_remove(user=request.user, item=item),
        _("The item is taken off the agenda."),
    )


@decide(secretariat)
@require_POST
def item_decide(request: HttpRequest, pk: int) -> HttpResponse:
    item = _item(request, pk)
    return _form_step(
        request,
        item.meeting,
        lambda data: services.item_decide(user=request.user, item=item, **data),
        _("The decision is recorded."),
        forms.DecisionForm(request.POST, auto_id=f"id_item{item.pk}_%s"),
        "decision_form",
        decided=item.pk,
    )


@decide(secretariat)
@require_POST
def document_upload(request: HttpRequest, pk: int) -> HttpResponse:
    item = _item(request, pk)
    return _step(
        request,
        item.meeting_id,
        lambda data: services.document_add(
            user=request.user, uploaded=data["file"], title=data["title"], agenda_item=item
        ),
        _("The document is added to the item."),
        forms.DocumentForm(request.POST, request.FILES),
    )


@decide(secretariat)
@require_POST
def agenda_send(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = visible_or_404(_meetings(request.user), pk=pk)
    return _step(
        request,
        meeting.pk,
        lambda data: services.agenda_send(user=request.user, meeting=meeting),
        _("The agenda is sent to the members."),
    )


@decide(secretariat)
@require_POST
def minutes_save(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = visible_or_404(_meetings(request.user), pk=pk)
    return _form_step(
        request,
        meeting,
        lambda data: services.minutes_update(user=request.user, meeting=meeting, **data),
        _("The minutes are saved as a draft."),
        forms.MinutesForm(request.POST),
        "minutes_form",
    )


@decide(any_of(secretariat, body_member))
@require_POST
def minutes_approve(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = visible_or_404(_meetings(request.user), pk=pk)
    if not services.may_approve_minutes(request.user, meeting):
        raise Http404
    return _form_step(
        request,
        meeting,
        lambda data: services.minutes_approve(user=request.user, meeting=meeting, **data),
        _("The minutes are approved and can no longer be changed."),
        forms.ApproveForm(request.POST),
        "approve_form",
    )


@decide(secretariat)
@require_POST
def agenda_review(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = visible_or_404(_meetings(request.user), pk=pk)
    return _form_step(
        request,
        meeting,
        lambda data: services.agenda_review_request(
            user=request.user, meeting=meeting, seats=data["seats"]
        ),
        _("The agenda is sent for review."),
        forms.ReviewForm(request.POST, meeting=meeting),
        "review_form",
    )


@decide(any_of(secretariat, body_member))
@require_POST
def agenda_comment(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = visible_or_404(_meetings(request.user), pk=pk)
    if not services.may_comment(request.user, meeting):
        raise Http404
    return _form_step(
        request,
        meeting,
        lambda data: services.agenda_comment(user=request.user, meeting=meeting, **data),
        _("Your comment is saved."),
        forms.CommentForm(request.POST),
        "comment_form",
    )


@decide(secretariat)
@require_POST
def item_close(request: HttpRequest, pk: int) -> HttpResponse:
    item = _item(request, pk)
    return _step(
        request,
        item.meeting_id,
        lambda data: services.item_close(
            user=request.user, item=item, reason=data["reason"], reason_text=data["reason_text"]
        ),
        _("The item's access is saved."),
        forms.CloseForm(request.POST, auto_id=f"id_close{item.pk}_%s"),
    )


@decide(secretariat)
@require_POST
def item_exclude(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = visible_or_404(_meetings(request.user), pk=pk)
    return _form_step(
        request,
        meeting,
        lambda data: services.item_exclude(user=request.user, **data),
        _("The disqualification is recorded."),
        forms.ExclusionForm(request.POST, meeting=meeting),
        "exclusion_form",
    )


@decide(any_of(secretariat, body_member))
@require_POST
def item_note(request: HttpRequest, pk: int) -> HttpResponse:
    item = visible_or_404(AgendaItem.objects.content_visible_to(request.user), pk=pk)
    return _step(
        request,
        item.meeting_id,
        lambda data: services.note_write(user=request.user, item=item, text=data["text"]),
        _("Your note is saved."),
        forms.NoteForm(request.POST),
    )


@decide(any_of(secretariat, body_member))
@require_POST
def document_note(request: HttpRequest, pk: int) -> HttpResponse:
    document = visible_or_404(
        Document.objects.visible_to(request.user).filter(agenda_item__isnull=False), pk=pk
    )
    return _step(
        request,
        document.agenda_item.meeting_id,
        lambda data: services.note_write(user=request.user, document=document, text=data["text"]),
        _("Your note is saved."),
        forms.NoteForm(request.POST),
    )


@decide(secretariat)
@require_POST
def document_version(request: HttpRequest, pk: int) -> HttpResponse:
    document = visible_or_404(
        Document.objects.visible_to(request.user).filter(agenda_item__isnull=False), pk=pk
    )
    return _step(
        request,
        document.agenda_item.meeting_id,
        lambda data: services.document_new_version(
            user=request.user, document=document, uploaded=data["file"]
        ),
        _("The new version of the document is saved."),
        forms.VersionForm(request.POST, request.FILES),
    )


# PDFs and papers ----------------------------------------------------------------------


@decide(any_of(secretariat, body_member))
def agenda_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = visible_or_404(
        Meeting.objects.filter(pk__in=agenda_meetings_visible_to(request.user)).select_related(
            "body"
        ),
        pk=pk,
    )
    pdf = services.render_agenda(meeting, hidden=excluded_item_ids(request.user, meeting))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="dagsorden-{meeting.date:%Y-%m-%d}.pdf"'
    return response


@decide(any_of(secretariat, body_member))
def minutes_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = visible_or_404(_meetings(request.user).select_related("body"), pk=pk)
    minutes = Minutes.objects.filter(meeting=meeting).first()
    if minutes is None:
        raise Http404
    hidden = excluded_item_ids(request.user, meeting)
    if minutes.approved and hidden:
        # The stored minutes hold every decision; a disqualified member's copy
        # is drawn again with the items' titles only.
        response = HttpResponse(
            services.render_minutes(meeting, minutes=minutes, hidden=hidden),
            content_type="application/pdf",
        )
    elif minutes.approved:
        response = FileResponse(minutes.pdf.open("rb"), content_type="application/pdf")
    elif may_read_draft_minutes(request.user, meeting):
        response = HttpResponse(
            services.render_minutes(meeting, minutes=minutes), content_type="application/pdf"
        )
    else:
        raise Http404
    response["Content-Disposition"] = f'inline; filename="referat-{meeting.date:%Y-%m-%d}.pdf"'
    return response


CONTENT_TYPES = {
    Document.Kind.PDF: "application/pdf",
    Document.Kind.DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    Document.Kind.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@decide(anyone_logged_in)
def document_download(request: HttpRequest, pk: int) -> HttpResponse:
    """A paper, only for those who may see what it hangs off."""
    document = visible_or_404(Document.objects.visible_to(request.user), pk=pk)
    return FileResponse(
        document.file.open("rb"),
        content_type=CONTENT_TYPES[document.kind],
        as_attachment=True,
        filename=document.filename,
    )


def _owners():
    from agreements.models import CouncilApproval
    from contracts.models import StandardContract
    from providers.models import OperatingAgreement

    # URL word → (owner field, queryset of what a user may see, label).
    return {
        "rammeaftale": ("agreement", FrameworkAgreement.objects, _("framework agreement")),
        "byraadsgodkendelse": ("council_approval", CouncilApproval.objects, _("council approval")),
        "standardkontrakt": ("standard_contract", StandardContract.objects, _("standard contract")),
        "driftsoverenskomst": (
            "operating_agreement",
            OperatingAgreement.objects,
            _("operating agreement"),
        ),
    }


@decide(anyone_logged_in)
def documents(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    """The papers of an agreement, a council approval, a standard contract or an
    operating agreement: for those who may see it; the secretariat adds them."""
    owners = _owners()
    if kind not in owners:
        raise Http404
    field, manager, label = owners[kind]
    owner = visible_or_404(manager.visible_to(request.user), pk=pk)
    may_upload = roles.is_secretariat(request.user)
    form = forms.DocumentForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if not may_upload:
            raise Http404
        if form.is_valid():
            try:
                services.document_add(
                    user=request.user,
                    uploaded=form.cleaned_data["file"],
                    title=form.cleaned_data["title"],
                    **{field: owner},
                )
            except MeetingError as error:
                form.add_error("file", error.message)
            else:
                messages.success(request, _("The document is added."))
                return redirect("meetings:documents", kind=kind, pk=pk)
    papers = Document.objects.filter(**{field: owner}).select_related("uploaded_by")
    return render(
        request,
        "meetings/documents.html",
        {
            "owner": owner,
            "label": label,
            "documents": papers,
            "form": form if may_upload else None,
        },
    )


# The decision register ----------------------------------------------------------------


@decide(any_of(secretariat, body_member))
def decisions(request: HttpRequest) -> HttpResponse:
    """Decisions across bodies and years, searchable by text, body, date and
    what they are about. Members see decisions once the minutes are approved."""
    user = request.user
    items = (
        AgendaItem.objects.content_visible_to(user)
        .filter(outcome__gt="")
        .select_related("meeting__body", "adjustment__offer", "evaluation_of", "mandate__group")
    )
    if not roles.is_secretariat(user):
        items = items.filter(meeting__record__status=Minutes.Status.APPROVED)
    listing = list_page(
        request,
        items,
        DecisionFilter,
        empty_label=_("No decisions have been recorded yet."),
        no_match_label=_("No decisions match the filter"),
    )
    if response := listing.response(DECISION_COLUMNS, "beslutninger"):
        return response
    return render(request, "meetings/decisions.html", {"listing": listing})
