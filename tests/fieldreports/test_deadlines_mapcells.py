import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.utils import timezone

from motcua.fieldreports.models import FieldReport, MapCell, MapCellTotal, ReportEvent
from motcua.fieldreports.services.deadlines import acceptance_due, reports_escalate
from motcua.fieldreports.services.handling import report_act
from motcua.fieldreports.services.mapcells import MAP_LEVELS, mapcells_rebuild
from motcua.notifications.models import InboxMessage
from tests.factories import PersonFactory
from tests.fieldreports.conftest import POINT_B

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Ho_Chi_Minh")


def test_acceptance_window_skips_weekend(categories):
    friday = datetime.datetime(2026, 3, 20, 10, 0, tzinfo=TZ)
    due = acceptance_due(category=categories["rac-thai"], urgent=False, start=friday)
    # Five working days from Friday 10:00 end the next Friday, never on a weekend.
    assert due.astimezone(TZ).date() == datetime.date(2026, 3, 27)


def test_escalates_overdue_once_to_supervisors(make_report, supervisor_a, province_manager, handler_b):
    supervisor_a.person = PersonFactory()
    supervisor_a.save()
    report = make_report()
    FieldReport.objects.filter(pk=report.pk).update(due_at=timezone.now() - datetime.timedelta(hours=1))
    first = reports_escalate()
    assert first == {"marked": 1, "escalated": 1}
    assert reports_escalate() == {"marked": 0, "escalated": 0}
    report.refresh_from_db()
    assert report.overdue and report.escalated_at
    event = ReportEvent.objects.get(report=report, action="escalate")
    assert set(event.data["supervisors"]) == {supervisor_a.pk, province_manager.pk}
    assert handler_b.pk not in event.data["supervisors"]
    assert InboxMessage.objects.filter(person=supervisor_a.person, event="fieldreport.escalated").count() == 1
    call_command("fieldreports_escalate")
    assert ReportEvent.objects.filter(report=report, action="escalate").count() == 1


def _counts():
    return sorted(MapCell.objects.filter(count__gt=0).values_list("level", "cell", "category_id", "is_open", "count"))


def _totals():
    return sorted(MapCellTotal.objects.filter(count__gt=0).values_list("level", "cell", "is_open", "count"))


def _summed(cells):
    sums: dict = {}
    for level, cell, _category, is_open, count in cells:
        sums[(level, cell, is_open)] = sums.get((level, cell, is_open), 0) + count
    return sorted((*key, count) for key, count in sums.items())


def test_mapcells_follow_every_action_and_equal_recount(make_report, handler_a, citizen, commune_b, agency_b, handler_b):
    a = make_report()
    b = make_report()
    c = make_report(lat=POINT_B[0], lon=POINT_B[1], unit=commune_b)
    flagged = make_report(description="Gọi 0912345678")
    assert MapCell.objects.filter(level=MAP_LEVELS[0]).count() >= 1
    report_act(report=a, actor=handler_a, action="accept")
    a = report_act(report=a, actor=handler_a, action="answer", text="xong", outcome="resolved")
    report_act(report=a, actor=citizen, action="confirm")
    report_act(report=b, actor=handler_a, action="merge", into=a.code)
    report_act(report=flagged, actor=handler_a, action="review")
    flagged = report_act(report=flagged, actor=handler_a, action="hide", reason="x")
    report_act(report=flagged, actor=handler_a, action="unhide")
    report_act(report=c, actor=handler_b, action="recategorize", category="tieng-on")
    live = _counts()
    total_level = sum(count for level, _c, _cat, _o, count in live if level == MAP_LEVELS[0])
    assert total_level == 3  # a (closed), c, flagged; b merged away
    live_totals = _totals()
    # The per-cell totals the unfiltered map reads are the category cells summed.
    assert live_totals == _summed(live)
    mapcells_rebuild()
    assert _counts() == live
    assert _totals() == live_totals
    c.refresh_from_db()
    assert c.category.code == "tieng-on"
    assert MapCell.objects.filter(category=c.category, count__gt=0).count() == len(MAP_LEVELS)
