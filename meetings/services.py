"""The meetings workflow (004): the secretariat prepares the agenda, sends it,
records decisions and minutes; minutes are approved and then frozen.

Each step is one function: keyword-only, atomic, locking what it changes, with
one Danish refusal per rule. A capacity item's decision goes through the
capacity service, so R2's rules hold on this path too.
"""

import datetime
import hashlib
import io
import zipfile

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.access import require_in_scope
from accounts.roles import is_secretariat
from agreements.models import BodyRepresentative, FrameworkAgreement, GoverningBody, Meeting
from capacity import services as capacity_services
from capacity.models import CapacityAdjustment, CapacityError
from contracts.pdf import STYLESHEET, render_html_to_pdf, static_url
from meetings.models import (
    OWNERS,
    AgendaChange,
    AgendaComment,
    AgendaItem,
    AgendaRecipient,
    AgendaRelease,
    AgendaReviewer,
    Document,
    ItemExclusion,
    Mandate,
    MeetingError,
    MemberNote,
    Minutes,
)
from outbox.services import mail_queue

Kind = AgendaItem.Kind
Outcome = AgendaItem.Outcome


def _require_secretariat(user) -> None:
    if not is_secretariat(user):
        raise MeetingError(_("Only the secretariat prepares meetings."))


def _require_meeting(user, meeting: Meeting) -> None:
    """A meeting of a body whose material the user may see: for the
    secretariat, a body of its own agreements (the pages' queryset)."""
    require_in_scope(
        Meeting.objects.material_visible_to(user),
        meeting,
        MeetingError(_("You do not have access to this meeting.")),
    )


def _require_item(user, item: AgendaItem) -> None:
    require_in_scope(
        AgendaItem.objects.visible_to(user),
        item,
        MeetingError(_("You do not have access to this meeting.")),
    )


def _require_draft(meeting: Meeting) -> None:
    if Minutes.objects.filter(meeting=meeting, status=Minutes.Status.APPROVED).exists():
        raise MeetingError(_("The minutes are approved and can no longer be changed."))


def _lock_meeting(meeting: Meeting) -> Meeting:
    return Meeting.objects.select_for_update().select_related("body").get(pk=meeting.pk)


def _minutes_of(meeting: Meeting) -> Minutes:
    """The meeting's minutes, or new (unsaved) ones."""
    return Minutes.objects.filter(meeting=meeting).first() or Minutes(meeting=meeting)


def _save(obj, *, user, reason: str) -> None:
    """Save with the acting user and the reason in the history."""
    obj._history_user = user
    obj._change_reason = reason
    obj.save()


def _day(day: datetime.date) -> str:
    return day.strftime("%d.%m.%Y")


def _mail(subject: str, body: str, to: str, *, concerning, attachment: tuple | None = None) -> None:
    """One message to one address, about `concerning`, in the outbox (the
    meetings' one way out): the worker sends it after the commit."""
    mail_queue(to=to, subject=subject, text=body, concerning=concerning, attachment=attachment)


def is_released(meeting: Meeting) -> bool:
    return AgendaRelease.objects.filter(meeting=meeting, released_at__isnull=False).exists()


def _changed_after_release(*, user, meeting: Meeting, description: str, item=None) -> None:
    """Each change of a released agenda is listed with its time ("ændret
    efter udsendelse")."""
    if is_released(meeting):
        AgendaChange.objects.create(
            meeting=meeting,
            item=item,
            description=description[:400],
            changed_at=timezone.now(),
            changed_by=user,
        )


# Meetings -----------------------------------------------------------------------------


def meeting_place_refusal(fields: dict) -> str | None:
    """A meeting is held somewhere: a place or a link to the online meeting."""
    if not (fields.get("location") or "").strip() and not (fields.get("online_link") or "").strip():
        return _("Give a place or a link to the online meeting.")
    return None


@transaction.atomic
def meeting_create(*, user, **fields) -> Meeting:
    """Plan a meeting of a body: a place or an online link is needed, and the
    meeting ends after it starts (a database constraint too)."""
    _require_secretariat(user)
    require_in_scope(
        GoverningBody.objects.administered_by(user),
        fields.get("body"),
        MeetingError(_("The body does not belong to your secretariat's agreements.")),
    )
    refusals = [refusal] if (refusal := meeting_place_refusal(fields)) else []
    meeting = Meeting(**fields)
    try:
        meeting.full_clean()
    except ValidationError as error:
        refusals += error.messages
    if refusals:
        raise MeetingError(" ".join(refusals))
    meeting.save()
    return meeting


