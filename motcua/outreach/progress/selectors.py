"""Reads of outreach progress, with the access check in the same functions.

Who sees what (household data is personal data; these pages hold aggregates only):
- leaders, managers and administrators whose role covers a commune (role on the commune, on one
  of its agencies, or on the province) see that commune's figures; on the province, the
  provincial view (figures per commune, no household lists);
- a team member sees the figures of their own area: the hamlets their teams cover, their teams;
- exports need the manager role (or a superuser); setting targets, leader or manager.
Anything else is "not found", so that a typed unit code does not reveal more than the public list.

Figures come from the rollup tables kept by `progress.services`, never from counting visits.
An officer's roles and their units come from `motcua.core.scope` (`role_unit_ids`).
"""

import datetime
from collections import defaultdict

from django.conf import settings
from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.core import scope
from motcua.core.errors import NotFound
from motcua.core.models import COMMUNE_KINDS, PROVINCE_KINDS, Era, Hamlet, Role, Unit
from motcua.outreach.models import (
    Indicator,
    OutreachTeam,
    ProgressDaily,
    ProgressMonthly,
    ProgressTotal,
    Target,
    TeamMember,
)
from motcua.outreach.models.progress import VISIT_ROW
from motcua.outreach.progress.figures import (
    HEADLINE,
    campaign_figures,
    counters_of,
    daily_keys,
    headline_figures,
    share,
    target_progress,
    trend_points,
    window_start,
)

VIEW_ROLES = {Role.LEADER, Role.MANAGER, Role.ADMINISTRATOR}
TARGET_ROLES = {Role.LEADER, Role.MANAGER, Role.ADMINISTRATOR}
EXPORT_ROLES = {Role.MANAGER}


# --- Access ----------------------------------------------------------------------------------------


class _Access:
    """The user's roles and the units they sit in, read once per page (one query).

    A role covers its unit and the units right below it (a province's role covers its communes).
    """

    def __init__(self, user):
        self.user = user
        self.superuser = bool(getattr(user, "is_superuser", False))
        self.units = {} if self.superuser else scope.role_unit_ids(user)

    def unit_ids(self, roles: set[str]) -> set[int]:
        return set().union(*(self.units.get(role, set()) for role in roles))

    def covers(self, unit: Unit, roles: set[str]) -> bool:
        if self.superuser:
            return True
        scopes = self.unit_ids(roles)
        return unit.pk in scopes or (unit.parent_id is not None and unit.parent_id in scopes)


def progress_may_view(user, unit: Unit) -> bool:
    return _Access(user).covers(unit, VIEW_ROLES)


def progress_may_export(user, unit: Unit) -> bool:
    return _Access(user).covers(unit, EXPORT_ROLES)


def progress_may_set_targets(user, unit: Unit) -> bool:
    return _Access(user).covers(unit, TARGET_ROLES)


def _member_teams(user, unit: Unit) -> list[OutreachTeam]:
    if not getattr(user, "is_authenticated", False):
        return []
    return list(
        OutreachTeam.objects.filter(unit=unit, is_active=True, members__user=user, members__is_active=True)
        .prefetch_related("hamlets")
        .distinct()
    )


def progress_home_for(user) -> tuple[str, str | None] | None:
    """Which progress page to open for this user: ("province", None), ("commune", code) or None."""
    if getattr(user, "is_superuser", False):
        return ("province", None)
    units = Unit.objects.filter(pk__in=_Access(user).unit_ids(VIEW_ROLES)).order_by("code")
    for unit in units:
        if unit.kind in PROVINCE_KINDS:
            return ("province", None)
    for unit in units:
        if unit.kind in COMMUNE_KINDS:
            return ("commune", unit.code)
    if getattr(user, "is_authenticated", False):
        team = OutreachTeam.objects.filter(members__user=user, members__is_active=True).select_related("unit").first()
        if team:
            return ("commune", team.unit.code)
    return None


def _commune_or_404(code: str) -> Unit:
    unit = Unit.objects.filter(era=Era.CURRENT, code=code, kind__in=COMMUNE_KINDS).first()
    if unit is None:
        raise NotFound(_("Không tìm thấy xã, phường."), code="unit_not_found")
    return unit


def _province_or_404(code: str | None) -> Unit:
    if code is None:
        code = f"{int(settings.PROVINCE_CODE):02d}"
    unit = Unit.objects.filter(era=Era.CURRENT, code=code, kind__in=PROVINCE_KINDS).first()
    if unit is None:
        raise NotFound(_("Không tìm thấy tỉnh."), code="unit_not_found")
    return unit


