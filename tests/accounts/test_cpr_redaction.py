"""No CPR number reaches a log line or an error report: a database refusal
that quotes the row ("Failing row contains (…)") is reported with the
numbers masked, in the error mail and in the log."""

import io
import logging
import sys

import pytest
from django.conf import settings
from django.core import mail
from django.db import IntegrityError
from django.test import RequestFactory, override_settings
from django.urls import path
from django.views.debug import ExceptionReporter

from accounts.access import public
from accounts.cpr_redaction import (
    CPR_MASK,
    CprSafeExceptionReporter,
    CprSafeExceptionReporterFilter,
    MaskCprFilter,
    mask_cpr,
)

CHILD = "0103159001"
MOTHER = "1207859002"
FATHER_WITH_HYPHEN = "030582-9003"
NUMBERS = [CHILD, MOTHER, FATHER_WITH_HYPHEN, "030582 9003".replace(" ", "")]


@public
def _refused_row(request):
    guardian_cpr = FATHER_WITH_HYPHEN  # a local variable of the failing frame
    raise IntegrityError(
        'new row for relation "contracts_individualcontract" violates check constraint '
        f'"cpr_valid"\nDETAIL:  Failing row contains (7, IK-000007, {CHILD}, {MOTHER}, '
        f"{guardian_cpr}, Testbarn Testesen)."
    )


urlpatterns = [path("fejl/", _refused_row)]


def _assert_masked(text: str) -> None:
    for number in NUMBERS:
        assert number not in text
    assert CPR_MASK in text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (f"cpr {CHILD}.", f"cpr {CPR_MASK}."),
        ("cpr 010315-9001", f"cpr {CPR_MASK}"),
        (f"({CHILD},{MOTHER})", f"({CPR_MASK},{CPR_MASK})"),
        ("phone 86123456, id 123456789, ean 57980000000001", None),
        ("timestamp 17642222221234", None),
    ],
)
def test_cpr_like_numbers_are_masked_and_nothing_else(text, expected):
    assert mask_cpr(text) == (expected if expected is not None else text)


def test_every_handler_in_the_settings_masks_cpr():
    handlers = settings.LOGGING["handlers"]
    assert {"console", "mail_admins"} <= set(handlers)
    for name, handler in handlers.items():
        assert "mask_cpr" in handler.get("filters", []), name


def test_every_configured_handler_has_the_filter():
    loggers = [logging.getLogger(), logging.getLogger("django"), logging.getLogger("django.server")]
    handlers = [handler for logger in loggers for handler in logger.handlers]
    configured = [h for h in handlers if "pytest" not in type(h).__module__]
    assert configured
    for handler in configured:
        assert any(isinstance(f, MaskCprFilter) for f in handler.filters), handler


@pytest.fixture
def console():
    """What the configured console handler of the `django` logger writes."""
    stream = io.StringIO()
    handler = next(
        h
        for h in logging.getLogger("django").handlers
        if isinstance(h, logging.StreamHandler) and not isinstance(h, logging.FileHandler)
    )
    previous = handler.setStream(stream)
    yield stream
    handler.setStream(previous)


@override_settings(
    ROOT_URLCONF=__name__,
    ADMINS=[("Drift", "drift@rammeaftale.example")],
    DEBUG=False,
)
def test_a_database_refusal_with_cpr_numbers_mails_and_logs_them_masked(client, db, console):
    client.raise_request_exception = False
    response = client.post(f"/fejl/?cpr={CHILD}", {"citizen_cpr": MOTHER, "note": "x"})
    assert response.status_code == 500

    assert len(mail.outbox) == 1
    report = mail.outbox[0]
    assert "IntegrityError" in report.body
    assert "Failing row contains" in report.body
    _assert_masked(report.subject + report.body)
    for _content, _kind in report.alternatives:
        _assert_masked(_content)

    logged = console.getvalue()
    assert "Internal Server Error: /fejl/" in logged
    assert "Failing row contains" in logged
    _assert_masked(logged)


def test_the_log_filter_masks_message_arguments_and_traceback():
    try:
        raise IntegrityError(f"Failing row contains ({CHILD}).")
    except IntegrityError:
        record = logging.LogRecord(
            "django.request",
            logging.ERROR,
            __file__,
            1,
            "Search for %s failed",
            (MOTHER,),
            sys.exc_info(),
        )
    assert MaskCprFilter().filter(record)
    text = logging.Formatter().format(record)
    assert "Search for XXXXXX-XXXX failed" in text
    assert "Failing row contains (XXXXXX-XXXX)" in text
    assert CHILD not in text and MOTHER not in text


def test_the_reporter_filter_masks_request_data_and_frame_variables():
    request = RequestFactory().post(
        f"/contracts/cpr/search/?q={CHILD}", {"cpr": FATHER_WITH_HYPHEN}, HTTP_X_CPR=MOTHER
    )
    reporter_filter = CprSafeExceptionReporterFilter()
    assert reporter_filter.get_post_parameters(request)["cpr"] == CPR_MASK
    assert reporter_filter.get_safe_request_meta(request)["HTTP_X_CPR"] == CPR_MASK
    assert CHILD not in reporter_filter.get_safe_request_meta(request)["QUERY_STRING"]

    def failing(cpr):
        raise ValueError("no such citizen")

    try:
        failing(CHILD)
    except ValueError:
        exc_type, exc_value, tb = sys.exc_info()
    frame = tb.tb_next.tb_frame
    variables = dict(reporter_filter.get_traceback_frame_variables(request, frame))
    assert CHILD not in repr(variables["cpr"])


@override_settings(DEBUG=False)
def test_the_reporter_masks_the_exception_value_and_get_parameters():
    request = RequestFactory().get(f"/contracts/?cpr={CHILD}")
    try:
        raise IntegrityError(f"Failing row contains ({MOTHER}).")
    except IntegrityError:
        reporter = CprSafeExceptionReporter(request, *sys.exc_info(), is_email=True)
    _assert_masked(reporter.get_traceback_text())
    _assert_masked(reporter.get_traceback_html())
    # Django's own reporter would have shown them.
    try:
        raise IntegrityError(f"Failing row contains ({MOTHER}).")
    except IntegrityError:
        plain = ExceptionReporter(request, *sys.exc_info(), is_email=True)
    assert MOTHER in plain.get_traceback_text()


def test_the_project_uses_the_cpr_safe_reporter_and_filter():
    assert settings.DEFAULT_EXCEPTION_REPORTER_FILTER.endswith("CprSafeExceptionReporterFilter")
    assert settings.DEFAULT_EXCEPTION_REPORTER.endswith("CprSafeExceptionReporter")
