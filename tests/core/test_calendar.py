"""The working-day calendar: real Vietnamese holidays (holidays 0.108), swaps, and deadline counting."""

import datetime
import json
from decimal import Decimal
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.cache import cache
from django.core.management import call_command

from motcua.core import calendar
from motcua.core.calendar import add_working_days, is_working_day, working_days_between
from motcua.core.errors import DomainError
from motcua.core.management.commands.load_calendar_overrides import DEFAULT_FILE
from motcua.core.models import AuditEvent, CalendarOverride, OverrideKind
from motcua.core.services.calendar import (
    calendar_override_delete,
    calendar_override_set,
    office_hours_check,
    office_hours_get_or_create,
    office_hours_save,
)

VN = ZoneInfo("Asia/Ho_Chi_Minh")
D = datetime.date


def at(y, m, d, hh=0, mm=0) -> datetime.datetime:
    return datetime.datetime(y, m, d, hh, mm, tzinfo=VN)


@pytest.fixture
def swaps(db):
    call_command("load_calendar_overrides", stdout=StringIO())


# --- which days are days off, against what holidays.VN really returns ------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    "day",
    [
        # Tết Bính Ngọ 2026: 29 Tết (Mon 16/2) to mùng 4 (Fri 20/2).
        D(2026, 2, 16),
        D(2026, 2, 17),
        D(2026, 2, 18),
        D(2026, 2, 19),
        D(2026, 2, 20),
        # Hùng Kings 10/3 lunar = Sunday 26/4/2026, compensatory day Monday 27/4/2026.
        D(2026, 4, 26),
        D(2026, 4, 27),
        D(2026, 4, 30),
        D(2026, 5, 1),
        # National Day 2026: Tue 1/9 + Wed 2/9, and Mon 31/8 swapped with Sat 22/8.
        D(2026, 8, 31),
        D(2026, 9, 1),
        D(2026, 9, 2),
        # Tết Ất Tỵ 2025: Mon 27/1 to Fri 31/1; Hùng Kings Mon 7/4/2025; 30/4, 1/5 and swapped 2/5.
        D(2025, 1, 27),
        D(2025, 1, 31),
        D(2025, 4, 7),
        D(2025, 4, 30),
        D(2025, 5, 1),
        D(2025, 5, 2),
        D(2025, 9, 1),
        D(2025, 9, 2),
        D(2026, 1, 1),
    ],
)
def test_national_days_off(day):
    assert not is_working_day(day)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "day",
    [D(2026, 2, 13), D(2026, 2, 23), D(2026, 4, 24), D(2026, 4, 28), D(2026, 5, 4), D(2026, 9, 3), D(2025, 2, 3)],
)
def test_weekdays_around_the_holidays_are_working_days(day):
    assert is_working_day(day)


def test_library_names_the_hung_kings_substitute_day():
    assert calendar.national_day_name(D(2026, 4, 26)) == "Ngày Giỗ Tổ Hùng Vương"
    assert calendar.national_day_name(D(2026, 4, 27)) == "Ngày Giỗ Tổ Hùng Vương (nghỉ bù)"
    assert calendar.national_day_name(D(2026, 4, 28)) is None


@pytest.mark.django_db
def test_swapped_saturdays_are_working_days_once_the_swaps_are_loaded(swaps):
    assert is_working_day(D(2025, 4, 26))
    assert is_working_day(D(2026, 8, 22))
    assert not is_working_day(D(2026, 8, 29))


@pytest.mark.django_db
def test_swapped_saturday_is_a_day_off_without_the_override():
    # The table ships with the swap (migration); without its row the Saturday is a weekly rest day.
    CalendarOverride.objects.filter(date=D(2026, 8, 22)).delete()
    assert not is_working_day(D(2026, 8, 22))


