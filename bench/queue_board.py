"""Queue benchmark: how fast numbers are issued, how fast a counter calls with 50 display boards
connected, and how long a call takes to reach the boards.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/queue_board.py \
        [--boards 50] [--calls 200] [--issue 300] [--kiosks 10]

With DATABASE_URL it creates (and drops at the end) a database `motcua_bench_queue_<pid>` on that
server; without, a throwaway SQLite file (the concurrent issue figure is then skipped). It builds one
office with 10 counters and one service group, then measures:

1. issue rate: `issue_ticket` called in this process, one kiosk after another, then `--kiosks`
   threads at once (each its own database connection; the daily counter row is locked);
2. the web server as `manage.py serve` starts it (granian, WSGI, 2 workers, granian's default
   blocking threads), production settings, loopback;
3. call-next latency: `POST /api/v1/queue/counters/<id>/call-next` as the counter's officer
   (session and CSRF cookies), round robin over the 10 counters (the previous ticket of a counter is
   finished in this process first, untimed), first with no board connected, then with `--boards`
   boards each holding `GET /xep-hang/bang/<office>/su-kien/` open in its own thread;
4. call to board: for each call and each board, from the moment the call-next request is sent to
   the moment that board has read the call's event (same clock, this process); p50/p95/max, and how
   many (call, board) pairs never arrived.
"""

from __future__ import annotations

import sys
from pathlib import Path

# This file is called queue.py, like the standard library's queue module that threads need: take
# bench/ off the import path before anything imports `queue`, and load bench/_django.py by its path.
BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != BENCH]
sys.path.insert(0, str(ROOT))

import argparse  # noqa: E402
import contextlib  # noqa: E402
import importlib.util  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import socket  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import threading  # noqa: E402
import time  # noqa: E402
from concurrent.futures import ThreadPoolExecutor  # noqa: E402
from http.client import HTTPConnection  # noqa: E402
from urllib.parse import urlsplit, urlunsplit  # noqa: E402

_spec = importlib.util.spec_from_file_location("bench_django", BENCH / "_django.py")
_bench_django = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_bench_django)
setup_django, teardown_django = _bench_django.setup_django, _bench_django.teardown_django

HOST, PORT = "127.0.0.1", 8767
COUNTERS = 10
SERVER_ENV = {
    "MOTCUA_DEBUG": "0",
    "MOTCUA_DEMO": "0",
    "MOTCUA_SECRET_KEY": "bench-only-secret-key-" + "q" * 40,
    "MOTCUA_ALLOWED_HOSTS": "127.0.0.1",
    "MOTCUA_SECURE_SSL_REDIRECT": "0",
    "MOTCUA_LOG_LEVEL": "WARNING",
}
CSRF = "b" * 32


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * len(ordered) + 0.5) - 1))]


def build_world():
    from motcua.core.models import (
        Agency,
        AgencyKind,
        Counter,
        Era,
        OneStopOffice,
        Role,
        RoleAssignment,
        Unit,
        UnitKind,
        User,
    )
    from motcua.queue.models import ServiceGroup

    province = Unit.objects.create(era=Era.CURRENT, code="96", name="Tỉnh Cà Mau", kind=UnitKind.PROVINCE)
    commune = Unit.objects.create(
        era=Era.CURRENT, code="32999", name="Xã Bench", kind=UnitKind.COMMUNE, parent=province
    )
    agency = Agency.objects.create(
        code="000.99.99.H12", name="UBND Xã Bench", kind=AgencyKind.COMMUNE_COMMITTEE, unit=commune
    )
    office = OneStopOffice.objects.create(agency=agency, name="Bộ phận một cửa xã Bench")
    counters = [Counter.objects.create(office=office, number=n, name=f"Quầy {n}") for n in range(1, COUNTERS + 1)]
    group = ServiceGroup.objects.create(office=office, code="ho-tich", name="Hộ tịch", prefix="A")
    group.counters.set(counters)
    officer = User.objects.create(username="bench.desk", is_officer=True)
    RoleAssignment.objects.create(user=officer, role=Role.RECEPTIONIST, agency=agency)
    return office, counters, group, officer


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
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}; {settings.CSRF_COOKIE_NAME}={CSRF}"


