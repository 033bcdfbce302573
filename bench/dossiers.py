"""Dossiers benchmark: a seeded province-sized dossier table, the officer queues and the public lookup.

    .venv/bin/python bench/dossiers.py [--sizes 10000 1000000] [--repeat 40] [--seed 7] \
        [--server postgres://postgres@127.0.0.1:5432] [--no-http]

PostgreSQL only. Drops and recreates the database `motcua_bench` on `--server` (default: $BENCH_PG_SERVER
or postgres://postgres@127.0.0.1:5432), migrates it and loads the demo province (139 agencies, the
shipped catalog, officers; not its demo dossiers). Then, for each size in increasing order, it appends dossiers with COPY and
measures:

- the queue selector `dossier_queue` (first page and page 21 through the cursor) for a commune
  receptionist (tiepnhan.anxuyen) and the provincial manager (quanly.tinh);
- the same pages and `GET /api/v1/lookup?code=&phone4=` through a real HTTP server (granian, 2 WSGI
  workers, production settings, loopback), sequential requests, p50/p95;
- throughput of the lookup against `GET /healthz` (a view that does nothing): wrk when installed,
  otherwise a bounded Python thread pool.

The data is one seeded timeline of ~800 dossiers a working day, newest first: size N is the newest N
dossiers, so growing from 10k to 1M adds about five years of history (mostly returned dossiers) to the
same open work. That is what a real province sees: the queues hold today's work, the table holds years.
"""

import argparse
import datetime
import io
import itertools
import json
import math
import os
import random
import shutil
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from http.client import HTTPConnection
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DB_NAME = "motcua_bench"
PER_DAY = 800  # dossiers received per working day in the whole province
LOCAL = datetime.timezone(datetime.timedelta(hours=7))
HOST, PORT = "127.0.0.1", 8765
RECEPTIONIST, MANAGER = "tiepnhan.anxuyen", "quanly.tinh"
# Production settings, shared by this process and the server (sessions are signed with the key).
SERVER_ENV = {
    "MOTCUA_DEBUG": "0",
    "MOTCUA_SECRET_KEY": "bench-only-secret-key-" + "x" * 40,
    "MOTCUA_ALLOWED_HOSTS": "127.0.0.1",
    "MOTCUA_SECURE_SSL_REDIRECT": "0",
    "MOTCUA_LOG_LEVEL": "WARNING",
}
DEEP_PAGE = 21

SURNAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Huỳnh", "Hoàng", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý"]
MIDDLE = ["Văn", "Thị", "Hữu", "Minh", "Ngọc", "Thanh", "Hoàng", "Quốc", "Thu", "Hồng", "Kim", "Đức"]
GIVEN = ["An", "Bình", "Cường", "Dũng", "Hà", "Hải", "Hạnh", "Hoa", "Hùng", "Lan", "Linh", "Long", "Mai", "Nam"]
GIVEN += ["Nga", "Phúc", "Phương", "Quân", "Tâm", "Thảo", "Thủy", "Trang", "Tuấn", "Vy", "Xuân", "Yến"]
CHANNELS = ["online"] * 45 + ["counter"] * 45 + ["post"] * 5 + ["assisted"] * 5
DELIVERY = ["desk"] * 70 + ["post"] * 10 + ["electronic"] * 20
CLOSED = ["returned"] * 950 + ["not_received"] * 20 + ["withdrawn"] * 15 + ["stopped"] * 5 + ["resolved"] * 10
OPEN = ["processing"] * 60 + ["received"] * 15 + ["supplement_requested"] * 8 + ["payment_requested"] * 2
OPEN += ["resolved"] * 15
FINAL_EVENT = {"not_received": "refuse_intake", "withdrawn": "withdraw", "stopped": "stop"}
PAUSE_EVENT = {"supplement_requested": "request_supplement", "payment_requested": "request_fees"}
OPEN_SET = frozenset(OPEN)
STEPS = [(1, "receive", "receptionist", "Tiếp nhận"), (2, "appraise", "specialist", "Thẩm định")]
STEPS += [(3, "approve", "leader", "Phê duyệt, ký")]
ONE_DAY = datetime.timedelta(days=1)


