"""The meetings pages: calendar, agenda, decisions, minutes, papers and the
meetings feed. The secretariat prepares everything; a body's members read its
agendas, papers and approved minutes; the chair reads draft minutes too.
Anyone else gets 404 (accounts.access)."""

import datetime

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, QuerySet
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
    by_token,
    chairs,
    decide,
    secretariat,
    visible_or_404,
)
from agreements.models import CycleDeadline, FrameworkAgreement, GoverningBody, Meeting
from capacity.models import Consultation
from listing.pages import list_page
from meetings import forms, services
from meetings.feed import meetings_feed
from meetings.filters import DECISION_COLUMNS, DecisionFilter
from meetings.models import AgendaItem, AgendaRecipient, Document, Mandate, MeetingError, Minutes
from portal.models import CalendarFeed

PAGE_SIZE = 50
FEED_PAST_DAYS = 31
FEED_FUTURE_DAYS = 366


def _meetings(user) -> QuerySet:
    return Meeting.objects.material_visible_to(user)


def _bodies(user) -> QuerySet:
    return GoverningBody.objects.material_visible_to(user)


def may_read_draft_minutes(user, meeting: Meeting) -> bool:
    return roles.is_secretariat(user) or chairs(meeting.body_id, user)


# Calendar and feed --------------------------------------------------------------------


@decide(any_of(secretariat, body_member))
def calendar(request: HttpRequest) -> HttpResponse:
    """The coming meetings: every body's for the secretariat, the member's own
    bodies' for a member; a page of 50 with the total."""
    today = timezone.localdate()
    show_past = request.GET.get("tidligere") == "1"
    meetings = (
        _meetings(request.user).select_related("body", "record").annotate(item_count=Count("items"))
    )
    meetings = (
        meetings.filter(date__lt=today).order_by("-date", "body__name")
        if show_past
        else meetings.filter(date__gte=today).order_by("date", "body__name")
    )
    page = Paginator(meetings, PAGE_SIZE).get_page(request.GET.get("side"))
    return render(
        request,
        "meetings/calendar.html",
        {
            "page": page,
            "show_past": show_past,
            "today": today,
            "may_create": roles.is_secretariat(request.user),
        },
    )


@decide(any_of(secretariat, body_member))
def feed_page(request: HttpRequest) -> HttpResponse:
    feed = CalendarFeed.for_user(request.user)
    if request.method == "POST":
        feed.renew()
        messages.success(request, _("The feed has a new address; the old one no longer works."))
        return redirect("meetings:feed_page")
    url = request.build_absolute_uri(reverse("meetings:feed", args=[feed.token]))
    return render(request, "meetings/feed.html", {"feed_url": url})


@by_token
def feed(request: HttpRequest, token: str) -> HttpResponse:
    """The user's meetings (and, for the secretariat, the annual cycle's
    deadlines) from a month back to a year ahead, as iCalendar."""
    feed = CalendarFeed.objects.select_related("user").filter(token=token).first()
    if feed is None or not feed.user.is_active:
        raise Http404
    user = feed.user
    if not (roles.is_secretariat(user) or roles.is_body_member(user)):
        raise Http404
    today = timezone.localdate()
    start = today - datetime.timedelta(days=FEED_PAST_DAYS)
    end = today + datetime.timedelta(days=FEED_FUTURE_DAYS)
    meetings = (
        _meetings(user).filter(date__range=(start, end)).select_related("body").order_by("date")
    )
    deadlines = CycleDeadline.objects.none()
    if roles.is_secretariat(user):
        deadlines = (
            CycleDeadline.objects.open()
            .filter(due_on__range=(start, end))
            .select_related("agreement")
            .order_by("due_on")
        )
    body = meetings_feed(meetings, deadlines, request.build_absolute_uri("/"))
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="rammeaftale-moeder.ics"'
    return response


# Meetings -----------------------------------------------------------------------------


@decide(secretariat)
def meeting_create(request: HttpRequest) -> HttpResponse:
    form = forms.MeetingForm(request.POST or None, bodies=_bodies(request.user))
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
            Prefetch("adjustment__consultations", queryset=_consultations().queryset),
        )
        .order_by("position", "pk")
    )


