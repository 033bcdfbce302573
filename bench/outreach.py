"""Outreach benchmark: progress pages of a province with 700,000 households and 3 million visits.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/outreach.py \
        [--households 700000] [--visits 3000000] [--communes 64] [--repeat 30] [--seed 7] [--keep]

PostgreSQL only (rows are loaded with COPY). Creates its own database `motcua_bench_outreach_<pid>`
on that server and drops it at the end (unless --keep). Steps, each timed:
1. generate and COPY households (2 members each), teams (one per hamlet and one per commune,
   5 members), visits (about 80 % of households visited, 1-10 times, Jan-Nov 2026), who was
   helped (one member per visit) and achievements (unique per household, member, indicator);
2. fill the rollups with `progress_rebuild` for every commune (the repair command);
3. record new visits through the real `visit_record` (which updates the rollups), and check that
   the incremental rows of that commune equal a rebuild;
4. time the commune and province pages: the selectors alone, and the full views (Django test
   client: session, access check, selector, template, inline SVG chart).
"""

import argparse
import datetime
import io
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import _django  # noqa: E402  (bench/ is the script's folder)

HAMLETS_PER_COMMUNE = 15
TEAM_MEMBERS = 5
PERSON_INDICATORS = 7  # achievement j of a household: member j % 2, indicator j // 2: unique by construction


def setup_django() -> tempfile.TemporaryDirectory:
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("bench/outreach.py needs DATABASE_URL=postgres://... (it loads rows with COPY)")
    tmp, _server = _django.setup_django("outreach")
    return tmp


def step(label: str, started: float) -> float:
    now = time.perf_counter()
    print(f"  {label.ljust(44)} {now - started:8.1f} s", flush=True)
    return now


def copy_rows(table: str, columns: list[str], lines) -> int:
    """COPY text rows (tab-separated, \\N for NULL) in chunks of 50,000."""
    from django.db import connection

    count = 0
    with connection.cursor() as cursor:
        raw = cursor.cursor
        with raw.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
            buffer = io.StringIO()
            for line in lines:
                buffer.write(line)
                count += 1
                if count % 50_000 == 0:
                    copy.write(buffer.getvalue())
                    buffer = io.StringIO()
            copy.write(buffer.getvalue())
    return count


def reset_sequences(tables: list[str]) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), COALESCE((SELECT MAX(id) FROM {table}), 1))"
            )


def make_world(communes: int):
    from motcua.core.models import Era, Hamlet, Role, RoleAssignment, Unit, UnitKind, User
    from motcua.outreach.models import OutreachTeam, TeamMember
    from motcua.outreach.services.teams import indicators_load_defaults

    indicators_load_defaults()
    province = Unit.objects.create(era=Era.CURRENT, code="96", name="Tỉnh Cà Mau", kind=UnitKind.PROVINCE)
    units, hamlets, teams = [], [], {}
    for n in range(communes):
        unit = Unit.objects.create(
            era=Era.CURRENT, code=f"{32000 + n}", name=f"Xã {n}", kind=UnitKind.COMMUNE, parent=province
        )
        units.append(unit)
        commune_team = OutreachTeam.objects.create(unit=unit, name=f"Tổ xã {n}")
        for k in range(HAMLETS_PER_COMMUNE):
            hamlet = Hamlet.objects.create(unit=unit, name=f"Ấp {k + 1}")
            team = OutreachTeam.objects.create(unit=unit, hamlet=hamlet, name=f"Tổ ấp {k + 1}")
            team.hamlets.set([hamlet])
            hamlets.append(hamlet)
            teams[hamlet.pk] = (team.pk, commune_team.pk)
    TeamMember.objects.bulk_create(
        TeamMember(team_id=team_id, full_name=f"Thành viên {team_id}-{i}")
        for pair in teams.values()
        for team_id in pair
        for i in range(TEAM_MEMBERS)
    )
    member = User.objects.create(username="bench_member")
    TeamMember.objects.create(team_id=teams[hamlets[0].pk][0], user=member, full_name="Thành viên đo")
    leader = User.objects.create(username="bench_leader", is_officer=True)
    RoleAssignment.objects.create(user=leader, role=Role.MANAGER, unit=units[0])
    manager = User.objects.create(username="bench_manager", is_officer=True)
    RoleAssignment.objects.create(user=manager, role=Role.MANAGER, unit=province)
    return province, units, hamlets, teams, member, leader, manager


