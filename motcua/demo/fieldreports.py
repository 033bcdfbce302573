"""Demo field reports for the demo province: ~400 reports over its communes, in every status.

Written in bulk (not through `report_submit`) so that it takes a couple of seconds; the rows it
writes are the ones the services would write (codes from the day sequences, routing, deadlines,
events, followers, map cells rebuilt at the end). Units carry no shapes, so each commune gets a
made-up centre inside the province outline (real ones for the two demo communes) and its
reports scatter around it: the map looks plausible, not surveyed. Safe to run again: reports
are keyed by `idempotency_key = "demo:<seed>:<n>"`.
"""

from __future__ import annotations

import datetime
import random
from collections import defaultdict
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from motcua.core.calendar import add_working_days, as_local
from motcua.core.models import COMMUNE_KINDS, Agency, AgencyKind, Era, Unit, User
from motcua.core.selectors.units import unit_get_province
from motcua.fieldreports.models import (
    FieldReport,
    MapCell,
    ReportCategory,
    ReportCodeSequence,
    ReportEvent,
    ReportFollower,
    ReportLink,
    ReportOutcome,
    ReportStatus,
    RoutingRule,
)
from motcua.fieldreports.services.mapcells import mapcells_rebuild
from motcua.fieldreports.services.routing import route_agency
from motcua.fieldreports.services.setup import categories_load, service_area_load
from motcua.fieldreports.services.submit import point_in_geometry

S = ReportStatus
DEFAULT_COUNT = 400
KNOWN_CENTRES = {"32002": (9.1769, 105.1524), "32248": (8.6190, 104.7400)}
STATUS_WEIGHTS = [(S.SUBMITTED, 18), (S.ACCEPTED, 25), (S.ANSWERED, 14), (S.CLOSED, 30), (S.REFUSED, 8), (S.MERGED, 5)]
TEXTS = {
    "moi-truong": ["Rác thải tồn đọng nhiều ngày, bốc mùi hôi.", "Nước kênh đen, có mùi, cá chết nổi."],
    "trat-tu-do-thi": ["Quán nước lấn chiếm hết vỉa hè, người đi bộ phải xuống lòng đường."],
    "an-toan-giao-thong": ["Đèn tín hiệu ở ngã tư không hoạt động từ sáng.", "Ổ gà lớn giữa đường, nguy hiểm ban đêm."],
    "an-ninh-trat-tu": ["Nhóm thanh niên tụ tập, nẹt pô sau 23 giờ."],
    "chieu-sang-cong-cong": ["Đèn đường tắt cả đoạn dài, rất tối."],
    "cap-thoat-nuoc": ["Ống nước bể, nước chảy tràn ra đường.", "Mưa xong ngập sâu, hai ngày chưa rút."],
    "cay-xanh": ["Cây gãy cành lớn chắn một nửa đường.", "Cây dầu nghiêng nặng về phía nhà dân."],
    "xay-dung-trai-phep": ["Công trình đang xây lấn ra hành lang kênh."],
    "an-toan-thuc-pham": ["Quán ăn để thực phẩm sống cạnh thùng rác."],
    "khac": ["Bảng thông tin khu phố bị gãy, rơi xuống lối đi."],
}
ANSWERS = ["Đã cử lực lượng xử lý xong.", "Đã phối hợp đơn vị liên quan khắc phục.", "Đã kiểm tra, nhắc nhở và xử lý."]


@dataclass
class DemoFieldReportsResult:
    created: int = 0
    existing: int = 0
    cells: int = 0


def _centre(unit: Unit, geometry: dict, rng: random.Random) -> tuple[float, float]:
    if unit.code in KNOWN_CENTRES:
        return KNOWN_CENTRES[unit.code]
    for _attempt in range(200):
        lat, lon = rng.uniform(8.6, 9.6), rng.uniform(104.75, 105.85)
        if point_in_geometry(lat, lon, geometry):
            return lat, lon
    return KNOWN_CENTRES["32002"]


def _routing_defaults(communes: list[Unit], categories: dict[str, ReportCategory]) -> None:
    # Security and order go to the commune police where the province has one.
    group = categories.get("an-ninh-trat-tu")
    if group is None:
        return
    police = Agency.objects.filter(unit__in=communes, kind=AgencyKind.COMMUNE_POLICE, is_active=True)
    for agency in police:
        RoutingRule.objects.get_or_create(category=group, unit_id=agency.unit_id, defaults={"agency": agency})


