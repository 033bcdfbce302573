"""Working-day calendar: which days are working days, and deadlines counted in working days.

Which days are days off
    The province's calendar table (`CalendarOverride` rows, shipped for 2025–2026 by migration and
    `manage.py load_calendar_overrides`, edited in the admin) is the authority. First match wins:
    1. a row for that date: a public holiday, a substitute day (nghỉ bù) or an extra/swapped day
       off makes it a day off; a `working_day` row (a Saturday worked in a swap) makes it a
       working day. Unconfirmed rows apply too; the admin shows them as unconfirmed.
    2. Saturday and Sunday are weekly rest days;
    3. a date that `holidays.VN` lists but the table does not: NOT applied in a year the table
       covers (a year with at least one `holiday` row), applied as a fallback in a year the table
       does not cover yet (so that Tết of next year still counts before the province enters it).
       Either way it is reported: `package_mismatches()`, the admin list and
       `manage.py calendar_check`. Why: docs/decisions/calendar-table-is-the-authority.md.

How a deadline is counted
    A time limit of N working days is an amount of working time counted from the moment of
    receipt: received Monday 10:00 with 3 days, due Thursday 10:00. N may be fractional (0.5).
    - `office_hours=True` (default): only time inside the `OfficeHours` windows of working days
      counts, and one working day is the length of the morning plus afternoon windows (8 h by
      default). A moment outside the windows starts at the next window opening, so a dossier
      received 16:30 with 0.5 days is due at 10:30 the next working morning. A deadline that
      ends exactly at a window end is that end (11:30, 17:00), never the next opening.
      N = 0 means "the same day": the end of the last window of the working day the
      (adjusted) start falls on (17:00 by default; midnight when office hours are off).
    - `office_hours=False`: whole calendar days of working days count (a day is 24 h, starting
      at 00:00).
    - `paper=True`: a paper dossier received on a working day after `paper_cutoff` (15:00,
      strictly after) starts at the start of the next working day.
    `working_days_between` measures the same working time between two moments, as a Decimal
    number of working days (4 places at most), negative when end is before start.
    `shift_due` moves a due date from one calendar to another keeping the working time from an
    anchor (used to recompute open deadlines when the table changes).
    Moments may be aware or naive; naive means Asia/Ho_Chi_Minh (settings.TIME_ZONE). Results
    are aware, in that zone (UTC+7, no daylight saving, so wall-clock arithmetic is safe).

Caching (the bench calls these thousands of times per second)
    The holiday set is computed once per year per process (`functools.cache`). Table rows and
    office hours are read in one query pair into an immutable snapshot kept in process memory.
    Writes go through `motcua.core.services.calendar`, which call `invalidate_cache()`: it drops
    this process's snapshot and stores a new random token under `CACHE_VERSION_KEY` in Django's
    cache (shared by all processes when the cache is Redis or the database). Other processes
    compare their snapshot's token with the shared one at most every `RECHECK_SECONDS`, so they
    see a change within that time; a snapshot is also reloaded after `MAX_AGE_SECONDS` whatever
    the token says, which bounds staleness if the cache evicts the key. Rows written behind the
    services' back are seen only after that maximum age.
"""

from __future__ import annotations

import datetime
import functools
import time
import uuid
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from zoneinfo import ZoneInfo

import holidays
from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext as _

from .errors import DomainError
from .models import CalendarOverride, OfficeHours, OverrideKind

# Outside this range the holiday rules are unknown and loops would be unbounded.
MIN_YEAR = 1995
MAX_YEAR = 2200

CACHE_VERSION_KEY = "motcua:calendar:version"
RECHECK_SECONDS = 2.0
MAX_AGE_SECONDS = 300.0

_ONE_DAY = datetime.timedelta(days=1)
_MIDNIGHT = datetime.time(0, 0)
_DEFAULT_WINDOWS = ((datetime.time(7, 0), datetime.time(11, 30)), (datetime.time(13, 30), datetime.time(17, 0)))
_DEFAULT_CUTOFF = datetime.time(15, 0)


@dataclass(frozen=True)
class _Snapshot:
    token: str | None
    loaded_at: float
    overrides: dict[datetime.date, str]
    # Years with at least one `holiday` row: there the table alone decides.
    table_years: frozenset[int]
    windows: tuple[tuple[datetime.time, datetime.time], ...]
    paper_cutoff: datetime.time
    office_day: datetime.timedelta


