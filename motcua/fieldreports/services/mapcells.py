"""Upkeep of the MapCell rollup that the public map reads.

A report counts when it is public (`report_is_counted`): one cell per level in MAP_LEVELS,
keyed by (category, is_open), and in `MapCellTotal` keyed by is_open alone
(what the unfiltered map reads). Every service that may change visibility, status, category or
place takes a `mapcell_state(report)` before the change and calls `mapcells_sync(before, report)`
after it, inside the same transaction, so the counts never drift from the reports.
`mapcells_rebuild()` recounts from scratch (a command, and the tests' yardstick).
"""

from __future__ import annotations

from collections import defaultdict
from typing import NamedTuple

from django.db import IntegrityError, transaction
from django.db.models import F

from ..geo import MAP_LEVELS, cell_of
from ..models import OPEN_STATUSES, FieldReport, MapCell, MapCellTotal, ReportStatus


class CellState(NamedTuple):
    category_id: int
    is_open: bool
    lat: float
    lon: float


def report_is_counted(report: FieldReport) -> bool:
    return bool(report.reviewed and not report.hidden and report.status != ReportStatus.MERGED)


def mapcell_state(report: FieldReport) -> CellState | None:
    if not report_is_counted(report):
        return None
    return CellState(report.category_id, report.status in OPEN_STATUSES, float(report.lat), float(report.lon))


def _bump_row(model, key: dict, state: CellState, sign: int, min_lat: float, min_lon: float) -> None:
    changes = {
        "count": F("count") + sign,
        "lat_sum": F("lat_sum") + sign * state.lat,
        "lon_sum": F("lon_sum") + sign * state.lon,
    }
    if model.objects.filter(**key).update(**changes) or sign < 0:
        return  # updated, or nothing to take from (a rebuild will set it right)
    try:
        with transaction.atomic():
            model.objects.create(**key, count=1, lat_sum=state.lat, lon_sum=state.lon, min_lat=min_lat, min_lon=min_lon)
    except IntegrityError:
        # Another transaction created the row between our update and insert.
        model.objects.filter(**key).update(**changes)


def _bump(state: CellState, sign: int) -> None:
    for level in MAP_LEVELS:
        cell, min_lat, min_lon = cell_of(level, state.lat, state.lon)
        key = {"level": level, "cell": cell, "is_open": state.is_open}
        _bump_row(MapCell, {**key, "category_id": state.category_id}, state, sign, min_lat, min_lon)
        _bump_row(MapCellTotal, key, state, sign, min_lat, min_lon)


def mapcells_sync(before: CellState | None, report: FieldReport) -> None:
    """Move the report's count from its old cell state to its current one (no-op when unchanged)."""
    after = mapcell_state(report)
    if before == after:
        return
    if before is not None:
        _bump(before, -1)
    if after is not None:
        _bump(after, +1)


def _add(table: dict[tuple, list], key: tuple, count: int, lat_sum: float, lon_sum: float, min_lat, min_lon) -> None:
    entry = table[key]
    entry[0] += count
    entry[1] += lat_sum
    entry[2] += lon_sum
    entry[3], entry[4] = min_lat, min_lon


def _replace_all(model, key_fields: tuple[str, ...], table: dict[tuple, list]) -> None:
    """Swap every row of `model` for the rows of `table` (key tuple → count, sums, cell corner)."""
    model.objects.all().delete()
    model.objects.bulk_create(
        [
            model(
                **dict(zip(key_fields, key, strict=True)),
                count=count,
                lat_sum=lat_sum,
                lon_sum=lon_sum,
                min_lat=min_lat,
                min_lon=min_lon,
            )
            for key, (count, lat_sum, lon_sum, min_lat, min_lon) in table.items()
        ],
        batch_size=1000,
    )


def mapcells_rebuild() -> int:
    """Recount every cell from the reports; returns the number of cells written."""
    totals: dict[tuple, list] = defaultdict(lambda: [0, 0.0, 0.0, 0.0, 0.0])
    rows = FieldReport.objects.filter(reviewed=True, hidden=False).exclude(status=ReportStatus.MERGED)
    for category_id, status, lat, lon in rows.values_list("category_id", "status", "lat", "lon").iterator():
        is_open = status in OPEN_STATUSES
        for level in MAP_LEVELS:
            cell, min_lat, min_lon = cell_of(level, lat, lon)
            _add(totals, (level, cell, category_id, is_open), 1, lat, lon, min_lat, min_lon)
    sums: dict[tuple, list] = defaultdict(lambda: [0, 0.0, 0.0, 0.0, 0.0])
    for (level, cell, _category_id, is_open), values in totals.items():
        _add(sums, (level, cell, is_open), *values)
    with transaction.atomic():
        _replace_all(MapCellTotal, ("level", "cell", "is_open"), sums)
        _replace_all(MapCell, ("level", "cell", "category_id", "is_open"), totals)
    return len(totals)
