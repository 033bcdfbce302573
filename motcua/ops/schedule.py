"""Which periodic jobs run, and when. Add a job with one `Job(...)` line in JOBS.

A job is a management command (named, never imported: ops sits above the apps). Cadence is
either every N minutes, in slots aligned to the clock (:00, :15, :30, :45 for 15), or daily at a
local time (TIME_ZONE). A slot is identified by its start; a job runs at most once per slot, and
a scheduler that starts late (or after a night off) runs each job once for the current slot.
Every job here must be safe to run twice and while people work.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import timezone


@dataclass(frozen=True)
class Job:
    name: str
    command: str
    args: tuple[str, ...] = ()
    every_minutes: int | None = None
    daily_at: datetime.time | None = None

    def __post_init__(self):
        if (self.every_minutes is None) == (self.daily_at is None):
            raise ValueError(f"job {self.name}: give exactly one of every_minutes and daily_at")
        if self.every_minutes is not None and not 1 <= self.every_minutes <= 24 * 60:
            raise ValueError(f"job {self.name}: every_minutes must be between 1 and 1440")

    def slot(self, now: datetime.datetime) -> datetime.datetime:
        """The start of the slot `now` falls in (an aware datetime)."""
        if self.every_minutes is not None:
            # Aligned to local midnight, so "every 15 minutes" means :00, :15, :30, :45 locally.
            local = timezone.localtime(now)
            midnight = local.replace(hour=0, minute=0, second=0, microsecond=0)
            step = datetime.timedelta(minutes=self.every_minutes)
            return midnight + ((local - midnight) // step) * step
        local = timezone.localtime(now)
        today = timezone.make_aware(datetime.datetime.combine(local.date(), self.daily_at), local.tzinfo)
        return today if local >= today else today - datetime.timedelta(days=1)


JOBS: tuple[Job, ...] = (
    # Dossiers due soon or overdue; apology letters drafted before the deadline passes.
    Job("dossier_deadlines", "dossier_deadlines", every_minutes=15),
    # Overdue field reports escalated once; answered ones the citizen left alone closed.
    Job("fieldreports_escalate", "fieldreports_escalate", every_minutes=15),
    # Incoming documents: leaders reminded to give instructions; overdue handling escalated once.
    Job("documents_jobs", "documents_jobs", every_minutes=15),
    Job("documents_exchange", "documents_exchange", every_minutes=5),  # EDXML send and receive
    # Bookings: no-shows marked after slot end + grace; reminders the day before and an hour before.
    Job("appointments_jobs", "appointments_jobs", every_minutes=5),
    # Switchboard calls whose state expired (their bookings stay).
    Job("switchboard_purge", "switchboard_purge", daily_at=datetime.time(3, 15)),
    # Nightly repair of the rollups kept incrementally: recomputed from raw rows.
    Job("outreach_progress_rebuild", "outreach_progress_rebuild", daily_at=datetime.time(2, 0)),
    Job("mapcells_rebuild", "mapcells_rebuild", daily_at=datetime.time(2, 30)),
    # The service index's last two months recounted: what changes without a dossier status change
    # (the national sync's answers, documents marked digitised or reused) is counted by morning.
    Job("index_rollups_rebuild", "rebuild_index_rollups", ("--months", "1"), daily_at=datetime.time(2, 45)),
    # Expired rate-limit counters deleted (they are ignored once expired; this keeps the table small).
    Job("throttle_purge", "throttle_purge", daily_at=datetime.time(3, 0)),
)
