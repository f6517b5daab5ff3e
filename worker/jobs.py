"""The five daily jobs, each the service function its management command
calls, and the guard that runs each once per day across every server."""

import datetime
import logging
import os
import socket
from collections.abc import Callable

from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.lockout import login_records_delete_old
from agreements.services import annual_cycle_generate_all
from capacity.services import run_deadlines
from contracts.services import RetentionResult, contracts_expire_due, cpr_retention_apply
from tariffs.notifications import run_reminders
from worker.models import DailyJobRun

logger = logging.getLogger(__name__)


def apply_retention(user=None) -> tuple[RetentionResult, int]:
    """Every retention period in one run: the CPR numbers and the CPR access
    log (contracts), and the login records (accounts). The daily job and the
    `apply_retention` command both call this."""
    return cpr_retention_apply(user=user), login_records_delete_old()


def _retention(day: datetime.date) -> str:
    done, logins = apply_retention()
    return (
        f"contracts cleared: {done.contracts_cleared}, PDFs deleted: {done.pdfs_deleted}, "
        f"log rows deleted: {done.log_rows_deleted}, login records deleted: {logins}"
    )


# Each is safe to run twice on a day: what it sends is keyed, what it
# changes is changed once (see each service).
DAILY_JOBS: dict[str, Callable[[datetime.date], str]] = {
    "capacity_deadlines": lambda day: str(run_deadlines(day)),
    "tariff_deadlines": lambda day: f"reminders sent: {run_reminders(day)}",
    "annual_cycle": lambda day: f"deadlines made: {annual_cycle_generate_all()}",
    "expire_contracts": lambda day: f"contracts expired: {contracts_expire_due(today=day)}",
    "apply_retention": _retention,
}


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def run_daily(job: str, day: datetime.date) -> bool:
    """Run `job` for `day` unless it ran (or is running) elsewhere: True when
    this call ran it. The run's row and the job's changes commit together;
    a job that fails leaves no row, so the next tick tries again."""
    action = DAILY_JOBS[job]
    with transaction.atomic():
        try:
            # On PostgreSQL a second server's insert waits here for the first
            # one's transaction, then fails on the unique (job, day).
            with transaction.atomic():
                run = DailyJobRun.objects.create(
                    job=job, day=day, started_at=timezone.now(), worker=worker_name()
                )
        except IntegrityError:
            return False
        run.result = action(day)
        run.finished_at = timezone.now()
        run.save(update_fields=["result", "finished_at"])
    logger.info("daily job %s ran for %s: %s", job, day, run.result)
    return True


def jobs_due(day: datetime.date) -> list[str]:
    done = set(DailyJobRun.objects.filter(day=day).values_list("job", flat=True))
    return [job for job in DAILY_JOBS if job not in done]
