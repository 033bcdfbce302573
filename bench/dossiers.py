"""Dossiers benchmark: the officer queue (keyset pages) and the public lookup at growing table sizes.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/dossiers.py \
        [--sizes 10000 100000] [--repeat 50] [--seed 7]

Like bench/catalog.py: a throwaway SQLite database by default; with DATABASE_URL it creates and drops
its own database `motcua_bench_<pid>` on that server. Dossiers are spread over 60 communes (one
agency each); the measured officer works in one of them, so their queue is ~1/60 of the table.
"""

import argparse
import datetime
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

COMMUNES = 60
BATCH = 5000


def setup_django() -> tuple[tempfile.TemporaryDirectory, bool]:
    tmp = tempfile.TemporaryDirectory(prefix="motcua-bench-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings")
    os.environ["MOTCUA_VAR_DIR"] = tmp.name
    server = "DATABASE_URL" in os.environ
    if not server:
        os.environ["DATABASE_URL"] = f"sqlite:///{tmp.name}/bench.sqlite3"
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    if server:
        connection.settings_dict.setdefault("TEST", {})["NAME"] = f"motcua_bench_{os.getpid()}"
        connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    else:
        call_command("migrate", verbosity=0)
    return tmp, server


def make_world():
    from motcua.catalog.models import Field, Procedure
    from motcua.core.models import Agency, AgencyKind, Era, Role, RoleAssignment, Unit, UnitKind, User

    province = Unit.objects.create(era=Era.CURRENT, code="96", name="Tỉnh Cà Mau", kind=UnitKind.PROVINCE)
    agencies = []
    for n in range(COMMUNES):
        unit = Unit.objects.create(
            era=Era.CURRENT, code=f"{32000 + n}", name=f"Xã {n}", kind=UnitKind.COMMUNE, parent=province
        )
        agencies.append(
            Agency.objects.create(
                code=f"000.00.{n:02d}.H12", name=f"UBND xã {n}", kind=AgencyKind.COMMUNE_COMMITTEE, unit=unit
            )
        )
    field = Field.objects.create(slug="ho-tich", name="Hộ tịch")
    procedures = [
        Procedure.objects.create(
            code=f"9.{n:06d}",
            key=f"tt-{n}",
            name=f"Thủ tục {n}",
            field=field,
            level="commune",
            agency_kind=AgencyKind.COMMUNE_COMMITTEE,
            time_limit_days=3,
            online_level="full",
            result_type="-",
            applicants="-",
            valid_from=datetime.date(2025, 7, 1),
        )
        for n in range(20)
    ]
    officer = User.objects.create(username="bench_officer", is_officer=True)
    RoleAssignment.objects.create(user=officer, role=Role.RECEPTIONIST, agency=agencies[0])
    return agencies, procedures, officer


def add_dossiers(count: int, start: int, agencies, procedures, rng: random.Random) -> list[tuple[str, str]]:
    from django.utils import timezone

    from motcua.dossiers.models import Dossier, DossierStatus

    now = timezone.now()
    statuses = [DossierStatus.PROCESSING] * 6 + [DossierStatus.RETURNED] * 3 + [DossierStatus.RECEIVED]
    samples = []
    for offset in range(0, count, BATCH):
        rows = []
        for i in range(start + offset, start + min(offset + BATCH, count)):
            agency = agencies[i % COMMUNES]
            phone = f"09{rng.randrange(10**8):08d}"
            code = f"{agency.code}-26{i // 100000 % 12 + 1:02d}{i // 10000 % 28 + 1:02d}-{i:06d}"
            received = now - datetime.timedelta(hours=rng.randrange(24 * 120))
            rows.append(
                Dossier(
                    code=code,
                    procedure=rng.choice(procedures),
                    status=rng.choice(statuses),
                    channel="online",
                    applicant_name=f"Nguyễn Văn {i}",
                    applicant_phone=phone,
                    applicant_personal_id=f"096085{i:06d}",
                    receiving_agency=agency,
                    current_agency=agency,
                    received_at=received,
                    # Deadlines collide on purpose (whole hours), as real ones do at 17:00.
                    due_at=received.replace(minute=0, second=0, microsecond=0) + datetime.timedelta(days=5),
                )
            )
            if i % 997 == 0:
                samples.append((code, phone[-4:]))
        Dossier.objects.bulk_create(rows)
    return samples


def timed(fn, repeat: int) -> str:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    times.sort()
    return f"median {statistics.median(times):.2f} ms, p95 {times[int(len(times) * 0.95) - 1]:.2f} ms"


def measure(officer, samples, repeat: int) -> list[tuple[str, str]]:
    from django.core.cache import cache

    from motcua.dossiers.selectors import dossier_lookup, dossier_queue

    first, cursor = dossier_queue(officer, queue="office", limit=50)
    deep = cursor
    for _ in range(20):  # the 21st page: keyset cost should not depend on depth
        _, deep = dossier_queue(officer, queue="office", limit=50, after=deep)
    rows = [
        ("queue office, page 1", timed(lambda: dossier_queue(officer, queue="office", limit=50), repeat)),
        ("queue office, page 21", timed(lambda: dossier_queue(officer, queue="office", after=deep), repeat)),
        ("queue overdue, page 1", timed(lambda: dossier_queue(officer, queue="overdue", limit=50), repeat)),
        ("queue search by name", timed(lambda: dossier_queue(officer, queue="office", q="Văn 4242"), repeat)),
    ]
    rng = random.Random(1)

    def lookup():
        cache.clear()
        code, phone4 = rng.choice(samples)
        dossier_lookup(code, phone4, client="bench")

    rows.append(("public lookup", timed(lookup, repeat)))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--repeat", type=int, default=50)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    tmp, server = setup_django()
    from django.db import connection

    try:
        agencies, procedures, officer = make_world()
        print(f"database: {connection.vendor}")
        done, samples = 0, []
        for size in sorted(args.sizes):
            t = time.perf_counter()
            samples += add_dossiers(size - done, done, agencies, procedures, rng)
            done = size
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("ANALYZE dossiers_dossier")
            print(f"\n{size:,} dossiers (generated in {time.perf_counter() - t:.1f} s)")
            for key, value in measure(officer, samples, args.repeat):
                print(f"  {key.ljust(24)} {value}")
    finally:
        if server:
            connection.creation.destroy_test_db(connection.settings_dict["NAME"], verbosity=0)
        connection.close()
        tmp.cleanup()


if __name__ == "__main__":
    main()