# --- deadline semantics -------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("start", "days", "expected"),
    [
        # Monday 10:00 + 3 days → Thursday 10:00 (an ordinary week in March 2026).
        (at(2026, 3, 2, 10), 3, at(2026, 3, 5, 10)),
        # 16:30 + half a day: 30 min today, 3.5 h tomorrow morning.
        (at(2026, 3, 2, 16, 30), Decimal("0.5"), at(2026, 3, 3, 10, 30)),
        # Before opening and at lunch: counting starts at the next window opening.
        (at(2026, 3, 2, 6), 1, at(2026, 3, 2, 17)),
        (at(2026, 3, 2, 12), Decimal("0.5"), at(2026, 3, 3, 7, 30)),
        # After closing: starts next morning.
        (at(2026, 3, 2, 18), 1, at(2026, 3, 3, 17)),
        # Ending exactly at the end of a day stays at 17:00, never the next opening.
        (at(2026, 3, 2, 7), 2, at(2026, 3, 3, 17)),
        # Ending exactly at the end of the morning stays at 11:30.
        (at(2026, 3, 2, 7), Decimal("0.5625"), at(2026, 3, 2, 11, 30)),
        # Friday 10:00 + 1 → Monday 10:00 (weekend skipped); received on Saturday → Monday opening.
        (at(2026, 3, 6, 10), 1, at(2026, 3, 9, 10)),
        (at(2026, 3, 7, 9), Decimal("0.5"), at(2026, 3, 9, 11)),
        # Tết 2026: Friday 13/2 + 1 → Monday 23/2.
        (at(2026, 2, 13, 10), 1, at(2026, 2, 23, 10)),
        # Hùng Kings 2026: Friday 24/4 + 1 → Tuesday 28/4 (Monday 27/4 is the substitute day).
        (at(2026, 4, 24, 10), 1, at(2026, 4, 28, 10)),
        # 30/4–1/5/2026: Wednesday 29/4 + 1 → Monday 4/5.
        (at(2026, 4, 29, 10), 1, at(2026, 5, 4, 10)),
        # Hùng Kings 2026 then 30/4: 10 working days from Monday 20/4.
        (at(2026, 4, 20, 10), 10, at(2026, 5, 7, 10)),
    ],
)
def test_add_working_days(start, days, expected):
    assert add_working_days(start, days) == expected


@pytest.mark.django_db
def test_national_day_2026_with_the_swap(swaps):
    # Friday 21/8 + 1 → Saturday 22/8 is a working day.
    assert add_working_days(at(2026, 8, 21, 10), 1) == at(2026, 8, 22, 10)
    # Friday 28/8 + 1 → Thursday 3/9 (31/8, 1/9, 2/9 off).
    assert add_working_days(at(2026, 8, 28, 10), 1) == at(2026, 9, 3, 10)


@pytest.mark.django_db
def test_reunification_day_2025_with_the_swap(swaps):
    assert add_working_days(at(2025, 4, 25, 10), 1) == at(2025, 4, 26, 10)
    # 30/4, 1/5, 2/5 off, then the weekend.
    assert add_working_days(at(2025, 4, 29, 10), 1) == at(2025, 5, 5, 10)


@pytest.mark.django_db
def test_paper_dossier_after_the_cutoff_starts_next_working_day():
    assert add_working_days(at(2026, 3, 2, 15, 30), 1, paper=True) == at(2026, 3, 3, 17)
    assert add_working_days(at(2026, 3, 2, 15, 30), 1) == at(2026, 3, 3, 15, 30)
    # At 15:00 exactly it is not yet "after" the cut-off.
    assert add_working_days(at(2026, 3, 2, 15), 1, paper=True) == at(2026, 3, 3, 15)
    # Friday before the Hùng Kings weekend: next working day is Tuesday.
    assert add_working_days(at(2026, 4, 24, 16), Decimal("0.5"), paper=True) == at(2026, 4, 28, 11)


@pytest.mark.django_db
def test_zero_days_means_the_end_of_that_working_day():
    assert add_working_days(at(2026, 3, 2, 10), 0) == at(2026, 3, 2, 17)
    assert add_working_days(at(2026, 3, 7, 10), 0) == at(2026, 3, 9, 17)
    assert add_working_days(at(2026, 3, 2, 16), 0, paper=True) == at(2026, 3, 3, 17)
    assert add_working_days(at(2026, 3, 2, 10), 0, office_hours=False) == at(2026, 3, 3)


@pytest.mark.django_db
def test_without_office_hours_whole_days_count():
    assert add_working_days(at(2026, 3, 2, 10), 3, office_hours=False) == at(2026, 3, 5, 10)
    assert add_working_days(at(2026, 3, 2, 16, 30), Decimal("0.5"), office_hours=False) == at(2026, 3, 3, 4, 30)
    assert add_working_days(at(2026, 2, 13, 22), 1, office_hours=False) == at(2026, 2, 23, 22)