def load(households: int, visits: int, hamlets, teams, rng: random.Random) -> tuple[int, int]:
    from motcua.outreach.models import Indicator

    person_indicators = list(
        Indicator.objects.filter(applies_to="person").order_by("order").values_list("id", flat=True)
    )
    stamp = "2026-11-20 12:00:00+07"
    start = datetime.datetime(2026, 1, 1, 7, tzinfo=datetime.timezone(datetime.timedelta(hours=7)))
    span = int((datetime.datetime(2026, 11, 20, 7, tzinfo=start.tzinfo) - start).total_seconds())
    t = time.perf_counter()
    hamlet_of = [hamlets[h % len(hamlets)] for h in range(households)]  # round robin: equal hamlets

    def household_lines():
        for h in range(1, households + 1):
            hamlet = hamlet_of[h - 1]
            yield (
                f"{h}\t{stamp}\t{stamp}\t{hamlet.unit_id}\t{hamlet.pk}\tNguyễn Văn {h}\t\\N\tSố {h} {hamlet.name}\t"
                f"nguyen van {h}|so {h}\t\t2\tf\tf\n"
            )

    copy_rows(
        "outreach_household",
        [
            "id",
            "created_at",
            "updated_at",
            "unit_id",
            "hamlet_id",
            "head_name",
            "head_personal_id",
            "address",
            "identity_folded",
            "phone",
            "member_count",
            "is_business",
            "is_demo",
        ],
        household_lines(),
    )

    def member_lines():
        for h in range(1, households + 1):
            yield f"{2 * h - 1}\t{stamp}\t{stamp}\t{h}\t\\N\tNguyễn Văn {h}\t\t\t\tt\n"
            yield f"{2 * h}\t{stamp}\t{stamp}\t{h}\t\\N\tTrần Thị {h}\t\t\tvợ\tf\n"

    copy_rows(
        "outreach_householdmember",
        [
            "id",
            "created_at",
            "updated_at",
            "household_id",
            "person_id",
            "full_name",
            "personal_id",
            "phone",
            "relation",
            "is_head",
        ],
        member_lines(),
    )
    t = step(f"households + members ({households:,} + {2 * households:,})", t)

    # Plan every visit first (household, time, team), so that the three COPYs agree.
    plan = []
    for h in range(1, households + 1):
        if rng.random() < 0.2:
            continue
        for _j in range(rng.randint(1, 10)):
            plan.append(h)
            if len(plan) >= visits:
                break
        if len(plan) >= visits:
            break
    while len(plan) < visits:  # households alone could not supply enough: top up at random
        plan.append(rng.randint(1, households))
    times = [start + datetime.timedelta(seconds=rng.randrange(span)) for _ in plan]
    seen: dict[int, int] = {}

    def visit_lines():
        for v, (h, moment) in enumerate(zip(plan, times, strict=True), 1):
            hamlet_team, commune_team = teams[hamlet_of[h - 1].pk]
            team = commune_team if v % 5 == 0 else hamlet_team
            yield (
                f"{v}\t{stamp}\t{stamp}\t{h}\t{team}\t\\N\t{moment.isoformat()}\t\t\t{uuid.UUID(int=v)}\t\\N\t\\N\tf\n"
            )

    copy_rows(
        "outreach_visit",
        [
            "id",
            "created_at",
            "updated_at",
            "household_id",
            "team_id",
            "member_id",
            "visited_at",
            "note",
            "photo",
            "client_uuid",
            "campaign_id",
            "dossier_id",
            "is_demo",
        ],
        visit_lines(),
    )
    t = step(f"visits ({len(plan):,})", t)

    def helped_lines():
        for v, h in enumerate(plan, 1):
            yield f"{v}\t{2 * h - (v % 2)}\n"

    copy_rows("outreach_visit_helped_members", ["visit_id", "householdmember_id"], helped_lines())
    t = step(f"helped members ({len(plan):,})", t)

    achievements = 0

    def achievement_lines():
        nonlocal achievements
        for v, (h, moment) in enumerate(zip(plan, times, strict=True), 1):
            j = seen.get(h, 0)
            seen[h] = j + 1
            if j < 2 * PERSON_INDICATORS and rng.random() < 0.5:
                achievements += 1
                member = 2 * h - 1 + (j % 2)
                indicator = person_indicators[(j // 2) % len(person_indicators)]
                yield f"{achievements}\t{h}\t{member}\t{indicator}\t{moment.isoformat()}\t{v}\t\\N\n"

    copy_rows(
        "outreach_indicatorachievement",
        ["id", "household_id", "member_id", "indicator_id", "achieved_at", "visit_id", "recorded_by_id"],
        achievement_lines(),
    )
    t = step(f"achievements ({achievements:,})", t)
    reset_sequences(
        [
            "outreach_household",
            "outreach_householdmember",
            "outreach_visit",
            "outreach_visit_helped_members",
            "outreach_indicatorachievement",
        ]
    )
    from django.db import connection

    with connection.cursor() as cursor:
        for table in (
            "outreach_household",
            "outreach_householdmember",
            "outreach_visit",
            "outreach_visit_helped_members",
            "outreach_indicatorachievement",
        ):
            cursor.execute(f"ANALYZE {table}")
    step("sequences + ANALYZE", t)
    return len(plan), achievements


def timed(fn, repeat: int) -> str:
    fn()  # warm: first call pays for imports and template compilation
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    times.sort()
    return f"median {statistics.median(times):7.1f} ms, p95 {times[max(0, int(len(times) * 0.95) - 1)]:7.1f} ms"


def snapshot(unit):
    from motcua.outreach.models import ProgressDaily, ProgressMonthly, ProgressTotal

    fields = ("visits", "households_reached", "people_helped", "achievements", "households_achieved")
    out = []
    for model in (ProgressMonthly, ProgressDaily, ProgressTotal):
        rows = {}
        for row in model.objects.filter(unit=unit).values():
            values = tuple(row[f] for f in fields)
            if any(values):
                rows[tuple(v for k, v in sorted(row.items()) if k not in fields and k not in ("id", "households"))] = (
                    values
                )
        out.append(rows)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--households", type=int, default=700_000)
    parser.add_argument("--visits", type=int, default=3_000_000)
    parser.add_argument("--communes", type=int, default=64)
    parser.add_argument("--record", type=int, default=200, help="visits recorded through visit_record")
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--keep", action="store_true", help="keep the database (name printed)")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    tmp = setup_django()
    from django.db import connection

    try:
        print(f"database: {connection.settings_dict['NAME']} (PostgreSQL {connection.pg_version // 10000})")
        t0 = t = time.perf_counter()
        province, units, hamlets, teams, member, leader, manager = make_world(args.communes)
        t = step(f"units, {len(hamlets)} hamlets, {2 * len(teams)} teams", t)
        visits, achievements = load(args.households, args.visits, hamlets, teams, rng)
        t = time.perf_counter()

        from motcua.outreach.progress.services import progress_rebuild

        for unit in units:
            progress_rebuild(unit=unit)
        with connection.cursor() as cursor:
            for table in ("outreach_progressmonthly", "outreach_progressdaily", "outreach_progresstotal"):
                cursor.execute(f"ANALYZE {table}")
        t = step(f"progress_rebuild x {len(units)} communes", t)
        print(f"  {'total load':44} {time.perf_counter() - t0:8.1f} s")
        from motcua.outreach.models import Household, ProgressDaily, ProgressMonthly, ProgressTotal

        print(
            f"\nrows: households {Household.objects.count():,}, visits {visits:,}, achievements {achievements:,}; "
            f"rollups monthly {ProgressMonthly.objects.count():,}, daily {ProgressDaily.objects.count():,}, "
            f"total {ProgressTotal.objects.count():,}"
        )

        from motcua.outreach.services.visits import AchievementIn, visit_record

        households = list(Household.objects.filter(hamlet=hamlets[0]).values_list("id", flat=True)[: args.record])
        record_times = []
        now = datetime.datetime.now(datetime.UTC)
        for n, household_id in enumerate(households):
            started = time.perf_counter()
            visit_record(
                actor=member,
                household_id=household_id,
                client_uuid=uuid.uuid4(),
                helped_member_ids=[2 * household_id],
                achievements=[AchievementIn("zalo_group")],
                visited_at=now - datetime.timedelta(days=n % 300),
            )
            record_times.append((time.perf_counter() - started) * 1000)
        record_times.sort()
        print(
            f"\nvisit_record with rollups ({len(record_times)} visits): median {statistics.median(record_times):.1f} ms, "
            f"p95 {record_times[int(len(record_times) * 0.95) - 1]:.1f} ms"
        )
        incremental = snapshot(units[0])
        progress_rebuild(unit=units[0])
        print(f"incremental rows == rebuild for the measured commune: {snapshot(units[0]) == incremental}")

        from django.test import Client
        from django.test.utils import setup_test_environment

        from motcua.outreach.progress.selectors import progress_commune, progress_province

        setup_test_environment()
        code = units[0].code
        leader_client, manager_client = Client(), Client()
        leader_client.force_login(leader)
        manager_client.force_login(manager)

        def page(client, url):
            response = client.get(url)
            assert response.status_code == 200, response.status_code

        print(f"\nlatency ({args.repeat} runs each, after one warm-up):")
        rows = [
            ("commune selector (progress_commune)", lambda: progress_commune(leader, code=code)),
            ("commune page (view + template)", lambda: page(leader_client, f"/to-cong-nghe-so/tien-do/xa/{code}/")),
            ("province selector (progress_province)", lambda: progress_province(manager)),
            ("province page (view + template)", lambda: page(manager_client, "/to-cong-nghe-so/tien-do/tinh/")),
            ("commune Excel export", lambda: page(leader_client, f"/to-cong-nghe-so/tien-do/xa/{code}/excel/")),
        ]
        for label, fn in rows:
            print(f"  {label.ljust(40)} {timed(fn, args.repeat)}", flush=True)
        if args.keep:
            print(f"\nkept database {connection.settings_dict['NAME']}")
    finally:
        if args.keep:
            connection.close()
            tmp.cleanup()
        else:
            _django.teardown_django(tmp, server=True)


if __name__ == "__main__":
    main()
