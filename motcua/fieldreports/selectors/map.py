"""Data for the public map: clusters for wide viewports, points for close ones.

What stays flat as the number of reports grows, and what does not:

- **Clusters from the rollups** (no filter, or category and/or open/closed only): one indexed
  range read over at most ~64×64 cells of the chosen level, grouped by cell in SQL. Without a
  category filter it reads `MapCellTotal` (at most two rows per cell); with one, `MapCell` (at most
  two rows per cell and chosen category). Its cost depends on the viewport and the level, not on
  how many reports there are.
- **Points** are only read when the viewport holds at most `POINT_LIMIT` reports (known from the
  cells read first) or at the closest zooms; the read is bounded by `POINT_LIMIT` rows and uses
  `fr_point_idx` for the bbox.
- **Filters MapCell cannot answer** (commune, period, a single status, overdue) fall back to a
  grouped SQL aggregation over the reports in the bbox (same cell grid, `floor(lat·2^level)`),
  which uses the (lat, lon) index for the range but reads every matching report: it grows with the
  number of reports in the viewport. The payload stays bounded (at most one row per cell).
"""

from __future__ import annotations

import json
import math
import threading
from collections import OrderedDict
from dataclasses import dataclass
from functools import cache, lru_cache

from django.db import connection
from django.db.models import Count, F, FloatField, IntegerField, Q, QuerySet, Sum
from django.db.models.functions import Cast, Floor
from django.utils.translation import gettext as _

from motcua.core.errors import DomainError
from motcua.core.selectors.rows import filter_given

from ..geo import MAP_LEVELS
from ..models import OPEN_STATUSES, FieldReport, MapCell, MapCellTotal, ReportCategory, ReportStatus
from ..moderation import mask_personal_data
from .reports import report_public_qs

MAX_CELLS_ACROSS = 64
POINT_LIMIT = 500
POINT_ZOOM = 18
# Nothing the province needs lies beyond this span; a larger bbox is clipped to keep reads bounded.
MAX_SPAN_DEG = 8.0
# Map answers kept per process (least recently used first out); an answer is a few to some tens of KB.
ANSWERS_KEPT = 256
_answers: OrderedDict[tuple, bytes] = OrderedDict()
_answers_lock = threading.Lock()


def public_reports() -> QuerySet[FieldReport]:
    """The public reports: the core selector's one definition of public."""
    return report_public_qs()


def public_title(title: str) -> str:
    """Titles default to the description's first line, so they may carry a phone number or an ID
    that the officer masked only in the public description: mask them wherever they are public."""
    return mask_personal_data(title)


@lru_cache(maxsize=8192)
def _point_title(title: str) -> str:
    """A point's short public title. Masking is four regular expressions over the text, and the map
    asks for the same few hundred titles on every pan: each is masked once per process."""
    return public_title(title)[:60]


@dataclass(frozen=True)
class BBox:
    west: float
    south: float
    east: float
    north: float

    @property
    def span(self) -> float:
        return max(self.east - self.west, self.north - self.south)


def parse_bbox(raw: str | None) -> BBox:
    """`w,s,e,n` in degrees (WGS 84), as Leaflet's `getBounds().toBBoxString()` gives it."""
    error = DomainError(_("Khung bản đồ không hợp lệ (cần dạng tây,nam,đông,bắc)."), code="bbox_invalid", status=422)
    try:
        west, south, east, north = (float(part) for part in (raw or "").split(","))
    except ValueError:
        raise error from None
    if not all(math.isfinite(v) for v in (west, south, east, north)) or west >= east or south >= north:
        raise error
    west, east = max(west, -180.0), min(east, 180.0)
    south, north = max(south, -90.0), min(north, 90.0)
    if east - west > MAX_SPAN_DEG:
        mid = (east + west) / 2
        west, east = mid - MAX_SPAN_DEG / 2, mid + MAX_SPAN_DEG / 2
    if north - south > MAX_SPAN_DEG:
        mid = (north + south) / 2
        south, north = mid - MAX_SPAN_DEG / 2, mid + MAX_SPAN_DEG / 2
    return BBox(west, south, east, north)


def level_for(bbox: BBox, levels: tuple[int, ...]) -> int:
    """The finest kept level with at most MAX_CELLS_ACROSS cells across the viewport (the coarsest
    level for a viewport wider than that, the finest one for a street view)."""
    ideal = math.floor(math.log2(MAX_CELLS_ACROSS / max(bbox.span, 1e-9)))
    fitting = [level for level in levels if level <= ideal]
    return fitting[-1] if fitting else levels[0]


def _category_ids(code: str | None) -> list[int] | None:
    if not code:
        return None
    ids = list(ReportCategory.objects.filter(Q(code=code) | Q(parent__code=code)).values_list("pk", flat=True))
    if not ids:
        raise DomainError(_("Lĩnh vực không tồn tại."), code="category_invalid", status=422)
    return ids


