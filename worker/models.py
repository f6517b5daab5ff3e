"""What the worker leaves in the database: which daily job ran on which day
(once across every server), and each worker's last heartbeat."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class DailyJobRun(models.Model):
    """One run of a daily job on one day. The row is written in the job's
    transaction; the unique (job, day) lets one server run it and makes
    every other wait for that transaction and then skip it."""

    job = models.CharField(_("job"), max_length=50)
    day = models.DateField(_("day"))
    started_at = models.DateTimeField(_("started at"))
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    result = models.TextField(_("result"), blank=True)
    worker = models.CharField(_("worker"), max_length=100, blank=True)

    class Meta:
        ordering = ["-day", "job"]
        verbose_name = _("daily job run")
        verbose_name_plural = _("daily job runs")
        constraints = [
            models.UniqueConstraint(fields=["job", "day"], name="daily_job_runs_once_a_day"),
        ]

    def __str__(self) -> str:
        return f"{self.job} {self.day}"


class Heartbeat(models.Model):
    """The worker's sign of life, written every WORKER_HEARTBEAT_SECONDS."""

    worker = models.CharField(_("worker"), max_length=100, unique=True)
    beat_at = models.DateTimeField(_("last heartbeat"))

    class Meta:
        verbose_name = _("worker heartbeat")
        verbose_name_plural = _("worker heartbeats")

    def __str__(self) -> str:
        return self.worker
