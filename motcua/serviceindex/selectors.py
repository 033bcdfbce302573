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

from django.db.models import BigIntegerField, Case, Count, DateField, F, Q, QuerySet, Sum, When
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.catalog.models import Procedure
from motcua.core import scope
from motcua.core.errors import DomainError, NotFound
from motcua.core.models import COMMUNE_KINDS, Agency, Role, Unit
from motcua.dossiers.models import Dossier
from motcua.fieldreports.models import FieldReport
from motcua.ratings.models import Rating, RatingRollup

from .measures import (
    ANSWERED_ON_TIME,
    CATALOG,
    DOSSIER,
    MEASURES,
    RATINGS,
    REPORTS,
    SATISFIED_LEVELS,
    WEIGHTED_MEASURES,
    reports_answered_on_time,
    reports_due,
)
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


def _no_definition() -> DomainError:
    return DomainError(_("Chưa có bộ chỉ số áp dụng cho kỳ này."), code="index_no_definition", status=422)


def definition_for(start: datetime.date) -> IndexDefinition:
    """The version effective at `start` (the latest one starting on or before it)."""
    return Lookup().definition(start)


def definitions() -> QuerySet[IndexDefinition]:
    return IndexDefinition.objects.prefetch_related("groups__indicators").order_by("-effective_from")


class Lookup:
    """What a page asks for more than once, read once: every version of the definition (a handful
    of rows, three queries) and the catalog's figures by agency kind (one query). One per request."""

    def __init__(self) -> None:
        self._definitions: list[IndexDefinition] | None = None
        self._catalog: dict[str, dict[str, tuple[int, int]]] | None = None

    def definition(self, start: datetime.date) -> IndexDefinition:
        if self._definitions is None:
            self._definitions = list(definitions())
        for found in self._definitions:  # newest first
            if found.effective_from <= start:
                return found
        raise _no_definition()

    def definition_or_none(self, start: datetime.date) -> IndexDefinition | None:
        try:
            return self.definition(start)
        except DomainError:
            return None

    def catalog(self) -> dict[str, dict[str, tuple[int, int]]]:
        if self._catalog is None:
            self._catalog = _catalog_by_kind()
        return self._catalog


# --- figures (rollups and the catalog; no per-dossier reads) ----------------------------------------


# The figures scored: a cell's counts, or for a weighted measure (avg_time) its sums of weights.
_WEIGHTED = Q(measure__in=WEIGHTED_MEASURES)
_SCORED_N = Case(When(_WEIGHTED, then=F("weight_numerator")), default=F("numerator"), output_field=BigIntegerField())
_SCORED_D = Case(
    When(_WEIGHTED, then=F("weight_denominator")), default=F("denominator"), output_field=BigIntegerField()
)


def _rollup_rows(start: datetime.date, end: datetime.date, agency_ids, keys: list[str]):
    rows = IndexRollup.objects.filter(month__gte=start, month__lt=end)
    if agency_ids is not None:
        rows = rows.filter(agency_id__in=agency_ids)
    return rows.values("measure", *keys).annotate(n=Sum(_SCORED_N), d=Sum(_SCORED_D)).order_by()


def _rating_rows(start: datetime.date, end: datetime.date, agency_ids, keys: list[str]):
    rows = RatingRollup.objects.filter(
        dimension=RatingRollup.Dimension.AGENCY, subject="dossier", month__gte=start, month__lt=end
    )
    if agency_ids is not None:
        rows = rows.filter(key__in=agency_ids)
    return (
        rows.values(*keys)
        .annotate(
            good=Sum("very_satisfied") + Sum("satisfied"),
            total=Sum("very_satisfied") + Sum("satisfied") + Sum("acceptable") + Sum("not_satisfied"),
        )
        .order_by()
    )


def _reports(start: datetime.date, end: datetime.date, agency_ids) -> QuerySet[FieldReport]:
    """The field reports counted in the months [start, end): by the month of their deadline."""
    rows = FieldReport.objects.filter(due_at__gte=local_start(start), due_at__lt=local_start(end))
    if agency_ids is not None:
        rows = rows.filter(agency_id__in=agency_ids)
    return reports_due(rows, timezone.now())


def _report_rows(start: datetime.date, end: datetime.date, agency_ids):
    month = TruncMonth("due_at", output_field=DateField(), tzinfo=timezone.get_current_timezone())
    return (
        _reports(start, end, agency_ids)
        .annotate(month=month)
        .values("month")
        .annotate(n=Count("pk", filter=ANSWERED_ON_TIME), d=Count("pk"))
        .order_by()
    )