def _status_filter(status: str | None) -> tuple[bool | None, str | None]:
    """(is_open for MapCell, or a single status that only the flat fallback can answer)."""
    if not status:
        return None, None
    if status == "open":
        return True, None
    if status == "closed":
        return False, None
    if status == "overdue":
        return None, status
    if status in ReportStatus.values:
        return None, status
    raise DomainError(_("Trạng thái không hợp lệ."), code="status_invalid", status=422)


def _bbox_q(bbox: BBox) -> Q:
    return Q(lat__gte=bbox.south, lat__lte=bbox.north, lon__gte=bbox.west, lon__lte=bbox.east)


def _round(value: float, digits: int) -> float:
    return round(value, digits)


def map_data(
    *,
    bbox: BBox,
    zoom: int = 10,
    category: str | None = None,
    status: str | None = None,
    unit_id: int | None = None,
    date_from=None,
    date_to=None,
) -> dict:
    """The map's data for a viewport: `{"k": "c", "l": level, "c": [[lat, lon, n], ...], "n": total}`
    or `{"k": "p", "p": [[code, lat, lon, category, status, overdue, title], ...], "n": total}`."""
    category_ids = _category_ids(category)
    is_open, single_status = _status_filter(status)
    level = level_for(bbox, MAP_LEVELS)
    flat = not (unit_id or date_from or date_to or single_status)

    def reports() -> QuerySet[FieldReport]:
        # Built only when read: the rollup path answers most wide viewports without it.
        qs = public_reports().filter(_bbox_q(bbox))
        if category_ids is not None:
            qs = qs.filter(category_id__in=category_ids)
        if is_open is not None:
            qs = qs.filter(status__in=OPEN_STATUSES) if is_open else qs.exclude(status__in=OPEN_STATUSES)
        if single_status == "overdue":
            qs = qs.filter(overdue=True)
        elif single_status:
            qs = qs.filter(status=single_status)
        return filter_given(qs, unit_id=unit_id, submitted_at__date__gte=date_from, submitted_at__date__lte=date_to)

    clusters = _cells_from_rollup(bbox, level, category_ids, is_open) if flat else _cells_from_reports(reports(), level)
    total = sum(row[2] for row in clusters)
    # Points when few enough to draw one by one, or at the closest zooms where a cluster could no
    # longer be split by zooming in (then the newest POINT_LIMIT, with `more` set).
    if total <= POINT_LIMIT or zoom >= POINT_ZOOM:
        return _points(reports(), total=total)
    return {"k": "c", "l": level, "n": total, "c": clusters}


def map_json(*, bbox: BBox, zoom: int = 10, **filters) -> bytes:
    """`map_data` as compact JSON. For the filters the rollup answers (none, category, open/closed)
    one statement reads the cells and a stamp of the reports inside the viewport (`_cells_and_stamp`);
    points answers are kept per process under it, so the points are read and encoded once per change.
    The filters only the reports can answer go through `map_data`."""
    category, status = filters.get("category"), filters.get("status")
    if any(filters.get(name) for name in ("unit_id", "date_from", "date_to")) or status not in (None, "open", "closed"):
        return _encode(map_data(bbox=bbox, zoom=zoom, **filters))
    category_ids = _category_ids(category)
    is_open, _single = _status_filter(status)
    level = level_for(bbox, MAP_LEVELS)
    cells, stamp = _cells_and_stamp(bbox, level, category_ids, is_open)
    clusters = [[_round(lat / n, 4), _round(lon / n, 4), n] for n, lat, lon in cells if n > 0]
    total = sum(row[2] for row in clusters)
    if not (total <= POINT_LIMIT or zoom >= POINT_ZOOM):
        return _encode({"k": "c", "l": level, "n": total, "c": clusters})
    if stamp[0] > POINT_LIMIT:  # more reports inside than the stamp reads: not kept (a street view of many)
        return _encode(map_data(bbox=bbox, zoom=zoom, **filters))
    key = (bbox, zoom >= POINT_ZOOM, tuple(category_ids or ()), is_open, total, stamp)
    with _answers_lock:
        kept = _answers.get(key)
        if kept is not None:
            _answers.move_to_end(key)
            return kept
    body = _encode(map_data(bbox=bbox, zoom=zoom, **filters))
    with _answers_lock:
        _answers[key] = body
        while len(_answers) > ANSWERS_KEPT:
            _answers.popitem(last=False)
    return body


