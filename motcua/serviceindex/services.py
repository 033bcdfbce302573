"""Writes of the service index: the rollup cells (kept with each dossier status change, and
rebuilt from the records), and a new version of the definition."""

from __future__ import annotations

import datetime
import functools

from django.db import connection, transaction
from django.db.models import CharField, Count, DateField, Exists, F, OuterRef, Q, QuerySet, Sum, Value
from django.db.models.functions import Greatest, TruncMonth
from django.utils import timezone

from motcua.dossiers.models import Dossier

from .measures import DOSSIER_MEASURES, time_weights
from .models import IndexDefinition, IndexGroup, IndexMark, IndexRollup, SubIndicator
from .periods import local_start, month_of

# A dossier id no row has: the counting query is compiled once with it, then run with the real id.
_ANY_DOSSIER = -918_273_645_546_372_819


@functools.cache
def _counting_query(vendor: str) -> tuple[str, tuple, list[str]]:
    """The SQL (and its parameters, `_ANY_DOSSIER` standing for the dossier) that counts, for one
    dossier, whether it is in each dossier measure's denominator and numerator. Compiling it through
    the ORM costs more than running it, and it is the same for every event: compiled once a process."""
    base = Dossier.objects.filter(pk=_ANY_DOSSIER)
    counts = {}
    for measure in DOSSIER_MEASURES:
        denominator = measure.denominator(base.filter(**{f"{measure.basis}__isnull": False}))
        counts[f"{measure.code}__d"] = Count("pk", filter=Q(pk__in=denominator.values("pk")))
        counts[f"{measure.code}__n"] = Count("pk", filter=Q(pk__in=measure.numerator(denominator).values("pk")))
    query = base.values("pk").annotate(**counts).values(*counts).order_by()
    sql, params = query.query.sql_with_params()
    return sql, tuple(params), list(counts)


def _weights(measure, dossier: Dossier) -> tuple[int, int]:
    if not measure.weighted:
        return 0, 0
    return time_weights(dossier.clock_started_at, dossier.received_at, dossier.due_at, dossier.resolved_at)


def _counted_now(dossier: Dossier) -> dict[str, tuple[int, datetime.date, bool, int, int]]:
    """measure → (agency, month, in the numerator, weight numerator, weight denominator) for every
    dossier measure whose denominator this dossier is in now: one query (two conditional counts per
    measure over this one dossier); the weights of a weighted measure from the dossier's own fields."""
    sql, params, names = _counting_query(connection.vendor)
    with connection.cursor() as cursor:
        cursor.execute(sql, [dossier.pk if p == _ANY_DOSSIER else p for p in params])
        found = cursor.fetchone()
    row = dict(zip(names, found or [0] * len(names), strict=True))
    return {
        m.code: (
            dossier.receiving_agency_id,
            month_of(getattr(dossier, m.basis)),
            bool(row[f"{m.code}__n"]),
            *_weights(m, dossier),
        )  # fmt: skip
        for m in DOSSIER_MEASURES
        if row[f"{m.code}__d"]
    }


def _cell_add(agency_id: int, unit_id: int | None, month: datetime.date, measure: str, numerator: int,
              denominator: int, weight_numerator: int = 0, weight_denominator: int = 0) -> None:  # fmt: skip
    """Add to one cell, its row created if missing and locked until the transaction ends (a second event
    of the same agency-month waits here; the additions commute, so the order does not matter). A cell
    whose denominator falls to 0 is removed, as a rebuild would not write it. Taking a dossier out of
    a cell that is missing (rollups deleted by hand since) changes nothing: the next rebuild recounts."""
    if denominator < 0 or unit_id is None:
        cell = IndexRollup.objects.select_for_update().filter(agency_id=agency_id, month=month, measure=measure).first()
        if cell is None:
            return
    else:
        cell, _ = IndexRollup.objects.select_for_update().get_or_create(
            agency_id=agency_id, month=month, measure=measure, defaults={"unit_id": unit_id}
        )
    IndexRollup.objects.filter(pk=cell.pk).update(
        numerator=Greatest(F("numerator") + numerator, 0),
        denominator=Greatest(F("denominator") + denominator, 0),
        weight_numerator=Greatest(F("weight_numerator") + weight_numerator, 0),
        weight_denominator=Greatest(F("weight_denominator") + weight_denominator, 0),
    )
    if denominator < 0:
        IndexRollup.objects.filter(pk=cell.pk, denominator__lte=0).delete()


