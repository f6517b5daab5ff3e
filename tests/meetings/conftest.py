import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from agreements.models import BodyRepresentative, GoverningBody, Meeting
from tests.conftest import make_user

TODAY = datetime.date.today()


@pytest.fixture
def dassos(db) -> GoverningBody:
    return GoverningBody.objects.get(kind=GoverningBody.Kind.DASSOS, name="DASSOS")


@pytest.fixture
def committee(db) -> GoverningBody:
    return GoverningBody.objects.get(kind=GoverningBody.Kind.EXECUTIVE_COMMITTEE)


def make_meeting(body: GoverningBody, days: int = 10, **fields) -> Meeting:
    values = {"location": "Viborg Rådhus", "starts_at": datetime.time(9, 30)} | fields
    return Meeting.objects.create(body=body, date=TODAY + datetime.timedelta(days=days), **values)


@pytest.fixture
def coming_meeting(dassos) -> Meeting:
    return make_meeting(dassos, 10)


@pytest.fixture
def held_meeting(dassos) -> Meeting:
    return make_meeting(dassos, -3)


@pytest.fixture
def chair_user(dassos, aarhus):
    user = make_user("formand", first_name="Frida", last_name="Formand", email="frida@aarhus.dk")
    BodyRepresentative.objects.create(
        body=dassos,
        municipality=aarhus,
        user=user,
        role=BodyRepresentative.Role.CHAIR,
        name="Frida Formand",
        email="frida@aarhus.dk",
    )
    return user


@pytest.fixture
def committee_member(committee, randers):
    user = make_user("fu-medlem", first_name="Finn", last_name="Udvalg")
    BodyRepresentative.objects.create(body=committee, municipality=randers, user=user)
    return user


def pdf_file(name: str = "bilag.pdf", size: int = 0) -> SimpleUploadedFile:
    data = b"%PDF-1.7\n" + b"0" * size + b"\n%%EOF\n"
    return SimpleUploadedFile(name, data, content_type="application/pdf")


def released(meeting: Meeting) -> Meeting:
    """The agenda released to the members (as `agenda_send` records it)."""
    from django.utils import timezone

    from meetings.models import AgendaRelease

    AgendaRelease.objects.update_or_create(
        meeting=meeting, defaults={"released_at": timezone.now()}
    )
    return meeting