# --- Database ----------------------------------------------------------------------------------


def setup_database(server: str) -> None:
    import psycopg

    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {DB_NAME}")
    os.environ["DATABASE_URL"] = f"{server}/{DB_NAME}"
    os.environ.update(SERVER_ENV)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings")
    import django

    django.setup()
    from django.core.management import call_command, get_commands

    from motcua.demo.province import demo_province_build

    call_command("migrate", verbosity=0)
    # What `load_demo_province` does without its handful of demo dossiers: the bench makes its own.
    for name in ("load_catalog", "load_calendar_overrides"):
        if name in get_commands():
            call_command(name, stdout=io.StringIO())
    demo_province_build()


def drop_database(server: str) -> None:
    import psycopg
    from django.db import connections

    connections.close_all()
    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")


# --- Generation --------------------------------------------------------------------------------


NULL = "\\N"


def _ts(value: datetime.datetime | None) -> str:
    return NULL if value is None else value.isoformat()


class Province:
    """The seeded timeline: dossier number i (0 = newest) is always the same dossier."""

    def __init__(self, seed: int, total: int):
        from motcua.catalog.models import Procedure
        from motcua.core.models import Agency

        self.rng = random.Random(seed)
        self.now = datetime.datetime.now(LOCAL)
        agencies = list(Agency.objects.select_related("unit").order_by("code"))
        self.by_kind: dict[str, list] = {}
        for agency in agencies:
            self.by_kind.setdefault(agency.kind, []).append(agency)
        communes = sorted({a.unit for a in self.by_kind["commune_committee"]}, key=lambda u: u.code)
        self.commune_agencies = {
            u.pk: {a.kind: a for a in agencies if a.unit_id == u.pk and a.kind.startswith("commune")} for u in communes
        }
        self.communes = [u.pk for u in communes]
        # Wards of the towns come first in the code list and are busier (Zipf-like, seeded).
        self.commune_cum = list(itertools.accumulate(1 / math.sqrt(rank + 1) for rank in range(len(communes))))
        self.procedures: dict[str, list] = {}
        for procedure in Procedure.objects.filter(is_active=True).order_by("code"):
            limit = float(procedure.time_limit_days or 0)
            snapshot = json.dumps({"code": procedure.code, "time_limit_days": limit})
            self.procedures.setdefault(procedure.agency_kind, []).append((procedure.pk, limit, snapshot))
        kind_weights = {"commune_committee": 65, "commune_police": 15, "department": 12, "province_police": 8}
        self.kinds = [k for k in kind_weights if self.procedures.get(k)]
        self.kinds_cum = list(itertools.accumulate(kind_weights[k] for k in self.kinds))
        # Working days (Mon–Fri), ascending, from far enough back to a month ahead.
        start = self.now.date() - datetime.timedelta(days=int(total / PER_DAY * 7 / 5) + 60)
        days, day = [], start
        while day <= self.now.date() + datetime.timedelta(days=60):
            if day.weekday() < 5:
                days.append(day)
            day += datetime.timedelta(days=1)
        self.days = days
        # Day 0 of the timeline is the last working day before today: all its dossiers are in.
        self.today = max(n for n, d in enumerate(days) if d < self.now.date())
        self.sequence: dict[tuple[int, datetime.date], int] = {}
        self.next_dossier_id = self.next_step_id = self.next_event_id = 1
        self.samples: list[tuple[str, str]] = []

    def _at(self, day_index: int, hour: float) -> datetime.datetime:
        day = self.days[day_index]
        return datetime.datetime(day.year, day.month, day.day, tzinfo=LOCAL) + datetime.timedelta(hours=hour)

    def dossier(self, i: int, out: dict[str, list[str]]) -> None:
        rng = self.rng
        kind = rng.choices(self.kinds, cum_weights=self.kinds_cum)[0]
        procedure_id, limit, snapshot = rng.choice(self.procedures[kind])
        if kind.startswith("commune"):
            unit_id = rng.choices(self.communes, cum_weights=self.commune_cum)[0]
            here = self.commune_agencies[unit_id]
            agency = here.get(kind) or here["commune_committee"]
        else:
            agency = rng.choice(self.by_kind[kind])
        agency_id, agency_code, place = agency.pk, agency.code, agency.unit.name
        day_index = self.today - i // PER_DAY
        received = self._at(day_index, 7.5 + rng.random() * 9.5)
        due = self._at(min(day_index + math.ceil(limit), len(self.days) - 1), 17)
        age = self.today - day_index
        if age <= 1 and rng.random() < 0.3:
            status = "registered"
        elif age <= limit:
            status = rng.choice(OPEN) if rng.random() < 0.9 else "returned"
        elif age <= limit + 10:
            status = rng.choice(OPEN) if rng.random() < 0.12 else rng.choice(CLOSED)  # late ones
        else:
            status = rng.choice(OPEN) if rng.random() < 0.001 else rng.choice(CLOSED)  # forgotten ones
        channel = rng.choice(CHANNELS)
        submitted = received - datetime.timedelta(hours=rng.random() * 30) if channel == "online" else received
        code_day = (submitted if status == "registered" else received).date()
        key = (agency_id, code_day)
        self.sequence[key] = number = self.sequence.get(key, 0) + 1
        code = f"{agency_code}-{code_day:%y%m%d}-{number:04d}"
        phone = f"0{rng.choice('3789')}{rng.randrange(10**8):08d}"
        name = f"{rng.choice(SURNAMES)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"
        if i % 97 == 0 and status != "not_received":
            self.samples.append((code, phone[-4:]))

        is_received = status not in ("registered", "not_received")
        resolved = returned = paused = None
        late = NULL
        if status in ("resolved", "returned"):
            span = (due - received) * rng.random()
            is_late = rng.random() < 0.05
            late = "t" if is_late else "f"
            resolved = due + datetime.timedelta(hours=rng.random() * 72) if is_late else received + span
            resolved = min(resolved, self.now - datetime.timedelta(minutes=5))
            if status == "returned":
                returned = min(resolved + datetime.timedelta(hours=rng.random() * 60), self.now)
        if status in PAUSE_EVENT:
            paused = received + (min(due, self.now) - received) * rng.random()
        if not is_received:
            deadline_state = "on_time"
        elif due < self.now:
            deadline_state = "overdue"
        elif due < self.now + datetime.timedelta(days=2):
            deadline_state = "due_soon"
        else:
            deadline_state = "on_time"
        pk = self.next_dossier_id
        self.next_dossier_id += 1
        r, d = received.isoformat(), due.isoformat()
        sub = r if submitted is received else submitted.isoformat()
        res, ret = _ts(resolved), _ts(returned)
        updated = ret if returned else (res if resolved else r)
        rr, dd, cur = (r, d, agency_id) if is_received else (NULL, NULL, NULL)
        out["dossier"].append(
            f"{pk}\t{r}\t{updated}\t{code}\t{snapshot}\t{status}\t{channel}\t{name}\t"
            f"0961{rng.randrange(10**8):08d}\t{phone}\tẤp {rng.randrange(1, 12)}, {place}\t\t\t{NULL}\t"
            f"{rng.choice(DELIVERY)}\t\t\t{sub}\t{rr}\t{rr}\t{_ts(paused)}\t{dd}\t{NULL}\t{res}\t{ret}\t"
            f"{deadline_state}\t{1 if status == 'supplement_requested' else 0}\t{late}\t{NULL}\t{NULL}\t{NULL}\t"
            f"{cur}\t{NULL}\t{NULL}\t{procedure_id}\t{agency_id}\t{NULL}"
        )

        events = []
        if channel == "online":
            events.append((sub, "submit", "draft", "registered"))
        if status == "not_received":
            events.append((r, "refuse_intake", "registered", "not_received"))
        elif is_received:
            events.append((r, "receive", "registered" if channel == "online" else "", "received"))
        if paused:
            events.append((paused.isoformat(), PAUSE_EVENT[status], "processing", status))
        if status in ("withdrawn", "stopped"):
            events.append(((received + ONE_DAY).isoformat(), FINAL_EVENT[status], "processing", status))
        if resolved:
            events.append((res, "result_ready", "processing", "resolved"))
        if returned:
            events.append((ret, "return_result", "resolved", "returned"))
        event_lines = out["event"]
        for at, action, before, after in events:
            event_lines.append(
                f"{self.next_event_id}\t{at}\t{action}\t{before}\t{after}\t\t{{}}\tt\t{NULL}\t{pk}\t{NULL}"
            )
            self.next_event_id += 1

        if status in OPEN_SET:
            done = status == "resolved"
            duration = max(limit / 3, 0.5)
            for order, step_kind, role, step_name in STEPS:
                state = "done" if done or order == 1 else ("active" if order == 2 else "pending")
                started = NULL if state == "pending" else r
                step_due = NULL if state == "done" else d
                finished = r if state == "done" else NULL
                out["step"].append(
                    f"{self.next_step_id}\t{order}\t{step_kind}\t{step_name}\t{role}\t{duration}\t{state}\t"
                    f"{started}\t{step_due}\t{finished}\t{agency_id}\t{NULL}\t{pk}"
                )
                self.next_step_id += 1