# The agenda ---------------------------------------------------------------------------


def _next_position(meeting: Meeting) -> int:
    last = AgendaItem.objects.filter(meeting=meeting).aggregate(last=Max("position"))["last"]
    return 1 if last is None else last + 1


def agenda_sync(*, meeting: Meeting) -> list[AgendaItem]:
    """Capacity adjustments put on the meeting by the capacity workflow (R4, or a
    hearing's objection) become decision items at the end of the agenda. Called
    by every step that changes the agenda, so that the items are all there."""
    waiting = (
        CapacityAdjustment.objects.filter(meeting=meeting, agenda_item__isnull=True)
        .select_related("offer")
        .order_by("pk")
    )
    created = []
    position = _next_position(meeting)
    for adjustment in waiting:
        created.append(
            AgendaItem.objects.create(
                meeting=meeting,
                position=position,
                kind=Kind.DECISION,
                # One prefix: the adjustment's own name would add "Justering n:".
                title=_("Capacity adjustment %(number)s: %(offer)s, %(change)s places")
                % {
                    "number": adjustment.pk,
                    "offer": adjustment.offer,
                    "change": f"{adjustment.change:+d}",
                },
                case_text=adjustment.reason,
                recommendation=_("The secretariat recommends that the adjustment is approved."),
                adjustment=adjustment,
            )
        )
        position += 1
    return created


@transaction.atomic
def item_add(
    *,
    user,
    meeting: Meeting,
    kind: str,
    title: str,
    case_text: str = "",
    recommendation: str = "",
    evaluation_of: FrameworkAgreement | None = None,
    mandate: Mandate | None = None,
    tariff_matter: str = "",
) -> AgendaItem:
    _require_secretariat(user)
    _require_meeting(user, meeting)
    if evaluation_of is not None:
        require_in_scope(
            FrameworkAgreement.objects.administered_by(user),
            evaluation_of,
            MeetingError(_("Your secretariat does not administer this framework agreement.")),
        )
    if mandate is not None:
        require_in_scope(
            Mandate.objects.visible_to(user),
            mandate,
            MeetingError(_("The body does not belong to your secretariat's agreements.")),
        )
    meeting = _lock_meeting(meeting)
    _require_draft(meeting)
    if not title.strip():
        raise MeetingError(_("Give the item a title."))
    if evaluation_of is not None and kind != Kind.DECISION:
        raise MeetingError(_("A yearly evaluation is a decision item."))
    if mandate is not None:
        if kind != Kind.DECISION:
            raise MeetingError(_("A mandate is approved by a decision item."))
        if meeting.body.kind not in ("dassos", "forretningsudvalg"):
            raise MeetingError(
                _("A mandate is approved by DASSOS or the executive committee (004).")
            )
    agenda_sync(meeting=meeting)
    item = AgendaItem.objects.create(
        meeting=meeting,
        position=_next_position(meeting),
        kind=kind,
        title=title.strip(),
        case_text=case_text,
        recommendation=recommendation,
        evaluation_of=evaluation_of,
        mandate=mandate,
        tariff_matter=tariff_matter,
    )
    _changed_after_release(
        user=user, meeting=meeting, item=item, description=_("Item added: %s") % item.title
    )
    return item


@transaction.atomic
def item_update(*, user, item: AgendaItem, **fields) -> AgendaItem:
    _require_secretariat(user)
    _require_item(user, item)
    item = AgendaItem.objects.select_for_update().get(pk=item.pk)
    _require_draft(item.meeting)
    allowed = {"kind", "title", "case_text", "recommendation", "tariff_matter"}
    unknown = set(fields) - allowed
    if unknown:
        raise MeetingError(_("These fields cannot be changed here: %s") % ", ".join(unknown))
    if item.adjustment_id and fields.get("kind", item.kind) != Kind.DECISION:
        raise MeetingError(_("A capacity adjustment is a decision item."))
    if "title" in fields and not fields["title"].strip():
        raise MeetingError(_("Give the item a title."))
    changed = [name for name, value in fields.items() if getattr(item, name) != value]
    for name, value in fields.items():
        setattr(item, name, value)
    item.save()
    if changed:
        _changed_after_release(
            user=user,
            meeting=item.meeting,
            item=item,
            description=_("Item changed: %s") % item.title,
        )
    return item


