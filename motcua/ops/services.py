"""Claiming and running scheduled jobs. Writes only `ScheduledJob` rows."""

from __future__ import annotations

import datetime
import io
import logging
import os
import socket
from collections.abc import Iterable

from django.core.management import call_command
from django.db.models import Q
from django.utils import timezone

from .models import ScheduledJob
from .schedule import JOBS, Job

log = logging.getLogger(__name__)
_OUTPUT_KEPT = 4000


def default_runner_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def job_claim(*, job: Job, now: datetime.datetime, runner: str) -> bool:
    """Take the job's current slot for this runner; False if it (or a later one) is taken already.

    One conditional UPDATE decides: on PostgreSQL a second scheduler waits for the first one's
    row lock and then finds the condition false; SQLite serialises writers.
    """
    slot = job.slot(now)
    ScheduledJob.objects.get_or_create(name=job.name)
    claimed = (
        ScheduledJob.objects.filter(name=job.name)
        .filter(Q(slot__isnull=True) | Q(slot__lt=slot))
        .update(slot=slot, claimed_by=runner[:100], started_at=now, finished_at=None, succeeded=None, output="")
    )
    return claimed == 1


def job_finish(*, job: Job, runner: str, succeeded: bool, output: str) -> None:
    """Record the end of a run, unless another runner has taken a newer slot meanwhile."""
    ScheduledJob.objects.filter(name=job.name, claimed_by=runner[:100]).update(
        finished_at=timezone.now(), succeeded=succeeded, output=output[-_OUTPUT_KEPT:]
    )


def job_run(job: Job) -> tuple[bool, str]:
    """Run the job's command; a failure is reported, never raised (the other jobs still run)."""
    out = io.StringIO()
    try:
        call_command(job.command, *job.args, stdout=out, stderr=out)
    except Exception as exc:  # a broken job must not stop the scheduler
        log.exception("scheduled job %s failed", job.name)
        return False, f"{out.getvalue()}\n{type(exc).__name__}: {exc}"
    return True, out.getvalue()


def jobs_run_due(
    *, now: datetime.datetime | None = None, runner: str | None = None, jobs: Iterable[Job] = JOBS
) -> list[tuple[str, bool]]:
    """Run every job whose current slot nobody has claimed yet; returns (name, succeeded) per run."""
    runner = runner or default_runner_id()
    ran = []
    for job in jobs:
        if not job_claim(job=job, now=now or timezone.now(), runner=runner):
            continue
        succeeded, output = job_run(job)
        job_finish(job=job, runner=runner, succeeded=succeeded, output=output)
        ran.append((job.name, succeeded))
    return ran
