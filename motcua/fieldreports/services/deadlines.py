"""Deadlines of field reports and the periodic escalation of overdue ones.

- Before acceptance (and again after a transfer): 5 working days to accept or forward it, counted
  with the province calendar; an urgent report of a category that allows it is due in
  `urgent_hours` of wall-clock time instead, since a fallen tree does not wait for Monday.
- After acceptance: the category's `deadline_days` in working days from the acceptance.
- `reports_escalate` marks open reports past their due time overdue and tells the supervisors
  (managers over the report's unit or the province) once per report: `escalated_at` is set in the
  same transaction, so running it twice tells nobody twice.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from motcua.core import scope
from motcua.core.calendar import add_working_days
from motcua.core.models import Role, User

from ..events import emit
from ..models import OPEN_STATUSES, FieldReport, ReportEvent

ACCEPT_WORKING_DAYS = 5


def acceptance_due(*, category, urgent: bool, start: datetime.datetime) -> datetime.datetime:
    if urgent and category.allows_urgent:
        return start + datetime.timedelta(hours=category.urgent_hours)
    return add_working_days(start, ACCEPT_WORKING_DAYS)


def handling_due(*, category, urgent: bool, start: datetime.datetime) -> datetime.datetime:
    if urgent and category.allows_urgent:
        return start + datetime.timedelta(hours=category.urgent_hours)
    return add_working_days(start, Decimal(category.deadline_days))


def supervisors_of(report: FieldReport) -> list[User]:
    """Managers whose scope covers the report's unit: its commune, or the province above it."""
    units = {report.unit_id}
    if report.unit.parent_id:
        units.add(report.unit.parent_id)
    # The commune and the unit right above it both contain the report's unit.
    return list(scope.officers_holding(Role.MANAGER, units=units).select_related("person").order_by("pk"))


def reports_mark_overdue(*, now: datetime.datetime | None = None) -> int:
    now = now or timezone.now()
    return FieldReport.objects.filter(status__in=OPEN_STATUSES, due_at__lt=now, overdue=False).update(overdue=True)


def report_escalate(*, report_id: int, now: datetime.datetime | None = None) -> bool:
    """Escalate one overdue report if not done yet; True when this call did it."""

    now = now or timezone.now()
    with transaction.atomic():
        report = (
            FieldReport.objects.select_for_update(of=("self",))
            .select_related("unit", "category", "agency")
            .filter(pk=report_id)
            .first()
        )
        if (
            report is None
            or report.escalated_at is not None
            or report.status not in OPEN_STATUSES
            or report.due_at is None
            or report.due_at >= now
        ):
            return False
        report.overdue = True
        report.escalated_at = now
        report.save(update_fields=["overdue", "escalated_at", "updated_at"])
        supervisors = supervisors_of(report)
        event = ReportEvent.objects.create(
            report=report,
            action="escalate",
            from_status=report.status,
            to_status=report.status,
            public=False,
            data={"supervisors": [u.pk for u in supervisors], "due_at": report.due_at.isoformat()},
        )
        people = [u.person for u in supervisors if u.person_id]
        emit(report, "escalated", event=event, people=people, params={"han_xu_ly": report.due_at})
    return True


def reports_escalate(*, now: datetime.datetime | None = None) -> dict:
    """Mark overdue and escalate each overdue open report once. Safe to run twice."""
    now = now or timezone.now()
    marked = reports_mark_overdue(now=now)
    ids = list(
        FieldReport.objects.filter(status__in=OPEN_STATUSES, due_at__lt=now, escalated_at__isnull=True).values_list(
            "pk", flat=True
        )
    )
    escalated = sum(1 for pk in ids if report_escalate(report_id=pk, now=now))
    return {"marked": marked, "escalated": escalated}
