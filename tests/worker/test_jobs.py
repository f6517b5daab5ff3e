"""The daily jobs: each runs once a day across any number of servers, is
safe to run twice, and calls the service its management command calls."""

import datetime
import threading
import time

import pytest
from django.db import connection
from django_tasks_db.models import DBTaskResult

from tests.worker.processes import start_worker
from worker import jobs
from worker.models import DailyJobRun
from worker.scheduler import schedule_daily_jobs, tick

DAY = datetime.date(2026, 3, 2)


def test_a_daily_job_runs_once_a_day_and_again_the_next_day(db, reference_data):
    assert jobs.run_daily("annual_cycle", DAY) is True
    assert jobs.run_daily("annual_cycle", DAY) is False
    assert jobs.run_daily("annual_cycle", DAY + datetime.timedelta(days=1)) is True
    assert DailyJobRun.objects.filter(job="annual_cycle").count() == 2


def test_each_job_is_safe_to_run_twice(db, reference_data):
    first = {job: action(DAY) for job, action in jobs.DAILY_JOBS.items()}
    second = {job: action(DAY) for job, action in jobs.DAILY_JOBS.items()}
    assert second["annual_cycle"] == "deadlines made: 0"
    assert second["expire_contracts"] == "contracts expired: 0"
    assert second["tariff_deadlines"] == "reminders sent: 0"
    assert set(first) == set(jobs.DAILY_JOBS)


def test_a_failing_job_leaves_no_run_so_the_next_tick_tries_again(db, monkeypatch):
    def broken(day):
        raise RuntimeError("the job failed")

    monkeypatch.setitem(jobs.DAILY_JOBS, "annual_cycle", broken)
    with pytest.raises(RuntimeError):
        jobs.run_daily("annual_cycle", DAY)
    assert not DailyJobRun.objects.exists()
    assert "annual_cycle" in jobs.jobs_due(DAY)


def test_the_worker_tick_runs_the_five_daily_jobs_in_process_once(db, reference_data):
    tick("test")
    assert set(DailyJobRun.objects.values_list("job", flat=True)) == set(jobs.DAILY_JOBS)
    assert schedule_daily_jobs() == []


@pytest.mark.postgres
def test_two_servers_running_one_job_at_the_same_moment_run_it_once(transactional_db, monkeypatch):
    runs = []

    def slow(day):
        runs.append(day)
        time.sleep(1)  # the other server arrives meanwhile
        return "done"

    monkeypatch.setitem(jobs.DAILY_JOBS, "annual_cycle", slow)
    barrier = threading.Barrier(2)
    results = []

    def server():
        try:
            barrier.wait()
            results.append(jobs.run_daily("annual_cycle", DAY))
        finally:
            connection.close()

    threads = [threading.Thread(target=server) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(results) == [False, True]
    assert runs == [DAY]


@pytest.mark.postgres
def test_two_schedulers_at_once_run_each_daily_job_once(transactional_db, reference_data):
    workers = [start_worker("--once") for _ in range(2)]
    for worker in workers:
        output, _ = worker.communicate(timeout=180)
        assert worker.returncode == 0, output
    runs = list(DailyJobRun.objects.values_list("job", flat=True))
    assert sorted(runs) == sorted(jobs.DAILY_JOBS)
    results = DBTaskResult.objects.filter(task_path="worker.tasks.daily_job")
    assert not results.filter(status="FAILED").exists()
    ran = [r.args_kwargs["args"][0] for r in results if r.return_value is True]
    assert sorted(ran) == sorted(jobs.DAILY_JOBS)
