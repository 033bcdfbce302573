"""The province's calendar table is the authority; holidays.VN dates without a row are reported."""

import datetime
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command

from motcua.core import calendar
from motcua.core.calendar import add_working_days, is_working_day, package_mismatches
from motcua.core.errors import DomainError
from motcua.core.models import AuditEvent, CalendarOverride, OverrideKind
from motcua.core.services.calendar import calendar_override_check, calendar_override_delete, calendar_override_set
from tests.factories import UserFactory

D = datetime.date
VN = ZoneInfo("Asia/Ho_Chi_Minh")
pytestmark = pytest.mark.django_db


def at(y, m, d, hh=10) -> datetime.datetime:
    return datetime.datetime(y, m, d, hh, tzinfo=VN)


# --- New Year 2026: Friday 2/1 off, Saturday 10/1 worked (Official Letter 12729/VPCP-KGVX) ----------


def test_new_year_2026_swap():
    assert not is_working_day(D(2026, 1, 1))
    assert not is_working_day(D(2026, 1, 2))
    assert is_working_day(D(2026, 1, 10))
    assert not is_working_day(D(2026, 1, 3)) and not is_working_day(D(2026, 1, 11))
    # Wed 31/12/2025 10:00 + 1 → Mon 5/1/2026 10:00 (1, 2, 3, 4 January off).
    assert add_working_days(at(2025, 12, 31), 1) == at(2026, 1, 5)
    # Fri 9/1 10:00 + 1 → Sat 10/1 10:00, a working day.
    assert add_working_days(at(2026, 1, 9), 1) == at(2026, 1, 10)
    row = CalendarOverride.objects.get(date=D(2026, 1, 2))
    assert row.kind == OverrideKind.DAY_OFF and row.confirmed
    assert "12729/VPCP-KGVX" in row.legal_basis and row.basis_date == D(2025, 12, 25)
    assert CalendarOverride.objects.get(date=D(2026, 1, 10)).kind == OverrideKind.WORKING_DAY


def test_every_shipped_row_has_a_basis_and_unconfirmed_ones_say_what_to_check():
    rows = CalendarOverride.objects.filter(date__year__in=(2025, 2026))
    assert rows.count() == 31
    for row in rows:
        assert row.legal_basis.strip()
        assert row.basis_date if row.confirmed else row.note


# --- 24/11 Vietnamese Culture Day: a row, unconfirmed; without the row it is not a day off ---------


def test_culture_day_is_off_through_its_unconfirmed_row():
    row = CalendarOverride.objects.get(date=D(2026, 11, 24))
    assert not row.confirmed and "28/2026/QH16" in row.legal_basis
    assert not is_working_day(D(2026, 11, 24))
    assert package_mismatches([2025, 2026]) == []


def test_a_package_date_without_a_row_is_not_applied_in_a_covered_year_and_is_reported():
    calendar_override_delete(override=CalendarOverride.objects.get(date=D(2026, 11, 24)))
    assert is_working_day(D(2026, 11, 24))
    assert calendar.national_day_name(D(2026, 11, 24)) == "Ngày Văn hóa Việt Nam"
    [item] = package_mismatches([2026])
    assert item.date == D(2026, 11, 24) and item.applied is False
    out = StringIO()
    call_command("calendar_check", "--from-year", "2026", "--to-year", "2026", stdout=out)
    assert "Lệch với holidays: 24/11/2026" in out.getvalue()
    assert "KHÔNG áp dụng" in out.getvalue()


def test_a_year_the_table_does_not_cover_falls_back_to_the_package_and_says_so():
    # 2027 has no rows: Tết 2027 (Thu 4/2–Wed 10/2) still counts, and the report lists it as applied.
    assert not is_working_day(D(2027, 2, 4))
    mismatches = package_mismatches([2027])
    assert D(2027, 2, 4) in {m.date for m in mismatches} and all(m.applied for m in mismatches)
    out = StringIO()
    call_command("calendar_check", "--from-year", "2027", "--to-year", "2027", stdout=out)
    assert "Năm chưa có trong bảng (dùng holidays): 2027" in out.getvalue()
    assert "VẪN ÁP DỤNG" in out.getvalue()

    # The first holiday row of 2027 makes the table cover the year: Tết without rows no longer applies.
    calendar_override_set(
        date=D(2027, 1, 1),
        kind=OverrideKind.HOLIDAY,
        reason="Tết Dương lịch",
        legal_basis="Bộ luật Lao động số 45/2019/QH14, Điều 112",
        basis_date=D(2019, 11, 20),
        confirmed=True,
    )
    assert is_working_day(D(2027, 2, 4))
    assert not any(m.applied for m in package_mismatches([2027]))