def _cells_and_stamp(
    bbox: BBox, level: int, category_ids: list[int] | None, is_open: bool | None
) -> tuple[list[tuple], tuple]:
    """The rollup's rows as `_cells_from_rollup` reads them (count, lat sum, lon sum per cell) and a
    stamp of the points, in one statement: of every report inside the viewport, public or not (a
    superset of the points), how many, the newest `updated_at` (every service's save sets it to now,
    so an edit, a report made public or hidden, moved in or a new one raises it; one moved out or
    deleted lowers the count) and how many are overdue (the deadline sweep sets that flag without a
    save); and of the categories, how many and the newest `updated_at`. The reports are read through
    `fr_point_idx` and at most `POINT_LIMIT + 1` of them, so a wide view of many reports costs little
    more than its cells; a stamp that counts more than `POINT_LIMIT` covers only part of the viewport
    and is not used. Written from the models' tables once per process and variant: two plain
    aggregates joined by `UNION ALL`, cheap for the database to plan on every request."""
    size = 2.0**-level
    cells = [level, bbox.south - size, bbox.north, bbox.west - size, bbox.east]
    if category_ids is not None:
        cells += category_ids
    if is_open is not None:
        cells.append(is_open)
    sql = _cells_and_stamp_sql(len(category_ids) if category_ids is not None else None, is_open is not None)
    with connection.cursor() as cursor:
        cursor.execute(sql, [*cells, bbox.south, bbox.north, bbox.west, bbox.east, POINT_LIMIT + 1])
        rows = cursor.fetchall()
    stamp = next(tuple(row[4:]) for row in rows if row[0] == 1)
    return [(int(row[1]), row[2], row[3]) for row in rows if row[0] == 0], stamp


@cache
def _cells_and_stamp_sql(categories: int | None, by_openness: bool) -> str:
    q = connection.ops.quote_name
    cells = q((MapCell if categories is not None else MapCellTotal)._meta.db_table)
    reports, category_table = q(FieldReport._meta.db_table), q(ReportCategory._meta.db_table)
    count, changed = q("count"), q("updated_at")
    where = [f"{q('level')} = %s", f"{q('min_lat')} > %s", f"{q('min_lat')} <= %s", f"{q('min_lon')} > %s"]
    where += [f"{q('min_lon')} <= %s", f"{count} > 0"]
    if categories is not None:
        where.append(f"{q('category_id')} IN ({', '.join(['%s'] * categories)})")
    if by_openness:
        where.append(f"{q('is_open')} = %s")
    inside = f"{q('lat')} >= %s AND {q('lat')} <= %s AND {q('lon')} >= %s AND {q('lon')} <= %s"
    # Row kind 0: one per cell (count, lat sum, lon sum); kind 1: the one stamp row.
    return (
        f"SELECT 0, SUM({count}), SUM({q('lat_sum')}), SUM({q('lon_sum')}), NULL, NULL, NULL, NULL, NULL"
        f" FROM {cells} WHERE {' AND '.join(where)} GROUP BY {q('cell')}"
        f" UNION ALL SELECT 1, NULL, NULL, NULL, COUNT(*), CAST(MAX(r.{changed}) AS TEXT),"
        f" SUM(CASE WHEN r.{q('overdue')} THEN 1 ELSE 0 END),"
        f" (SELECT COUNT(*) FROM {category_table}), (SELECT CAST(MAX({changed}) AS TEXT) FROM {category_table})"
        f" FROM (SELECT {changed}, {q('overdue')} FROM {reports} WHERE {inside} LIMIT %s) r"
    )


def _encode(data: dict) -> bytes:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()


def _cells_from_rollup(bbox: BBox, level: int, category_ids, is_open) -> list[list]:
    size = 2.0**-level
    cells = (MapCell if category_ids is not None else MapCellTotal).objects.filter(
        level=level,
        min_lat__gt=bbox.south - size,
        min_lat__lte=bbox.north,
        min_lon__gt=bbox.west - size,
        min_lon__lte=bbox.east,
        count__gt=0,
    )
    if category_ids is not None:
        cells = cells.filter(category_id__in=category_ids)
    if is_open is not None:
        cells = cells.filter(is_open=is_open)
    rows = cells.values("cell").annotate(n=Sum("count"), lat=Sum("lat_sum"), lon=Sum("lon_sum")).order_by()
    return [[_round(r["lat"] / r["n"], 4), _round(r["lon"] / r["n"], 4), r["n"]] for r in rows if r["n"] > 0]


def _cells_from_reports(reports: QuerySet[FieldReport], level: int) -> list[list]:
    scale = float(2**level)
    rows = (
        reports.annotate(
            gx=Cast(Floor(F("lon") * scale), IntegerField()),
            gy=Cast(Floor(F("lat") * scale), IntegerField()),
        )
        .values("gx", "gy")
        .annotate(n=Count("id"), lat=Sum(Cast("lat", FloatField())), lon=Sum(Cast("lon", FloatField())))
        .order_by()
    )
    return [[_round(r["lat"] / r["n"], 4), _round(r["lon"] / r["n"], 4), r["n"]] for r in rows]


def _points(reports: QuerySet[FieldReport], *, total: int) -> dict:
    rows = list(
        reports.order_by("-submitted_at").values_list(
            "code", "lat", "lon", "category__code", "status", "overdue", "title"
        )[: POINT_LIMIT + 1]
    )
    truncated = len(rows) > POINT_LIMIT
    rows = rows[:POINT_LIMIT]
    points = [
        [code, _round(lat, 5), _round(lon, 5), cat, status, 1 if overdue else 0, _point_title(title)]
        for code, lat, lon, cat, status, overdue, title in rows
    ]
    # Cells at the viewport's edge reach past it, so their total can exceed the points inside.
    return {"k": "p", "n": total if truncated else len(points), "p": points, "more": truncated}