def progress_commune(user, *, code: str, today: datetime.date | None = None) -> dict:
    """The commune page: teams, members, households, headline figures, per-indicator progress vs
    target, hamlets and teams ranked, a 12-month trend. A team member sees their own area only."""
    today = today or timezone.localdate()
    unit = _commune_or_404(code)
    access = _Access(user)
    full = access.covers(unit, VIEW_ROLES)
    my_teams = [] if full else _member_teams(user, unit)
    if not full and not my_teams:
        raise NotFound(_("Không tìm thấy xã, phường."), code="unit_not_found")
    area_hamlets: set[int] | None = None
    if not full:
        area_hamlets = set()
        for team in my_teams:
            covered = {h.pk for h in team.hamlets.all()}
            if not covered:  # a team without listed hamlets covers the whole commune
                area_hamlets = None
                break
            area_hamlets |= covered

    indicators = list(Indicator.objects.filter(is_active=True).order_by("order", "code"))
    teams = list(
        OutreachTeam.objects.filter(unit=unit, is_active=True)
        .annotate(member_count=Count("members", filter=Q(members__is_active=True)))
        .order_by("name")
    )
    if my_teams:
        mine = {t.pk for t in my_teams}
        teams = [t for t in teams if t.pk in mine]
    hamlets = Hamlet.objects.filter(unit=unit).annotate(household_count=Count("households")).order_by("name")
    if area_hamlets is not None:
        hamlets = hamlets.filter(pk__in=area_hamlets)
    hamlets = list(hamlets)

    monthly = ProgressMonthly.objects.filter(unit=unit)
    if area_hamlets is not None:
        monthly = monthly.filter(hamlet_id__in=area_hamlets)
    grouped = list(
        monthly.values("hamlet_id", "team_key", "indicator_key").annotate(
            visits=Sum("visits"),
            households_reached=Sum("households_reached"),
            people_helped=Sum("people_helped"),
            achievements=Sum("achievements"),
            households_achieved=Sum("households_achieved"),
        )
    )
    by_hamlet = defaultdict(lambda: defaultdict(int))
    by_team = defaultdict(lambda: defaultdict(int))
    by_indicator = defaultdict(lambda: defaultdict(int))
    for row in grouped:
        for field, value in counters_of(row).items():
            by_hamlet[(row["hamlet_id"], row["indicator_key"])][field] += value
            by_team[(row["team_key"], row["indicator_key"])][field] += value
            by_indicator[row["indicator_key"]][field] += value

    households = sum(h.household_count for h in hamlets)
    visit_row = by_indicator.get(VISIT_ROW, {})
    reached = visit_row.get("households_reached", 0)

    targets = (
        list(
            Target.objects.filter(unit=unit)
            .select_related("indicator", "campaign")
            .order_by("ends_on", "indicator__order")
        )
        if area_hamlets is None and not my_teams
        else []
    )
    daily = (
        list(
            ProgressDaily.objects.filter(
                unit=unit, day__gte=window_start(today, targets), indicator_key__in=daily_keys(targets)
            ).values("indicator_key", "day", "visits", "households_reached", "households_achieved")
        )
        if full
        else []
    )
    hamlet_rows = sorted(
        (
            {
                "hamlet": h,
                "households": h.household_count,
                "reached": by_hamlet[(h.pk, VISIT_ROW)]["households_reached"],
                "visits": by_hamlet[(h.pk, VISIT_ROW)]["visits"],
                "share": share(by_hamlet[(h.pk, VISIT_ROW)]["households_reached"], h.household_count),
            }
            for h in hamlets
        ),
        key=lambda r: (-(r["share"] or 0), -r["reached"], r["hamlet"].name),
    )
    team_rows = sorted(
        (
            {
                "team": t,
                "members": t.member_count,
                "reached": by_team[(t.pk, VISIT_ROW)]["households_reached"],
                "visits": by_team[(t.pk, VISIT_ROW)]["visits"],
                "achievements": sum(v["achievements"] for (k, _i), v in by_team.items() if k == t.pk),
            }
            for t in teams
        ),
        key=lambda r: (-r["reached"], -r["visits"], r["team"].name),
    )
    for rank, row in enumerate(hamlet_rows, 1):
        row["rank"] = rank
    for rank, row in enumerate(team_rows, 1):
        row["rank"] = rank

    indicator_rows = []
    target_figures = target_progress(
        targets,
        households=households,
        reached_total=reached,
        by_indicator=by_indicator,
        daily=daily,
        campaign_figures=campaign_figures(targets),
        today=today,
    )
    for indicator in indicators:
        figures = by_indicator.get(indicator.pk, {})
        own = [r for r in target_figures if r["target"].indicator_id == indicator.pk and not r["target"].campaign_id]
        indicator_rows.append(
            {
                "indicator": indicator,
                "achievements": figures.get("achievements", 0),
                "households": figures.get("households_achieved", 0),
                "share": share(figures.get("households_achieved", 0), households),
                "target": own[0] if own else None,
            }
        )
    return {
        "unit": unit,
        "today": today,
        "full": full,
        "my_teams": my_teams,
        "teams": len(teams),
        "members": sum(t.member_count for t in teams),
        "households": households,
        "reached": reached,
        "reached_share": share(reached, households),
        "visits": visit_row.get("visits", 0),
        "people_helped": visit_row.get("people_helped", 0),
        "headline": headline_figures(by_indicator, indicators),
        "indicators": indicator_rows,
        "targets": target_figures,
        "hamlets": hamlet_rows,
        "team_ranking": team_rows,
        "trend": trend_points(daily, households=households, today=today, reached_total=reached) if full else [],
        "may_export": full and access.covers(unit, EXPORT_ROLES),
        "may_set_targets": full and access.covers(unit, TARGET_ROLES),
    }