def _catalog_by_kind() -> dict[str, dict[str, tuple[int, int]]]:
    """measure → agency kind → (numerator, denominator): procedures as the catalog stands now.
    One grouped query, two conditional counts per catalog measure."""
    counts = {}
    for measure in CATALOG_MEASURES:
        denominator = measure.denominator(Procedure.objects.all())
        counts[f"{measure.code}__d"] = Count("pk", filter=Q(pk__in=denominator.values("pk")))
        counts[f"{measure.code}__n"] = Count("pk", filter=Q(pk__in=measure.numerator(denominator).values("pk")))
    out: dict[str, dict[str, tuple[int, int]]] = {m.code: {} for m in CATALOG_MEASURES}
    for row in Procedure.objects.values("agency_kind").annotate(**counts).order_by():
        for measure in CATALOG_MEASURES:
            if row[f"{measure.code}__d"]:
                out[measure.code][row["agency_kind"]] = (row[f"{measure.code}__n"], row[f"{measure.code}__d"])
    return out


def _catalog_for(kinds, catalog) -> dict[str, tuple[int, int]]:
    figures = {}
    for code, per_kind in catalog.items():
        chosen = per_kind.values() if kinds is None else [per_kind[k] for k in set(kinds) if k in per_kind]
        figures[code] = (sum(n for n, _d in chosen), sum(d for _n, d in chosen))
    return figures


def _kinds(agency_ids) -> set[str] | None:
    if agency_ids is None:
        return None
    return set(Agency.objects.filter(pk__in=agency_ids).values_list("kind", flat=True))


def _add(figures: dict, code: str, n: int, d: int) -> None:
    old = figures.get(code, (0, 0))
    figures[code] = (old[0] + (n or 0), old[1] + (d or 0))


def _monthly(start: datetime.date, end: datetime.date, agency_ids) -> dict[datetime.date, dict[str, tuple[int, int]]]:
    """month → measure → (num, den) from the rollups and the ratings' rollup: two queries."""
    per_month: dict[datetime.date, dict[str, tuple[int, int]]] = defaultdict(dict)
    for row in _rollup_rows(start, end, agency_ids, ["month"]):
        _add(per_month[row["month"]], row["measure"], row["n"], row["d"])
    for row in _rating_rows(start, end, agency_ids, ["month"]):
        _add(per_month[row["month"]], "satisfaction", row["good"], row["total"])
    for row in _report_rows(start, end, agency_ids):
        _add(per_month[_as_date(row["month"])], "reports_on_time", row["n"], row["d"])
    return per_month


def _as_date(value) -> datetime.date:
    return value.date() if isinstance(value, datetime.datetime) else value


def _sum_months(per_month, months) -> dict[str, tuple[int, int]]:
    figures: dict[str, tuple[int, int]] = {}
    for month in months:
        for code, (n, d) in per_month.get(month, {}).items():
            _add(figures, code, n, d)
    return figures


def figures_for(period: Period, agency_ids=None, *, lookup: Lookup | None = None) -> dict[str, tuple[int, int]]:
    """measure → (numerator, denominator) over `agency_ids` (None: the province) for the period."""
    lookup = lookup or Lookup()
    figures = _sum_months(_monthly(period.start, period.end, agency_ids), period.month_starts())
    figures.update(_catalog_for(_kinds(agency_ids), lookup.catalog()))
    return figures