def dossier_cells_refresh(dossier: Dossier) -> int:
    """Bring the rollups in step with this dossier: compare what it counts as now (one query) with
    what the cells hold for it (its marks, locked), and add the differences to the cells concerned.
    An event that changes nothing the index counts costs those two queries. Returns the cells touched."""
    now = _counted_now(dossier)
    marks = {m.measure: m for m in IndexMark.objects.select_for_update().filter(dossier_id=dossier.pk)}
    unit_id = None
    additions = []  # (agency, unit, month, measure, numerator, denominator, weight numerator, weight denominator)
    for measure in DOSSIER_MEASURES:
        code = measure.code
        old, new = marks.get(code), now.get(code)
        held = old and (old.agency_id, old.month, old.numerator, old.weight_numerator, old.weight_denominator)
        if old is not None and new == held:
            continue
        if old is None and new is None:
            continue
        if new is not None and unit_id is None:
            unit_id = dossier.receiving_agency.unit_id
        if old is not None and new is not None and new[:2] == (old.agency_id, old.month):
            additions.append((
                old.agency_id, unit_id, old.month, code, int(new[2]) - int(old.numerator), 0,
                new[3] - old.weight_numerator, new[4] - old.weight_denominator,
            ))  # fmt: skip
        else:
            if old is not None:
                additions.append((
                    old.agency_id, None, old.month, code, -int(old.numerator), -1,
                    -old.weight_numerator, -old.weight_denominator,
                ))  # fmt: skip
            if new is not None:
                additions.append((new[0], unit_id, new[1], code, int(new[2]), 1, new[3], new[4]))
        if new is None:
            old.delete()
        elif old is None:
            IndexMark.objects.create(
                dossier_id=dossier.pk, measure=code, agency_id=new[0], month=new[1], numerator=new[2],
                weight_numerator=new[3], weight_denominator=new[4],
            )  # fmt: skip
        else:
            IndexMark.objects.filter(pk=old.pk).update(
                agency_id=new[0], month=new[1], numerator=new[2], weight_numerator=new[3], weight_denominator=new[4]
            )
    # Cells are locked in one order (agency, month, measure), so two dossiers moving between the same
    # cells in opposite directions wait for each other instead of deadlocking.
    additions.sort(key=lambda a: (a[0], a[2], a[3]))
    for addition in additions:
        _cell_add(*addition)
    return len(additions)


def dossier_status_changed(*, dossier: Dossier, from_status: str, event=None, **_payload) -> None:
    """Subscriber of `dossier.status_changed`: runs inside the dossier action's transaction."""
    dossier_cells_refresh(dossier)


def _insert_select(model, columns: list[str], rows: QuerySet) -> int:
    """INSERT INTO model's table (columns) SELECT … from a values_list queryset, in the database."""
    sql, params = rows.query.sql_with_params()
    quote = connection.ops.quote_name
    names = ", ".join(quote(model._meta.get_field(c).column) for c in columns)
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {quote(model._meta.db_table)} ({names}) {sql}", params)
        return cursor.rowcount