@transaction.atomic
def item_move(*, user, item: AgendaItem, direction: int) -> AgendaItem:
    """Move an item one place up (-1) or down (+1) on its agenda."""
    _require_secretariat(user)
    _require_item(user, item)
    meeting = _lock_meeting(item.meeting)
    _require_draft(meeting)
    agenda_sync(meeting=meeting)
    items = list(AgendaItem.objects.filter(meeting=meeting).order_by("position", "pk"))
    index = next(i for i, one in enumerate(items) if one.pk == item.pk)
    other = index + direction
    if not 0 <= other < len(items):
        return items[index]
    items[index], items[other] = items[other], items[index]
    for position, one in enumerate(items, start=1):
        if one.position != position:
            one.position = position
            one.save(update_fields=["position"])
    _changed_after_release(
        user=user, meeting=meeting, item=item, description=_("Item moved: %s") % item.title
    )
    return items[other]


@transaction.atomic
def item_move_to_meeting(
    *, user, item: AgendaItem, meeting: Meeting, today: datetime.date | None = None
) -> AgendaItem:
    """Move an item to another meeting of the same body (a capacity item through
    the capacity service, which checks that the body may decide it)."""
    _require_secretariat(user)
    _require_item(user, item)
    _require_meeting(user, meeting)
    item = AgendaItem.objects.select_for_update().select_related("meeting").get(pk=item.pk)
    _require_draft(item.meeting)
    target = _lock_meeting(meeting)
    _require_draft(target)
    if target.pk == item.meeting_id:
        return item
    if target.date < (today or timezone.localdate()):
        raise MeetingError(_("Choose a coming meeting; this one has been held."))
    if item.outcome:
        raise MeetingError(_("The item has been decided and stays with its meeting."))
    if item.adjustment_id:
        try:
            capacity_services.adjustment_route_to_meeting(
                user=user, adjustment=item.adjustment, meeting=target, today=today
            )
        except CapacityError as error:
            raise MeetingError(error.message) from error
    elif target.body_id != item.meeting.body_id:
        raise MeetingError(_("An item moves to another meeting of the same body."))
    source = item.meeting
    item.meeting = target
    item.position = _next_position(target)
    item.save()
    _changed_after_release(
        user=user,
        meeting=source,
        description=_("Item moved to %(meeting)s: %(item)s") % {"meeting": target, "item": item},
    )
    _changed_after_release(
        user=user, meeting=target, item=item, description=_("Item added: %s") % item.title
    )
    return item


@transaction.atomic
def item_remove(*, user, item: AgendaItem) -> None:
    """Take an item off the agenda. A capacity item leaves through the capacity
    workflow (moved to another meeting or withdrawn), not from here."""
    _require_secretariat(user)
    _require_item(user, item)
    item = AgendaItem.objects.select_for_update().get(pk=item.pk)
    _require_draft(item.meeting)
    if item.adjustment_id:
        raise MeetingError(
            _("A capacity adjustment leaves the agenda by moving it to another meeting.")
        )
    if item.outcome:
        raise MeetingError(_("The item has been decided and stays with its meeting."))
    _changed_after_release(
        user=user, meeting=item.meeting, description=_("Item removed: %s") % item.title
    )
    item.documents.all().delete()
    item.delete()


# Sending the agenda -------------------------------------------------------------------


def meeting_recipients(meeting: Meeting) -> list[tuple[str, str]]:
    """(name, address) of each seat of the body with an e-mail address."""
    recipients = {}
    for seat in meeting.body.representatives.select_related("user"):
        email = seat_email(seat)
        if email:
            recipients[email.lower()] = (seat_name(seat), email)
    return sorted(recipients.values())


def seat_email(seat) -> str:
    """The seat's address, or else its login's."""
    return seat.email or (seat.user.email if seat.user_id else "")


def seat_name(seat) -> str:
    if seat.name:
        return seat.name
    if seat.user_id:
        return seat.user.get_full_name() or seat.user.get_username()
    return str(seat.municipality or seat.region or seat.body)


