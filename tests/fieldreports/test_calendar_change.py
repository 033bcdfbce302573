"""A change to the province's calendar moves the due dates of open field reports that span it."""

import datetime
from zoneinfo import ZoneInfo

import pytest

from motcua.core.calendar import add_working_days
from motcua.core.models import OverrideKind
from motcua.core.services.calendar import calendar_override_set
from motcua.fieldreports.models import FieldReport, ReportEvent, ReportStatus
from tests.factories import FieldReportFactory, ReportCategoryFactory

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Ho_Chi_Minh")


def _at(day: int, hour: int = 10) -> datetime.datetime:
    return datetime.datetime(2026, 3, day, hour, 0, tzinfo=TZ)


def _report(submitted: datetime.datetime, **extra) -> FieldReport:
    return FieldReportFactory(submitted_at=submitted, due_at=add_working_days(submitted, 5), **extra)


def _day_off_wednesday_18():
    calendar_override_set(
        date=datetime.date(2026, 3, 18), kind=OverrideKind.DAY_OFF, reason="Nghỉ thêm", legal_basis="Quyết định số 99"
    )


def test_an_open_report_over_the_day_moves_and_others_do_not():
    spans = _report(_at(16))  # Mon 16/3 + 5 → Mon 23/3 10:00
    after = _report(_at(19))  # Thu 19/3 + 5 → Thu 26/3
    closed = _report(_at(16), status=ReportStatus.CLOSED)
    assert spans.due_at == _at(23)

    _day_off_wednesday_18()

    for report in (spans, after, closed):
        report.refresh_from_db()
    assert spans.due_at == _at(24)
    assert after.due_at == _at(26) and closed.due_at == _at(23)
    event = ReportEvent.objects.get(report=spans, action="due_recomputed")
    assert "Hạn xử lý tính lại do thay đổi lịch làm việc" in event.note
    assert event.data["new_due_at"] == _at(24).isoformat()
    assert ReportEvent.objects.filter(action="due_recomputed").count() == 1


def test_an_urgent_report_counted_in_hours_is_left_alone():
    category = ReportCategoryFactory(allows_urgent=True, urgent_hours=72)
    urgent = FieldReportFactory(
        category=category, urgent=True, submitted_at=_at(16), due_at=_at(16) + datetime.timedelta(hours=72)
    )
    _day_off_wednesday_18()
    urgent.refresh_from_db()
    assert urgent.due_at == _at(19)


def test_the_clock_start_is_the_last_acceptance_not_the_submission():
    # Submitted Mon 9/3, accepted Thu 19/3 with 5 days (due Thu 26/3): the 18th is before the clock start.
    report = FieldReportFactory(
        submitted_at=_at(9), status=ReportStatus.ACCEPTED, accepted_at=_at(19), due_at=_at(26)
    )
    event = ReportEvent.objects.create(report=report, action="accept", data={"due_at": _at(26).isoformat()})
    ReportEvent.objects.filter(pk=event.pk).update(at=_at(19))
    _day_off_wednesday_18()
    report.refresh_from_db()
    assert report.due_at == _at(26)