@dataclass(frozen=True)
class Deadline:
    """A computed deadline. `effective_start` is where counting began (after moving out of
    closed hours or past the paper cut-off); `working_dates` are the days whose time was used."""

    start: datetime.datetime
    effective_start: datetime.datetime
    due_at: datetime.datetime
    working_dates: tuple[datetime.date, ...]


class _State:
    snapshot: _Snapshot | None = None
    checked_at: float = 0.0


_state = _State()


@functools.cache
def local_tz() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


@functools.cache
def national_days_off(year: int) -> frozenset[datetime.date]:
    """Holidays (including compensatory days) of `year` according to `holidays.VN`."""
    return frozenset(holidays.VN(years=year).keys())


@functools.cache
def _national_names(year: int) -> dict[datetime.date, str]:
    return dict(holidays.VN(years=year, language="vi"))


def national_day_name(day: datetime.date) -> str | None:
    """The name `holidays.VN` gives `day` ("Ngày Giỗ Tổ Hùng Vương (nghỉ bù)"), or None."""
    return _national_names(day.year).get(day)


def clear_cache() -> None:
    """Forget this process's snapshot (tests use this after a rolled-back transaction)."""
    _state.snapshot = None
    _state.checked_at = 0.0


def invalidate_cache() -> None:
    """Tell every process that overrides or office hours changed. Called by the services."""
    cache.set(CACHE_VERSION_KEY, uuid.uuid4().hex, timeout=None)
    clear_cache()


def _load(token: str | None, now: float) -> _Snapshot:
    overrides = dict(CalendarOverride.objects.values_list("date", "kind"))
    hours = OfficeHours.objects.order_by("pk").first() or OfficeHours()
    windows = tuple(
        sorted(
            (start, end)
            for start, end in ((hours.morning_start, hours.morning_end), (hours.afternoon_start, hours.afternoon_end))
            if start < end
        )
    )
    # A broken row (empty or overlapping windows) must not stop every deadline in the province.
    if not windows or any(prev[1] > nxt[0] for prev, nxt in zip(windows, windows[1:], strict=False)):
        windows = _DEFAULT_WINDOWS
    office_day = sum(
        (
            datetime.datetime.combine(datetime.date.min, end) - datetime.datetime.combine(datetime.date.min, start)
            for start, end in windows
        ),
        datetime.timedelta(0),
    )
    return _Snapshot(
        token=token,
        loaded_at=now,
        overrides=overrides,
        table_years=frozenset(day.year for day, kind in overrides.items() if kind == OverrideKind.HOLIDAY),
        windows=windows,
        paper_cutoff=hours.paper_cutoff or _DEFAULT_CUTOFF,
        office_day=office_day,
    )


def _snapshot() -> _Snapshot:
    now = time.monotonic()
    snap = _state.snapshot
    if snap is not None and now - _state.checked_at < RECHECK_SECONDS:
        return snap
    token = cache.get(CACHE_VERSION_KEY)
    if snap is None or snap.token != token or now - snap.loaded_at > MAX_AGE_SECONDS:
        snap = _load(token, now)
        _state.snapshot = snap
    _state.checked_at = now
    return snap


def _is_working(day: datetime.date, snap: _Snapshot) -> bool:
    kind = snap.overrides.get(day)
    if kind is not None:
        return kind == OverrideKind.WORKING_DAY
    if day.weekday() >= 5:
        return False
    if day.year in snap.table_years:
        return True
    return day not in national_days_off(day.year)


def _check_year(day: datetime.date) -> None:
    if not MIN_YEAR <= day.year <= MAX_YEAR:
        raise DomainError(
            _("Ngày nằm ngoài phạm vi lịch làm việc được hỗ trợ (năm %(min)s đến %(max)s).")
            % {"min": MIN_YEAR, "max": MAX_YEAR},
            code="date_out_of_range",
            status=422,
        )


def as_local(moment: datetime.datetime) -> datetime.datetime:
    """`moment` in Asia/Ho_Chi_Minh; a naive moment is taken to be local already."""
    tz = local_tz()
    return moment.replace(tzinfo=tz) if moment.tzinfo is None else moment.astimezone(tz)


