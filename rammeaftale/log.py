"""Logs as one JSON object a line, each with the id of the request it
belongs to. CPR numbers are masked before (accounts.cpr_redaction's filter
runs on every handler), so the JSON carries none."""

import contextvars
import json
import logging
import re
import uuid

from django.core.signals import request_finished
from django.http import HttpRequest, HttpResponse

request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="")

# A proxy's id is kept when it is a plain token, else a new one is made.
_SAFE_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


class RequestIdMiddleware:
    """Give every request an id (the proxy's `X-Request-ID`, or a new one),
    put it on each log line of the request and on the response."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        given = request.headers.get("X-Request-ID", "")
        rid = given if _SAFE_ID.match(given) else uuid.uuid4().hex
        request.request_id = rid
        # Kept until the response is closed: Django logs a 404 or 500 after
        # the middleware has returned.
        request_id.set(rid)
        response = self.get_response(request)
        response["X-Request-ID"] = rid
        return response


def _forget_request_id(**kwargs) -> None:
    request_id.set("")


request_finished.connect(_forget_request_id, dispatch_uid="rammeaftale.log.request_id")


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id.get()
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", ""),
        }
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            entry["exception"] = record.exc_text
        return json.dumps(entry, ensure_ascii=False)