def figures_by(
    period: Period, *, by: str, agency_ids=None, lookup: Lookup | None = None, previous: bool = False
) -> dict[int, dict[str, tuple[int, int]]] | tuple[dict, dict]:
    """Per agency (`by="agency"`) or per commune unit (`by="unit"`): key → measure → (num, den).
    Every agency (or commune) in reach appears, with or without figures. With `previous`, a pair:
    this period's and the previous period's figures, read in the same two queries (conditional sums)."""
    lookup = lookup or Lookup()
    agencies = Agency.objects.filter(is_active=True)
    if agency_ids is not None:
        agencies = agencies.filter(pk__in=agency_ids)
    if by == "unit":
        agencies = agencies.filter(unit__kind__in=COMMUNE_KINDS)
    info = {a.pk: (a.unit_id, a.kind) for a in agencies.only("pk", "unit_id", "kind")}
    key_of = {pk: (unit if by == "unit" else pk) for pk, (unit, _kind) in info.items()}
    current: dict[int, dict[str, tuple[int, int]]] = {key: {} for key in key_of.values()}
    before: dict[int, dict[str, tuple[int, int]]] = {key: {} for key in key_of.values()}
    start = period.previous().start if previous else period.start
    ids = None if agency_ids is None and by == "agency" else list(info)
    now = Q(month__gte=period.start)
    rollups = (
        IndexRollup.objects.filter(month__gte=start, month__lt=period.end)
        .values("agency_id", "measure")
        .annotate(
            n=Sum(_SCORED_N, filter=now), d=Sum(_SCORED_D, filter=now),
            pn=Sum(_SCORED_N, filter=~now), pd=Sum(_SCORED_D, filter=~now),
        )
        .order_by()
    )  # fmt: skip
    ratings = (
        RatingRollup.objects.filter(
            dimension=RatingRollup.Dimension.AGENCY, subject="dossier", month__gte=start, month__lt=period.end
        )
        .values("key")
        .annotate(
            good=Sum("very_satisfied", filter=now) + Sum("satisfied", filter=now),
            total=Sum("very_satisfied", filter=now) + Sum("satisfied", filter=now)
            + Sum("acceptable", filter=now) + Sum("not_satisfied", filter=now),
            pgood=Sum("very_satisfied", filter=~now) + Sum("satisfied", filter=~now),
            ptotal=Sum("very_satisfied", filter=~now) + Sum("satisfied", filter=~now)
            + Sum("acceptable", filter=~now) + Sum("not_satisfied", filter=~now),
        )
        .order_by()
    )  # fmt: skip
    reports_now = Q(due_at__gte=local_start(period.start))
    reports = (
        _reports(start, period.end, ids)
        .values("agency_id")
        .annotate(
            n=Count("pk", filter=reports_now & ANSWERED_ON_TIME), d=Count("pk", filter=reports_now),
            pn=Count("pk", filter=~reports_now & ANSWERED_ON_TIME), pd=Count("pk", filter=~reports_now),
        )
        .order_by()
    )  # fmt: skip
    if ids is not None:
        rollups, ratings = rollups.filter(agency_id__in=ids), ratings.filter(key__in=ids)
    for row in rollups:
        key = key_of.get(row["agency_id"])
        if key is None:
            continue
        if row["d"]:
            _add(current[key], row["measure"], row["n"], row["d"])
        if row["pd"]:
            _add(before[key], row["measure"], row["pn"], row["pd"])
    for row in ratings:
        key = key_of.get(row["key"])
        if key is None:
            continue
        if row["total"]:
            _add(current[key], "satisfaction", row["good"], row["total"])
        if row["ptotal"]:
            _add(before[key], "satisfaction", row["pgood"], row["ptotal"])
    for row in reports:
        key = key_of.get(row["agency_id"])
        if key is None:
            continue
        if row["d"]:
            _add(current[key], "reports_on_time", row["n"], row["d"])
        if row["pd"]:
            _add(before[key], "reports_on_time", row["pn"], row["pd"])
    kinds: dict[int, set[str]] = defaultdict(set)
    for pk, (_unit, kind) in info.items():
        kinds[key_of[pk]].add(kind)
    catalog = lookup.catalog()
    for key in current:
        figures = _catalog_for(kinds[key], catalog)
        current[key].update(figures)
        before[key].update(figures)
    return (current, before) if previous else current


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


def card_for(period: Period, agency_ids=None, *, lookup: Lookup | None = None) -> ScoreCard:
    lookup = lookup or Lookup()
    return score_card(lookup.definition(period.start), figures_for(period, agency_ids, lookup=lookup))


def table(period: Period, *, by: str, agency_ids=None, lookup: Lookup | None = None) -> list[Row]:
    """Every agency (or commune) in reach, scored, ranked among themselves, with the change since
    the previous period of the same length (both periods read by the same queries)."""
    lookup = lookup or Lookup()
    definition = lookup.definition(period.start)
    previous_definition = lookup.definition_or_none(period.previous().start)
    current, before = figures_by(period, by=by, agency_ids=agency_ids, lookup=lookup, previous=True)
    if by == "unit":
        names = {u.pk: (u.name, u.code) for u in Unit.objects.filter(pk__in=list(current)).only("name", "code")}
    else:
        names = {a.pk: (a.name, a.code) for a in Agency.objects.filter(pk__in=list(current)).only("name", "code")}
    rows = []
    for key, figures in current.items():
        name, code = names.get(key, ("", ""))
        row = Row(key, name, code, score_card(definition, figures))
        if previous_definition is not None:
            row.previous = score_card(previous_definition, before.get(key, {})).total
        rows.append(row)
    return _rank(rows)