def progress_province(user, *, code: str | None = None, today: datetime.date | None = None) -> dict:
    """The provincial page: figures per commune, ranked; no household lists."""
    today = today or timezone.localdate()
    province = _province_or_404(code)
    access = _Access(user)
    if not access.covers(province, VIEW_ROLES):
        raise NotFound(_("Không tìm thấy tỉnh."), code="unit_not_found")
    indicators = list(Indicator.objects.filter(is_active=True).order_by("order", "code"))
    communes = list(Unit.objects.filter(parent=province, era=province.era, kind__in=COMMUNE_KINDS).order_by("code"))
    totals = defaultdict(dict)
    for row in ProgressTotal.objects.filter(unit__parent=province).values():
        totals[row["unit_id"]][row["indicator_key"]] = row
    team_counts = dict(
        OutreachTeam.objects.filter(unit__parent=province, is_active=True)
        .values_list("unit_id")
        .annotate(n=Count("id"))
        .values_list("unit_id", "n")
    )
    member_counts = dict(
        TeamMember.objects.filter(team__unit__parent=province, team__is_active=True, is_active=True)
        .values_list("team__unit_id")
        .annotate(n=Count("id"))
        .values_list("team__unit_id", "n")
    )
    rows = []
    by_indicator_all = defaultdict(lambda: defaultdict(int))
    for unit in communes:
        unit_totals = totals.get(unit.pk, {})
        visit_row = unit_totals.get(VISIT_ROW, {})
        by_indicator = {key: counters_of(row) for key, row in unit_totals.items()}
        for key, figures in by_indicator.items():
            for field, value in figures.items():
                by_indicator_all[key][field] += value
        households = visit_row.get("households", 0)
        reached = visit_row.get("households_reached", 0)
        rows.append(
            {
                "unit": unit,
                "teams": team_counts.get(unit.pk, 0),
                "members": member_counts.get(unit.pk, 0),
                "households": households,
                "reached": reached,
                "share": share(reached, households),
                "visits": visit_row.get("visits", 0),
                "people_helped": visit_row.get("people_helped", 0),
                **headline_figures(by_indicator, indicators),
            }
        )
    rows.sort(key=lambda r: (-(r["share"] or 0), -r["reached"], r["unit"].code))
    for rank, row in enumerate(rows, 1):
        row["rank"] = rank
    households = sum(r["households"] for r in rows)
    reached = sum(r["reached"] for r in rows)

    targets = list(Target.objects.filter(unit=province, campaign__isnull=True).select_related("indicator"))
    window = window_start(today, targets)
    daily = [
        {**row, "day": row["month"]}
        for row in ProgressDaily.objects.filter(
            unit__parent=province, day__gte=window, indicator_key__in=daily_keys(targets)
        )
        .annotate(month=TruncMonth("day"))
        .values("indicator_key", "month")
        .annotate(
            visits=Sum("visits"),
            households_reached=Sum("households_reached"),
            households_achieved=Sum("households_achieved"),
        )
    ]
    # Monthly sums are enough for the trend; targets with a start date inside a month are rare on the
    # provincial page and are counted from that month's first day.
    target_figures = target_progress(
        targets,
        households=households,
        reached_total=reached,
        by_indicator=by_indicator_all,
        daily=daily,
        campaign_figures={},
        today=today,
    )
    return {
        "unit": province,
        "today": today,
        "communes": rows,
        "teams": sum(r["teams"] for r in rows),
        "members": sum(r["members"] for r in rows),
        "households": households,
        "reached": reached,
        "reached_share": share(reached, households),
        "visits": sum(r["visits"] for r in rows),
        "people_helped": sum(r["people_helped"] for r in rows),
        "headline": {name: sum(r[name] for r in rows) for name in HEADLINE},
        "indicators": [
            {
                "indicator": i,
                "achievements": by_indicator_all.get(i.pk, {}).get("achievements", 0),
                "households": by_indicator_all.get(i.pk, {}).get("households_achieved", 0),
                "share": share(by_indicator_all.get(i.pk, {}).get("households_achieved", 0), households),
            }
            for i in indicators
        ],
        "targets": target_figures,
        "trend": trend_points(daily, households=households, today=today, reached_total=reached),
        "may_export": access.covers(province, EXPORT_ROLES),
        "may_set_targets": access.covers(province, TARGET_ROLES),
    }


def target_list_for(user, unit: Unit):
    if not progress_may_view(user, unit):
        raise NotFound(_("Không tìm thấy đơn vị."), code="unit_not_found")
    return Target.objects.filter(unit=unit).select_related("indicator", "campaign").order_by("ends_on", "id")
