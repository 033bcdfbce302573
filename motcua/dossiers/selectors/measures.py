"""What each dossier figure counts, written once: the statistics pages count with these conditions and
the officer list shows the dossiers behind a figure with the same ones, so a number and its list agree.

A figure is attributed to the dossier's receiving agency (and so to that agency's commune). Over a
period of local dates [start, end):
- received: received in the period;
- finished: resolved (or returned) in the period; late when the workflow marked it late, or (not yet
  marked) resolved after the deadline, or asked for supplements more than once (national index
  rule); resolved at the deadline itself is on time;
- in progress: open now and received before the period's end; overdue when past the deadline as of
  `now` (dossiers waiting on the applicant are never overdue).
"""

from __future__ import annotations

import datetime

from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy

from ..models import CLOCK_PAUSED, Channel
from .dossiers import FINISHED_STATUSES, OPEN_STATUSES

MEASURE_LABELS = {
    "received": gettext_lazy("Tiếp nhận"),
    "finished": gettext_lazy("Đã giải quyết"),
    "finished_on_time": gettext_lazy("Giải quyết đúng hạn"),
    "finished_late": gettext_lazy("Giải quyết trễ hạn"),
    "in_progress": gettext_lazy("Đang giải quyết"),
    "in_progress_on_time": gettext_lazy("Đang giải quyết trong hạn"),
    "in_progress_overdue": gettext_lazy("Đang giải quyết quá hạn"),
}
MEASURES = tuple(MEASURE_LABELS)
CHANNELS = tuple(Channel.values)


def local_day_start(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=timezone.get_current_timezone())


def period_bounds(date_from: datetime.date, date_to: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    """The instants [start, end) of a period of local dates, both days included."""
    return local_day_start(date_from), local_day_start(date_to + datetime.timedelta(days=1))


def late_condition() -> Q:
    return (
        Q(finished_late=True) | Q(finished_late__isnull=True, resolved_at__gt=F("due_at")) | Q(supplement_count__gt=1)
    )


def overdue_condition(now: datetime.datetime) -> Q:
    return Q(due_at__lt=now) & ~Q(status__in=CLOCK_PAUSED)


def measure_conditions(start: datetime.datetime, end: datetime.datetime, now: datetime.datetime) -> dict[str, Q]:
    """Every measure's condition on Dossier for the period [start, end)."""
    received = Q(received_at__gte=start, received_at__lt=end)
    finished = Q(status__in=FINISHED_STATUSES, resolved_at__gte=start, resolved_at__lt=end)
    in_progress = Q(status__in=OPEN_STATUSES, received_at__lt=end)
    late, overdue = late_condition(), overdue_condition(now)
    return {
        "received": received,
        "finished": finished,
        "finished_on_time": finished & ~late,
        "finished_late": finished & late,
        "in_progress": in_progress,
        "in_progress_on_time": in_progress & ~overdue,
        "in_progress_overdue": in_progress & overdue,
    }


def measure_condition(measure: str, start: datetime.datetime, end: datetime.datetime, now: datetime.datetime) -> Q:
    return measure_conditions(start, end, now)[measure]
