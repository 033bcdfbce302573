"""The managers' figures: a scope's total, then by agency and by commune (ranked), the last twelve
months, and the submission channels, for the agencies the reader's roles cover.

Every figure means what `measures` says (the officer list behind a figure uses the same conditions).
Aggregation is done by the database in a fixed number of grouped queries (the agencies, one row per
agency, the total, the channels, two for the months), however many agencies the scope holds: the
page must stay as cheap for a province's 139 agencies as for a commune's two.
"""

from __future__ import annotations

import calendar
import datetime
from collections.abc import Mapping
from dataclasses import dataclass

from django.db.models import Count, Q
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.core.errors import DomainError, NotFound
from motcua.core.models import COMMUNE_KINDS, Agency
from motcua.core.selectors import user_is_officer

from ..models import Channel, Dossier
from .dossiers import FINISHED_STATUSES
from .measures import late_condition, measure_conditions, period_bounds
from .queues import _office_agencies

PERIOD_KINDS = ("month", "quarter", "year", "custom")
SORTS = ("on_time_rate", "overdue", "volume")
TREND_MONTHS = 12
# The ranking chart shows this many agencies (the table below it shows them all).
CHART_ROWS = 20
FIGURES = ("received", "finished_on_time", "finished_late", "in_progress_on_time", "in_progress_overdue")
_MIN_YEAR, _MAX_YEAR = 2000, 2100


@dataclass(frozen=True)
class Period:
    kind: str
    date_from: datetime.date
    date_to: datetime.date
    year: int
    month: int
    quarter: int

    @property
    def label(self) -> str:
        if self.kind == "month":
            return _("Tháng %(month)02d/%(year)d") % {"month": self.month, "year": self.year}
        if self.kind == "quarter":
            return _("Quý %(quarter)d/%(year)d") % {"quarter": self.quarter, "year": self.year}
        if self.kind == "year":
            return _("Năm %(year)d") % {"year": self.year}
        return _("Từ %(start)s đến %(end)s") % {
            "start": self.date_from.strftime("%d/%m/%Y"),
            "end": self.date_to.strftime("%d/%m/%Y"),
        }


