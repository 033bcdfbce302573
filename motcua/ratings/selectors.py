"""Reads for satisfaction ratings: reasons, the desk tablet's dossier, and the statistics.

Satisfaction rate. Decision 766/QĐ-TTg (2022) scores the "mức độ hài lòng" indicator of the
national service index from citizens' ratings of their dossiers. We could not confirm the exact
wording of its formula from a source available to us, so the rate here is defined as

    satisfaction rate = (very satisfied + satisfied + acceptable) / all ratings

i.e. every rating except "Không hài lòng" counts as satisfied. Reasons: the four-level scale
used on the national public service portal treats "Chấp nhận được" as an accepted (not
dissatisfied) outcome, and the published provincial figures (e.g. Cà Mau's 99.72% "satisfied")
are only plausible with that reading. The stricter share (very satisfied + satisfied) is
reported beside it as `strict_rate` so a dashboard can show both. See
docs/decisions/ratings-satisfaction-rate.md. No ratings -> rate None (not 0, not 100).

Statistics read RatingRollup only (never the Rating rows), so a page costs a fixed number of
queries whatever the volume. Scope: a manager or leader sees the rollups of the agencies, units,
counters and officers inside the units of their roles; the per-procedure table mixes every
agency, so it is shown only to province-wide readers (superuser, or a role on a province unit).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Q, Sum
from django.utils import timezone

from motcua.catalog.models import Procedure
from motcua.core import scope as core_scope
from motcua.core.errors import NotFound
from motcua.core.models import Agency, Counter, Role, Unit, User
from motcua.core.text import display_name
from motcua.dossiers.models import DossierEvent, DossierStatus

from .models import RatingReason, RatingRollup
from .services import TZ

STATS_ROLES = (Role.MANAGER, Role.LEADER, Role.ADMINISTRATOR)
LEVELS = ("very_satisfied", "satisfied", "acceptable", "not_satisfied")
D = RatingRollup.Dimension


def reasons_active() -> list[RatingReason]:
    return list(RatingReason.objects.filter(is_active=True))


# --- the rate ------------------------------------------------------------------------------------


@dataclass
class Figures:
    very_satisfied: int = 0
    satisfied: int = 0
    acceptable: int = 0
    not_satisfied: int = 0

    @property
    def total(self) -> int:
        return self.very_satisfied + self.satisfied + self.acceptable + self.not_satisfied

    @property
    def rate(self) -> Decimal | None:
        """Satisfaction rate in percent, 2 decimals (see module doc); None without ratings."""
        return _percent(self.very_satisfied + self.satisfied + self.acceptable, self.total)

    @property
    def strict_rate(self) -> Decimal | None:
        return _percent(self.very_satisfied + self.satisfied, self.total)

    def add(self, row) -> None:
        for name in LEVELS:
            setattr(self, name, getattr(self, name) + (row[name] if isinstance(row, dict) else getattr(row, name)))

    def as_dict(self) -> dict:
        return {
            **{name: getattr(self, name) for name in LEVELS},
            "total": self.total,
            "rate": self.rate,
            "strict_rate": self.strict_rate,
        }


def _percent(part: int, total: int) -> Decimal | None:
    if not total:
        return None
    return (Decimal(part) * 100 / Decimal(total)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def rate_of(*, very_satisfied=0, satisfied=0, acceptable=0, not_satisfied=0) -> Decimal | None:
    """The satisfaction rate (percent) of these counts; None when there are none."""
    return Figures(very_satisfied, satisfied, acceptable, not_satisfied).rate


# --- scope ---------------------------------------------------------------------------------------


@dataclass
class StatsScope:
    everything: bool = False
    units: set[int] = field(default_factory=set)

    @property
    def sees_procedures(self) -> bool:
        return self.everything


def stats_scope_for(user) -> StatsScope:
    """Who may read rating statistics, and of what; NotFound for anyone else (citizens, clerks)."""
    if not core_scope.is_signed_in(user):
        raise NotFound(code="rating_stats_not_found")
    if user.is_superuser:
        return StatsScope(everything=True)
    # Only the units of the statistics roles: a leader who is also a receptionist elsewhere does
    # not read that other place's figures.
    everything, units = core_scope.role_units_reach(user, roles=STATS_ROLES)
    if everything:
        return StatsScope(everything=True)
    if not units:
        raise NotFound(code="rating_stats_not_found")
    return StatsScope(units=units)


def _keys_in_scope(scope: StatsScope, dimension: str, keys: set[int]) -> set[int]:
    if scope.everything or not keys:
        return keys
    units = scope.units
    if dimension == D.UNIT:
        return keys & units
    if dimension == D.AGENCY:
        return set(Agency.objects.filter(pk__in=keys, unit_id__in=units).values_list("pk", flat=True))
    if dimension == D.COUNTER:
        return set(Counter.objects.filter(pk__in=keys, office__agency__unit_id__in=units).values_list("pk", flat=True))
    if dimension == D.OFFICER:
        # Officers who have since left still count in figures about their past work.
        officers = core_scope.officers_holding(units=units, include_inactive=True)
        return set(officers.filter(pk__in=keys).values_list("pk", flat=True))
    return set()  # procedures: province-wide readers only


def _names(dimension: str, keys: set[int]) -> dict[int, str]:
    if not keys:
        return {}
    if dimension == D.OFFICER:
        return {u.pk: display_name(u) for u in User.objects.filter(pk__in=keys)}
    if dimension == D.COUNTER:
        return {c.pk: str(c) for c in Counter.objects.select_related("office").filter(pk__in=keys)}
    if dimension == D.PROCEDURE:
        return dict(Procedure.objects.filter(pk__in=keys).values_list("pk", "name"))
    if dimension == D.AGENCY:
        return dict(Agency.objects.filter(pk__in=keys).values_list("pk", "name"))
    return dict(Unit.objects.filter(pk__in=keys).values_list("pk", "name"))


# --- statistics ----------------------------------------------------------------------------------


def month_range(since: datetime.date | None, until: datetime.date | None) -> tuple[datetime.date, datetime.date]:
    """First days of the first and last month shown; default: the last 12 months to this one."""
    today = timezone.localtime(timezone.now(), TZ).date()
    until = (until or today).replace(day=1)
    if since is None:
        year, month = until.year, until.month - 11
        while month < 1:
            year, month = year - 1, month + 12
        since = datetime.date(year, month, 1)
    return since.replace(day=1), until


def _rows(dimension: str, since, until, subject: str):
    return (
        RatingRollup.objects.filter(dimension=dimension, subject=subject, month__gte=since, month__lte=until)
        .values("key")
        .annotate(**{name: Sum(name) for name in LEVELS})
    )


def stats_table(
    user, *, dimension: str, since=None, until=None, subject: str = "dossier", scope: StatsScope | None = None
) -> list[dict]:
    """One row per dimension value in the reader's scope: name, counts, total, rate; best rate first.

    `scope`: the reader's `stats_scope_for(user)` when the caller already has it (a page with
    several tables), so it is not worked out again for each one.
    """
    scope = scope or stats_scope_for(user)
    if dimension not in D.values:
        raise NotFound(code="rating_dimension_not_found")
    if dimension == D.PROCEDURE and not scope.sees_procedures:
        return []
    since, until = month_range(since, until)
    rows = {row["key"]: row for row in _rows(dimension, since, until, subject)}
    keys = _keys_in_scope(scope, dimension, set(rows))
    names = _names(dimension, keys)
    table = []
    for key in keys:
        figures = Figures()
        figures.add(rows[key])
        table.append({"key": key, "name": names.get(key, f"#{key}"), **figures.as_dict()})
    table.sort(key=lambda r: (-(r["rate"] or 0), -r["total"], r["name"]))
    return table


def stats_by_month(
    user, *, since=None, until=None, subject: str = "dossier", scope: StatsScope | None = None
) -> list[dict]:
    """The reader's whole scope month by month (summing the per-agency rollups in scope)."""
    scope = scope or stats_scope_for(user)
    since, until = month_range(since, until)
    rows = RatingRollup.objects.filter(dimension=D.AGENCY, subject=subject, month__gte=since, month__lte=until)
    if not scope.everything:
        rows = rows.filter(key__in=Agency.objects.filter(unit_id__in=scope.units).values("pk"))
    by_month: dict[datetime.date, Figures] = {}
    for row in rows.values("month").annotate(**{name: Sum(name) for name in LEVELS}).order_by("month"):
        by_month.setdefault(row["month"], Figures()).add(row)
    return [{"month": month, **figures.as_dict()} for month, figures in sorted(by_month.items())]