@transaction.atomic
def agenda_send(*, user, meeting: Meeting) -> list[AgendaRecipient]:
    """Release the agenda: mail its PDF to each member's address, record who
    got it and, the first time, when it was released. From then on members
    read it, and the public pages show it where the body publishes."""
    _require_secretariat(user)
    _require_meeting(user, meeting)
    meeting = _lock_meeting(meeting)
    _require_draft(meeting)
    agenda_sync(meeting=meeting)
    if not AgendaItem.objects.filter(meeting=meeting).exists():
        raise MeetingError(_("The agenda has no items yet."))
    recipients = meeting_recipients(meeting)
    if not recipients:
        raise MeetingError(
            _("No member of %(body)s has an e-mail address; add them to the body first.")
            % {"body": meeting.body}
        )
    sent_at = timezone.now()
    release, _created = AgendaRelease.objects.get_or_create(meeting=meeting)
    if release.released_at is None:
        release.released_at = sent_at
        release.released_by = user
        release.save()
    subject = _("Agenda: %(meeting)s") % {"meeting": meeting}
    body = render_to_string("meetings/email/agenda.txt", {"meeting": meeting})
    pdf = render_agenda(meeting)
    digest = hashlib.sha256(pdf).hexdigest()
    excluded = _excluded_item_ids_by_email(meeting)
    records = []
    for name, email in recipients:
        # A disqualified member's copy holds the titles only of those items.
        own = (
            render_agenda(meeting, hidden=excluded[email.lower()])
            if email.lower() in excluded
            else pdf
        )
        record = AgendaRecipient.objects.create(
            meeting=meeting,
            name=name,
            email=email,
            sent_at=sent_at,
            sent_by=user,
            agenda_sha256=digest if own is pdf else hashlib.sha256(own).hexdigest(),
        )
        _mail(
            subject,
            body,
            email,
            concerning=record,
            attachment=(f"dagsorden-{meeting.date:%Y-%m-%d}.pdf", own, "application/pdf"),
        )
        records.append(record)
    return records


def _excluded_item_ids_by_email(meeting: Meeting) -> dict[str, set[int]]:
    excluded: dict[str, set[int]] = {}
    rows = ItemExclusion.objects.filter(item__meeting=meeting).select_related("seat__user")
    for exclusion in rows:
        email = seat_email(exclusion.seat).lower()
        if email:
            excluded.setdefault(email, set()).add(exclusion.item_id)
    return excluded


# Review before release ----------------------------------------------------------------


def reviewer_choices(meeting: Meeting):
    """The seats that may be asked to review: the body's members with a login."""
    return (
        BodyRepresentative.objects.filter(body=meeting.body_id, user__isnull=False)
        .exclude(role=BodyRepresentative.Role.SECRETARY)
        .select_related("user", "municipality", "region")
    )


@transaction.atomic
def agenda_review_request(*, user, meeting: Meeting, seats=()) -> list[AgendaReviewer]:
    """Send the agenda for review ("send til gennemlæsning") to the chair and
    the named members before its release: they read it on the site and comment."""
    _require_secretariat(user)
    _require_meeting(user, meeting)
    meeting = _lock_meeting(meeting)
    _require_draft(meeting)
    if is_released(meeting):
        raise MeetingError(_("The agenda is released; it is no longer sent for review."))
    agenda_sync(meeting=meeting)
    if not AgendaItem.objects.filter(meeting=meeting).exists():
        raise MeetingError(_("The agenda has no items yet."))
    allowed = reviewer_choices(meeting)
    chosen = list(allowed.filter(role=BodyRepresentative.Role.CHAIR))
    for seat in seats:
        if not allowed.filter(pk=seat.pk).exists():
            raise MeetingError(_("A reviewer is a member of the body with a login."))
        chosen.append(seat)
    if not chosen:
        raise MeetingError(_("The body has no chair with a login; name the members to review."))
    now = timezone.now()
    release, _created = AgendaRelease.objects.get_or_create(meeting=meeting)
    release.review_requested_at = now
    release.save()
    subject = _("For review: the agenda of %(meeting)s") % {"meeting": meeting}
    body = render_to_string("meetings/email/review.txt", {"meeting": meeting})
    reviewers = []
    for seat in {seat.pk: seat for seat in chosen}.values():
        reviewer, created = AgendaReviewer.objects.get_or_create(
            meeting=meeting, seat=seat, defaults={"asked_at": now}
        )
        reviewers.append(reviewer)
        if created and seat_email(seat):
            _mail(subject, body, seat_email(seat), concerning=reviewer)
    return reviewers


