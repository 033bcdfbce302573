"""Field-report map benchmark: the public map's data for three viewports as reports grow.

    .venv/bin/python bench/fieldreports.py [--sizes 10000,50000,100000] [--repeat 40] [--seed 7]

Builds public reports with bulk_create (scattered around 60 commune centres inside the province,
mixed categories and statuses), recounts the MapCell rollup with the core `mapcells_rebuild`, then
times `GET /api/v1/phan-anh/ban-do` through the Django test client (middleware, ninja, JSON) for a
province-wide, a commune and a street viewport, plus the commune-filter fallback (SQL grouping over
the bbox, not flat by design). Prints median / p95 latency and payload bytes per size.

Runs on a throwaway SQLite database in a temporary directory. With DATABASE_URL set it creates and
drops its own database `motcua_bench_<pid>` on that server instead. Figures go in docs/benchmarks.md.
"""

import argparse
import json
import math
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from _django import setup_django, teardown_django  # noqa: E402  (bench/ is the script's folder)

# (name, bbox w,s,e,n, Leaflet zoom, extra query)
VIEWPORTS = [
    ("tỉnh (province)", "104.70,8.55,105.90,9.65", 9, {}),
    ("xã (commune)", "105.09,9.12,105.21,9.23", 12, {}),
    ("phố (street)", "105.148,9.173,105.156,9.180", 16, {}),
    ("tỉnh + lọc xã (fallback)", "104.70,8.55,105.90,9.65", 9, {"unit": "__unit__"}),
]


def seed_world(rng: random.Random):
    from motcua.core.models import Agency, AgencyKind, Era, Unit, UnitKind
    from motcua.fieldreports.models import ReportCategory
    from motcua.fieldreports.services.setup import categories_load, service_area_load

    province = Unit.objects.create(era=Era.CURRENT, code="96", name="Tỉnh Cà Mau", kind=UnitKind.PROVINCE)
    service_area_load(province=province)
    categories_load()
    communes = []
    # The first centre is Cà Mau town, where the commune and street viewports look.
    centres = [(9.1769, 105.1524)] + [(rng.uniform(8.70, 9.50), rng.uniform(104.85, 105.75)) for _ in range(59)]
    for i, (lat, lon) in enumerate(centres):
        unit = Unit.objects.create(
            era=Era.CURRENT, code=f"{32000 + i:05d}", name=f"Xã Bench {i}", kind=UnitKind.COMMUNE, parent=province
        )
        agency = Agency.objects.create(
            code=f"000.{i // 100:02d}.{i % 100:02d}.H12",
            name=f"UBND Xã Bench {i}",
            kind=AgencyKind.COMMUNE_COMMITTEE,
            unit=unit,
        )
        communes.append((unit, agency, lat, lon))
    leaves = list(ReportCategory.objects.filter(parent__isnull=False).values_list("pk", flat=True))
    return communes, leaves


def add_reports(count: int, start: int, communes, leaves, rng: random.Random) -> None:
    from django.utils import timezone

    from motcua.fieldreports.models import FieldReport

    statuses = ["submitted"] * 3 + ["accepted"] * 3 + ["answered"] * 2 + ["closed"] * 4 + ["refused"]
    now = timezone.now()
    batch = []
    for i in range(start, start + count):
        # A third in Cà Mau town (dense), the rest spread around the other communes.
        unit, agency, lat0, lon0 = communes[0] if i % 3 == 0 else communes[rng.randrange(len(communes))]
        spread = 0.02 if i % 3 == 0 else 0.05
        batch.append(
            FieldReport(
                code=f"PA-BENCH-{i:07d}",
                category_id=rng.choice(leaves),
                title=f"Phản ánh {i}",
                description="Nội dung phản ánh thử nghiệm.",
                lat=rng.gauss(lat0, spread),
                lon=rng.gauss(lon0, spread),
                unit=unit,
                agency=agency,
                status=rng.choice(statuses),
                submitted_at=now,
                reviewed=True,
                overdue=(i % 17 == 0),
            )
        )
        if len(batch) == 5000:
            FieldReport.objects.bulk_create(batch)
            batch = []
    if batch:
        FieldReport.objects.bulk_create(batch)


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    k = (len(ordered) - 1) * p
    lo, hi = math.floor(k), math.ceil(k)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def time_viewports(repeat: int, unit_pk: int) -> list[dict]:
    from django.test import Client

    client = Client()
    rows = []
    for name, bbox, zoom, extra in VIEWPORTS:
        params = {"bbox": bbox, "zoom": zoom, **{k: (unit_pk if v == "__unit__" else v) for k, v in extra.items()}}
        client.get("/api/v1/phan-anh/ban-do", params)  # warm-up
        times, size, body = [], 0, None
        for _ in range(repeat):
            started = time.perf_counter()
            response = client.get("/api/v1/phan-anh/ban-do", params)
            times.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, response.content[:200]
            size, body = len(response.content), response.content
        data = json.loads(body)
        items = len(data["c"]) if data["k"] == "c" else len(data["p"])
        rows.append(
            {
                "viewport": name,
                "kind": "clusters" if data["k"] == "c" else "points",
                "items": items,
                "reports": data["n"],
                "median_ms": statistics.median(times),
                "p95_ms": percentile(times, 0.95),
                "bytes": size,
            }
        )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,50000,100000")
    parser.add_argument("--repeat", type=int, default=40)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--json", action="store_true", help="print the rows as JSON too")
    args = parser.parse_args()
    sizes = sorted(int(s) for s in args.sizes.split(","))

    tmp, server = setup_django("fieldreports")
    from django.db import connection

    from motcua.fieldreports.models import MapCell
    from motcua.fieldreports.services.mapcells import mapcells_rebuild

    rng = random.Random(args.seed)
    try:
        communes, leaves = seed_world(rng)
        results, have = [], 0
        for size in sizes:
            started = time.perf_counter()
            add_reports(size - have, have, communes, leaves, rng)
            built = time.perf_counter() - started
            started = time.perf_counter()
            mapcells_rebuild()
            rebuilt = time.perf_counter() - started
            have = size
            print(
                f"# {size:,} reports: bulk insert {built:.1f} s, mapcells_rebuild {rebuilt:.1f} s "
                f"({MapCell.objects.count():,} cells)",
                flush=True,
            )
            for row in time_viewports(args.repeat, communes[0][0].pk):
                results.append({"size": size, **row})
        print(f"\nengine: {connection.vendor}; {args.repeat} requests per cell; Django test client\n")
        print("| reports | viewport | answer | items | reports in view | median ms | p95 ms | bytes |")
        print("| ---: | --- | --- | ---: | ---: | ---: | ---: | ---: |")
        for r in results:
            print(
                f"| {r['size']:,} | {r['viewport']} | {r['kind']} | {r['items']} | {r['reports']:,} | "
                f"{r['median_ms']:.1f} | {r['p95_ms']:.1f} | {r['bytes']:,} |"
            )
        if args.json:
            print(json.dumps(results, ensure_ascii=False, indent=1))
    finally:
        teardown_django(tmp, server)


if __name__ == "__main__":
    main()
