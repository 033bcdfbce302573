"""Writes to the working-day calendar: the province's table (holidays, substitute days, swaps)
and office hours.

Every write invalidates the calendar cache twice: at once, so that this process (and the
request that made the change) sees it, and again on commit, so that a process that reloaded
between the first bump and the commit does not keep the old rows.

A change to the table that turns a working day into a day off (or back) moves the deadlines of
open records whose window spans that day. Core cannot import the apps above it, so it publishes
`calendar.changed` on `motcua.core.events` and those apps subscribe from their `AppConfig.ready`;
the handlers run inside the same transaction as the change, write an event on each record they
move, and return how many they moved.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from motcua.core import calendar, events
from motcua.core.errors import DomainError
from motcua.core.models import AuditEvent, CalendarOverride, OfficeHours, OverrideKind, User

_REASON_MAX = CalendarOverride._meta.get_field("reason").max_length
_BASIS_MAX = CalendarOverride._meta.get_field("legal_basis").max_length
_FIELDS = ("kind", "reason", "legal_basis", "basis_date", "confirmed", "note")

CALENDAR_CHANGED = events.topic_declare(
    "calendar.changed", "change: CalendarChange; each handler returns the number of records it moved"
)


@dataclass(frozen=True)
class CalendarChange:
    """What a handler is told: the dates whose working status changed, both calendars, and why."""

    dates: tuple[datetime.date, ...]
    old: object
    new: object
    reason: str
    actor: User | None

    def event_note(self) -> str:
        """The text of the event written on each record whose due date moved."""
        return _("Hạn xử lý tính lại do thay đổi lịch làm việc: %(reason)s") % {"reason": self.reason}

    def event_data(self, old_due: datetime.datetime, new_due: datetime.datetime) -> dict:
        return {
            "old_due_at": calendar.as_local(old_due).isoformat(),
            "new_due_at": calendar.as_local(new_due).isoformat(),
            "dates": [d.isoformat() for d in self.dates],
        }

    def window(self) -> tuple[datetime.datetime, datetime.datetime]:
        """(start of the first changed day, end of the last one): records due after the first and
        whose clock started before the end are the ones to look at."""
        tz = calendar.local_tz()
        first = datetime.datetime.combine(self.dates[0], datetime.time(0), tz)
        end = datetime.datetime.combine(self.dates[-1] + datetime.timedelta(days=1), datetime.time(0), tz)
        return first, end

    def anchor(self, clock_start: datetime.datetime, *, paper: bool = False) -> datetime.datetime:
        """Where the working time to keep starts: the first changed day, or the clock start when later."""
        return max(self.window()[0], calendar.effective_start_in(clock_start, self.old, paper=paper))

    def shift(self, due: datetime.datetime, anchor: datetime.datetime) -> datetime.datetime:
        """`due` with the working time after `anchor` measured under the old calendar and laid out
        again under the new one."""
        return calendar.shift_due(due, anchor=anchor, old=self.old, new=self.new)

    def event_fields(self, status: str, old_due: datetime.datetime, new_due: datetime.datetime) -> dict:
        """The fields of the `due_recomputed` event written on a record whose due date moved."""
        return {
            "actor": self.actor,
            "action": "due_recomputed",
            "from_status": status,
            "to_status": status,
            "note": self.event_note(),
            "data": self.event_data(old_due, new_due),
        }


def _invalidate() -> None:
    calendar.invalidate_cache()
    transaction.on_commit(calendar.invalidate_cache)


def _changed_dates(old, new, candidates: set[datetime.date]) -> tuple[datetime.date, ...]:
    # Adding the first holiday row of a year makes the table cover it: every package date of that
    # year without a row stops applying, so those dates are candidates too.
    for year in old.table_years ^ new.table_years:
        if calendar.MIN_YEAR <= year <= calendar.MAX_YEAR:
            candidates |= set(calendar.national_days_off(year))
    return tuple(sorted(d for d in candidates if calendar.working_in(d, old) != calendar.working_in(d, new)))


def _after_change(*, old, candidates: set[datetime.date], reason: str, actor: User | None) -> dict:
    """Run the handlers for the dates that really changed; returns {"dates": [...], "moved": n}."""
    new = calendar.load_snapshot()
    # Handlers count with the new calendar through the ordinary functions too (due-soon states).
    _invalidate()
    dates = _changed_dates(old, new, set(candidates))
    moved = 0
    if dates:
        change = CalendarChange(dates=dates, old=old, new=new, reason=reason, actor=actor)
        moved = sum(result or 0 for result in events.publish(CALENDAR_CHANGED, change=change))
    return {"dates": [d.isoformat() for d in dates], "moved": moved}


def _override_data(override: CalendarOverride) -> dict:
    return {
        "date": override.date.isoformat(),
        "kind": override.kind,
        "reason": override.reason,
        "legal_basis": override.legal_basis,
        "basis_date": override.basis_date.isoformat() if override.basis_date else None,
        "confirmed": override.confirmed,
    }


def _describe(override: CalendarOverride) -> str:
    return f"{override.date:%d/%m/%Y} {override.get_kind_display()} – {override.reason} ({override.legal_basis})"


def calendar_override_check(
    *,
    date: datetime.date,
    kind: str,
    reason: str,
    legal_basis: str,
    basis_date: datetime.date | None = None,
    confirmed: bool = False,
) -> None:
    """Raise DomainError when a row could not be saved as given (used by forms and the command)."""
    if not isinstance(date, datetime.date) or not calendar.MIN_YEAR <= date.year <= calendar.MAX_YEAR:
        raise DomainError(
            _("Ngày điều chỉnh phải nằm trong các năm %(min)s đến %(max)s.")
            % {"min": calendar.MIN_YEAR, "max": calendar.MAX_YEAR},
            code="date_out_of_range",
        )
    if kind not in OverrideKind.values:
        raise DomainError(_("Loại ngày không hợp lệ."), code="invalid_kind")
    if not (reason or "").strip():
        raise DomainError(_("Cần ghi nội dung của ngày nghỉ hoặc ngày làm bù."), code="reason_required")
    if len(reason) > _REASON_MAX:
        raise DomainError(_("Nội dung dài quá %(max)s ký tự.") % {"max": _REASON_MAX}, code="reason_too_long")
    if not (legal_basis or "").strip():
        raise DomainError(_("Cần ghi căn cứ pháp lý (số, ký hiệu văn bản) của ngày này."), code="legal_basis_required")
    if len(legal_basis) > _BASIS_MAX:
        raise DomainError(_("Căn cứ pháp lý dài quá %(max)s ký tự.") % {"max": _BASIS_MAX}, code="legal_basis_too_long")
    if confirmed and basis_date is None:
        raise DomainError(
            _("Chỉ đánh dấu đã đối chiếu khi có ngày ban hành văn bản làm căn cứ."), code="basis_date_required"
        )


def calendar_override_save(*, override: CalendarOverride, actor: User | None = None) -> CalendarOverride:
    """Create or update one row from an instance (the admin form builds it); deadlines that the
    change affects are recomputed in the same transaction."""
    calendar_override_check(
        date=override.date,
        kind=override.kind,
        reason=override.reason,
        legal_basis=override.legal_basis,
        basis_date=override.basis_date,
        confirmed=override.confirmed,
    )
    with transaction.atomic():
        clash = CalendarOverride.objects.filter(date=override.date)
        if override.pk:
            clash = clash.exclude(pk=override.pk)
        if clash.exists():
            raise DomainError(
                _("Ngày %(date)s đã có trong lịch làm việc của tỉnh.") % {"date": f"{override.date:%d/%m/%Y}"},
                code="duplicate_date",
            )
        before = None
        candidates = {override.date}
        if override.pk:
            old_row = CalendarOverride.objects.select_for_update().filter(pk=override.pk).first()
            if old_row:
                before = _override_data(old_row)
                candidates.add(old_row.date)
        old = calendar.load_snapshot()
        override.reason = override.reason.strip()
        override.legal_basis = override.legal_basis.strip()
        override.save()
        effect = _after_change(old=old, candidates=candidates, reason=_describe(override), actor=actor)
        AuditEvent.objects.create(
            actor=actor,
            action="calendar_override.update" if before else "calendar_override.create",
            object_type="CalendarOverride",
            object_id=str(override.pk),
            data={"after": _override_data(override), "before": before, "effect": effect},
        )
        _invalidate()
    return override


def calendar_override_set(
    *,
    date: datetime.date,
    kind: str,
    reason: str,
    legal_basis: str,
    basis_date: datetime.date | None = None,
    confirmed: bool = False,
    note: str = "",
    actor: User | None = None,
) -> tuple[CalendarOverride, str]:
    """Make the row for `date` say what is given. Returns it and "created", "updated" or
    "unchanged", so that loading the same data twice writes nothing the second time."""
    calendar_override_check(
        date=date, kind=kind, reason=reason, legal_basis=legal_basis, basis_date=basis_date, confirmed=confirmed
    )
    values = {
        "kind": kind,
        "reason": reason.strip(),
        "legal_basis": legal_basis.strip(),
        "basis_date": basis_date,
        "confirmed": confirmed,
        "note": (note or "").strip(),
    }
    with transaction.atomic():
        existing = CalendarOverride.objects.select_for_update().filter(date=date).first()
        if existing and all(getattr(existing, field) == values[field] for field in _FIELDS):
            return existing, "unchanged"
        override = existing or CalendarOverride(date=date)
        for field, value in values.items():
            setattr(override, field, value)
        calendar_override_save(override=override, actor=actor)
    return override, "updated" if existing else "created"


def calendar_override_delete(*, override: CalendarOverride, actor: User | None = None) -> None:
    with transaction.atomic():
        data = _override_data(override)
        pk = override.pk
        old = calendar.load_snapshot()
        CalendarOverride.objects.filter(pk=pk).delete()
        reason = _("đã xoá dòng %(row)s") % {"row": _describe(override)}
        effect = _after_change(old=old, candidates={override.date}, reason=reason, actor=actor)
        AuditEvent.objects.create(
            actor=actor,
            action="calendar_override.delete",
            object_type="CalendarOverride",
            object_id=str(pk),
            data={"before": data, "effect": effect},
        )
        _invalidate()


def office_hours_check(
    *,
    morning_start: datetime.time,
    morning_end: datetime.time,
    afternoon_start: datetime.time,
    afternoon_end: datetime.time,
    paper_cutoff: datetime.time,
) -> None:
    if not (morning_start < morning_end <= afternoon_start < afternoon_end):
        raise DomainError(
            _("Giờ làm việc không hợp lệ: buổi sáng phải bắt đầu trước khi kết thúc, kết thúc trước buổi chiều."),
            code="invalid_office_hours",
        )
    if not morning_start <= paper_cutoff <= afternoon_end:
        raise DomainError(_("Giờ chốt hồ sơ giấy phải nằm trong giờ làm việc."), code="invalid_paper_cutoff")


def office_hours_get_or_create() -> OfficeHours:
    """The single office-hours row, created with the defaults the first time."""
    with transaction.atomic():
        hours = OfficeHours.objects.order_by("pk").first()
        if hours is None:
            hours = OfficeHours.objects.create()
    return hours


def office_hours_save(*, office_hours: OfficeHours, actor: User | None = None) -> OfficeHours:
    office_hours_check(
        morning_start=office_hours.morning_start,
        morning_end=office_hours.morning_end,
        afternoon_start=office_hours.afternoon_start,
        afternoon_end=office_hours.afternoon_end,
        paper_cutoff=office_hours.paper_cutoff,
    )
    with transaction.atomic():
        office_hours.save()
        AuditEvent.objects.create(
            actor=actor,
            action="office_hours.update",
            object_type="OfficeHours",
            object_id=str(office_hours.pk),
            data={
                field: getattr(office_hours, field).isoformat(timespec="minutes")
                for field in ("morning_start", "morning_end", "afternoon_start", "afternoon_end", "paper_cutoff")
            },
        )
        _invalidate()
    return office_hours
