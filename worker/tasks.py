"""The worker's tasks (django-tasks)."""

import datetime

from django_tasks import task


@task()
def daily_job(job: str, day: str) -> bool:
    """One daily job for one day (ISO date); True when this run did it."""
    from worker.jobs import run_daily

    return run_daily(job, datetime.date.fromisoformat(day))