def issue_rates(group, *, sequential: int, kiosks: int, postgres: bool) -> dict:
    from django.db import connection

    from motcua.queue.services import issue_ticket

    started = time.perf_counter()
    for _ in range(sequential):
        issue_ticket(group=group, channel="kiosk")
    result = {"sequential": sequential / (time.perf_counter() - started)}
    if postgres:
        per_kiosk = max(1, sequential // kiosks)

        def kiosk(_n):
            try:
                for _ in range(per_kiosk):
                    issue_ticket(group=group, channel="kiosk")
            finally:
                connection.close()

        started = time.perf_counter()
        with ThreadPoolExecutor(kiosks) as pool:
            list(pool.map(kiosk, range(kiosks)))
        result["concurrent"] = per_kiosk * kiosks / (time.perf_counter() - started)
    return result


class Server:
    """granian as `manage.py serve` runs it (2 WSGI workers, default blocking threads)."""

    def __init__(self, database_url: str, var_dir: str):
        env = {**os.environ, **SERVER_ENV, "DATABASE_URL": database_url, "MOTCUA_VAR_DIR": var_dir}
        python = str(ROOT / ".venv" / "bin" / "python")
        subprocess.run([python, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
        granian = str(ROOT / ".venv" / "bin" / "granian")
        argv = [granian, "--interface", "wsgi", "--host", HOST, "--port", str(PORT), "--workers", "2"]
        argv += ["--log-level", "warning", "motcua.wsgi:application"]
        self.process = subprocess.Popen(argv, cwd=ROOT, env=env, start_new_session=True)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                conn = HTTPConnection(HOST, PORT, timeout=5)
                conn.request("GET", "/healthz")
                if conn.getresponse().status == 200:
                    conn.close()
                    return
            except OSError:
                time.sleep(0.2)
        self.stop()
        raise RuntimeError("granian did not start")

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, 15)
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, 9)


class BoardClient(threading.Thread):
    """One TV: holds the event stream open and notes when each call arrives."""

    def __init__(self, office_id: int):
        super().__init__(daemon=True)
        self.path = f"/xep-hang/bang/{office_id}/su-kien/"
        self.connected = threading.Event()
        self.received: dict[int, float] = {}
        self.sock: socket.socket | None = None
        self.error = ""

    def run(self) -> None:
        try:
            self.sock = socket.create_connection((HOST, PORT), timeout=120)
            request = f"GET {self.path} HTTP/1.1\r\nHost: {HOST}\r\nAccept: text/event-stream\r\n\r\n"
            self.sock.sendall(request.encode())
            stream = self.sock.makefile("rb")
            event = None
            for raw in stream:
                line = raw.decode().rstrip("\r\n")
                if line.startswith("event: "):
                    event = line[7:]
                elif line.startswith("data: ") and event == "state":
                    self.connected.set()
                elif line.startswith("id: "):
                    self.received.setdefault(int(line[4:]), time.perf_counter())
        except OSError as error:
            self.error = str(error)

    def close(self) -> None:
        if self.sock is not None:
            with contextlib.suppress(OSError):
                self.sock.shutdown(socket.SHUT_RDWR)
            self.sock.close()


def call_round(counters, officer, cookie: str, calls: int, pause: float) -> list[tuple[int, float, float]]:
    """`calls` call-nexts over HTTP, round robin; returns (call id, sent at, answered at)."""
    from motcua.queue.models import Ticket, TicketCall, TicketStatus
    from motcua.queue.services import finish_serving, start_serving

    conn = HTTPConnection(HOST, PORT, timeout=30)
    headers = {"Cookie": cookie, "X-CSRFToken": CSRF, "Content-Type": "application/json"}
    out = []
    for n in range(calls):
        counter = counters[n % len(counters)]
        busy = Ticket.objects.filter(counter=counter, status__in=[TicketStatus.CALLED, TicketStatus.SERVING]).first()
        if busy is not None:
            if busy.status == TicketStatus.CALLED:
                busy = start_serving(busy, officer)
            finish_serving(busy, officer)
        sent = time.perf_counter()
        conn.request("POST", f"/api/v1/queue/counters/{counter.pk}/call-next", body="{}", headers=headers)
        response = conn.getresponse()
        body = response.read()
        answered = time.perf_counter()
        if response.status != 200:
            raise RuntimeError(f"call-next answered {response.status}: {body[:300]!r}")
        ticket_id = json.loads(body)["id"]
        call_id = TicketCall.objects.filter(ticket_id=ticket_id).order_by("-id").values_list("id", flat=True)[0]
        out.append((call_id, sent, answered))
        time.sleep(pause)
    conn.close()
    return out


def database_url_for(name: str) -> str:
    parts = urlsplit(os.environ["DATABASE_URL"])
    return urlunsplit(parts._replace(path="/" + name))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--boards", type=int, default=50)
    parser.add_argument("--calls", type=int, default=200)
    parser.add_argument("--baseline-calls", type=int, default=50)
    parser.add_argument("--issue", type=int, default=300)
    parser.add_argument("--kiosks", type=int, default=10)
    parser.add_argument("--pause", type=float, default=0.05, help="seconds between two calls")
    args = parser.parse_args()

    os.environ.update(SERVER_ENV)  # the same secret key here and in the server: the session must verify
    tmp, postgres = setup_django("queue")
    server = None
    boards: list[BoardClient] = []
    try:
        from django.db import connection

        office, counters, group, officer = build_world()
        rates = issue_rates(group, sequential=args.issue, kiosks=args.kiosks, postgres=postgres)
        needed = args.baseline_calls + args.calls + 10
        from motcua.queue.services import issue_ticket

        for _ in range(needed):
            issue_ticket(group=group, channel="kiosk")
        cookie = session_cookie(officer)
        db_url = database_url_for(connection.settings_dict["NAME"]) if postgres else os.environ["DATABASE_URL"]
        server = Server(db_url, tmp.name)

        baseline = call_round(counters, officer, cookie, args.baseline_calls, args.pause)
        boards = [BoardClient(office.pk) for _ in range(args.boards)]
        for board in boards:
            board.start()
        deadline = time.monotonic() + 60
        for board in boards:
            board.connected.wait(max(0.0, deadline - time.monotonic()))
        connected = sum(board.connected.is_set() for board in boards)
        db_connections = None
        if postgres:
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = %s", [connection.settings_dict["NAME"]]
                )
                db_connections = cursor.fetchone()[0]
        loaded = call_round(counters, officer, cookie, args.calls, args.pause)
        wait_until = time.monotonic() + 5
        last_id = loaded[-1][0]
        while time.monotonic() < wait_until and not all(last_id in b.received for b in boards if b.connected.is_set()):
            time.sleep(0.05)
        delays, missing = [], 0
        for call_id, sent, _answered in loaded:
            for board in boards:
                if not board.connected.is_set():
                    continue
                if call_id in board.received:
                    delays.append((board.received[call_id] - sent) * 1000)
                else:
                    missing += 1

        def ms(values):
            return f"p50 {pct(values, 50):.1f} ms, p95 {pct(values, 95):.1f} ms, max {max(values):.1f} ms"

        base_lat = [(a - s) * 1000 for _i, s, a in baseline]
        load_lat = [(a - s) * 1000 for _i, s, a in loaded]
        print(f"database: {connection.vendor}; CPUs: {os.cpu_count()}; load average: {os.getloadavg()[0]:.1f}")
        print(f"issue_ticket, one kiosk after another: {rates['sequential']:.0f} tickets/s ({args.issue} tickets)")
        if "concurrent" in rates:
            print(f"issue_ticket, {args.kiosks} kiosks at once: {rates['concurrent']:.0f} tickets/s")
        print(f"call-next over HTTP, no board: {ms(base_lat)} ({len(base_lat)} calls)")
        print(f"boards connected: {connected}/{args.boards}" + (f"; errors: {sum(1 for b in boards if b.error)}"))
        if db_connections is not None:
            print(f"database connections open with the boards connected (server + bench): {db_connections}")
        print(f"call-next over HTTP, {connected} boards: {ms(load_lat)} ({len(load_lat)} calls)")
        print(f"call to board (request sent -> event read), {len(delays)} deliveries: {ms(delays)}")
        print(f"deliveries missing: {missing}; mean per call {statistics.mean(delays):.1f} ms")
    finally:
        for board in boards:
            board.close()
        if server is not None:
            server.stop()
        teardown_django(tmp, postgres)


if __name__ == "__main__":
    main()
