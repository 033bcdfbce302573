"""Writes for targets and for the progress rollups.

Rollups are kept up to date as activities arrive: `visit_record` calls `progress_record` inside
its own transaction, so a visit and the figures it adds commit or roll back together. Page views
read the rollups only (see selectors_progress), never recount visits.

Distinct counts (households reached, people helped, households that achieved an indicator) are
credited to the earliest event (by time, then id) so that they stay additive. An entry kept on a
phone and sent late may be earlier than one already counted: the credit then moves from the old
earliest event to the new one (-1 there, +1 here), which is what a rebuild would compute.
"""

import datetime
from collections import defaultdict
from decimal import Decimal, InvalidOperation

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.core.errors import DomainError, PermissionDenied
from motcua.core.models import Unit
from motcua.core.transitions import audit_record
from motcua.outreach.models import (
    Campaign,
    Household,
    Indicator,
    IndicatorAchievement,
    ProgressDaily,
    ProgressMonthly,
    ProgressTotal,
    Target,
    TargetKind,
    Visit,
)
from motcua.outreach.models.progress import NO_TEAM, VISIT_ROW
from motcua.outreach.progress.selectors import progress_may_set_targets

COUNTERS = ("visits", "households_reached", "people_helped", "achievements", "households_achieved")
_CHUNK = 500


def _local_day(moment: datetime.datetime) -> datetime.date:
    return timezone.localtime(moment).date() if timezone.is_aware(moment) else moment.date()


