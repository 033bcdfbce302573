"""Writes to the working-day calendar: overrides (day swaps, extra days off) and office hours.

Every write invalidates the calendar cache twice: at once, so that this process (and the
request that made the change) sees it, and again on commit, so that a process that reloaded
between the first bump and the commit does not keep the old rows.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from motcua.core import calendar
from motcua.core.errors import DomainError
from motcua.core.models import AuditEvent, CalendarOverride, OfficeHours, OverrideKind, User

_REASON_MAX = CalendarOverride._meta.get_field("reason").max_length


def _invalidate() -> None:
    calendar.invalidate_cache()
    transaction.on_commit(calendar.invalidate_cache)


def _override_data(override: CalendarOverride) -> dict:
    return {"date": override.date.isoformat(), "kind": override.kind, "reason": override.reason}


def calendar_override_check(*, date: datetime.date, kind: str, reason: str) -> None:
    """Raise DomainError when an override could not be saved as given (used by forms too)."""
    if not isinstance(date, datetime.date) or not calendar.MIN_YEAR <= date.year <= calendar.MAX_YEAR:
        raise DomainError(
            _("Ngày điều chỉnh phải nằm trong các năm %(min)s đến %(max)s.")
            % {"min": calendar.MIN_YEAR, "max": calendar.MAX_YEAR},
            code="date_out_of_range",
        )
    if kind not in OverrideKind.values:
        raise DomainError(_("Loại điều chỉnh không hợp lệ."), code="invalid_kind")
    if not (reason or "").strip():
        raise DomainError(_("Cần ghi lý do hoặc căn cứ của việc điều chỉnh."), code="reason_required")
    if len(reason) > _REASON_MAX:
        raise DomainError(_("Lý do, căn cứ dài quá %(max)s ký tự.") % {"max": _REASON_MAX}, code="reason_too_long")


def calendar_override_save(*, override: CalendarOverride, actor: User | None = None) -> CalendarOverride:
    """Create or update one override from an instance (the admin form builds it)."""
    calendar_override_check(date=override.date, kind=override.kind, reason=override.reason)
    with transaction.atomic():
        clash = CalendarOverride.objects.filter(date=override.date)
        if override.pk:
            clash = clash.exclude(pk=override.pk)
        if clash.exists():
            raise DomainError(
                _("Ngày %(date)s đã có điều chỉnh lịch làm việc.") % {"date": f"{override.date:%d/%m/%Y}"},
                code="duplicate_date",
            )
        before = None
        if override.pk:
            old = CalendarOverride.objects.select_for_update().filter(pk=override.pk).first()
            before = _override_data(old) if old else None
        override.reason = override.reason.strip()
        override.save()
        AuditEvent.objects.create(
            actor=actor,
            action="calendar_override.update" if before else "calendar_override.create",
            object_type="CalendarOverride",
            object_id=str(override.pk),
            data={"after": _override_data(override), "before": before},
        )
        _invalidate()
    return override


def calendar_override_set(
    *, date: datetime.date, kind: str, reason: str, actor: User | None = None
) -> tuple[CalendarOverride, str]:
    """Make the override for `date` say `kind`/`reason`. Returns it and "created", "updated" or
    "unchanged", so that loading the same data twice writes nothing the second time."""
    calendar_override_check(date=date, kind=kind, reason=reason)
    reason = reason.strip()
    with transaction.atomic():
        existing = CalendarOverride.objects.select_for_update().filter(date=date).first()
        if existing and existing.kind == kind and existing.reason == reason:
            return existing, "unchanged"
        override = existing or CalendarOverride(date=date)
        override.kind = kind
        override.reason = reason
        calendar_override_save(override=override, actor=actor)
    return override, "updated" if existing else "created"


def calendar_override_delete(*, override: CalendarOverride, actor: User | None = None) -> None:
    with transaction.atomic():
        data = _override_data(override)
        pk = override.pk
        CalendarOverride.objects.filter(pk=pk).delete()
        AuditEvent.objects.create(
            actor=actor,
            action="calendar_override.delete",
            object_type="CalendarOverride",
            object_id=str(pk),
            data={"before": data},
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