def may_comment(user, meeting: Meeting) -> bool:
    return (
        is_secretariat(user)
        or AgendaReviewer.objects.filter(meeting=meeting, seat__user=user.pk or 0).exists()
    )


@transaction.atomic
def agenda_comment(
    *, user, meeting: Meeting, text: str, item: AgendaItem | None = None
) -> AgendaComment:
    """A reviewer's (or the secretariat's) comment on the agenda under review."""
    _require_meeting(user, meeting)
    meeting = _lock_meeting(meeting)
    if not may_comment(user, meeting):
        raise MeetingError(_("Only the agenda's reviewers comment on it."))
    if is_released(meeting):
        raise MeetingError(_("The agenda is released; the review is over."))
    if item is not None and item.meeting_id != meeting.pk:
        raise MeetingError(_("The item is not on this agenda."))
    if not text.strip():
        raise MeetingError(_("Write the comment."))
    return AgendaComment.objects.create(
        meeting=meeting, item=item, author=user, text=text.strip(), written_at=timezone.now()
    )


# Closed items and disqualification ----------------------------------------------------


@transaction.atomic
def item_close(*, user, item: AgendaItem, reason: str, reason_text: str = "") -> AgendaItem:
    """Mark an item closed (or open again, with an empty reason): a closed
    item and its papers are read by the members and the secretariat only,
    never on the public pages."""
    _require_secretariat(user)
    _require_item(user, item)
    item = AgendaItem.objects.select_for_update().get(pk=item.pk)
    _require_draft(item.meeting)
    if reason and reason not in AgendaItem.ClosedReason.values:
        raise MeetingError(_("Choose why the item is closed."))
    if reason == AgendaItem.ClosedReason.OTHER and not reason_text.strip():
        raise MeetingError(_("Say why the item is closed."))
    item.closed_reason = reason
    item.closed_reason_text = reason_text.strip() if reason == AgendaItem.ClosedReason.OTHER else ""
    _save(item, user=user, reason=_("Closed item") if reason else _("Open item"))
    _changed_after_release(
        user=user,
        meeting=item.meeting,
        item=item,
        description=(_("Item closed: %s") if reason else _("Item opened: %s")) % item.title,
    )
    return item


@transaction.atomic
def item_exclude(*, user, item: AgendaItem, seat: BodyRepresentative, reason: str) -> ItemExclusion:
    """Record that a member is disqualified on an item (inhabil): the member
    then reads its title only — not its text, papers or decision."""
    _require_secretariat(user)
    _require_item(user, item)
    item = AgendaItem.objects.select_for_update().select_related("meeting").get(pk=item.pk)
    _require_draft(item.meeting)
    if seat is None or seat.body_id != item.meeting.body_id:
        raise MeetingError(_("Choose a member of the body."))
    if not reason.strip():
        raise MeetingError(_("Give the reason for the disqualification."))
    if ItemExclusion.objects.filter(item=item, seat=seat).exists():
        raise MeetingError(_("The member is already disqualified on this item."))
    exclusion = ItemExclusion(
        item=item,
        seat=seat,
        reason=reason.strip(),
        recorded_by=user,
        recorded_at=timezone.now(),
    )
    _save(exclusion, user=user, reason=_("Disqualification recorded"))
    return exclusion


# Members' notes -----------------------------------------------------------------------


@transaction.atomic
def note_write(
    *, user, text: str, item: AgendaItem | None = None, document: Document | None = None
) -> MemberNote | None:
    """The user's own note on an item or a paper they read; an empty text
    deletes it. A note on a paper records the version it was written on."""
    if (item is None) == (document is None):
        raise MeetingError(_("A note is on an item or a document."))
    if item is not None:
        require_in_scope(
            AgendaItem.objects.content_visible_to(user),
            item,
            MeetingError(_("You do not have access to this meeting.")),
        )
        target = {"item": item}
    else:
        require_in_scope(
            Document.objects.visible_to(user),
            document,
            MeetingError(_("You do not have access to this document.")),
        )
        document = Document.objects.get(pk=document.pk)
        target = {"document": document}
    note = MemberNote.objects.written_by(user).select_for_update().filter(**target).first()
    if not text.strip():
        if note is not None:
            note.delete()
        return None
    note = note or MemberNote(author=user, **target)
    note.text = text.strip()
    note.written_at = timezone.now()
    if document is not None:
        note.document_version = document.version
    note.save()
    return note