@decide(any_of(secretariat, body_member))
def meeting(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = visible_or_404(_meetings(request.user).select_related("body", "record"), pk=pk)
    return _meeting_page(request, meeting)


def _meeting_page(request: HttpRequest, meeting: Meeting, **bound) -> HttpResponse:
    """The meeting page; a form refused by a step is drawn again as it was
    sent (`bound`: item_form, minutes_form, approve_form, or decision_form for
    the item `decided`), with its errors beside its fields."""
    user = request.user
    is_secretariat = roles.is_secretariat(user)
    minutes = getattr(meeting, "record", None)
    draft_readable = may_read_draft_minutes(user, meeting)
    today = timezone.localdate()
    items = list(_meeting_page_items(meeting))
    context = {
        "meeting": meeting,
        "items": items,
        # Put on the meeting by the capacity workflow and not yet an item: shown
        # as the last items; they become items when the agenda next changes.
        "waiting_adjustments": meeting.capacity_items.filter(agenda_item__isnull=True)
        .select_related(*CAPACITY_FACTS)
        .prefetch_related(_consultations())
        .order_by("pk"),
        "minutes": minutes,
        "show_minutes": minutes is not None and (minutes.approved or draft_readable),
        "frozen": minutes is not None and minutes.approved,
        "is_secretariat": is_secretariat,
        "may_approve": services.may_approve_minutes(user, meeting)
        and meeting.date <= today
        and not (minutes and minutes.approved),
        "held": meeting.date <= today,
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
        context |= {
            "recipients": AgendaRecipient.objects.filter(meeting=meeting),
            "item_form": forms.ItemForm(
                agreements=FrameworkAgreement.objects.visible_to(user).exclude(status="expired"),
                mandates=Mandate.objects.visible_to(user).filter(approved_at__isnull=True),
            ),
            "minutes_form": forms.MinutesForm(instance=minutes),
            "document_form": forms.DocumentForm(),
            "move_form": forms.MoveForm(
                meetings=_meetings(user)
                .filter(body=meeting.body, date__gte=today)
                .exclude(pk=meeting.pk)
                .select_related("body")
            ),
        }
    if context["may_approve"]:
        context["approve_form"] = forms.ApproveForm(
            initial={"how": Minutes.ApprovedHow.CHAIR if not is_secretariat else ""}
        )
    context |= bound
    return render(request, "meetings/meeting.html", context)


def _form_step(request: HttpRequest, meeting: Meeting, perform, done: str, form, name: str, **page):
    """Validate the form and perform the service; what was refused, by the
    form or by the service, is shown in the form as it was sent, and nothing
    is written."""
    if form.is_valid():
        try:
            perform(form.cleaned_data)
        except MeetingError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, done)
            return redirect("meetings:meeting", pk=meeting.pk)
    meeting = visible_or_404(
        _meetings(request.user).select_related("body", "record"), pk=meeting.pk
    )
    return _meeting_page(request, meeting, **{name: form}, **page)


def _step(request: HttpRequest, meeting_pk: int, perform, done: str, form=None):
    """Validate the form, perform the service, say in Danish what happened."""
    if form is not None and not form.is_valid():
        for name, errors in form.errors.items():
            field = form.fields.get(name)
            for error in errors:
                # The message names the field it is about.
                messages.error(request, f"{field.label}: {error}" if field else error)
    else:
        try:
            perform(form.cleaned_data if form is not None else {})
        except MeetingError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, done)
    return redirect("meetings:meeting", pk=meeting_pk)


def _item(request: HttpRequest, pk: int) -> AgendaItem:
    return visible_or_404(
        AgendaItem.objects.visible_to(request.user).select_related("meeting__body"), pk=pk
    )


@decide(secretariat)
@require_POST
def item_add(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = visible_or_404(_meetings(request.user), pk=pk)
    form = forms.ItemForm(
        request.POST,
        agreements=FrameworkAgreement.objects.visible_to(request.user),
        mandates=Mandate.objects.visible_to(request.user),
    )
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
    form = forms.ItemForm(request.POST or None, instance=item, editing=True)
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
    form = forms.MoveForm(request.POST, meetings=_meetings(request.user))
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


# PDFs and papers ----------------------------------------------------------------------


@decide(any_of(secretariat, body_member))
def agenda_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = visible_or_404(_meetings(request.user).select_related("body"), pk=pk)
    response = HttpResponse(services.render_agenda(meeting), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="dagsorden-{meeting.date:%Y-%m-%d}.pdf"'
    return response


@decide(any_of(secretariat, body_member))
def minutes_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = visible_or_404(_meetings(request.user).select_related("body"), pk=pk)
    minutes = Minutes.objects.filter(meeting=meeting).first()
    if minutes is None:
        raise Http404
    if minutes.approved:
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
    items = AgendaItem.objects.filter(meeting__in=_meetings(user), outcome__gt="").select_related(
        "meeting__body", "adjustment__offer", "evaluation_of", "mandate__group"
    )
    if not roles.is_secretariat(user):
        items = items.filter(meeting__record__status=Minutes.Status.APPROVED)
    listing = list_page(
        request,
        items,
        DecisionFilter,
        empty_label=_("No decisions have been recorded yet."),
        no_match_label=_("No decisions match the filter"),
        filterset_kwargs={"bodies": _bodies(user)},
    )
    if response := listing.response(DECISION_COLUMNS, "beslutninger"):
        return response
    return render(request, "meetings/decisions.html", {"listing": listing})
