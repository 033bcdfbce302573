"""Figures of the progress pages computed from rollup rows: shares, target progress, trend.

Pure functions over rows already read (plus one bounded read for campaign targets); the access
check and the reads live in selectors_progress.
"""

import datetime
import math
from collections import defaultdict

from django.db.models import Count
from django.utils.translation import gettext as _

from motcua.outreach.models import Indicator, IndicatorAchievement, TargetKind, Visit
from motcua.outreach.models.progress import VISIT_ROW

# The headline figures of the issue, by indicator code (configurable indicators keep their codes).
HEADLINE = {"accounts_created": "dvc_account", "apps_installed": "citizen_app", "payment_accounts": "cashless"}
TREND_MONTHS = 12


def share(part: int, whole: int | float) -> float | None:
    return round(100.0 * part / whole, 1) if whole else None


def counters_of(row) -> dict[str, int]:
    return {
        "visits": row.get("visits") or 0,
        "households_reached": row.get("households_reached") or 0,
        "people_helped": row.get("people_helped") or 0,
        "achievements": row.get("achievements") or 0,
        "households_achieved": row.get("households_achieved") or 0,
    }


def headline_figures(by_indicator: dict[int, dict], indicators: list[Indicator]) -> dict[str, int]:
    id_of = {i.code: i.pk for i in indicators}
    return {name: by_indicator.get(id_of.get(code), {}).get("achievements", 0) for name, code in HEADLINE.items()}


def target_progress(
    targets,
    *,
    households: int,
    reached_total: int,
    by_indicator: dict,
    daily: list,
    campaign_figures,
    today: datetime.date,
) -> list[dict]:
    """Progress of each target: achieved households, the planned count, share of plan."""
    rows = []
    for target in targets:
        key = target.indicator_id or VISIT_ROW
        field = "households_achieved" if target.indicator_id else "households_reached"
        if target.campaign_id:
            achieved = campaign_figures.get((target.campaign_id, key), 0)
        elif target.starts_on is None and target.ends_on >= today:
            achieved = reached_total if key == VISIT_ROW else by_indicator.get(key, {}).get(field, 0)
        else:
            start = target.starts_on or datetime.date.min
            achieved = sum(
                row[field] for row in daily if row["indicator_key"] == key and start <= row["day"] <= target.ends_on
            )
        planned = (
            int(target.value) if target.kind == TargetKind.COUNT else math.ceil(float(target.value) * households / 100)
        )
        rows.append(
            {
                "target": target,
                "label": target.indicator.name if target.indicator_id else _("Hộ được tiếp cận"),
                "achieved": achieved,
                "planned": planned,
                "share_of_households": share(achieved, households),
                "share_of_plan": share(achieved, planned),
                "overdue": target.ends_on < today and achieved < planned,
            }
        )
    return rows


def campaign_figures(targets) -> dict[tuple[int, int], int]:
    """Households reached / achieving within each campaign of these targets. Counted from raw rows:
    a campaign is one street or one weekend, so its rows are few (indexed by campaign)."""
    campaign_ids = {t.campaign_id for t in targets if t.campaign_id}
    if not campaign_ids:
        return {}
    figures = {
        (row["campaign_id"], VISIT_ROW): row["n"]
        for row in Visit.objects.filter(campaign_id__in=campaign_ids)
        .values("campaign_id")
        .annotate(n=Count("household_id", distinct=True))
    }
    for row in (
        IndicatorAchievement.objects.filter(visit__campaign_id__in=campaign_ids)
        .values("visit__campaign_id", "indicator_id")
        .annotate(n=Count("household_id", distinct=True))
    ):
        figures[(row["visit__campaign_id"], row["indicator_id"])] = row["n"]
    return figures


def trend_points(daily: list[dict], *, households: int, today: datetime.date, reached_total: int) -> list[dict]:
    """Last 12 months: visits and households newly reached per month, and the cumulative share."""
    months = []
    cursor = today.replace(day=1)
    for _i in range(TREND_MONTHS):
        months.append(cursor)
        cursor = (cursor - datetime.timedelta(days=1)).replace(day=1)
    months.reverse()
    per_month = defaultdict(lambda: {"visits": 0, "households_reached": 0})
    for row in daily:
        if row["indicator_key"] == VISIT_ROW:
            month = row["day"].replace(day=1)
            per_month[month]["visits"] += row["visits"]
            per_month[month]["households_reached"] += row["households_reached"]
    in_window = sum(per_month[m]["households_reached"] for m in months)
    cumulative = reached_total - in_window
    points = []
    for month in months:
        cumulative += per_month[month]["households_reached"]
        points.append(
            {
                "month": month,
                **per_month[month],
                "cumulative": cumulative,
                "share": share(cumulative, households) or 0.0,
            }
        )
    return points


def window_start(today: datetime.date, targets) -> datetime.date:
    start = (today.replace(day=1) - datetime.timedelta(days=31 * (TREND_MONTHS - 1))).replace(day=1)
    for target in targets:
        if target.starts_on and not target.campaign_id and not (target.ends_on >= today and target.starts_on is None):
            start = min(start, target.starts_on)
    return start


def daily_keys(targets) -> set[int]:
    """The trend needs the visit rows only; targets add the indicators they count."""
    return {VISIT_ROW} | {t.indicator_id or VISIT_ROW for t in targets}
