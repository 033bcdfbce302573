"""Service-index benchmark: the leader's page and the agency comparison, what a dossier event adds
for the rollups, and the full rebuild.

    .venv/bin/python bench/index.py [--dossiers 10000] [--big 1000000] [--insert-big] [--communes 60] [--repeat 30]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/index.py ...

Own throwaway database (bench/_django.py). Steps:
1. a province with `--communes` communes (one committee each) and 10 departments, 20 procedures;
   `--dossiers` dossiers bulk-inserted over the 12 months of 2026 (received; 80 % resolved, 10 % of
   those late; 40 % online), then `rollups_rebuild` (timed);
2. the cost a dossier event adds (what the `dossier.status_changed` subscriber runs) on 200 dossiers:
   `dossier_cells_refresh` after a change the index counts (the channel flipped: one cell's numerator
   moves) and after a change it does not count; and, for comparison in the same run, the recount of
   the dossier's cells that the subscriber did before the increments (`recount_cells` below);
3. the leader's page (/chi-so/, province manager) and the agency comparison (/chi-so/co-quan/),
   full views through the test client, `--repeat` times each, for November 2026 (queries counted);
4. the `--big` case. With `--insert-big`, the dossiers are really inserted up to `--big` (bulk_create
   in batches), the full rebuild is timed, and steps 2 and 3 run again. Without it, the rollup rows
   are rewritten directly with counts scaled to `--big` (the pages read only rollups, whose size is
   agencies × months × measures whatever the volume) and step 3 runs again.
"""

import argparse
import datetime
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# The repository root on the path instead of bench/, so that `bench` imports as a package.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]
sys.path.insert(0, str(ROOT))

from bench import _django  # noqa: E402


def p95(times: list[float]) -> float:
    ordered = sorted(times)
    return ordered[max(0, int(len(ordered) * 0.95) - 1)]


def summary(times: list[float]) -> str:
    return f"median {statistics.median(times):7.1f} ms, p95 {p95(times):7.1f} ms"


def world(communes: int):
    from motcua.catalog.models import Field, Procedure
    from motcua.core.models import Agency, AgencyKind, Unit, UnitKind

    province = Unit.objects.create(code="96", name="Tỉnh Bench", kind=UnitKind.PROVINCE)
    agencies = []
    for i in range(communes):
        unit = Unit.objects.create(code=f"{30000 + i}", name=f"Xã Bench {i}", kind=UnitKind.COMMUNE, parent=province)
        agencies.append(
            Agency(code=f"000.{i:02d}.31.H12", name=f"UBND xã Bench {i}", kind=AgencyKind.COMMUNE_COMMITTEE, unit=unit)
        )
    for i in range(10):
        agencies.append(
            Agency(code=f"000.{i:02d}.20.H12", name=f"Sở Bench {i}", kind=AgencyKind.DEPARTMENT, unit=province)
        )
    Agency.objects.bulk_create(agencies)
    field = Field.objects.create(slug="bench", name="Bench")
    procedures = [
        Procedure(
            code=f"1.{i:06d}", key=f"bench-{i}", name=f"Thủ tục {i}", field=field, level="commune",
            agency_kind=AgencyKind.COMMUNE_COMMITTEE if i % 2 else AgencyKind.DEPARTMENT, time_limit_days=5,
            online_level=["full", "partial", "none"][i % 3], result_type="Giấy", applicants="Công dân",
            valid_from=datetime.date(2026, 1, 1),
        )
        for i in range(20)
    ]  # fmt: skip
    Procedure.objects.bulk_create(procedures)
    return province, list(Agency.objects.all()), list(Procedure.objects.all())


def load_dossiers(n: int, agencies, procedures, rng: random.Random, first: int = 0) -> None:
    from django.utils import timezone

    from motcua.dossiers.models import Dossier

    tz = timezone.get_current_timezone()
    batch = []
    for i in range(first, first + n):
        received = datetime.datetime(2026, rng.randint(1, 12), rng.randint(1, 28), rng.randint(7, 16), tzinfo=tz)
        resolved = received + datetime.timedelta(days=rng.randint(1, 10)) if rng.random() < 0.8 else None
        batch.append(
            Dossier(
                code=f"B-{i:08d}", procedure=rng.choice(procedures), status="resolved" if resolved else "processing",
                channel="online" if rng.random() < 0.4 else "counter", applicant_name="Người nộp",
                receiving_agency=rng.choice(agencies), received_at=received, resolved_at=resolved,
                finished_late=(rng.random() < 0.1) if resolved else None,
            )
        )  # fmt: skip
        if len(batch) == 5000:
            Dossier.objects.bulk_create(batch)
            batch = []
    Dossier.objects.bulk_create(batch)