# Decisions and minutes ----------------------------------------------------------------


@transaction.atomic
def item_decide(
    *,
    user,
    item: AgendaItem,
    outcome: str,
    decision: str,
    today: datetime.date | None = None,
) -> AgendaItem:
    """Record an item's decision. A capacity item's approval or refusal goes
    through the capacity service (R2); an evaluation sets the agreement's last
    evaluation (R9); an approved mandate lets the ad hoc group start (004)."""
    _require_secretariat(user)
    _require_item(user, item)
    item = (
        # Only the item is locked: what it is about may be absent (outer joins).
        AgendaItem.objects.select_for_update(of=("self",))
        .select_related("meeting__body", "adjustment", "mandate", "evaluation_of")
        .get(pk=item.pk)
    )
    meeting = item.meeting
    _require_draft(meeting)
    today = today or timezone.localdate()
    if meeting.date > today:
        raise MeetingError(
            _("The meeting is on %(date)s; its decisions can be recorded from that day.")
            % {"date": _day(meeting.date)}
        )
    if outcome not in Outcome.values:
        raise MeetingError(_("Choose the outcome."))
    if not decision.strip() and outcome != Outcome.NOTED:
        raise MeetingError(_("Write the decision."))
    if item.kind == Kind.DECISION and outcome in (Outcome.NOTED, Outcome.DISCUSSED):
        raise MeetingError(_("A decision item is approved, rejected or postponed."))
    if item.kind != Kind.DECISION and outcome in (Outcome.APPROVED, Outcome.REJECTED):
        raise MeetingError(_("Only a decision item is approved or rejected."))
    if item.adjustment_id and outcome in (Outcome.APPROVED, Outcome.REJECTED):
        try:
            capacity_services.adjustment_record_meeting_decision(
                user=user,
                adjustment=item.adjustment,
                approved=outcome == Outcome.APPROVED,
                grounds=decision,
                today=today,
            )
        except CapacityError as error:
            raise MeetingError(error.message) from error
    if item.evaluation_of_id and outcome == Outcome.APPROVED:
        agreement = FrameworkAgreement.objects.select_for_update().get(pk=item.evaluation_of_id)
        if agreement.last_evaluated_on is None or agreement.last_evaluated_on < meeting.date:
            agreement.last_evaluated_on = meeting.date
            agreement._change_reason = _("Evaluated at %(meeting)s") % {"meeting": meeting}
            agreement.save(update_fields=["last_evaluated_on"])
    if item.mandate_id and outcome == Outcome.APPROVED:
        mandate = Mandate.objects.select_for_update().get(pk=item.mandate_id)
        mandate.approved_at = item
        mandate.save(update_fields=["approved_at"])
    item.outcome = outcome
    item.decision = decision.strip()
    item.decided_by = user
    item.save()
    return item


@transaction.atomic
def minutes_update(
    *, user, meeting: Meeting, present: str, apologies: str, notes: str = ""
) -> Minutes:
    _require_secretariat(user)
    _require_meeting(user, meeting)
    meeting = _lock_meeting(meeting)
    _require_draft(meeting)
    minutes = _minutes_of(meeting)
    minutes.present = present
    minutes.apologies = apologies
    minutes.notes = notes
    _save(minutes, user=user, reason=_("Minutes written"))
    return minutes


def may_approve_minutes(user, meeting: Meeting) -> bool:
    from accounts.access import chairs

    return is_secretariat(user) or chairs(meeting.body_id, user)


