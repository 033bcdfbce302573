"""A change to the province's calendar moves the due dates of open dossiers whose window spans it."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from motcua.core.models import CalendarOverride, OverrideKind
from motcua.core.services.calendar import calendar_override_delete, calendar_override_set
from motcua.dossiers.models import DossierEvent, DossierStatus

from .conftest import TZ

pytestmark = pytest.mark.django_db

NOTE = "Hạn xử lý tính lại do thay đổi lịch làm việc"


def _at(day: int, hour: int = 10, month: int = 3) -> datetime.datetime:
    return datetime.datetime(2026, month, day, hour, 0, tzinfo=TZ)


def _day_off(day: int, month: int = 3):
    override, _ = calendar_override_set(
        date=datetime.date(2026, month, day),
        kind=OverrideKind.DAY_OFF,
        reason="Nghỉ thêm theo quyết định của UBND tỉnh",
        legal_basis="Quyết định số 99/QĐ-UBND",
    )
    return override


def test_a_day_off_inside_the_window_moves_the_dossier_and_one_outside_does_not(make_received_dossier):
    # Given: 3 working days each; A from Mon 16/3 (due Thu 19/3), B from Mon 23/3 (due Thu 26/3).
    spans = make_received_dossier(at=_at(16))
    later = make_received_dossier(at=_at(23))
    assert spans.due_at == _at(19) and later.due_at == _at(26)
    step_due = {s.pk: s.due_at for s in spans.steps.all()}

    # When: Wednesday 18/3 becomes a day off.
    override = _day_off(18)

    # Then: A is due a day later, its open steps after the 18th too, with an event saying why.
    spans.refresh_from_db()
    later.refresh_from_db()
    assert spans.due_at == _at(20)
    assert later.due_at == _at(26)
    event = DossierEvent.objects.get(dossier=spans, action="due_recomputed")
    assert NOTE in event.note and "18/03/2026" in event.note
    assert event.data["old_due_at"] == _at(19).isoformat() and event.data["dates"] == ["2026-03-18"]
    assert event.public
    assert not DossierEvent.objects.filter(dossier=later, action="due_recomputed").exists()
    for step in spans.steps.all():
        before = step_due[step.pk]
        if before is not None and before > _at(18, 0):
            assert step.due_at == before + datetime.timedelta(days=1)

    # When the row is removed again, the dossier goes back to Thursday, with a second event.
    calendar_override_delete(override=override)
    spans.refresh_from_db()
    assert spans.due_at == _at(19)
    assert DossierEvent.objects.filter(dossier=spans, action="due_recomputed").count() == 2


def test_a_saturday_made_a_working_day_brings_the_due_date_forward(make_received_dossier):
    dossier = make_received_dossier(at=_at(20))  # Fri 20/3 10:00 + 3 → Wed 25/3 10:00
    assert dossier.due_at == _at(25)
    calendar_override_set(
        date=datetime.date(2026, 3, 21), kind=OverrideKind.WORKING_DAY, reason="Làm bù", legal_basis="Thử"
    )
    dossier.refresh_from_db()
    assert dossier.due_at == _at(24)


def test_a_change_on_the_day_before_the_window_or_a_finished_dossier_moves_nothing(make_received_dossier):
    started_after = make_received_dossier(at=_at(19))  # Thu 19/3 → Tue 24/3
    finished = make_received_dossier(at=_at(16))
    type(finished).objects.filter(pk=finished.pk).update(status=DossierStatus.RESOLVED)
    _day_off(18)
    started_after.refresh_from_db()
    finished.refresh_from_db()
    assert started_after.due_at == _at(24)
    assert finished.due_at == _at(19)
    assert not DossierEvent.objects.filter(action="due_recomputed").exists()


def test_editing_only_the_legal_basis_recomputes_nothing(make_received_dossier):
    dossier = make_received_dossier(at=_at(16))
    override = _day_off(18)
    override.legal_basis = "Quyết định số 100/QĐ-UBND"
    override.confirmed = False
    calendar_override_set(
        date=override.date, kind=override.kind, reason=override.reason, legal_basis=override.legal_basis
    )
    assert DossierEvent.objects.filter(dossier=dossier, action="due_recomputed").count() == 1


def test_the_recomputation_does_not_query_per_dossier(make_received_dossier):
    def queries_for(count: int, day: int) -> int:
        for _ in range(count):
            make_received_dossier(at=_at(day - 2, month=4))
        with CaptureQueriesContext(connection) as ctx:
            calendar_override_set(
                date=datetime.date(2026, 4, day), kind=OverrideKind.DAY_OFF, reason="Nghỉ thêm", legal_basis="Thử"
            )
        return len(ctx.captured_queries)

    one = queries_for(1, 8)  # dossiers from Mon 6/4, change Wed 8/4
    many = queries_for(4, 15)  # from Mon 13/4, change Wed 15/4
    assert DossierEvent.objects.filter(action="due_recomputed").count() == 5
    assert many == one


def test_removing_24_november_from_the_table_moves_the_dossiers_over_it(make_received_dossier):
    dossier = make_received_dossier(at=_at(23, month=11))  # Mon 23/11 + 3, Tue 24/11 off → Fri 27/11
    assert dossier.due_at == _at(27, month=11)
    calendar_override_delete(override=CalendarOverride.objects.get(date=datetime.date(2026, 11, 24)))
    dossier.refresh_from_db()
    assert dossier.due_at == _at(26, month=11)