def load_dossiers_sql(n: int, agencies, procedures, first: int) -> None:
    """PostgreSQL only: the same distribution as `load_dossiers`, generated in the database (INSERT …
    SELECT over generate_series, 100,000 rows a statement). The columns the bench does not vary take a
    template dossier's values (defaults as Django would save them)."""
    from django.db import connection
    from django.utils import timezone

    from motcua.dossiers.models import Dossier

    varying = {
        "code": "'B-' || lpad(g::text, 8, '0')",
        "procedure_id": f"(ARRAY[{','.join(str(p.pk) for p in procedures)}])[1 + floor(a * {len(procedures)})::int]",
        "receiving_agency_id": f"(ARRAY[{','.join(str(x.pk) for x in agencies)}])[1 + floor(b * {len(agencies)})::int]",
        "status": "CASE WHEN c < 0.8 THEN 'resolved' ELSE 'processing' END",
        "channel": "CASE WHEN d < 0.4 THEN 'online' ELSE 'counter' END",
        "received_at": "rec",
        "resolved_at": "CASE WHEN c < 0.8 THEN rec + days * interval '1 day' END",
        "finished_late": "CASE WHEN c < 0.8 THEN e < 0.1 END",
    }
    template = Dossier(
        code="B-template", procedure=procedures[0], status="processing", channel="counter",
        applicant_name="Người nộp", receiving_agency=agencies[0], received_at=timezone.now(),
    )  # fmt: skip
    columns, values, params = [], [], []
    for field in Dossier._meta.concrete_fields:
        if field.primary_key:
            continue
        columns.append(connection.ops.quote_name(field.column))
        if field.column in varying:
            values.append(varying[field.column])
        else:
            values.append("%s")
            params.append(field.get_db_prep_save(field.pre_save(template, True), connection))
    source = (
        "SELECT g, random() AS a, random() AS b, random() AS c, random() AS d, random() AS e, "
        "1 + floor(random() * 10)::int AS days, make_timestamptz(2026, 1 + floor(random() * 12)::int, "
        "1 + floor(random() * 28)::int, 7 + floor(random() * 10)::int, 0, 0, 'Asia/Ho_Chi_Minh') AS rec "
        "FROM generate_series(%s, %s) AS g"
    )
    sql = (
        f"INSERT INTO {connection.ops.quote_name(Dossier._meta.db_table)} ({', '.join(columns)}) "
        f"SELECT {', '.join(values)} FROM ({source}) AS s"
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT setseed(0.7)")
        for start in range(first, first + n, 100_000):
            cursor.execute(sql, [*params, start, min(start + 100_000, first + n) - 1])


def time_pages(client, repeat: int) -> dict[str, list[float]]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    out = {}
    for name, url in (("leader", "/chi-so/?ky=2026-11"), ("agencies", "/chi-so/co-quan/?ky=2026-11")):
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        print(f"  {name:8} page: {len(queries.captured_queries)} queries")
        times = []
        for _ in range(repeat + 2):
            started = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, response.status_code
        out[name] = times[2:]  # the first two warm the caches
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--dossiers", type=int, default=10_000)
    parser.add_argument("--big", type=int, default=1_000_000)
    parser.add_argument("--insert-big", action="store_true", help="insert --big dossiers for real")
    parser.add_argument("--communes", type=int, default=60)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    tmp, server = _django.setup_django("index")
    try:
        run(args)
    finally:
        _django.teardown_django(tmp, server)


def recount_cells(dossier) -> None:
    """What the subscriber did before the increments: lock each cell the dossier counts in and recount
    it with one COUNT over the agency-month (kept here, for the comparison only)."""
    from django.db.models import Count, Q

    from motcua.dossiers.models import Dossier
    from motcua.serviceindex.measures import DOSSIER_MEASURES
    from motcua.serviceindex.models import IndexRollup
    from motcua.serviceindex.periods import add_months, local_start, month_of

    for measure in DOSSIER_MEASURES:
        moment = getattr(dossier, measure.basis)
        if moment is None:
            continue
        month = month_of(moment)
        cell, _ = IndexRollup.objects.select_for_update().get_or_create(
            agency_id=dossier.receiving_agency_id, month=month, measure=measure.code,
            defaults={"unit_id": dossier.receiving_agency.unit_id},
        )  # fmt: skip
        base = Dossier.objects.filter(
            receiving_agency_id=dossier.receiving_agency_id,
            **{f"{measure.basis}__gte": local_start(month), f"{measure.basis}__lt": local_start(add_months(month, 1))},
        )
        denominator = measure.denominator(base)
        counted = denominator.aggregate(
            d=Count("pk"), n=Count("pk", filter=Q(pk__in=measure.numerator(denominator).values("pk")))
        )
        IndexRollup.objects.filter(pk=cell.pk).update(numerator=counted["n"], denominator=counted["d"])


def time_events(label: str, per_cell: int) -> None:
    from django.db import transaction

    from motcua.dossiers.models import Dossier
    from motcua.serviceindex.services import dossier_cells_refresh

    sample = list(Dossier.objects.select_related("receiving_agency").order_by("?")[:200])
    changed, unchanged, recount = [], [], []
    for dossier in sample:
        dossier.channel = "counter" if dossier.channel == "online" else "online"
        Dossier.objects.filter(pk=dossier.pk).update(channel=dossier.channel)
        with transaction.atomic():
            started = time.perf_counter()
            dossier_cells_refresh(dossier)
            changed.append((time.perf_counter() - started) * 1000)
        with transaction.atomic():
            started = time.perf_counter()
            dossier_cells_refresh(dossier)
            unchanged.append((time.perf_counter() - started) * 1000)
        with transaction.atomic():
            started = time.perf_counter()
            recount_cells(dossier)
            recount.append((time.perf_counter() - started) * 1000)
    print(f"  {label}: ~{per_cell} dossiers per agency-month cell")
    print(f"    event, increment (a counted change): {summary(changed)}")
    print(f"    event, increment (nothing counted changed): {summary(unchanged)}")
    print(f"    event, recount of its cells (before): {summary(recount)}")


def run(args) -> None:
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment

    from motcua.core.models import Role, RoleAssignment, User
    from motcua.serviceindex.models import IndexRollup
    from motcua.serviceindex.services import rollups_rebuild

    rng = random.Random(args.seed)
    print(f"database: {connection.vendor}")
    province, agencies, procedures = world(args.communes)
    started = time.perf_counter()
    load_dossiers(args.dossiers, agencies, procedures, rng)
    print(f"  load {args.dossiers} dossiers {time.perf_counter() - started:8.1f} s")
    started = time.perf_counter()
    rows = rollups_rebuild()
    print(f"  rollups_rebuild: {rows} rows in {time.perf_counter() - started:.2f} s")
    time_events(f"{args.dossiers} dossiers", args.dossiers // len(agencies) // 12)

    setup_test_environment()
    manager = User.objects.create_user(username="bench_manager", password="x", is_officer=True)
    RoleAssignment.objects.create(user=manager, role=Role.MANAGER, unit=province)
    client = Client()
    client.force_login(manager)
    for name, times in time_pages(client, args.repeat).items():
        print(f"  {args.dossiers} dossiers, {name:8} page: {summary(times)}")

    if args.insert_big:
        started = time.perf_counter()
        if connection.vendor == "postgresql":
            load_dossiers_sql(args.big - args.dossiers, agencies, procedures, first=args.dossiers)
        else:
            load_dossiers(args.big - args.dossiers, agencies, procedures, rng, first=args.dossiers)
        print(f"  load {args.big - args.dossiers} more dossiers {time.perf_counter() - started:8.1f} s")
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("ANALYZE")
        started = time.perf_counter()
        rows = rollups_rebuild()
        print(f"  rollups_rebuild at {args.big} dossiers: {rows} rows in {time.perf_counter() - started:.2f} s")
        time_events(f"{args.big} dossiers", args.big // len(agencies) // 12)
    else:
        # The big case: the same rollup rows, counts scaled to args.big dossiers.
        factor = args.big / max(args.dossiers, 1)
        scaled = [
            IndexRollup(agency_id=r.agency_id, unit_id=r.unit_id, month=r.month, measure=r.measure,
                        numerator=round(r.numerator * factor), denominator=round(r.denominator * factor))
            for r in IndexRollup.objects.all()
        ]  # fmt: skip
        IndexRollup.objects.all().delete()
        IndexRollup.objects.bulk_create(scaled, batch_size=2000)
        total = sum(r.denominator for r in scaled if r.measure == "online_submitted")
        print(f"  rollups rewritten for {total} received dossiers ({len(scaled)} rows)")
    for name, times in time_pages(client, args.repeat).items():
        print(f"  {args.big} dossiers, {name:8} page: {summary(times)}")


if __name__ == "__main__":
    main()