@transaction.atomic
def minutes_approve(
    *, user, meeting: Meeting, how: str, today: datetime.date | None = None
) -> Minutes:
    """Approve the minutes (by the chair, or recorded by the secretariat as
    approved at the next meeting) and freeze them: the PDF is rendered once and
    stored with its SHA-256."""
    _require_meeting(user, meeting)
    meeting = _lock_meeting(meeting)
    if not may_approve_minutes(user, meeting):
        raise MeetingError(_("Only the chair or the secretariat approves the minutes."))
    _require_draft(meeting)
    today = today or timezone.localdate()
    if meeting.date > today:
        raise MeetingError(_("Minutes are approved after the meeting."))
    if how not in Minutes.ApprovedHow.values:
        raise MeetingError(_("Say how the minutes were approved."))
    if how == Minutes.ApprovedHow.NEXT_MEETING and not is_secretariat(user):
        raise MeetingError(_("The secretariat records an approval at the next meeting."))
    agenda_sync(meeting=meeting)
    undecided = AgendaItem.objects.filter(meeting=meeting, outcome="").order_by("position")
    if undecided.exists():
        raise MeetingError(
            _("Record the outcome of every item first: %(items)s")
            % {"items": ", ".join(item.title for item in undecided[:5])}
        )
    minutes = _minutes_of(meeting)
    pdf = _sealed(
        render_minutes(meeting, minutes=minutes, approved_on=today),
        # The register's reference, no personal data (seals.sealing).
        reference=f"Referat, møde {meeting.pk}, {meeting.date:%d.%m.%Y}",
    )
    digest = hashlib.sha256(pdf).hexdigest()
    minutes.status = Minutes.Status.APPROVED
    minutes.approved_on = today
    minutes.approved_how = how
    minutes.approved_by = user
    minutes.pdf_sha256 = digest
    minutes.pdf.save(f"referat-{meeting.pk}-{digest[:12]}.pdf", ContentFile(pdf), save=False)
    # The guard refuses saving minutes whose stored row is approved; the row
    # is a draft until this save, which approves them and records who did.
    _save(minutes, user=user, reason=_("Minutes approved"))
    return minutes


# PDFs ---------------------------------------------------------------------------------


def _sealed(document: bytes, *, reference: str) -> bytes:
    """Approved minutes carry the secretariat's seal, as signed contracts do."""
    from seals.certificate import SealUnavailable
    from seals.sealing import seal_pdf

    try:
        return seal_pdf(document, reference=reference)
    except SealUnavailable:
        raise MeetingError(
            _(
                "The approved minutes cannot be sealed now: the secretariat's certificate or "
                "the time-stamp authority is not available. Try again, or ask the system "
                "administrator."
            )
        ) from None


def _items(meeting: Meeting):
    return (
        AgendaItem.objects.filter(meeting=meeting)
        .select_related("adjustment__offer", "evaluation_of", "mandate__group")
        .prefetch_related("documents")
        .order_by("position", "pk")
    )


def render_agenda(meeting: Meeting, *, hidden=frozenset()) -> bytes:
    """The agenda as PDF; the items in `hidden` (a disqualified member's) by
    their titles only."""
    items = list(_items(meeting))
    for item in items:
        item.title_only = item.pk in hidden
    with translation.override(settings.LANGUAGE_CODE):
        html = render_to_string(
            "meetings/pdf/agenda.html",
            {"meeting": meeting, "items": items, "stylesheet": static_url(STYLESHEET)},
        )
    return render_html_to_pdf(html)


def render_minutes(
    meeting: Meeting,
    *,
    minutes: Minutes,
    approved_on: datetime.date | None = None,
    hidden=frozenset(),
) -> bytes:
    items = list(_items(meeting))
    for item in items:
        item.title_only = item.pk in hidden
    with translation.override(settings.LANGUAGE_CODE):
        html = render_to_string(
            "meetings/pdf/minutes.html",
            {
                "meeting": meeting,
                "minutes": minutes,
                "approved_on": approved_on or minutes.approved_on,
                "items": items,
                "stylesheet": static_url(STYLESHEET),
            },
        )
    return render_html_to_pdf(html)


# Documents ----------------------------------------------------------------------------

EXTENSIONS = {"pdf": Document.Kind.PDF, "docx": Document.Kind.DOCX, "xlsx": Document.Kind.XLSX}


def document_kind(data: bytes) -> str | None:
    """The document's type read from its content (not its name): a PDF header,
    or an Office Open XML package with a Word or Excel main part."""
    if data.startswith(b"%PDF-"):
        return Document.Kind.PDF
    if not data.startswith(b"PK\x03\x04"):
        return None
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            entries = package.infolist()
            names = {entry.filename for entry in entries}
            unpacked = sum(entry.file_size for entry in entries)
    except zipfile.BadZipFile:
        return None
    if len(entries) > 10_000 or unpacked > settings.DOCUMENT_MAX_UNPACKED_BYTES:
        return None
    if "[Content_Types].xml" not in names:
        return None
    if "word/document.xml" in names:
        return Document.Kind.DOCX
    if "xl/workbook.xml" in names:
        return Document.Kind.XLSX
    return None