TABLES = {
    "dossier": (
        "dossiers_dossier",
        "id, created_at, updated_at, code, procedure_snapshot, status, channel, applicant_name, "
        "applicant_personal_id, applicant_phone, applicant_address, applicant_email, consent_text, consent_at, "
        "result_delivery, delivery_address, post_tracking_number, submitted_at, received_at, clock_started_at, "
        "paused_at, due_at, apology_due_at, resolved_at, returned_at, deadline_state, supplement_count, "
        "finished_late, idempotency_key, applicant_organisation_id, applicant_person_id, current_agency_id, "
        "current_assignee_id, office_id, procedure_id, receiving_agency_id, submitted_by_id",
    ),
    "event": (
        "dossiers_dossierevent",
        "id, at, action, from_status, to_status, note, data, public, actor_id, dossier_id, step_id",
    ),
    "step": (
        "dossiers_dossierstep",
        'id, "order", kind, name, role, duration_days, state, started_at, due_at, finished_at, agency_id, '
        "assignee_id, dossier_id",
    ),
}


def load(province: Province, start: int, stop: int, chunk: int = 50_000) -> dict[str, int]:
    """Append dossiers start..stop-1 of the timeline (with their events and steps) by COPY."""
    from django.db import connection

    counts = dict.fromkeys(TABLES, 0)
    with connection.cursor() as cursor:
        # Rows are generated consistent; skipping per-row FK triggers is what a bulk load does.
        cursor.execute("SET session_replication_role = replica")
        raw = cursor.cursor
        for first in range(start, stop, chunk):
            out = {name: [] for name in TABLES}
            for i in range(first, min(first + chunk, stop)):
                province.dossier(i, out)
            for name, (table, columns) in TABLES.items():
                if out[name]:
                    with raw.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                        copy.write("\n".join(out[name]) + "\n")
                    counts[name] += len(out[name])
        cursor.execute("SET session_replication_role = DEFAULT")
        for table, _ in TABLES.values():
            cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))")
        rows = [(a, d, n) for (a, d), n in province.sequence.items()]
        cursor.execute("DELETE FROM dossiers_dossiercodesequence")
        with raw.copy("COPY dossiers_dossiercodesequence (agency_id, day, last) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
    with connection.cursor() as cursor:
        for table, _ in TABLES.values():
            cursor.execute(f"VACUUM ANALYZE {table}")
    return counts


# --- Measuring ---------------------------------------------------------------------------------


def stats(times: list[float]) -> str:
    times = sorted(times)
    return f"p50 {statistics.median(times):7.2f} ms   p95 {times[max(0, math.ceil(len(times) * 0.95) - 1)]:7.2f} ms"


def timed(fn, repeat: int) -> list[float]:
    fn()  # warm
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    return times


def deep_cursor(user) -> tuple[str | None, int]:
    from motcua.dossiers.selectors import dossier_queue

    cursor, page = None, 1
    while page < DEEP_PAGE:
        _, following = dossier_queue(user, queue="office", limit=50, after=cursor)
        if following is None:
            break
        cursor, page = following, page + 1
    return cursor, page


def session_cookie(user) -> str:
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    session = SessionStore()
    session.update(
        {
            SESSION_KEY: str(user.pk),
            BACKEND_SESSION_KEY: settings.AUTHENTICATION_BACKENDS[0],
            HASH_SESSION_KEY: user.get_session_auth_hash(),
        }
    )
    session.create()
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}"


