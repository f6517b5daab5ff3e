"""CPR numbers never reach a log line or an error report (DESIGN.md
"Personal data").

A database refusal ("Failing row contains (…, 0103159001, …)"), a form value
in a traceback's variables or a search term in the request data would
otherwise carry a citizen's number into the server log and the error mail.
Everything that looks like a CPR number — ten digits in a row, or six and
four with a hyphen (DDMMYY-XXXX) — is replaced by a mask:

- `MaskCprFilter`, a logging filter on every handler (settings.LOGGING), masks
  the message, its arguments, the formatted traceback and the stack;
- `CprSafeExceptionReporterFilter` (DEFAULT_EXCEPTION_REPORTER_FILTER) masks
  POST, META and the traceback's frame variables;
- `CprSafeExceptionReporter` (DEFAULT_EXCEPTION_REPORTER) masks what the
  filter does not reach: the exception's value, GET, the address, and the
  whole report as written.
"""

import logging
import re
from typing import Any

from django.views.debug import ExceptionReporter, SafeExceptionReporterFilter

# Ten digits not part of a longer number, optionally split 6-4 by a hyphen.
CPR_LIKE = re.compile(r"(?<!\d)\d{6}-?\d{4}(?!\d)")
CPR_MASK = "XXXXXX-XXXX"


def mask_cpr(text: str) -> str:
    return CPR_LIKE.sub(CPR_MASK, text)


class _MaskedRepr(str):
    """A frame variable already written out and masked: shown as it is."""

    def __repr__(self) -> str:
        return str(self)


class MaskCprFilter(logging.Filter):
    """Mask CPR-like numbers in a log record before any handler writes it."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken format string: keep the raw message
            message = str(record.msg)
        record.msg = mask_cpr(message)
        record.args = None
        if record.exc_info and record.exc_info[0] is not None:
            record.exc_text = mask_cpr(logging.Formatter().formatException(record.exc_info))
        elif record.exc_text:
            record.exc_text = mask_cpr(record.exc_text)
        if record.stack_info:
            record.stack_info = mask_cpr(record.stack_info)
        return True


class CprSafeExceptionReporterFilter(SafeExceptionReporterFilter):
    """Django's filter (passwords, keys, marked parameters) plus CPR masking
    of the request data and the variables of every frame."""

    def get_post_parameters(self, request):
        parameters = super().get_post_parameters(request)
        if not parameters:
            return parameters
        masked = parameters.copy()
        for key in list(masked.keys()):
            masked.setlist(key, [mask_cpr(str(value)) for value in masked.getlist(key)])
        return masked

    def get_safe_request_meta(self, request):
        return {
            key: _mask_value(value) for key, value in super().get_safe_request_meta(request).items()
        }

    def get_traceback_frame_variables(self, request, tb_frame):
        from django.template.defaultfilters import pprint

        return [
            (name, _MaskedRepr(mask_cpr(pprint(value))))
            for name, value in super().get_traceback_frame_variables(request, tb_frame)
        ]


def _mask_value(value: Any) -> Any:
    if isinstance(value, str):
        return mask_cpr(value)
    return value


class CprSafeExceptionReporter(ExceptionReporter):
    """The error report (mail and debug page) with every CPR-like number masked."""

    def get_traceback_data(self) -> dict:
        data = super().get_traceback_data()
        for key in ("exception_value", "exception_notes", "request_insecure_uri", "user_str"):
            if isinstance(data.get(key), str):
                data[key] = mask_cpr(data[key])
        if "request_GET_items" in data:
            data["request_GET_items"] = [
                (mask_cpr(key), mask_cpr(str(value))) for key, value in data["request_GET_items"]
            ]
        for frame in data.get("frames", []):
            if frame.get("exc_cause") is not None:
                frame["exc_cause"] = mask_cpr(str(frame["exc_cause"]))
        return data

    def get_traceback_html(self) -> str:
        return mask_cpr(super().get_traceback_html())

    def get_traceback_text(self) -> str:
        return mask_cpr(super().get_traceback_text())
