"""GET /sundhed/: the database, the file storage and the worker's last
heartbeat, for a load balancer or a monitor. No login, no session, no
personal data: 200 when all is well, 503 naming what failed."""

import datetime
import uuid

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.db.models import Max
from django.http import HttpRequest, JsonResponse
from django.utils import timezone

from accounts.access import public
from worker.models import Heartbeat


def _database() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        return cursor.fetchone() == (1,)


def _storage() -> bool:
    name = default_storage.save(f"sundhed/{uuid.uuid4().hex}", ContentFile(b"ok"))
    default_storage.delete(name)
    return True


def _worker() -> bool:
    last = Heartbeat.objects.aggregate(last=Max("beat_at"))["last"]
    stale = datetime.timedelta(seconds=settings.WORKER_STALE_SECONDS)
    return last is not None and timezone.now() - last <= stale


CHECKS = {"database": _database, "storage": _storage, "worker": _worker}


@public
def health(request: HttpRequest) -> JsonResponse:
    checks = {}
    for name, check in CHECKS.items():
        try:
            checks[name] = "ok" if check() else "fejl"
        except Exception:  # noqa: BLE001 - what failed is the answer
            checks[name] = "fejl"
    failed = [name for name, result in checks.items() if result != "ok"]
    response = JsonResponse(
        {"status": "fejl" if failed else "ok", "fejl": failed, "checks": checks},
        status=503 if failed else 200,
    )
    response["Cache-Control"] = "no-store"
    return response