class Server:
    """granian with production settings on loopback; stopped by its own process group."""

    def __init__(self, server_url: str):
        env = {**os.environ, "DATABASE_URL": f"{server_url}/{DB_NAME}", **SERVER_ENV}
        python = str(ROOT / ".venv" / "bin" / "python")
        subprocess.run([python, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
        granian = str(ROOT / ".venv" / "bin" / "granian")
        self.process = subprocess.Popen(
            [granian, "--interface", "wsgi", "--workers", "2", "--blocking-threads", "4", "--host", HOST]
            + ["--port", str(PORT)]
            + ["--log-level", "warning", "motcua.wsgi:application"],
            cwd=ROOT,
            env=env,
            start_new_session=True,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if self.get("/healthz")[0] == 200:
                    return
            except OSError:
                time.sleep(0.2)
        self.stop()
        raise RuntimeError("granian did not start")

    def get(self, path: str, cookie: str | None = None, conn: HTTPConnection | None = None) -> tuple[int, bytes]:
        own = conn is None
        conn = conn or HTTPConnection(HOST, PORT, timeout=10)
        conn.request("GET", path, headers={"Cookie": cookie} if cookie else {})
        response = conn.getresponse()
        body = response.read()
        if own:
            conn.close()
        return response.status, body

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, 15)
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, 9)


def http_timed(server: Server, paths: list[str], repeat: int, cookie: str | None = None) -> list[float]:
    conn = HTTPConnection(HOST, PORT, timeout=10)
    times = []
    for n in range(repeat + 1):
        t = time.perf_counter()
        status, _ = server.get(paths[n % len(paths)], cookie, conn)
        if status != 200:
            raise RuntimeError(f"GET {paths[n % len(paths)]} answered {status}")
        if n:  # the first request warms the connection
            times.append((time.perf_counter() - t) * 1000)
    conn.close()
    return times


def throughput(server: Server, paths: list[str], seconds: float = 5.0, threads: int = 8) -> tuple[float, str]:
    """Requests per second on loopback, bounded in time and count."""
    url = f"http://{HOST}:{PORT}{paths[0]}"
    if shutil.which("wrk") and len(paths) == 1:
        out = subprocess.run(
            ["wrk", "-t2", f"-c{threads}", f"-d{int(seconds)}s", url], capture_output=True, text=True, timeout=60
        ).stdout
        line = next(line for line in out.splitlines() if line.startswith("Requests/sec"))
        errors = [line.strip() for line in out.splitlines() if "Non-2xx" in line or "Socket errors" in line]
        if errors:
            raise RuntimeError(f"wrk: {errors}")
        return float(line.split()[1]), f"wrk -t2 -c{threads} -d{int(seconds)}s"
    done, failures, stop_at = [0], [0], time.monotonic() + seconds
    lock = threading.Lock()

    def worker(offset: int) -> None:
        conn, n = HTTPConnection(HOST, PORT, timeout=10), offset
        while time.monotonic() < stop_at and n < offset + 100_000:
            status, _ = server.get(paths[n % len(paths)], None, conn)
            n += 1
            with lock:
                done[0] += 1
                failures[0] += status != 200
        conn.close()

    started = time.monotonic()
    pool = [threading.Thread(target=worker, args=(k * 1000,)) for k in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    if failures[0]:
        raise RuntimeError(f"{failures[0]} failed requests")
    return done[0] / (time.monotonic() - started), f"Python, {threads} threads, {seconds:.0f} s"


def measure(province: Province, repeat: int, server: Server | None, rng: random.Random) -> dict[str, list[float]]:
    from django.core.cache import cache

    from motcua.core.models import User
    from motcua.dossiers.selectors import dossier_queue
    from motcua.dossiers.selectors.lookup import dossier_lookup

    results: dict[str, list[float]] = {}
    for username in (RECEPTIONIST, MANAGER):
        user = User.objects.get(username=username)
        cursor, page = deep_cursor(user)
        results[f"selector {username} page 1"] = timed(lambda u=user: dossier_queue(u, queue="office"), repeat)
        if cursor:  # a queue of one page has no deeper page to measure
            results[f"selector {username} page {page}"] = timed(
                lambda u=user, c=cursor: dossier_queue(u, queue="office", after=c), repeat
            )
        if server:
            cookie = session_cookie(user)
            path = "/ho-so/can-bo/?tab=office"
            results[f"HTTP {username} page 1"] = http_timed(server, [path], repeat, cookie)
            if cursor:
                deep = f"{path}&{urllib.parse.urlencode({'after': cursor})}"
                results[f"HTTP {username} page {page}"] = http_timed(server, [deep], repeat, cookie)
    samples = rng.sample(province.samples, min(len(province.samples), repeat * 4))

    def lookup():
        cache.clear()
        code, phone4 = rng.choice(samples)
        dossier_lookup(code, phone4, client="bench")

    results["selector lookup"] = timed(lookup, repeat)
    if server:
        paths = [f"/api/v1/lookup?{urllib.parse.urlencode({'code': c, 'phone4': p})}" for c, p in samples]
        results["HTTP lookup"] = http_timed(server, paths, repeat * 2)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 1_000_000])
    parser.add_argument("--repeat", type=int, default=40)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--server", default=os.environ.get("BENCH_PG_SERVER", "postgres://postgres@127.0.0.1:5432"))
    parser.add_argument("--no-http", action="store_true", help="selectors only, no HTTP server")
    parser.add_argument("--keep", action="store_true", help=f"keep the database {DB_NAME} afterwards")
    args = parser.parse_args()
    sizes = sorted(args.sizes)
    t = time.perf_counter()
    setup_database(args.server)
    print(f"database {DB_NAME}: migrated and demo province loaded in {time.perf_counter() - t:.1f} s")
    server = None
    try:
        province = Province(args.seed, sizes[-1])
        done, table = 0, {}
        for size in sizes:
            t = time.perf_counter()
            counts = load(province, done, size)
            done = size
            print(
                f"\n{size:,} dossiers: +{counts['dossier']:,} dossiers, +{counts['event']:,} events, "
                f"+{counts['step']:,} steps by COPY in {time.perf_counter() - t:.1f} s (with VACUUM ANALYZE)"
            )
            if server is None and not args.no_http:
                server = Server(args.server)
            results = measure(province, args.repeat, server, random.Random(args.seed))
            for key, times in results.items():
                print(f"  {key.ljust(40)} {stats(times)}")
            table[size] = {key: statistics.median(times) for key, times in results.items()}
            if server:
                for name, paths in [
                    ("healthz", ["/healthz"]),
                    ("lookup", [f"/api/v1/lookup?code={urllib.parse.quote(province.samples[0][0])}"
                                f"&phone4={province.samples[0][1]}"]),
                ]:  # fmt: skip
                    rate, how = throughput(server, paths)
                    print(f"  throughput {name.ljust(29)} {rate:8.0f} req/s ({how})")
        if len(sizes) > 1:
            small, large = sizes[0], sizes[-1]
            print(f"\nratio p50 {large:,} / {small:,} (aim ≤ 1.5):")
            for key in table[large]:
                match = next((k for k in table[small] if k.rsplit(" page", 1)[0] == key.rsplit(" page", 1)[0]
                              and ("page 1" in k) == ("page 1" in key)), None)  # fmt: skip
                if match:
                    print(f"  {key.ljust(40)} {table[large][key] / table[small][match]:5.2f}")
    finally:
        if server:
            server.stop()
        if not args.keep:
            drop_database(args.server)


if __name__ == "__main__":
    main()