def _code(day: datetime.date, sequences: dict) -> str:
    sequences[day] += 1
    return f"PA-{day:%y%m%d}-{sequences[day]:04d}"


def fieldreports_demo_build(
    *, seed: int = 96, province_code=None, count: int = DEFAULT_COUNT
) -> DemoFieldReportsResult:
    province = unit_get_province(code=province_code)
    result = DemoFieldReportsResult()
    categories_load()
    area = service_area_load(province=province)
    communes = list(Unit.objects.filter(era=Era.CURRENT, parent=province, kind__in=COMMUNE_KINDS).order_by("code"))
    if not communes:
        return result
    categories = {c.code: c for c in ReportCategory.objects.select_related("parent")}
    leaves = [c for c in categories.values() if c.parent_id]
    _routing_defaults(communes, categories)
    prefix = f"demo:{seed}:"
    result.existing = FieldReport.objects.filter(idempotency_key__startswith=prefix).count()
    if result.existing >= count:
        result.cells = MapCell.objects.count()
        return result

    rng = random.Random(f"motcua-demo:{seed}:fieldreports")
    citizens = list(User.objects.filter(is_officer=False, person__isnull=False).select_related("person")[:20])
    handlers = {}
    centres = {u.pk: _centre(u, area.geometry, random.Random(f"{seed}:{u.code}")) for u in communes}
    # The two demo communes with officer teams get a third of the reports, so the officer pages have work.
    weights = [12 if u.code in KNOWN_CENTRES else 1 for u in communes]
    routes: dict[tuple[int, int], Agency] = {}
    now = timezone.now()
    sequences: dict[datetime.date, int] = defaultdict(int)
    for day, last in ReportCodeSequence.objects.values_list("day", "last"):
        sequences[day] = last
    done = set(FieldReport.objects.filter(idempotency_key__startswith=prefix).values_list("idempotency_key", flat=True))

    with transaction.atomic():
        reports, plans = [], []
        for n in range(count):
            key = f"{prefix}{n}"
            unit = rng.choices(communes, weights)[0]
            category = rng.choice(leaves)
            status = rng.choices([s for s, _w in STATUS_WEIGHTS], [w for _s, w in STATUS_WEIGHTS])[0]
            age = datetime.timedelta(days=rng.uniform(0.2, 90), minutes=rng.randint(0, 600))
            if key in done:
                continue
            c_lat, c_lon = centres[unit.pk]
            lat, lon = c_lat + rng.gauss(0, 0.008), c_lon + rng.gauss(0, 0.008)
            if not point_in_geometry(lat, lon, area.geometry):
                lat, lon = c_lat, c_lon
            route_key = (category.pk, unit.pk)
            if route_key not in routes:
                routes[route_key] = route_agency(category=category, unit=unit)
            agency = routes[route_key]
            submitted = now - age
            reporter = rng.choice(citizens) if citizens and rng.random() < 0.6 else None
            anonymous = reporter is None and rng.random() < 0.5
            text = rng.choice(TEXTS.get(category.parent.code, TEXTS["khac"]))
            report = FieldReport(
                code=_code(as_local(submitted).date(), sequences),
                category=category,
                title=text[:80],
                description=text,
                lat=round(lat, 6),
                lon=round(lon, 6),
                unit=unit,
                address=f"Khu vực {unit.name}",
                urgent=category.allows_urgent and rng.random() < 0.15,
                reporter=reporter,
                anonymous=anonymous,
                reporter_name="" if anonymous or reporter is None else reporter.person.full_name,
                reporter_phone="" if anonymous or reporter is None else (reporter.person.phone or "")[:10],
                idempotency_key=key,
                status=status,
                agency=agency,
                submitted_at=submitted,
                due_at=add_working_days(submitted, 5),
                reviewed=rng.random() > 0.05,
                follower_count=1 if reporter else 0,
            )
            report.hidden = report.reviewed and rng.random() < 0.02
            if report.hidden:
                report.hidden_reason = "Nội dung không phù hợp"
            plans.append(_fill_status(report, rng, now, handlers))
            reports.append(report)
        FieldReport.objects.bulk_create(reports, batch_size=500)
        _write_events(reports, plans)
        ReportFollower.objects.bulk_create(
            [ReportFollower(report=r, user=r.reporter) for r in reports if r.reporter_id], ignore_conflicts=True
        )
        _merge_some(reports)
        for day, last in sequences.items():
            ReportCodeSequence.objects.update_or_create(day=day, defaults={"last": last})
        result.created = len(reports)
    result.cells = mapcells_rebuild()
    return result


