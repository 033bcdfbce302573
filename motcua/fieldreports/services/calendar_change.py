"""Move the due dates of open field reports when the province's calendar changes.

Subscribed to `calendar.changed` (`motcua.core.services.calendar`, from FieldReportsConfig.ready)
and run inside the transaction of the calendar change. A report is affected when its window, from
the start of its current clock (submission, or the last acceptance, transfer or reopening) to its
due date, spans a changed date. Urgent reports of a category that allows it are due in wall-clock
hours and are left alone. The working time after the first changed date is measured under the old
calendar and laid out again under the new one (`calendar.shift_due`).

One query (the clock start comes from a subquery on the event log), then bulk writes.
"""

from __future__ import annotations

from django.db.models import OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from ..models import OPEN_STATUSES, FieldReport, ReportEvent

# Events whose `data.due_at` restarted the clock; escalations and recomputations only repeat it.
_NOT_A_CLOCK_START = ("escalate", "due_recomputed")


def reports_recompute_due(change) -> int:
    """Recompute due dates after `change` (a core CalendarChange); returns how many reports moved."""
    if not change.dates:
        return 0
    first, end = change.window()
    clock_start = (
        ReportEvent.objects.filter(report=OuterRef("pk"), data__has_key="due_at")
        .exclude(action__in=_NOT_A_CLOCK_START)
        .order_by("-at", "-id")
        .values("at")[:1]
    )
    reports = list(
        FieldReport.objects.filter(status__in=OPEN_STATUSES, due_at__gt=first)
        .exclude(urgent=True, category__allows_urgent=True)
        .annotate(clock_start=Coalesce(Subquery(clock_start), "submitted_at"))
        .filter(clock_start__lt=end)
        .only("pk", "status", "due_at", "overdue")
        .order_by("pk")
    )
    now = timezone.now()
    moved, events = [], []
    for report in reports:
        new_due = change.shift(report.due_at, change.anchor(report.clock_start))
        if new_due == report.due_at:
            continue
        old_due = report.due_at
        report.due_at = new_due
        report.overdue = new_due < now
        report.updated_at = now
        moved.append(report)
        events.append(ReportEvent(report=report, **change.event_fields(report.status, old_due, new_due)))
    FieldReport.objects.bulk_update(moved, ["due_at", "overdue", "updated_at"], batch_size=500)
    ReportEvent.objects.bulk_create(events, batch_size=500)
    return len(moved)