def test_unconfirmed_rows_are_listed_by_the_check():
    out = StringIO()
    call_command("calendar_check", "--from-year", "2025", "--to-year", "2026", stdout=out)
    text = out.getvalue()
    assert "Chưa đối chiếu: 24/11/2026" in text
    assert "Chưa đối chiếu: 22/08/2026" in text
    assert "0 ngày lệch với holidays" in text


# --- validation of a row ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"legal_basis": "  "}, "legal_basis_required"),
        ({"legal_basis": "x" * 256}, "legal_basis_too_long"),
        ({"confirmed": True, "basis_date": None}, "basis_date_required"),
        ({"kind": "nghi"}, "invalid_kind"),
        ({"reason": ""}, "reason_required"),
    ],
)
def test_a_row_without_a_proper_basis_is_refused(changes, code):
    args = {
        "date": D(2026, 3, 3),
        "kind": OverrideKind.DAY_OFF,
        "reason": "Nghỉ thêm",
        "legal_basis": "Quyết định số 1/QĐ-UBND",
        "basis_date": D(2026, 2, 1),
        "confirmed": False,
    }
    with pytest.raises(DomainError) as refused:
        calendar_override_check(**{**args, **changes})
    assert refused.value.code == code


def test_a_basis_of_255_characters_is_accepted():
    calendar_override_check(
        date=D(2026, 3, 3), kind=OverrideKind.DAY_OFF, reason="Nghỉ thêm", legal_basis="x" * 255
    )


def test_the_audit_event_records_the_effect_on_deadlines():
    override, _ = calendar_override_set(
        date=D(2026, 3, 4), kind=OverrideKind.DAY_OFF, reason="Nghỉ thêm", legal_basis="Quyết định số 1"
    )
    event = AuditEvent.objects.get(action="calendar_override.create", object_id=str(override.pk))
    assert event.data["effect"] == {"dates": ["2026-03-04"], "moved": 0}
    assert event.data["after"]["legal_basis"] == "Quyết định số 1"


# --- the admin: unconfirmed rows and mismatches are visible ---------------------------------------


def test_admin_list_shows_unconfirmed_rows_and_package_mismatches(client, settings):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    calendar_override_delete(override=CalendarOverride.objects.get(date=D(2026, 11, 24)))
    page = client.get("/quan-tri/core/calendaroverride/").content.decode()
    assert "CHƯA ĐỐI CHIẾU" in page
    assert "12729/VPCP-KGVX" in page
    assert "24/11/2026" in page and "KHÔNG được tính là ngày nghỉ" in page
    unconfirmed = client.get("/quan-tri/core/calendaroverride/", {"confirmed__exact": "0"}).content.decode()
    assert "Làm bù thứ Bảy 22/8/2026" in unconfirmed
    assert "Làm bù thứ Bảy 10/01/2026" not in unconfirmed


def test_admin_form_requires_the_legal_basis(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    url = "/quan-tri/core/calendaroverride/add/"
    refused = client.post(url, {"date": "2026-03-05", "kind": "day_off", "reason": "Nghỉ thêm", "legal_basis": ""})
    assert refused.status_code == 200
    confirmed_without_date = client.post(
        url, {"date": "2026-03-05", "kind": "day_off", "reason": "Nghỉ thêm", "legal_basis": "QĐ 1", "confirmed": "on"}
    )
    assert confirmed_without_date.status_code == 200
    assert not CalendarOverride.objects.filter(date=D(2026, 3, 5)).exists()
    saved = client.post(
        url,
        {"date": "2026-03-05", "kind": "day_off", "reason": "Nghỉ thêm", "legal_basis": "QĐ 1",
         "basis_date": "2026-03-01", "confirmed": "on"},
    )
    assert saved.status_code == 302
    assert CalendarOverride.objects.get(date=D(2026, 3, 5)).confirmed