@pytest.mark.django_db
def test_naive_means_vietnam_time_and_results_are_local():
    assert add_working_days(datetime.datetime(2026, 3, 2, 10), 3) == at(2026, 3, 5, 10)
    utc = datetime.datetime(2026, 3, 2, 3, 0, tzinfo=datetime.UTC)  # 10:00 in Vietnam
    due = add_working_days(utc, 3)
    assert due == at(2026, 3, 5, 10)
    assert due.utcoffset() == datetime.timedelta(hours=7)


@pytest.mark.django_db
def test_bad_input_is_a_domain_error():
    with pytest.raises(DomainError) as negative:
        add_working_days(at(2026, 3, 2, 10), -1)
    assert negative.value.code == "invalid_days"
    with pytest.raises(DomainError) as far:
        add_working_days(at(2200, 12, 31, 10), 5)
    assert far.value.code == "date_out_of_range"
    with pytest.raises(DomainError):
        working_days_between(at(1900, 1, 1), at(2026, 1, 1))


@pytest.mark.django_db
def test_deadline_lists_the_days_it_used():
    deadline = calendar.compute_deadline(at(2026, 4, 24, 16), 2)
    assert deadline.due_at == at(2026, 4, 29, 16)
    assert deadline.working_dates == (D(2026, 4, 24), D(2026, 4, 28), D(2026, 4, 29))


# --- working_days_between -----------------------------------------------------------------------


@pytest.mark.django_db
def test_working_days_between():
    # Mon 10:00 → Wed 14:00: 5 h + 8 h + 5 h = 18 h = 2.25 days.
    assert working_days_between(at(2026, 3, 2, 10), at(2026, 3, 4, 14)) == Decimal("2.25")
    assert working_days_between(at(2026, 3, 4, 14), at(2026, 3, 2, 10)) == Decimal("-2.25")
    # Friday 16:00 → Monday 08:00 over a weekend: 1 h + 1 h.
    assert working_days_between(at(2026, 3, 6, 16), at(2026, 3, 9, 8)) == Decimal("0.25")
    assert working_days_between(at(2026, 3, 7, 9), at(2026, 3, 8, 9)) == 0
    # Over Tết 2026 nothing counts between Friday 13/2 17:00 and Monday 23/2 07:00.
    assert working_days_between(at(2026, 2, 13, 17), at(2026, 2, 23, 7)) == 0
    assert working_days_between(at(2026, 3, 2), at(2026, 3, 3), office_hours=False) == 1


@pytest.mark.django_db
@pytest.mark.parametrize("days", [Decimal("0.5"), 1, Decimal("1.5"), 3, 7, 15, 30, Decimal("120.25"), 365])
@pytest.mark.parametrize("start", [at(2026, 2, 12, 9, 15), at(2026, 4, 23, 14), at(2026, 8, 27, 10, 45)])
def test_between_is_the_inverse_of_add(start, days, swaps):
    due = add_working_days(start, days)
    assert working_days_between(start, due) == Decimal(days)
    # Late by 1.5 days: measured from the deadline.
    assert working_days_between(due, add_working_days(due, Decimal("1.5"))) == Decimal("1.5")


# --- overrides and office hours through the services, and the cache ---------------------------


@pytest.mark.django_db
def test_override_changes_results_at_once_and_is_audited():
    start = at(2026, 3, 2, 10)
    assert add_working_days(start, 1) == at(2026, 3, 3, 10)
    override, outcome = calendar_override_set(
        date=D(2026, 3, 3),
        kind=OverrideKind.DAY_OFF,
        reason="Nghỉ thêm theo quyết định của UBND tỉnh",
        legal_basis="Quyết định số 1/QĐ-UBND",
    )
    assert outcome == "created"
    assert add_working_days(start, 1) == at(2026, 3, 4, 10)
    assert AuditEvent.objects.filter(action="calendar_override.create", object_id=str(override.pk)).exists()

    calendar_override_delete(override=override)
    assert add_working_days(start, 1) == at(2026, 3, 3, 10)
    assert AuditEvent.objects.filter(action="calendar_override.delete").exists()


@pytest.mark.django_db
def test_setting_the_same_override_twice_changes_nothing():
    args = {"date": D(2026, 3, 7), "kind": OverrideKind.WORKING_DAY, "reason": "Làm bù", "legal_basis": "Thử"}
    assert calendar_override_set(**args)[1] == "created"
    assert calendar_override_set(**args)[1] == "unchanged"
    assert calendar_override_set(**{**args, "reason": "Làm bù (sửa)"})[1] == "updated"
    assert AuditEvent.objects.filter(object_type="CalendarOverride").count() == 2