def _to_local(moment: datetime.datetime) -> datetime.datetime:
    if not isinstance(moment, datetime.datetime):
        raise TypeError("a datetime is required")
    try:
        local = as_local(moment)
    except OverflowError:
        local = datetime.datetime.max if moment.year > MAX_YEAR else datetime.datetime.min
    _check_year(local.date())
    return local


def _windows(day: datetime.date, snap: _Snapshot, office_hours: bool):
    tz = local_tz()
    if not office_hours:
        return (
            (datetime.datetime.combine(day, _MIDNIGHT, tz), datetime.datetime.combine(day + _ONE_DAY, _MIDNIGHT, tz)),
        )
    return tuple(
        (datetime.datetime.combine(day, start, tz), datetime.datetime.combine(day, end, tz))
        for start, end in snap.windows
    )


def _next_day(day: datetime.date) -> datetime.date:
    day += _ONE_DAY
    _check_year(day)
    return day


def _open_from(moment: datetime.datetime, snap: _Snapshot, office_hours: bool) -> datetime.datetime:
    """The first moment at or after `moment` that is inside working time."""
    day = moment.date()
    while True:
        if _is_working(day, snap):
            for start, end in _windows(day, snap, office_hours):
                if moment < end:
                    return max(moment, start)
        day = _next_day(day)
        moment = datetime.datetime.combine(day, _MIDNIGHT, local_tz())


def _as_decimal(days: Decimal | int | float | str) -> Decimal:
    try:
        value = days if isinstance(days, Decimal) else Decimal(str(days))
    except (InvalidOperation, ValueError):
        value = Decimal("NaN")
    if not value.is_finite() or value < 0:
        raise DomainError(_("Số ngày làm việc phải là một số không âm."), code="invalid_days", status=422)
    return value


def compute_deadline(
    start: datetime.datetime,
    days: Decimal | int | float | str,
    *,
    paper: bool = False,
    office_hours: bool = True,
) -> Deadline:
    """The deadline `days` working days after `start`, with how it was counted."""
    return _compute(start, days, _snapshot(), paper=paper, office_hours=office_hours)


