"""python manage.py worker: the task worker (README "Worker").

Each round it writes its heartbeat, enqueues the daily jobs not yet run
today, sends the mails that are due, and runs the queued tasks
(django-tasks' database backend). Stop it with Ctrl+C or SIGTERM.
"""

import signal
import time

from django.core.management.base import BaseCommand
from django_tasks import task_backends
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.management.commands.db_worker import Worker

from worker.jobs import worker_name
from worker.scheduler import tick


class Command(BaseCommand):
    help = "Run the task worker: the outbox, the daily jobs and the queued tasks."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="One round, then stop.")
        parser.add_argument(
            "--interval", type=float, default=2.0, help="Seconds between rounds (default 2)."
        )

    def handle(self, *args, once=False, interval=2.0, **options):
        name = worker_name()
        running = True

        def stop(signum, frame):
            nonlocal running
            running = False

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        self.stdout.write(f"worker {name} started")
        while running:
            sent = tick(name)
            ran = self._run_queued(name)
            if sent or ran:
                self.stdout.write(f"mails sent: {sent}, tasks run: {ran}")
            if once:
                break
            deadline = time.monotonic() + interval
            while running and time.monotonic() < deadline:
                time.sleep(0.1)
        self.stdout.write(f"worker {name} stopped")

    def _run_queued(self, name: str) -> int:
        """Run every task waiting in the database queue (none with an
        in-process backend, which ran them when they were enqueued)."""
        if not isinstance(task_backends["default"], DatabaseBackend):
            return 0
        worker = Worker(
            queue_names=["*"],
            interval=0,
            batch=True,
            backend_name="default",
            startup_delay=False,
            max_tasks=None,
            worker_id=name[:64],
            excluded_queue_names=[],
        )
        worker.run()
        return worker._run_tasks