@transaction.atomic
def document_add(*, user, uploaded, title: str = "", **owner) -> Document:
    """Store a paper on one thing: `agenda_item`, `agreement`,
    `council_approval`, `standard_contract` or `operating_agreement`. Its size
    is limited and its type checked from its content against its name."""
    _require_secretariat(user)
    given = {name: value for name, value in owner.items() if value is not None}
    if len(given) != 1 or not set(given) <= set(OWNERS):
        raise MeetingError(_("A document belongs to exactly one thing."))
    (owner_object,) = given.values()
    require_in_scope(
        type(owner_object).objects.visible_to(user),
        owner_object,
        MeetingError(_("You do not have access to what the document belongs to.")),
    )
    agenda_item = given.get("agenda_item")
    if agenda_item is not None:
        agenda_item = AgendaItem.objects.select_for_update().get(pk=agenda_item.pk)
        _require_draft(agenda_item.meeting)
    name, data, kind = _read_upload(uploaded)
    document = Document(
        **given,
        title=(title or name).strip()[:200],
        filename=name[:200],
        kind=kind,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        uploaded_by=user,
    )
    document.file.save(f"{document.sha256}.{kind}", ContentFile(data), save=False)
    document.save()
    if agenda_item is not None:
        _changed_after_release(
            user=user,
            meeting=agenda_item.meeting,
            item=agenda_item,
            description=_("Document added to %(item)s: %(document)s")
            % {"item": agenda_item.title, "document": document.title},
        )
    return document


@transaction.atomic
def document_new_version(*, user, document: Document, uploaded) -> Document:
    """Replace a paper's file with a new version (the history keeps the
    earlier ones); members' notes on it stay and say their version."""
    _require_secretariat(user)
    require_in_scope(
        Document.objects.visible_to(user),
        document,
        MeetingError(_("You do not have access to what the document belongs to.")),
    )
    document = Document.objects.select_for_update().get(pk=document.pk)
    if document.agenda_item_id:
        _require_draft(document.agenda_item.meeting)
    name, data, kind = _read_upload(uploaded)
    document.filename = name[:200]
    document.kind = kind
    document.size = len(data)
    document.sha256 = hashlib.sha256(data).hexdigest()
    document.uploaded_by = user
    document.version += 1
    document.file.save(f"{document.sha256}.{kind}", ContentFile(data), save=False)
    _save(document, user=user, reason=_("Version %s") % document.version)
    if document.agenda_item_id:
        _changed_after_release(
            user=user,
            meeting=document.agenda_item.meeting,
            item=document.agenda_item,
            description=_("New version (%(version)s) of %(document)s")
            % {"version": document.version, "document": document.title},
        )
    return document


def _read_upload(uploaded) -> tuple[str, bytes, str]:
    """The file's name, bytes and type: its size is limited and its type read
    from its content and checked against its name."""
    limit = settings.DOCUMENT_MAX_BYTES
    if uploaded.size > limit:
        raise MeetingError(
            _("The file is %(size)s MB; the limit is %(limit)s MB.")
            % {"size": _megabytes(uploaded.size), "limit": _megabytes(limit)}
        )
    data = uploaded.read(limit + 1)
    if len(data) > limit:
        raise MeetingError(
            _("The file is larger than %(limit)s MB.") % {"limit": _megabytes(limit)}
        )
    name = (uploaded.name or "").rsplit("/", 1)[-1].rsplit("\\", 1)[-1]
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    expected = EXTENSIONS.get(extension)
    if expected is None:
        raise MeetingError(_("Upload a PDF, Word (DOCX) or Excel (XLSX) file."))
    actual = document_kind(data)
    if actual != expected:
        raise MeetingError(
            _(
                "The file's content is not what its name says (%(name)s is not a valid %(kind)s file)."
            )
            % {"name": name, "kind": Document.Kind(expected).label}
        )
    return name, data, actual


def _megabytes(size: int) -> str:
    return f"{size / 1_000_000:.1f}".replace(".", ",")