def _fill_status(report: FieldReport, rng: random.Random, now: datetime.datetime, handlers) -> list[tuple]:
    """Set the timestamps of the status and return the events [(action, from, to, at, note)]."""
    t = report.submitted_at
    events = [("submit", "", S.SUBMITTED, t, "")]
    if report.status == S.SUBMITTED:
        report.overdue = report.due_at < now
        return events
    if report.status == S.REFUSED:
        at = min(now, t + datetime.timedelta(days=rng.uniform(0.1, 3)))
        report.refusal_reason = rng.choice(["out_of_scope", "duplicate", "spam"])
        report.closed_at = at
        report.hidden = report.hidden or report.refusal_reason == "spam"
        return [*events, ("refuse", S.SUBMITTED, S.REFUSED, at, "")]
    accepted = min(now, t + datetime.timedelta(days=rng.uniform(0.1, 4)))
    report.accepted_at = accepted
    report.due_at = add_working_days(accepted, report.category.deadline_days)
    events.append(("accept", S.SUBMITTED, S.ACCEPTED, accepted, ""))
    if report.status in (S.ACCEPTED, S.MERGED):
        report.overdue = report.status == S.ACCEPTED and report.due_at < now
        return events
    answered = min(now, accepted + datetime.timedelta(days=rng.uniform(0.5, 10)))
    report.answered_at = answered
    report.answer = rng.choice(ANSWERS)
    report.outcome = rng.choice([ReportOutcome.RESOLVED] * 4 + [ReportOutcome.PARTLY])
    events.append(("answer", S.ACCEPTED, S.ANSWERED, answered, report.answer))
    if report.status == S.CLOSED:
        closed = min(now, answered + datetime.timedelta(days=rng.uniform(0.2, 7)))
        report.closed_at = closed
        report.citizen_confirmed_at = closed if report.reporter_id else None
        events.append(("confirm" if report.reporter_id else "auto_close", S.ANSWERED, S.CLOSED, closed, ""))
    return events


def _write_events(reports: list[FieldReport], plans: list[list[tuple]]) -> None:
    rows = []
    for report, plan in zip(reports, plans, strict=True):
        for action, from_status, to_status, _at, note in plan:
            rows.append(
                ReportEvent(
                    report=report,
                    action=action,
                    from_status=from_status,
                    to_status=to_status,
                    note=note,
                    actor=report.reporter if action in ("submit", "confirm") else None,
                )
            )
    times = [at for _report, plan in zip(reports, plans, strict=True) for _a, _f, _t, at, _n in plan]
    ReportEvent.objects.bulk_create(rows, batch_size=1000)
    # `at` is auto_now_add, so bulk_create stamped "now"; bulk_update writes the historical times.
    for row, at in zip(rows, times, strict=True):
        row.at = at
    ReportEvent.objects.bulk_update(rows, ["at"], batch_size=500)


def _merge_some(reports: list[FieldReport]) -> None:
    # Each "merged" report points at an open report of the same category (made open if need be).
    survivors = defaultdict(list)
    for report in reports:
        if report.status in (S.ACCEPTED, S.SUBMITTED, S.ANSWERED, S.CLOSED):
            survivors[report.category_id].append(report)
    for report in reports:
        if report.status != S.MERGED:
            continue
        target = next(iter(survivors.get(report.category_id, [])), None)
        if target is None:
            FieldReport.objects.filter(pk=report.pk).update(status=S.ACCEPTED)
            continue
        FieldReport.objects.filter(pk=report.pk).update(merged_into=target, closed_at=report.accepted_at)
        ReportLink.objects.get_or_create(from_report=report, to_report=target, defaults={"kind": "duplicate"})
        ReportEvent.objects.create(
            report=report, action="merge", from_status=S.ACCEPTED, to_status=S.MERGED, data={"into": target.code}
        )