@transaction.atomic
def rollups_rebuild(*, since: datetime.date | None = None) -> int:
    """Recount every rollup from the records (all months, or from the month of `since` on): the marks
    (one INSERT … SELECT per measure), then the cells grouped from the marks (one more); all in the
    database. Returns the number of rollup rows written."""
    marks, rows = IndexMark.objects.all(), IndexRollup.objects.all()
    if since is not None:
        since = since.replace(day=1)
        marks, rows = marks.filter(month__gte=since), rows.filter(month__gte=since)
    marks._raw_delete(marks.db)
    rows._raw_delete(rows.db)
    tz = timezone.get_current_timezone()
    for measure in DOSSIER_MEASURES:
        base = Dossier.objects.filter(**{f"{measure.basis}__isnull": False})
        if since is not None:
            base = base.filter(**{f"{measure.basis}__gte": local_start(since)})
        denominator = measure.denominator(base)
        counted = (
            denominator.annotate(
                _measure=Value(measure.code, output_field=CharField()),
                _month=TruncMonth(measure.basis, output_field=DateField(), tzinfo=tz),
                # Correlated (one index probe per row): `pk IN (subquery)` falls back to rescanning the
                # subquery for every row once its hash no longer fits in work_mem (quadratic at 1M).
                _numerator=Exists(measure.numerator(denominator).filter(pk=OuterRef("pk"))),
            )
            .order_by()
            .values_list("pk", "_measure", "receiving_agency_id", "_month", "_numerator")
        )
        _insert_select(IndexMark, ["dossier", "measure", "agency", "month", "numerator"], counted)
        if measure.weighted:
            _weights_fill(measure.code, since)
    marks = IndexMark.objects.all() if since is None else IndexMark.objects.filter(month__gte=since)
    cells = (
        marks.values("agency_id", "month", "measure")
        .annotate(
            _unit=F("agency__unit_id"), _n=Count("pk", filter=Q(numerator=True)), _d=Count("pk"),
            _wn=Sum("weight_numerator"), _wd=Sum("weight_denominator"),
        )
        .order_by()
        .values_list("agency_id", "_unit", "month", "measure", "_n", "_d", "_wn", "_wd")
    )  # fmt: skip
    columns = ["agency", "unit", "month", "measure", "numerator", "denominator"]
    columns += ["weight_numerator", "weight_denominator"]
    return _insert_select(IndexRollup, columns, cells)


def _weights_fill(code: str, since: datetime.date | None, chunk: int = 2000) -> None:
    """Write the weights of a weighted measure's marks (just inserted by the rebuild) from their
    dossiers, with the same function as the event hook (`time_weights`), in chunks."""
    marks = IndexMark.objects.filter(measure=code)
    if since is not None:
        marks = marks.filter(month__gte=since)
    rows = marks.order_by().values_list(
        "pk", "dossier__clock_started_at", "dossier__received_at", "dossier__due_at", "dossier__resolved_at"
    )
    batch = []
    for pk, *dates in rows.iterator(chunk_size=chunk):
        wn, wd = time_weights(*dates)
        if wn or wd:
            batch.append(IndexMark(pk=pk, weight_numerator=wn, weight_denominator=wd))
        if len(batch) >= chunk:
            IndexMark.objects.bulk_update(batch, ["weight_numerator", "weight_denominator"])
            batch = []
    if batch:
        IndexMark.objects.bulk_update(batch, ["weight_numerator", "weight_denominator"])


@transaction.atomic
def definition_copy(*, source: IndexDefinition, effective_from: datetime.date, name: str = "", legal_basis: str = "",
                    notes: str = "") -> IndexDefinition:  # fmt: skip
    """A new version effective from a date, starting as a copy of `source` (then edited in the admin).
    Periods starting before `effective_from` keep using the older version."""
    new = IndexDefinition.objects.create(
        name=name or source.name, legal_basis=legal_basis or source.legal_basis,
        effective_from=effective_from, notes=notes,
    )  # fmt: skip
    for group in source.groups.prefetch_related("indicators"):
        copy = IndexGroup.objects.create(
            definition=new, code=group.code, name=group.name, max_points=group.max_points, order=group.order
        )
        SubIndicator.objects.bulk_create(
            SubIndicator(
                group=copy, code=i.code, name=i.name, measure=i.measure, target_rate=i.target_rate,
                points=i.points, needs_review=i.needs_review, source_note=i.source_note, order=i.order,
            )
            for i in group.indicators.all()
        )  # fmt: skip
    return new