def _compute(
    start: datetime.datetime,
    days: Decimal | int | float | str | datetime.timedelta,
    snap: _Snapshot,
    *,
    paper: bool = False,
    office_hours: bool = True,
) -> Deadline:
    # `days` may be an exact amount of working time (a timedelta), as `shift_due` passes it.
    amount = Decimal(1) if isinstance(days, datetime.timedelta) else _as_decimal(days)
    local = _to_local(start)
    moment = local
    if paper and _is_working(local.date(), snap) and local.time() > snap.paper_cutoff:
        moment = datetime.datetime.combine(_next_day(local.date()), _MIDNIGHT, local_tz())
    effective = _open_from(moment, snap, office_hours)
    day = effective.date()
    if amount == 0:
        return Deadline(local, effective, _windows(day, snap, office_hours)[-1][1], (day,))

    day_length = snap.office_day if office_hours else _ONE_DAY
    if isinstance(days, datetime.timedelta):
        remaining = days
    else:
        micros = (amount * (day_length // datetime.timedelta(microseconds=1))).to_integral_value(ROUND_HALF_UP)
        remaining = datetime.timedelta(microseconds=int(micros))
    if remaining <= datetime.timedelta(0):
        return Deadline(local, effective, effective, (day,))
    cursor = effective
    used: list[datetime.date] = []
    first_day = day
    while True:
        if _is_working(day, snap):
            used.append(day)
            # Whole days after the first are skipped without building their windows.
            if day != first_day and remaining > day_length:
                remaining -= day_length
                day = _next_day(day)
                continue
            for win_start, win_end in _windows(day, snap, office_hours):
                if win_end <= cursor:
                    continue
                begin = max(win_start, cursor)
                available = win_end - begin
                if remaining <= available:
                    return Deadline(local, effective, begin + remaining, tuple(used))
                remaining -= available
        day = _next_day(day)
        cursor = datetime.datetime.combine(day, _MIDNIGHT, local_tz())


def is_working_day(day: datetime.date) -> bool:
    if isinstance(day, datetime.datetime):
        day = _to_local(day).date()
    return _is_working(day, _snapshot())


def add_working_days(
    start: datetime.datetime,
    days: Decimal | int,
    *,
    paper: bool = False,
    office_hours: bool = True,
) -> datetime.datetime:
    """The moment `days` working days after `start` (aware datetime, Asia/Ho_Chi_Minh)."""
    return compute_deadline(start, days, paper=paper, office_hours=office_hours).due_at


def working_days_between(
    start: datetime.datetime,
    end: datetime.datetime,
    *,
    office_hours: bool = True,
) -> Decimal:
    """Working time from `start` to `end` in working days (4 places at most); negative if end < start."""
    first, last = _to_local(start), _to_local(end)
    if last < first:
        return -working_days_between(end, start, office_hours=office_hours) or Decimal(0)
    snap = _snapshot()
    total = _working_time(first, last, snap, office_hours)
    day_length = snap.office_day if office_hours else _ONE_DAY
    ratio = Decimal(total // datetime.timedelta(microseconds=1)) / Decimal(
        day_length // datetime.timedelta(microseconds=1)
    )
    ratio = ratio.quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)
    return ratio.quantize(Decimal(1)) if ratio == ratio.to_integral_value() else ratio.normalize()


def _working_time(
    first: datetime.datetime, last: datetime.datetime, snap: _Snapshot, office_hours: bool
) -> datetime.timedelta:
    total = datetime.timedelta(0)
    day = first.date()
    day_length = snap.office_day if office_hours else _ONE_DAY
    first_day, last_day = first.date(), last.date()
    while day <= last_day:
        if first_day < day < last_day:
            if _is_working(day, snap):
                total += day_length
        elif _is_working(day, snap):
            for win_start, win_end in _windows(day, snap, office_hours):
                overlap = min(win_end, last) - max(win_start, first)
                if overlap > datetime.timedelta(0):
                    total += overlap
        day += _ONE_DAY
    return total


# --- recomputing deadlines when the table changes ----------------------------------------------


def working_in(day: datetime.date, snap: _Snapshot) -> bool:
    """Whether `day` is a working day under the calendar `snap` (see `load_snapshot`)."""
    return _is_working(day, snap)


def effective_start_in(start: datetime.datetime, snap: _Snapshot, *, paper: bool = False) -> datetime.datetime:
    """Where counting from `start` begins under the calendar `snap` (next opening, paper cut-off)."""
    return _compute(start, 0, snap, paper=paper).effective_start


def snapshot() -> _Snapshot:
    """The calendar in force in this process (a frozen value: keep it to compare with later)."""
    return _snapshot()


def load_snapshot() -> _Snapshot:
    """The calendar as the database says right now, bypassing this process's cache."""
    return _load(None, time.monotonic())


def shift_due(
    due_at: datetime.datetime,
    *,
    anchor: datetime.datetime,
    old: _Snapshot,
    new: _Snapshot,
) -> datetime.datetime:
    """The due date that keeps, under the `new` calendar, the working time from `anchor` to `due_at`
    measured under the `old` one. `anchor` is a moment before which both calendars agree (the
    start of the changed day, or the clock start when later), so only the remainder is re-counted.
    The amount is carried as an exact timedelta, not a rounded number of days."""
    first, last = _to_local(anchor), _to_local(due_at)
    if last <= first:
        return last
    amount = _working_time(first, last, old, office_hours=True)
    if not amount:
        return last
    return _compute(first, amount, new, office_hours=True).due_at


# --- the table against holidays.VN --------------------------------------------------------------


@dataclass(frozen=True)
class PackageMismatch:
    """A date `holidays.VN` lists as a day off with no row in the province's table."""

    date: datetime.date
    name: str
    # True when the date still counts as a day off (a year the table does not cover yet).
    applied: bool


def package_mismatches(years) -> list[PackageMismatch]:
    """Weekdays `holidays.VN` lists in `years` that the province's table has no row for."""
    snap = load_snapshot()
    found = []
    for year in sorted(set(years)):
        if not MIN_YEAR <= year <= MAX_YEAR:
            continue
        for day in sorted(national_days_off(year)):
            if day in snap.overrides or day.weekday() >= 5:
                continue
            found.append(
                PackageMismatch(date=day, name=national_day_name(day) or "", applied=year not in snap.table_years)
            )
    return found


def table_years() -> frozenset[int]:
    """Years the province's table covers (it has at least one public holiday row in them)."""
    return load_snapshot().table_years


def office_hours_snapshot() -> dict:
    """The office hours in force (for pages and the API)."""
    snap = _snapshot()
    return {"windows": snap.windows, "paper_cutoff": snap.paper_cutoff, "office_day": snap.office_day}