def _int_param(params: Mapping, name: str, default: int, low: int, high: int, message: str) -> int:
    raw = (params.get(name) or "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise DomainError(message, code="invalid_period", status=422)
    if not low <= value <= high:
        raise DomainError(message, code="invalid_period", status=422)
    return value


def _date_param(params: Mapping, name: str, label: str) -> datetime.date | None:
    raw = (params.get(name) or "").strip()
    if not raw:
        return None
    try:
        value = datetime.date.fromisoformat(raw)
    except ValueError:
        value = None
    if value is None or not _MIN_YEAR <= value.year <= _MAX_YEAR:
        raise DomainError(
            _("%(label)s không hợp lệ: hãy nhập ngày theo dạng năm-tháng-ngày (ví dụ 2026-03-31).") % {"label": label},
            code="invalid_period",
            status=422,
        )
    return value


def period_from_params(params: Mapping, *, today: datetime.date | None = None) -> Period:
    """The period asked for by a page's query string (`period`, `year`, `month`, `quarter`, `from`, `to`).

    This year by default; `from`/`to` without `period` is a custom period (older links). Bad input is a
    DomainError with a Vietnamese message, never a silent default.
    """
    today = today or timezone.localdate()
    kind = (params.get("period") or "").strip()
    if not kind:
        kind = "custom" if (params.get("from") or params.get("to")) else "year"
    if kind not in PERIOD_KINDS:
        raise DomainError(_("Kỳ thống kê không hợp lệ."), code="invalid_period", status=422)
    year = _int_param(
        params,
        "year",
        today.year,
        _MIN_YEAR,
        _MAX_YEAR,
        _("Năm phải là số từ %(a)d đến %(b)d.") % {"a": _MIN_YEAR, "b": _MAX_YEAR},
    )
    month = _int_param(params, "month", today.month, 1, 12, _("Tháng phải là số từ 1 đến 12."))
    quarter = _int_param(params, "quarter", (month - 1) // 3 + 1, 1, 4, _("Quý phải là số từ 1 đến 4."))
    if kind == "month":
        start = datetime.date(year, month, 1)
        end = datetime.date(year, month, calendar.monthrange(year, month)[1])
    elif kind == "quarter":
        start = datetime.date(year, 3 * quarter - 2, 1)
        end = datetime.date(year, 3 * quarter, calendar.monthrange(year, 3 * quarter)[1])
    elif kind == "year":
        start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    else:
        start = _date_param(params, "from", _("Ngày bắt đầu")) or today.replace(month=1, day=1)
        end = _date_param(params, "to", _("Ngày kết thúc")) or today
        if end < start:
            raise DomainError(_("Ngày kết thúc phải sau ngày bắt đầu."), code="invalid_period", status=422)
    return Period(kind=kind, date_from=start, date_to=end, year=year, month=month, quarter=quarter)


# --- Figures --------------------------------------------------------------------------------------


def _rate(on_time: int, finished: int) -> float | None:
    return round(100 * on_time / finished, 1) if finished else None


def _complete(row: dict) -> dict:
    """Derived figures of one row: sums and the on-time rate."""
    row["finished"] = row["finished_on_time"] + row["finished_late"]
    row["in_progress"] = row["in_progress_on_time"] + row["in_progress_overdue"]
    row["on_time_rate"] = _rate(row["finished_on_time"], row["finished"])
    return row


def _zero() -> dict:
    return dict.fromkeys(FIGURES, 0)


def rank(rows: list[dict], sort: str) -> list[dict]:
    """Best first: highest on-time rate (rows with nothing finished last), most overdue, most received."""
    if sort == "overdue":
        key = lambda row: (-row["in_progress_overdue"], -row["received"], row["name"])  # noqa: E731
    elif sort == "volume":
        key = lambda row: (-row["received"], row["name"])  # noqa: E731
    else:
        key = lambda row: (  # noqa: E731
            row["on_time_rate"] is None,
            -(row["on_time_rate"] or 0),
            -row["finished"],
            row["name"],
        )
    ranked = sorted(rows, key=key)
    for position, row in enumerate(ranked, start=1):
        row["rank"] = position
    return ranked


def _month_start(day: datetime.date, back: int = 0) -> datetime.date:
    index = day.year * 12 + day.month - 1 - back
    return datetime.date(index // 12, index % 12 + 1, 1)


def _month_key(value) -> tuple[int, int]:
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    return value.year, value.month


def _scope_label(agencies: list[Agency]) -> str:
    if len(agencies) == 1:
        return agencies[0].name
    units = {agency.unit_id: agency.unit for agency in agencies}
    if len(units) == 1:
        return next(iter(units.values())).name
    provinces = {(unit.parent if unit.kind in COMMUNE_KINDS and unit.parent_id else unit) for unit in units.values()}
    if len(provinces) == 1:
        return next(iter(provinces)).name
    return _("Các cơ quan trong phạm vi được giao")


def _counted(ids: list[int], start, end, now) -> tuple:
    """The dossiers of these receiving agencies that any figure of [start, end) counts, the figures'
    aggregates and their conditions."""
    conditions = measure_conditions(start, end, now)
    counts = {key: Count("pk", filter=conditions[key]) for key in FIGURES}
    base = Dossier.objects.filter(receiving_agency_id__in=ids).filter(
        conditions["received"] | conditions["finished"] | conditions["in_progress"]
    )
    return base, counts, conditions


def dossier_month_figures(user, *, now: datetime.datetime | None = None) -> dict:
    """The statistics page's totals for the month of `now` (local dates up to today), for a headline:
    the same scope and counting as `figures_for`, in two queries (the agencies, one aggregate).

    received, finished, on_time (finished on time); on_time_percent: None when nothing finished yet.
    """
    if not user_is_officer(user):
        raise NotFound(_("Không tìm thấy hàng đợi hồ sơ."), code="queue_not_found")
    now = now or timezone.now()
    today = timezone.localdate(now)
    start, end = period_bounds(today.replace(day=1), today)
    ids = list(_office_agencies(user).order_by().values_list("pk", flat=True))
    totals = _zero()
    if ids:
        base, counts, _conditions = _counted(ids, start, end, now)
        totals = base.aggregate(**counts)
    finished = totals["finished_on_time"] + totals["finished_late"]
    return {
        "received": totals["received"],
        "finished": finished,
        "on_time": totals["finished_on_time"],
        "on_time_percent": round(100 * totals["finished_on_time"] / finished) if finished else None,
        "month_start": start,
    }


def figures_for(user, *, period: Period, sort: str = "on_time_rate", now: datetime.datetime | None = None) -> dict:
    """The figures of every agency the user covers over a period, with the scope's total.

    Officers only (others get an empty scope). A province-scoped manager covers every agency of the
    province; a commune's officer their commune's agencies; a department's officer that department.
    """
    if sort not in SORTS:
        sort = "on_time_rate"
    now = now or timezone.now()
    agencies = (
        list(_office_agencies(user).select_related("unit", "unit__parent").order_by("code"))
        if user_is_officer(user)
        else []
    )
    ids = [agency.pk for agency in agencies]
    start, end = period_bounds(period.date_from, period.date_to)
    base, counts, conditions = _counted(ids, start, end, now)

    per_agency = {}
    totals = _zero()
    if ids:
        per_agency = {
            row.pop("receiving_agency_id"): row
            for row in base.values("receiving_agency_id").annotate(**counts).order_by()
        }
        totals = base.aggregate(**counts)
    by_agency, by_unit = [], {}
    for agency in agencies:
        row = _complete(
            {
                "id": agency.pk,
                "code": agency.code,
                "name": agency.name,
                "unit_id": agency.unit_id,
                **(per_agency.get(agency.pk) or _zero()),
            }
        )
        by_agency.append(row)
        unit = by_unit.setdefault(
            agency.unit_id,
            {
                "id": agency.unit_id,
                "name": agency.unit.name,
                "commune": agency.unit.kind in COMMUNE_KINDS,
                "agencies": 0,
                **_zero(),
            },
        )
        unit["agencies"] += 1
        for key in FIGURES:
            unit[key] += row[key]
    by_unit_rows = [_complete(unit) for unit in by_unit.values()]

    channels = []
    if ids:
        channel_counts = dict(
            base.filter(conditions["received"])
            .values("channel")
            .annotate(n=Count("pk"))
            .values_list("channel", "n")
            .order_by()
        )
        channels = [
            {"channel": value, "label": str(label), "received": channel_counts.get(value, 0)}
            for value, label in Channel.choices
        ]

    return {
        "period": period,
        "scope_label": _scope_label(agencies) if agencies else "",
        "agency_count": len(agencies),
        "totals": _complete(dict(totals)),
        "by_agency": rank(by_agency, sort),
        "by_unit": rank(by_unit_rows, sort),
        "sort": sort,
        "channels": channels,
        "trend": _trend(ids, period.date_to) if ids else [],
    }


def _trend(agency_ids: list[int], last_day: datetime.date) -> list[dict]:
    """Received, finished (on time / late) and the on-time rate for each of the last twelve months up to
    the period's last month; a dossier counts in the month of its local date of receipt / resolution."""
    first = _month_start(last_day, TREND_MONTHS - 1)
    start, end = period_bounds(first, _month_start(last_day, -1) - datetime.timedelta(days=1))
    tz = timezone.get_current_timezone()
    dossiers = Dossier.objects.filter(receiving_agency_id__in=agency_ids)
    received = (
        dossiers.filter(received_at__gte=start, received_at__lt=end)
        .annotate(month=TruncMonth("received_at", tzinfo=tz))
        .values("month")
        .annotate(n=Count("pk"))
        .order_by()
    )
    late = late_condition()
    finished = (
        dossiers.filter(status__in=FINISHED_STATUSES, resolved_at__gte=start, resolved_at__lt=end)
        .annotate(month=TruncMonth("resolved_at", tzinfo=tz))
        .values("month")
        .annotate(on_time=Count("pk", filter=~late), late=Count("pk", filter=Q(late)))
        .order_by()
    )
    received_by = {_month_key(row["month"]): row["n"] for row in received}
    finished_by = {_month_key(row["month"]): (row["on_time"], row["late"]) for row in finished}
    months = []
    for back in range(TREND_MONTHS - 1, -1, -1):
        month = _month_start(last_day, back)
        key = (month.year, month.month)
        on_time, late_count = finished_by.get(key, (0, 0))
        months.append(
            {
                "month": month,
                "last_day": _month_start(month, -1) - datetime.timedelta(days=1),
                "label": month.strftime("%m/%Y"),
                "received": received_by.get(key, 0),
                "finished_on_time": on_time,
                "finished_late": late_count,
                "finished": on_time + late_count,
                "on_time_rate": _rate(on_time, on_time + late_count),
            }
        )
    return months