@dataclass
class Overview:
    """The reader's page: the period's card, the previous period's total (None: no definition or no
    score) and the 12-month trend."""

    card: ScoreCard
    previous: Decimal | None
    trend: list[tuple[Period, Decimal | None]]

    @property
    def change(self) -> Decimal | None:
        if self.previous is None or self.card.total is None:
            return None
        return self.card.total - self.previous


def overview(period: Period, agency_ids=None, *, months: int = 12, lookup: Lookup | None = None) -> Overview:
    """Card, previous total and trend from one read of the monthly rollups and ratings over the
    months they span, one catalog query and the definitions (read once)."""
    lookup = lookup or Lookup()
    definition = lookup.definition(period.start)
    last = add_months(period.end, -1)
    span = Period("month", add_months(last, -(months - 1)), months)
    previous_period = period.previous()
    start = min(span.start, previous_period.start)
    per_month = _monthly(start, period.end, agency_ids)
    catalog = _catalog_for(_kinds(agency_ids), lookup.catalog())

    def figures(months_of) -> dict[str, tuple[int, int]]:
        out = _sum_months(per_month, months_of)
        out.update(catalog)
        return out

    card = score_card(definition, figures(period.month_starts()))
    previous_definition = lookup.definition_or_none(previous_period.start)
    previous = None
    if previous_definition is not None:
        previous = score_card(previous_definition, figures(previous_period.month_starts())).total
    return Overview(card, previous, _trend_points(span, per_month, catalog, lookup))


def trend(period: Period, agency_ids=None, *, months: int = 12) -> list[tuple[Period, Decimal | None]]:
    """The total of each of the `months` months ending with the period's last month (each month
    scored with the definition in force at its start; None before the first definition)."""
    lookup = Lookup()
    last = add_months(period.end, -1)
    span = Period("month", add_months(last, -(months - 1)), months)
    per_month = _monthly(span.start, span.end, agency_ids)
    catalog = _catalog_for(_kinds(agency_ids), lookup.catalog())
    return _trend_points(span, per_month, catalog, lookup)


def _trend_points(span: Period, per_month, catalog, lookup: Lookup) -> list[tuple[Period, Decimal | None]]:
    out = []
    for month in span.month_starts():
        found = lookup.definition_or_none(month)
        figures = {**_sum_months(per_month, [month]), **catalog}
        out.append((Period("month", month, 1), None if found is None else score_card(found, figures).total))
    return out


def commune_rank(period: Period, reach: Reach, *, lookup: Lookup | None = None) -> tuple[int | None, int] | None:
    """(rank, number of communes) of the reader's commune among all communes; None when the reader's
    reach is not exactly one commune."""
    if reach.agency_ids is None:
        return None
    units = set(Agency.objects.filter(pk__in=reach.agency_ids).values_list("unit_id", flat=True))
    if len(units) != 1:
        return None
    rows = table(period, by="unit", lookup=lookup)
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
    if found is None or side not in DRILL_SIDES or found.kind not in (DOSSIER, CATALOG, RATINGS, REPORTS):
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
    if found.kind == REPORTS:
        rows = reports_due(
            FieldReport.objects.filter(agency__in=agencies, due_at__gte=start, due_at__lt=end), timezone.now()
        )
        rows = _side(rows, reports_answered_on_time, side)
        return "report", rows.select_related("agency").order_by("-due_at", "-pk")
    if found.kind == RATINGS:
        rows = Rating.objects.filter(dossier__isnull=False, agency__in=agencies, rated_at__gte=start, rated_at__lt=end)
        rows = _side(rows, lambda qs: qs.filter(level__in=SATISFIED_LEVELS), side)
        return "rating", rows.select_related("agency", "procedure").order_by("-rated_at", "-pk")
    kinds = agencies.values("kind")
    rows = _side(found.denominator(Procedure.objects.filter(agency_kind__in=kinds)), found.numerator, side)
    return "procedure", rows.order_by("code")


def reach_agencies(reach: Reach) -> QuerySet[Agency]:
    rows = Agency.objects.filter(is_active=True).order_by("name")
    return rows if reach.agency_ids is None else rows.filter(pk__in=reach.agency_ids)
