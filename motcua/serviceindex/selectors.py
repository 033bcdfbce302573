"""Reads of the service index: who may read which scores, the figures (from rollups only), the
scores with ranks and changes, and the records behind every figure (access-checked).

Who reads: superusers, and officers holding a leader, manager or administrator role, over the
agencies those roles cover (`scope.covered_agencies`): a commune's leader reads that commune's
agencies; the province's manager (a role on the province unit) every agency. Anyone else: 404.
The public page reads the province's figures only (no records, no names of people).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, QuerySet, Sum
from django.utils.translation import gettext as _

from motcua.catalog.models import Procedure
from motcua.core import scope
from motcua.core.errors import DomainError, NotFound
from motcua.core.models import COMMUNE_KINDS, Agency, Role, Unit
from motcua.dossiers.models import Dossier
from motcua.ratings.models import Rating, RatingRollup

from .measures import CATALOG, DOSSIER, MEASURES, RATINGS, SATISFIED_LEVELS
from .models import IndexDefinition, IndexRollup
from .periods import Period, add_months, local_start
from .scoring import ScoreCard, score_card

READER_ROLES = (Role.LEADER, Role.MANAGER, Role.ADMINISTRATOR)
CATALOG_MEASURES = [m for m in MEASURES.values() if m.kind == CATALOG]


# --- who reads what --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Reach:
    agency_ids: frozenset[int] | None  # None: the whole province
    label: str

    @property
    def province(self) -> bool:
        return self.agency_ids is None


def may_read(user) -> bool:
    return scope.is_signed_in(user) and (user.is_superuser or scope.has_role(user, READER_ROLES))


def reach_for(user) -> Reach:
    """The agencies whose index `user` may read. Raises NotFound for anyone without a reader role."""
    if not may_read(user):
        raise NotFound(code="index_not_found")
    if user.is_superuser:
        return Reach(None, _("Toàn tỉnh"))
    covered = frozenset(scope.covered_agencies(user, roles=READER_ROLES).values_list("pk", flat=True))
    every = set(Agency.objects.values_list("pk", flat=True))
    if every and every <= covered:
        return Reach(None, _("Toàn tỉnh"))
    units = Unit.objects.filter(agencies__pk__in=covered).distinct().order_by("name")
    return Reach(covered, ", ".join(u.name for u in units) or _("Không có cơ quan"))


def _check_agency(reach: Reach, agency_id: int | None) -> None:
    if agency_id is not None and reach.agency_ids is not None and agency_id not in reach.agency_ids:
        raise NotFound(code="index_not_found")


# --- the definition in force ------------------------------------------------------------------------


def definition_for(start: datetime.date) -> IndexDefinition:
    """The version effective at `start` (the latest one starting on or before it)."""
    found = (
        IndexDefinition.objects.filter(effective_from__lte=start)
        .order_by("-effective_from")
        .prefetch_related("groups__indicators")
        .first()
    )
    if found is None:
        raise DomainError(_("Chưa có bộ chỉ số áp dụng cho kỳ này."), code="index_no_definition", status=422)
    return found


def definitions() -> QuerySet[IndexDefinition]:
    return IndexDefinition.objects.prefetch_related("groups__indicators").order_by("-effective_from")


# --- figures (rollups and the catalog; no per-dossier reads) ----------------------------------------


def _rollup_rows(period: Period, agency_ids, by: str | None):
    rows = IndexRollup.objects.filter(month__gte=period.start, month__lt=period.end)
    if agency_ids is not None:
        rows = rows.filter(agency_id__in=agency_ids)
    keys = ["measure"] + ([by] if by else [])
    return rows.values(*keys).annotate(n=Sum("numerator"), d=Sum("denominator")).order_by()


def _rating_rows(period: Period, agency_ids):
    rows = RatingRollup.objects.filter(
        dimension=RatingRollup.Dimension.AGENCY, subject="dossier", month__gte=period.start, month__lt=period.end
    )
    if agency_ids is not None:
        rows = rows.filter(key__in=agency_ids)
    return rows.values("key").annotate(
        good=Sum("very_satisfied") + Sum("satisfied"),
        total=Sum("very_satisfied") + Sum("satisfied") + Sum("acceptable") + Sum("not_satisfied"),
    ).order_by()


def _catalog_by_kind() -> dict[str, dict[str, tuple[int, int]]]:
    """measure → agency kind → (numerator, denominator): procedures as the catalog stands now."""
    out: dict[str, dict[str, tuple[int, int]]] = {}
    for measure in CATALOG_MEASURES:
        denominator = measure.denominator(Procedure.objects.all())
        dens = dict(denominator.values("agency_kind").annotate(n=Count("pk")).values_list("agency_kind", "n"))
        nums = dict(
            measure.numerator(denominator).values("agency_kind").annotate(n=Count("pk")).values_list("agency_kind", "n")
        )
        out[measure.code] = {kind: (nums.get(kind, 0), den) for kind, den in dens.items()}
    return out


def _catalog_for(kinds, catalog) -> dict[str, tuple[int, int]]:
    figures = {}
    for code, per_kind in catalog.items():
        chosen = per_kind.values() if kinds is None else [per_kind[k] for k in set(kinds) if k in per_kind]
        figures[code] = (sum(n for n, _d in chosen), sum(d for _n, d in chosen))
    return figures


def _add(figures: dict, code: str, n: int, d: int) -> None:
    old = figures.get(code, (0, 0))
    figures[code] = (old[0] + (n or 0), old[1] + (d or 0))


def figures_for(period: Period, agency_ids=None) -> dict[str, tuple[int, int]]:
    """measure → (numerator, denominator) over `agency_ids` (None: the province) for the period."""
    figures: dict[str, tuple[int, int]] = {}
    for row in _rollup_rows(period, agency_ids, None):
        _add(figures, row["measure"], row["n"], row["d"])
    for row in _rating_rows(period, agency_ids):
        _add(figures, "satisfaction", row["good"], row["total"])
    kinds = None if agency_ids is None else set(Agency.objects.filter(pk__in=agency_ids).values_list("kind", flat=True))
    figures.update(_catalog_for(kinds, _catalog_by_kind()))
    return figures


def figures_by(period: Period, *, by: str, agency_ids=None) -> dict[int, dict[str, tuple[int, int]]]:
    """Per agency (`by="agency"`) or per commune unit (`by="unit"`): key → measure → (num, den).
    Every agency (or commune) in reach appears, with or without figures."""
    agencies = Agency.objects.filter(is_active=True)
    if agency_ids is not None:
        agencies = agencies.filter(pk__in=agency_ids)
    if by == "unit":
        agencies = agencies.filter(unit__kind__in=COMMUNE_KINDS)
    info = {a.pk: (a.unit_id, a.kind) for a in agencies.only("pk", "unit_id", "kind")}
    key_of = {pk: (unit if by == "unit" else pk) for pk, (unit, _kind) in info.items()}
    out: dict[int, dict[str, tuple[int, int]]] = {key: {} for key in key_of.values()}
    for row in _rollup_rows(period, list(info), "agency_id"):
        _add(out[key_of[row["agency_id"]]], row["measure"], row["n"], row["d"])
    for row in _rating_rows(period, list(info)):
        _add(out[key_of[row["key"]]], "satisfaction", row["good"], row["total"])
    kinds: dict[int, set[str]] = defaultdict(set)
    for pk, (_unit, kind) in info.items():
        kinds[key_of[pk]].add(kind)
    catalog = _catalog_by_kind()
    for key, figures in out.items():
        figures.update(_catalog_for(kinds[key], catalog))
    return out


# --- scores ---------------------------------------------------------------------------------------


@dataclass
class Row:
    key: int
    name: str
    code: str
    card: ScoreCard
    previous: Decimal | None = None
    rank: int | None = None

    @property
    def total(self) -> Decimal | None:
        return self.card.total

    @property
    def change(self) -> Decimal | None:
        if self.total is None or self.previous is None:
            return None
        return self.total - self.previous


def _rank(rows: list[Row]) -> list[Row]:
    """Rank by total (highest first; equal totals share a rank); rows without a score last, unranked."""
    scored = sorted((r for r in rows if r.total is not None), key=lambda r: (-r.total, r.name))
    rank, last = 0, None
    for index, row in enumerate(scored, start=1):
        rounded = round(row.total, 2)
        if rounded != last:
            rank, last = index, rounded
        row.rank = rank
    return scored + sorted((r for r in rows if r.total is None), key=lambda r: r.name)


def card_for(period: Period, agency_ids=None) -> ScoreCard:
    return score_card(definition_for(period.start), figures_for(period, agency_ids))


def table(period: Period, *, by: str, agency_ids=None) -> list[Row]:
    """Every agency (or commune) in reach, scored, ranked among themselves, with the change since
    the previous period of the same length."""
    current = figures_by(period, by=by, agency_ids=agency_ids)
    before = figures_by(period.previous(), by=by, agency_ids=agency_ids)
    definition = definition_for(period.start)
    try:
        previous_definition = definition_for(period.previous().start)
    except DomainError:
        previous_definition = None
    if by == "unit":
        names = {u.pk: (u.name, u.code) for u in Unit.objects.filter(pk__in=list(current))}
    else:
        names = {a.pk: (a.name, a.code) for a in Agency.objects.filter(pk__in=list(current))}
    rows = []
    for key, figures in current.items():
        name, code = names.get(key, ("", ""))
        row = Row(key, name, code, score_card(definition, figures))
        if previous_definition is not None:
            row.previous = score_card(previous_definition, before.get(key, {})).total
        rows.append(row)
    return _rank(rows)


def trend(period: Period, agency_ids=None, *, months: int = 12) -> list[tuple[Period, Decimal | None]]:
    """The total of each of the `months` months ending with the period's last month (one rollup
    query, one ratings query; each month scored with the definition in force at its start)."""
    last = add_months(period.end, -1)
    first = add_months(last, -(months - 1))
    span = Period("month", first, months)
    per_month: dict[datetime.date, dict[str, tuple[int, int]]] = defaultdict(dict)
    for row in _rollup_rows(span, agency_ids, "month"):
        _add(per_month[row["month"]], row["measure"], row["n"], row["d"])
    ratings = RatingRollup.objects.filter(
        dimension=RatingRollup.Dimension.AGENCY, subject="dossier", month__gte=span.start, month__lt=span.end
    )
    if agency_ids is not None:
        ratings = ratings.filter(key__in=agency_ids)
    for row in ratings.values("month").annotate(
        good=Sum("very_satisfied") + Sum("satisfied"),
        total=Sum("very_satisfied") + Sum("satisfied") + Sum("acceptable") + Sum("not_satisfied"),
    ).order_by():
        _add(per_month[row["month"]], "satisfaction", row["good"], row["total"])
    kinds = None if agency_ids is None else set(Agency.objects.filter(pk__in=agency_ids).values_list("kind", flat=True))
    catalog = _catalog_for(kinds, _catalog_by_kind())
    out = []
    for month in span.month_starts():
        try:
            definition = definition_for(month)
        except DomainError:
            out.append((Period("month", month, 1), None))
            continue
        figures = dict(per_month.get(month, {}))
        figures.update(catalog)
        out.append((Period("month", month, 1), score_card(definition, figures).total))
    return out


def commune_rank(period: Period, reach: Reach) -> tuple[int | None, int] | None:
    """(rank, number of communes) of the reader's commune among all communes; None when the reader's
    reach is not exactly one commune."""
    if reach.agency_ids is None:
        return None
    units = set(Agency.objects.filter(pk__in=reach.agency_ids).values_list("unit_id", flat=True))
    if len(units) != 1:
        return None
    rows = table(period, by="unit")
    (unit,) = units
    for row in rows:
        if row.key == unit:
            return row.rank, len(rows)
    return None


# --- the records behind a figure --------------------------------------------------------------------


DRILL_SIDES = ("tu-so", "mau-so", "chua-dat")


def _side(denominator: QuerySet, numerator, side: str) -> QuerySet:
    if side == "tu-so":
        return numerator(denominator)
    if side == "chua-dat":
        return denominator.exclude(pk__in=numerator(denominator).values("pk"))
    return denominator


def drill_records(
    user, *, measure: str, period: Period, side: str, agency_id: int | None = None, unit_id: int | None = None
) -> tuple[str, QuerySet]:
    """The records counted in a figure's numerator (`tu-so`) or denominator (`mau-so`), limited to
    what `user` may read. Returns (kind, queryset): kind is "dossier", "procedure" or "rating"."""
    reach = reach_for(user)
    found = MEASURES.get(measure)
    if found is None or side not in DRILL_SIDES or found.kind not in (DOSSIER, CATALOG, RATINGS):
        raise NotFound(code="index_not_found")
    _check_agency(reach, agency_id)
    agencies = Agency.objects.all()
    if reach.agency_ids is not None:
        agencies = agencies.filter(pk__in=reach.agency_ids)
    if agency_id is not None:
        agencies = agencies.filter(pk=agency_id)
    if unit_id is not None:
        agencies = agencies.filter(unit_id=unit_id)
    start, end = local_start(period.start), local_start(period.end)
    if found.kind == DOSSIER:
        base = Dossier.objects.filter(
            receiving_agency__in=agencies, **{f"{found.basis}__gte": start, f"{found.basis}__lt": end}
        )
        rows = _side(found.denominator(base), found.numerator, side)
        rows = rows.select_related("procedure", "receiving_agency").order_by(f"-{found.basis}", "-pk")
        return "dossier", rows
    if found.kind == RATINGS:
        rows = Rating.objects.filter(
            dossier__isnull=False, agency__in=agencies, rated_at__gte=start, rated_at__lt=end
        )
        rows = _side(rows, lambda qs: qs.filter(level__in=SATISFIED_LEVELS), side)
        return "rating", rows.select_related("agency", "procedure").order_by("-rated_at", "-pk")
    kinds = agencies.values("kind")
    rows = _side(found.denominator(Procedure.objects.filter(agency_kind__in=kinds)), found.numerator, side)
    return "procedure", rows.order_by("code")


def reach_agencies(reach: Reach) -> QuerySet[Agency]:
    rows = Agency.objects.filter(is_active=True).order_by("name")
    return rows if reach.agency_ids is None else rows.filter(pk__in=reach.agency_ids)