@pytest.mark.django_db
def test_another_process_sees_a_change_through_the_shared_cache_token(monkeypatch):
    monkeypatch.setattr(calendar, "RECHECK_SECONDS", 0.0)
    assert is_working_day(D(2026, 3, 3))
    # Another process saved an override and bumped the shared token: this process holds an old snapshot.
    CalendarOverride.objects.create(date=D(2026, 3, 3), kind=OverrideKind.DAY_OFF, reason="Nghỉ thêm", legal_basis="Thử")
    assert is_working_day(D(2026, 3, 3))
    cache.set(calendar.CACHE_VERSION_KEY, "token-from-another-process", timeout=None)
    assert not is_working_day(D(2026, 3, 3))


@pytest.mark.django_db
def test_office_hours_change_the_length_of_a_day():
    hours = office_hours_get_or_create()
    assert office_hours_get_or_create().pk == hours.pk
    hours.afternoon_end = datetime.time(16, 30)
    office_hours_save(office_hours=hours)
    # The day is now 7.5 h; 1 day from Monday 07:00 ends at 16:30.
    assert add_working_days(at(2026, 3, 2, 7), 1) == at(2026, 3, 2, 16, 30)
    assert AuditEvent.objects.filter(action="office_hours.update").exists()


def test_office_hours_check_rejects_overlapping_windows():
    t = datetime.time
    with pytest.raises(DomainError):
        office_hours_check(
            morning_start=t(7), morning_end=t(14), afternoon_start=t(13, 30), afternoon_end=t(17), paper_cutoff=t(15)
        )
    with pytest.raises(DomainError):
        office_hours_check(
            morning_start=t(7),
            morning_end=t(11, 30),
            afternoon_start=t(13, 30),
            afternoon_end=t(17),
            paper_cutoff=t(18),
        )


# --- the data file and the command ------------------------------------------------------------


def test_every_data_entry_has_a_legal_basis_and_fits_the_fields():
    document = json.loads(DEFAULT_FILE.read_text(encoding="utf-8"))
    reason_max = CalendarOverride._meta.get_field("reason").max_length
    basis_max = CalendarOverride._meta.get_field("legal_basis").max_length
    for entry in document["rows"]:
        assert entry["legal_basis"].strip()
        assert entry["kind"] in OverrideKind.values
        assert len(entry["reason"]) <= reason_max
        assert len(entry["legal_basis"]) <= basis_max
        # A confirmed row names the date of its document; an unconfirmed one says what to check.
        assert entry["basis_date"] if entry["confirmed"] else entry["check"]


@pytest.mark.django_db
def test_loading_the_table_twice_is_idempotent():
    CalendarOverride.objects.all().delete()
    first, second = StringIO(), StringIO()
    call_command("load_calendar_overrides", stdout=first)
    rows = list(CalendarOverride.objects.values_list("date", "kind", "reason", "legal_basis", "confirmed"))
    call_command("load_calendar_overrides", stdout=second)
    assert list(CalendarOverride.objects.values_list("date", "kind", "reason", "legal_basis", "confirmed")) == rows
    assert len(rows) == 31
    assert "31 mới" in first.getvalue()
    assert "31 không đổi" in second.getvalue()
    assert "Chưa đối chiếu 22/08/2026" in second.getvalue()


@pytest.mark.django_db
def test_the_migration_ships_the_same_table_as_the_file():
    out = StringIO()
    call_command("load_calendar_overrides", stdout=out)
    assert "31 không đổi" in out.getvalue()


@pytest.mark.django_db
def test_dry_run_writes_nothing():
    CalendarOverride.objects.all().delete()
    call_command("load_calendar_overrides", "--dry-run", stdout=StringIO())
    assert not CalendarOverride.objects.exists()


@pytest.mark.django_db
def test_a_bad_file_writes_nothing(tmp_path):
    from django.core.management.base import CommandError

    bad = tmp_path / "bad.json"
    row = {"kind": "working_day", "reason": "Làm bù", "legal_basis": "Thử", "confirmed": False}
    bad.write_text(
        json.dumps({"rows": [{**row, "date": "2026-03-07"}, {**row, "date": "2026-13-01"}]}),
        encoding="utf-8",
    )
    with pytest.raises(CommandError):
        call_command("load_calendar_overrides", "--file", str(bad), stdout=StringIO())
    assert not CalendarOverride.objects.filter(date=D(2026, 3, 7)).exists()