class _Bumps:
    """Deltas for the three rollup tables of one commune, written by `flush` in 3 statements."""

    def __init__(self, unit_id: int):
        self.unit_id = unit_id
        self.monthly: dict[tuple, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        self.daily: dict[tuple, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        self.total: dict[tuple, dict[str, int]] = defaultdict(lambda: defaultdict(int))

    def add(self, *, hamlet_id: int, team_id, indicator_key: int, day: datetime.date, field: str, delta: int = 1):
        month = day.replace(day=1)
        self.monthly[(self.unit_id, hamlet_id, team_id or NO_TEAM, indicator_key, month)][field] += delta
        self.daily[(self.unit_id, indicator_key, day)][field] += delta
        self.total[(self.unit_id, indicator_key)][field] += delta

    def flush(self, *, extra_total: dict[tuple, dict[str, int]] | None = None) -> None:
        _upsert(ProgressMonthly, ("unit_id", "hamlet_id", "team_key", "indicator_key", "month"), self.monthly)
        _upsert(ProgressDaily, ("unit_id", "indicator_key", "day"), self.daily)
        total = self.total
        if extra_total:
            for key, values in extra_total.items():
                for field, delta in values.items():
                    total[key][field] += delta
        _upsert(ProgressTotal, ("unit_id", "indicator_key"), total, fields=(*COUNTERS, "households"))


def _upsert(model, keys: tuple[str, ...], rows: dict, *, fields: tuple[str, ...] = COUNTERS) -> None:
    """Add deltas to rollup rows, creating them when missing: INSERT ... ON CONFLICT DO UPDATE
    (PostgreSQL and SQLite >= 3.24), so concurrent first writers cannot create duplicates."""
    items = [(key, values) for key, values in rows.items() if any(values.values())]
    if not items:
        return
    qn = connection.ops.quote_name
    table = qn(model._meta.db_table)
    columns = [*keys, *fields]
    updates = ", ".join(f"{qn(f)} = {table}.{qn(f)} + excluded.{qn(f)}" for f in fields)
    row_sql = "(" + ", ".join(["%s"] * len(columns)) + ")"
    with connection.cursor() as cursor:
        for start in range(0, len(items), _CHUNK):
            chunk = items[start : start + _CHUNK]
            params = []
            for key, values in chunk:
                params.extend(key)
                params.extend(values.get(f, 0) for f in fields)
            cursor.execute(
                f"INSERT INTO {table} ({', '.join(qn(c) for c in columns)}) VALUES {', '.join([row_sql] * len(chunk))} "
                f"ON CONFLICT ({', '.join(qn(k) for k in keys)}) DO UPDATE SET {updates}",
                params,
            )


def _move_credit(bumps: _Bumps, *, hamlet_id, indicator_key, field, before, after) -> None:
    """`before`/`after`: the earliest event as (sort key, team id, local day), or None."""
    if before == after:
        return
    if before is not None:
        bumps.add(
            hamlet_id=hamlet_id, team_id=before[1], indicator_key=indicator_key, day=before[2], field=field, delta=-1
        )
    if after is not None:
        bumps.add(
            hamlet_id=hamlet_id, team_id=after[1], indicator_key=indicator_key, day=after[2], field=field, delta=1
        )


def _event(moment: datetime.datetime, pk: int, team_id) -> tuple:
    return ((moment, pk), team_id or NO_TEAM, _local_day(moment))


def progress_record(*, visit: Visit, achievements=()) -> None:
    """Add one newly created visit, and the achievements it newly created, to the rollups.

    Call inside the transaction that created them, once per created visit (not on a resend).
    The household row is locked so that two visits to one household cannot both count as its first.
    """
    household = Household.objects.select_for_update().only("id", "unit_id", "hamlet_id").get(pk=visit.household_id)
    bumps = _Bumps(household.unit_id)
    hamlet_id = household.hamlet_id
    new = _event(visit.visited_at, visit.pk, visit.team_id)
    bumps.add(hamlet_id=hamlet_id, team_id=visit.team_id, indicator_key=VISIT_ROW, day=new[2], field="visits")

    earliest = (
        Visit.objects.filter(household_id=household.pk)
        .exclude(pk=visit.pk)
        .order_by("visited_at", "id")
        .values_list("visited_at", "id", "team_id")
        .first()
    )
    before = _event(*earliest) if earliest else None
    after = new if before is None or new[0] < before[0] else before
    _move_credit(
        bumps, hamlet_id=hamlet_id, indicator_key=VISIT_ROW, field="households_reached", before=before, after=after
    )

    through = Visit.helped_members.through
    member_ids = list(through.objects.filter(visit_id=visit.pk).values_list("householdmember_id", flat=True))
    if member_ids:
        earliest_by_member: dict[int, tuple] = {}
        others = (
            through.objects.filter(householdmember_id__in=member_ids)
            .exclude(visit_id=visit.pk)
            .values_list("householdmember_id", "visit__visited_at", "visit_id", "visit__team_id")
        )
        for member_id, moment, visit_id, team_id in others:
            event = _event(moment, visit_id, team_id)
            if member_id not in earliest_by_member or event[0] < earliest_by_member[member_id][0]:
                earliest_by_member[member_id] = event
        for member_id in member_ids:
            before = earliest_by_member.get(member_id)
            after = new if before is None or new[0] < before[0] else before
            _move_credit(
                bumps, hamlet_id=hamlet_id, indicator_key=VISIT_ROW, field="people_helped", before=before, after=after
            )

    achievements = list(achievements)
    if achievements:
        _record_achievements(bumps, household, visit, achievements)
    bumps.flush()


def _record_achievements(bumps: _Bumps, household: Household, visit: Visit, achievements: list) -> None:
    hamlet_id = household.hamlet_id
    visit_ids = {a.visit_id for a in achievements if a.visit_id and a.visit_id != visit.pk}
    team_of = dict(Visit.objects.filter(pk__in=visit_ids).values_list("id", "team_id")) if visit_ids else {}
    team_of[visit.pk] = visit.team_id
    new_by_indicator: dict[int, list[tuple]] = defaultdict(list)
    for achievement in achievements:
        event = _event(achievement.achieved_at, achievement.pk, team_of.get(achievement.visit_id))
        bumps.add(
            hamlet_id=hamlet_id,
            team_id=event[1],
            indicator_key=achievement.indicator_id,
            day=event[2],
            field="achievements",
        )
        new_by_indicator[achievement.indicator_id].append(event)
    earliest_before: dict[int, tuple] = {}
    others = (
        IndicatorAchievement.objects.filter(household_id=household.pk, indicator_id__in=list(new_by_indicator))
        .exclude(pk__in=[a.pk for a in achievements])
        .values_list("indicator_id", "achieved_at", "id", "visit__team_id")
    )
    for indicator_id, moment, pk, team_id in others:
        event = _event(moment, pk, team_id)
        if indicator_id not in earliest_before or event[0] < earliest_before[indicator_id][0]:
            earliest_before[indicator_id] = event
    for indicator_id, events in new_by_indicator.items():
        before = earliest_before.get(indicator_id)
        after = min([*events, *([before] if before else [])], key=lambda e: e[0])
        _move_credit(
            bumps,
            hamlet_id=hamlet_id,
            indicator_key=indicator_id,
            field="households_achieved",
            before=before,
            after=after,
        )


def progress_households_recount(*, unit: Unit) -> int:
    """Recount a commune's households (after an import, a create or a delete). One indexed count."""
    count = Household.objects.filter(unit=unit).count()
    qn = connection.ops.quote_name
    table = qn(ProgressTotal._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (unit_id, indicator_key, {', '.join(qn(f) for f in COUNTERS)}, households) "
            f"VALUES (%s, %s, {', '.join(['0'] * len(COUNTERS))}, %s) "
            f"ON CONFLICT (unit_id, indicator_key) DO UPDATE SET households = excluded.households",
            [unit.pk, VISIT_ROW, count],
        )
    return count


@transaction.atomic
def progress_rebuild(*, unit: Unit) -> None:
    """Recompute a commune's rollups from visits and achievements (repair; also used to load a
    bench). Gives the same rows as recording the same activities one by one."""
    for model in (ProgressMonthly, ProgressDaily, ProgressTotal):
        model.objects.filter(unit=unit).delete()
    hamlet_of = dict(Household.objects.filter(unit=unit).values_list("id", "hamlet_id"))
    bumps = _Bumps(unit.pk)

    first_visit: dict[int, tuple] = {}
    visits = Visit.objects.filter(household__unit=unit).values_list("household_id", "visited_at", "id", "team_id")
    for household_id, moment, pk, team_id in visits.iterator(chunk_size=5000):
        event = _event(moment, pk, team_id)
        bumps.add(
            hamlet_id=hamlet_of[household_id], team_id=team_id, indicator_key=VISIT_ROW, day=event[2], field="visits"
        )
        if household_id not in first_visit or event[0] < first_visit[household_id][0]:
            first_visit[household_id] = event
    for household_id, event in first_visit.items():
        bumps.add(
            hamlet_id=hamlet_of[household_id],
            team_id=event[1],
            indicator_key=VISIT_ROW,
            day=event[2],
            field="households_reached",
        )

    first_help: dict[int, tuple] = {}
    helped = Visit.helped_members.through.objects.filter(visit__household__unit=unit).values_list(
        "householdmember_id", "visit__household_id", "visit__visited_at", "visit_id", "visit__team_id"
    )
    for member_id, household_id, moment, visit_id, team_id in helped.iterator(chunk_size=5000):
        event = (*_event(moment, visit_id, team_id), household_id)
        if member_id not in first_help or event[0] < first_help[member_id][0]:
            first_help[member_id] = event
    for _key, team_id, day, household_id in first_help.values():
        bumps.add(
            hamlet_id=hamlet_of[household_id], team_id=team_id, indicator_key=VISIT_ROW, day=day, field="people_helped"
        )

    first_achievement: dict[tuple[int, int], tuple] = {}
    achievements = IndicatorAchievement.objects.filter(household__unit=unit).values_list(
        "household_id", "indicator_id", "achieved_at", "id", "visit__team_id"
    )
    for household_id, indicator_id, moment, pk, team_id in achievements.iterator(chunk_size=5000):
        event = _event(moment, pk, team_id)
        bumps.add(
            hamlet_id=hamlet_of[household_id],
            team_id=team_id,
            indicator_key=indicator_id,
            day=event[2],
            field="achievements",
        )
        key = (household_id, indicator_id)
        if key not in first_achievement or event[0] < first_achievement[key][0]:
            first_achievement[key] = event
    for (household_id, indicator_id), event in first_achievement.items():
        bumps.add(
            hamlet_id=hamlet_of[household_id],
            team_id=event[1],
            indicator_key=indicator_id,
            day=event[2],
            field="households_achieved",
        )
    bumps.flush(extra_total={(unit.pk, VISIT_ROW): {"households": len(hamlet_of)}})


# --- Targets -------------------------------------------------------------------------------------


def _parse_value(kind: str, value) -> Decimal:
    try:
        number = Decimal(str(value).replace(",", ".").strip())
    except (InvalidOperation, ValueError):
        raise DomainError(_("Mức mục tiêu phải là một số."), code="invalid_target_value", status=422)
    if not number.is_finite() or number <= 0:
        raise DomainError(_("Mức mục tiêu phải lớn hơn 0."), code="invalid_target_value", status=422)
    if kind == TargetKind.SHARE and number > 100:
        raise DomainError(_("Tỷ lệ mục tiêu không được vượt quá 100%."), code="invalid_target_value", status=422)
    if kind == TargetKind.COUNT and number != number.to_integral_value():
        raise DomainError(_("Số hộ mục tiêu phải là số nguyên."), code="invalid_target_value", status=422)
    return number.quantize(Decimal("0.01"))


def target_set(
    *,
    actor,
    unit: Unit,
    ends_on: datetime.date,
    value,
    kind: str = TargetKind.SHARE,
    indicator: Indicator | None = None,
    campaign: Campaign | None = None,
    starts_on: datetime.date | None = None,
    note: str = "",
) -> Target:
    """Set (create or replace) the target of a unit for one indicator (or households reached),
    campaign and due date. Only leaders and managers of the unit or its province may."""
    if not progress_may_set_targets(actor, unit):
        raise PermissionDenied(_("Tài khoản này không có quyền đặt mục tiêu cho đơn vị này."), code="target_forbidden")
    if kind not in TargetKind.values:
        raise DomainError(_("Loại mục tiêu không hợp lệ."), code="invalid_target_kind", status=422)
    number = _parse_value(kind, value)
    if starts_on and starts_on > ends_on:
        raise DomainError(_("Ngày bắt đầu phải trước hạn hoàn thành."), code="invalid_period", status=422)
    if campaign is not None and campaign.unit_id != unit.pk:
        raise DomainError(_("Đợt ra quân không thuộc đơn vị này."), code="campaign_unit_mismatch", status=422)
    with transaction.atomic():
        target = (
            Target.objects.select_for_update()
            .filter(unit=unit, indicator=indicator, campaign=campaign, ends_on=ends_on)
            .first()
        )
        created = target is None
        if created:
            target = Target(unit=unit, indicator=indicator, campaign=campaign, ends_on=ends_on, created_by=actor)
        target.kind, target.value, target.starts_on, target.note = kind, number, starts_on, note[:255]
        target.save()
        audit_record(
            actor=actor if getattr(actor, "pk", None) else None,
            action="outreach_target_set",
            object_type="outreach.target",
            object_id=str(target.pk),
            data={
                "unit": unit.code,
                "indicator": indicator.code if indicator else None,
                "kind": kind,
                "value": str(number),
                "ends_on": ends_on.isoformat(),
                "created": created,
            },
        )
    return target


def target_delete(*, actor, target: Target) -> None:
    if not progress_may_set_targets(actor, target.unit):
        raise PermissionDenied(_("Tài khoản này không có quyền đặt mục tiêu cho đơn vị này."), code="target_forbidden")
    with transaction.atomic():
        audit_record(
            actor=actor if getattr(actor, "pk", None) else None,
            action="outreach_target_delete",
            object_type="outreach.target",
            object_id=str(target.pk),
            data={"unit": target.unit.code},
        )
        target.delete()
