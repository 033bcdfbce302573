"""The scheduler: which jobs, at which cadence, each slot run once however many schedulers run."""

import datetime
import threading
import zoneinfo

import pytest
from django.core.management import call_command, get_commands
from django.db import connection

from motcua.ops import services
from motcua.ops.models import ScheduledJob
from motcua.ops.schedule import JOBS, Job
from motcua.ops.services import job_claim, jobs_run_due

TZ = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")


def at(hour, minute, second=0, day=15):
    return datetime.datetime(2026, 3, day, hour, minute, second, tzinfo=TZ)


def test_the_product_schedules_deadlines_escalation_and_nightly_repair():
    cadence = {job.name: (job.command, job.every_minutes, job.daily_at) for job in JOBS}
    assert cadence == {
        "dossier_deadlines": ("dossier_deadlines", 15, None),
        "fieldreports_escalate": ("fieldreports_escalate", 15, None),
        "documents_jobs": ("documents_jobs", 15, None),
        "appointments_jobs": ("appointments_jobs", 5, None),
        "documents_exchange": ("documents_exchange", 5, None),
        "switchboard_purge": ("switchboard_purge", None, datetime.time(3, 15)),
        "outreach_progress_rebuild": ("outreach_progress_rebuild", None, datetime.time(2, 0)),
        "mapcells_rebuild": ("mapcells_rebuild", None, datetime.time(2, 30)),
        "index_rollups_rebuild": ("rebuild_index_rollups", None, datetime.time(2, 45)),
        "throttle_purge": ("throttle_purge", None, datetime.time(3, 0)),
    }
    commands = get_commands()
    assert all(job.command in commands for job in JOBS)


def test_a_fifteen_minute_slot_starts_on_the_quarter_hour():
    job = Job("j", "check", every_minutes=15)
    assert job.slot(at(10, 14, 59)) == at(10, 0)  # just below the boundary
    assert job.slot(at(10, 15, 0)) == at(10, 15)  # at it
    assert job.slot(at(10, 15, 1)) == at(10, 15)  # just above
    assert job.slot(at(0, 0, 0)) == at(0, 0)


def test_a_daily_slot_starts_at_its_local_time_and_belongs_to_yesterday_before_it():
    job = Job("j", "check", daily_at=datetime.time(2, 0))
    assert job.slot(at(1, 59, 59)) == at(2, 0, day=14)
    assert job.slot(at(2, 0, 0)) == at(2, 0)
    assert job.slot(at(2, 0, 1)) == at(2, 0)
    # Given in UTC, still local 02:00 (UTC+7): 18:59:59 UTC on the 14th is 01:59:59 on the 15th.
    utc = datetime.UTC
    assert job.slot(datetime.datetime(2026, 3, 14, 18, 59, 59, tzinfo=utc)) == at(2, 0, day=14)
    assert job.slot(datetime.datetime(2026, 3, 14, 19, 0, 0, tzinfo=utc)) == at(2, 0)


@pytest.mark.parametrize("kwargs", [{}, {"every_minutes": 15, "daily_at": datetime.time(2)}, {"every_minutes": 0}])
def test_a_job_needs_exactly_one_valid_cadence(kwargs):
    with pytest.raises(ValueError):
        Job("j", "check", **kwargs)


def test_cadence_limits_are_one_minute_to_one_day():
    Job("j", "check", every_minutes=1)
    Job("j", "check", every_minutes=1440)
    with pytest.raises(ValueError):
        Job("j", "check", every_minutes=1441)


@pytest.mark.django_db
def test_a_slot_is_claimed_once_across_schedulers():
    job = Job("j", "check", every_minutes=15)
    assert job_claim(job=job, now=at(10, 1), runner="a") is True
    assert job_claim(job=job, now=at(10, 1), runner="b") is False  # a second scheduler, same slot
    assert job_claim(job=job, now=at(10, 14, 59), runner="a") is False  # same runner, later in the slot
    assert job_claim(job=job, now=at(10, 15), runner="b") is True  # the next slot
    row = ScheduledJob.objects.get(name="j")
    assert (row.slot, row.claimed_by) == (at(10, 15), "b")


@pytest.mark.django_db
def test_a_late_scheduler_does_not_run_an_older_slot_after_a_newer_one():
    job = Job("j", "check", every_minutes=15)
    assert job_claim(job=job, now=at(10, 30), runner="a") is True
    assert job_claim(job=job, now=at(10, 20), runner="slow-clock") is False


@pytest.mark.django_db
def test_due_jobs_run_once_per_slot_and_a_failure_is_recorded_not_raised(monkeypatch):
    calls = []

    def fake_call_command(name, *args, stdout, stderr):
        calls.append(name)
        if name == "broken":
            raise RuntimeError("boom")
        stdout.write(f"{name} ok")

    monkeypatch.setattr(services, "call_command", fake_call_command)
    jobs = (Job("quarter", "quarter", every_minutes=15), Job("broken", "broken", daily_at=datetime.time(2, 0)))

    assert jobs_run_due(now=at(10, 1), runner="a", jobs=jobs) == [("quarter", True), ("broken", False)]
    assert jobs_run_due(now=at(10, 2), runner="b", jobs=jobs) == []
    assert jobs_run_due(now=at(10, 15), runner="b", jobs=jobs) == [("quarter", True)]
    assert calls == ["quarter", "broken", "quarter"]
    broken = ScheduledJob.objects.get(name="broken")
    assert broken.succeeded is False and "RuntimeError: boom" in broken.output
    assert broken.finished_at is not None
    assert ScheduledJob.objects.get(name="quarter").output == "quarter ok"


@pytest.mark.django_db
def test_the_scheduler_command_runs_the_real_jobs_once(capsys):
    call_command("scheduler", "--once")
    out = capsys.readouterr().out
    for job in JOBS:
        assert f"{job.name}: xong" in out
    assert ScheduledJob.objects.filter(succeeded=True).count() == len(JOBS)
    call_command("scheduler", "--once")  # same slots: nothing runs again
    assert "xong" not in capsys.readouterr().out


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_schedulers_racing_for_one_slot_run_it_once():
    job = Job("race", "check", every_minutes=15)
    ScheduledJob.objects.create(name="race")
    barrier = threading.Barrier(8)
    results = []

    def claim(runner):
        try:
            barrier.wait()
            results.append(job_claim(job=job, now=at(10, 1), runner=runner))
        finally:
            connection.close()

    threads = [threading.Thread(target=claim, args=(f"r{i}",)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == [False] * 7 + [True]
