"""Writes of the service index: the rollup cells (kept with each dossier status change, and
rebuilt from the records), and a new version of the definition."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.db.models import Count, Q
from django.db.models.functions import TruncMonth
from django.utils import timezone

from motcua.core.models import Agency
from motcua.dossiers.models import Dossier

from .measures import DOSSIER_MEASURES, Measure
from .models import IndexDefinition, IndexGroup, IndexRollup, SubIndicator
from .periods import add_months, local_start, month_of


def _cell_counts(measure: Measure, agency_id: int, month: datetime.date) -> tuple[int, int]:
    start, end = local_start(month), local_start(add_months(month, 1))
    base = Dossier.objects.filter(
        receiving_agency_id=agency_id, **{f"{measure.basis}__gte": start, f"{measure.basis}__lt": end}
    )
    denominator = measure.denominator(base)
    counted = denominator.aggregate(
        d=Count("pk"), n=Count("pk", filter=Q(pk__in=measure.numerator(denominator).values("pk")))
    )
    return counted["n"], counted["d"]


def _cell_lock(agency: Agency, month: datetime.date, measure: str) -> IndexRollup:
    """The cell's row, created if missing and locked until the transaction ends. A second dossier event
    of the same agency-month waits here and recounts after the first commits, so the later commit
    never writes a count that misses the earlier one (on SQLite writers are serialised already)."""
    cell, _ = IndexRollup.objects.select_for_update().get_or_create(
        agency=agency, month=month, measure=measure, defaults={"unit_id": agency.unit_id}
    )
    return cell


def _cell_store(cell: IndexRollup, agency: Agency, numerator: int, denominator: int) -> None:
    if not denominator:
        cell.delete()
        return
    IndexRollup.objects.filter(pk=cell.pk).update(unit_id=agency.unit_id, numerator=numerator, denominator=denominator)


def dossier_cells_refresh(dossier: Dossier) -> int:
    """Recount the cells this dossier counts in (its agency; the months of its reception and of its
    resolution). Recounting the cell (one COUNT query over one agency-month per measure) instead of adding deltas
    keeps the rollup equal to a rebuild whatever the order of events. Returns the cells touched."""
    agency = dossier.receiving_agency
    touched = 0
    for measure in DOSSIER_MEASURES:
        moment = getattr(dossier, measure.basis)
        if moment is None:
            continue
        month = month_of(moment)
        cell = _cell_lock(agency, month, measure.code)
        _cell_store(cell, agency, *_cell_counts(measure, agency.pk, month))
        touched += 1
    return touched


def dossier_status_changed(*, dossier: Dossier, from_status: str, event=None, **_payload) -> None:
    """Subscriber of `dossier.status_changed`: runs inside the dossier action's transaction."""
    dossier_cells_refresh(dossier)


def _grouped(qs, basis: str) -> dict[tuple[int, datetime.date], int]:
    rows = (
        qs.annotate(m=TruncMonth(basis, tzinfo=timezone.get_current_timezone()))
        .values("receiving_agency_id", "m")
        .annotate(n=Count("pk"))
        .order_by()
    )
    out: dict[tuple[int, datetime.date], int] = {}
    for row in rows:
        month = row["m"]
        if isinstance(month, datetime.datetime):
            month = timezone.localtime(month).date() if timezone.is_aware(month) else month.date()
        key = (row["receiving_agency_id"], month.replace(day=1))
        out[key] = out.get(key, 0) + row["n"]
    return out


@transaction.atomic
def rollups_rebuild(*, since: datetime.date | None = None) -> int:
    """Recount every rollup from the records (all months, or from the month of `since` on). Two
    grouped COUNTs per measure; returns the number of rows written."""
    rows = IndexRollup.objects.all()
    if since is not None:
        since = since.replace(day=1)
        rows = rows.filter(month__gte=since)
    rows.delete()
    units = dict(Agency.objects.values_list("pk", "unit_id"))
    new = []
    for measure in DOSSIER_MEASURES:
        base = Dossier.objects.filter(**{f"{measure.basis}__isnull": False})
        if since is not None:
            base = base.filter(**{f"{measure.basis}__gte": local_start(since)})
        denominator = measure.denominator(base)
        denominators = _grouped(denominator, measure.basis)
        numerators = _grouped(measure.numerator(denominator), measure.basis)
        for (agency_id, month), total in denominators.items():
            new.append(
                IndexRollup(
                    agency_id=agency_id, unit_id=units[agency_id], month=month, measure=measure.code,
                    numerator=numerators.get((agency_id, month), 0), denominator=total,
                )
            )  # fmt: skip
    IndexRollup.objects.bulk_create(new, batch_size=2000)
    return len(new)


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