def satisfaction_rate(
    user=None,
    *,
    dimension: str = D.AGENCY,
    key: int | None = None,
    since: datetime.date | None = None,
    until: datetime.date | None = None,
    subject: str = "dossier",
) -> dict:
    """Counts, total, rate and strict_rate for dashboards, from the rollups.

    `key` narrows to one agency / officer / ...; without it, every value of the dimension is
    summed (use AGENCY or UNIT for "all ratings"). With `user`, only what they may see counts
    (NotFound if they may not read statistics); without, no scoping (internal callers).
    """
    since, until = month_range(since, until)
    rows = {r["key"]: r for r in _rows(dimension, since, until, subject)}
    keys = set(rows) if key is None else ({key} & set(rows))
    if user is not None:
        keys = _keys_in_scope(stats_scope_for(user), dimension, keys)
    figures = Figures()
    for k in keys:
        figures.add(rows[k])
    return figures.as_dict()


# --- the desk tablet -----------------------------------------------------------------------------

DESK_WINDOW = datetime.timedelta(hours=4)


def desk_dossier(counter: Counter, officer_id: int, *, now: datetime.datetime | None = None):
    """The dossier just returned at this counter's office by the paired officer and not yet rated.

    Only today's recent returns (DESK_WINDOW): an old dossier must not pop up for the next citizen.
    """
    now = now or timezone.now()
    office = counter.office
    event = (
        DossierEvent.objects.filter(
            action="return_result",
            actor_id=officer_id,
            at__gte=now - DESK_WINDOW,
            dossier__status=DossierStatus.RETURNED,
            dossier__rating__isnull=True,
        )
        .filter(
            Q(dossier__office_id=office.pk)
            | Q(dossier__office__isnull=True, dossier__receiving_agency_id=office.agency_id)
        )
        .select_related("dossier__procedure")
        .order_by("-at", "-id")
        .first()
    )
    return event.dossier if event else None
