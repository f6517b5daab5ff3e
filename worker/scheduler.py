"""The worker's clock: heartbeat, daily jobs and the outbox on each tick."""

import logging

from django.utils import timezone

from outbox.delivery import deliver_due
from worker.jobs import jobs_due, worker_name
from worker.models import Heartbeat
from worker.tasks import daily_job

logger = logging.getLogger(__name__)


def beat(name: str | None = None) -> None:
    Heartbeat.objects.update_or_create(
        worker=name or worker_name(), defaults={"beat_at": timezone.now()}
    )


def schedule_daily_jobs() -> list[str]:
    """Enqueue today's daily jobs not yet run. Every server may do this: the
    job itself runs once a day (`worker.jobs.run_daily`)."""
    day = timezone.localdate()
    due = jobs_due(day)
    for job in due:
        daily_job.enqueue(job, day.isoformat())
    return due


def tick(name: str | None = None) -> int:
    """One round of the worker's clock; the number of mails sent."""
    beat(name)
    schedule_daily_jobs()
    return deliver_due()
