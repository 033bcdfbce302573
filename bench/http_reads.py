"""Public reads over HTTP: requests a second of each public path against `/readyz`, same run.

    .venv/bin/python bench/http_reads.py                       # --seconds 5 --clients 8 --workers 2
    .venv/bin/python bench/http_reads.py --reuse --keep        # keep the database (and collected static files)

PostgreSQL only. The script (re)creates the database `--db` (default `motcua_bench_http`) on `--server`
(default `postgres://postgres@127.0.0.1:5432`, or `$BENCH_PG_SERVER`), migrates it and fills it with the
demo province (`manage.py load_demo_province`), collects the static files (the production storage needs
their manifest), then starts the web process exactly as `manage.py serve` does (granian, WSGI, the
argv of `motcua.ops.processes.process_table`) with production settings (`MOTCUA_DEBUG=0`).

Clients: `--clients` keep-alive HTTP/1.1 connections driven by one asyncio loop (stdlib only), each
path in turn for `--seconds` after a one-second warm-up. Every answer must have the expected status,
else the run stops. `/readyz` (middleware + one `SELECT 1`) is measured first and last; each path's
ratio is against the mean of the two.

The clients speak as a reverse proxy would forward them: `X-Forwarded-Proto: https` (production
settings redirect plain HTTP) and `X-Forwarded-For` with one address per client, with
`MOTCUA_TRUSTED_PROXIES=127.0.0.1` so that the server believes it. That is the deployment the
throttles are written for: the public lookup counts attempts per client address (given back when
the lookup finds the dossier), so the bench's correct lookups are never refused, and eight
citizens do not queue behind one counter row the way eight requests from one address would.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import os
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _server_env(database_url: str, var_dir: str, port: int) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MOTCUA_")}
    env.update(
        DJANGO_SETTINGS_MODULE="motcua.settings",
        DATABASE_URL=database_url,
        MOTCUA_DEBUG="0",
        MOTCUA_SECRET_KEY=secrets.token_urlsafe(50),
        MOTCUA_VAR_DIR=var_dir,
        MOTCUA_HOST="127.0.0.1",
        MOTCUA_PORT=str(port),
        MOTCUA_ALLOWED_HOSTS="127.0.0.1,localhost",
        MOTCUA_TRUSTED_PROXIES="127.0.0.1",
        MOTCUA_LOG_LEVEL="WARNING",
    )
    return env


def _manage(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [PYTHON, str(ROOT / "manage.py"), *args], env=env, cwd=ROOT, capture_output=True, text=True, check=False
    )
    if done.returncode:
        sys.exit(f"manage.py {' '.join(args)} failed:\n{done.stdout[-2000:]}\n{done.stderr[-4000:]}")
    return done.stdout


def _prepare_database(server: str, name: str, *, reuse: bool) -> bool:
    """Create the database (dropping an old one unless --reuse); True when it must be filled."""
    import psycopg

    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is not None
        if exists and reuse:
            return False
        if exists:
            conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return True


def _drop_database(server: str, name: str) -> None:
    import psycopg

    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _pick_paths(database_url: str) -> list[tuple[str, str]]:
    """(label, path) of every public read, with real codes from the loaded demo."""
    import psycopg

    with psycopg.connect(database_url) as conn:
        # A dossier with its public history; the lookup's secret is the last four digits of the phone.
        code, phone = conn.execute(
            "SELECT d.code, d.applicant_phone FROM dossiers_dossier d"
            " WHERE d.status NOT IN ('draft') AND length(d.applicant_phone) >= 4"
            " ORDER BY (SELECT count(*) FROM dossiers_dossierevent e WHERE e.dossier_id = d.id AND e.public) DESC,"
            " d.code LIMIT 1"
        ).fetchone()
        # The field with the most active procedures, and its first procedure.
        slug, field_id = conn.execute(
            "SELECT f.slug, f.id FROM catalog_field f JOIN catalog_procedure p ON p.field_id = f.id"
            " WHERE p.is_active GROUP BY f.id ORDER BY count(*) DESC, f.slug LIMIT 1"
        ).fetchone()
        procedure = conn.execute(
            "SELECT code FROM catalog_procedure WHERE field_id = %s AND is_active ORDER BY name LIMIT 1", [field_id]
        ).fetchone()[0]
    return [
        ("home", "/"),
        ("procedure list (field page)", f"/thu-tuc/linh-vuc/{slug}/"),
        ("catalog search", "/thu-tuc/?" + urlencode({"q": "đăng ký khai sinh"})),
        # A query no one asked before, each time: what a search costs when its page is not kept.
        (
            "catalog search, new query each time",
            [f"/thu-tuc/?{urlencode({'q': f'khai sinh {i}'})}" for i in range(2000)],
        ),
        ("procedure detail", f"/thu-tuc/{procedure}/"),
        ("dossier lookup", "/ho-so/tra-cuu/?" + urlencode({"code": code, "phone4": phone[-4:]})),
        ("field-report map data (API)", "/api/v1/phan-anh/ban-do?bbox=104.70,8.55,105.90,9.65&zoom=9"),
        ("Open311 requests list", "/open311/v2/requests.json"),
    ]


# --- the clients ---------------------------------------------------------------------------------


class Client:
    """One keep-alive HTTP/1.1 connection; `get` returns (status, body)."""

    def __init__(self, port: int, forwarded_for: str):
        self.port, self.forwarded_for = port, forwarded_for
        self.reader = self.writer = None

    async def connect(self):
        self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)

    async def get(self, path: str) -> tuple[int, bytes]:
        self.writer.write(
            (
                f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept-Language: vi\r\n"
                f"X-Forwarded-Proto: https\r\nX-Forwarded-For: {self.forwarded_for}\r\n\r\n"
            ).encode()
        )
        head = await self.reader.readuntil(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split(" ", 2)[1])
        headers = {}
        for line in lines[1:]:
            if ":" in line:
                key, value = line.split(":", 1)
                headers[key.strip().lower()] = value.strip()
        if "content-length" in headers:
            body = await self.reader.readexactly(int(headers["content-length"]))
        elif headers.get("transfer-encoding", "").lower() == "chunked":
            parts = []
            while True:
                size = int((await self.reader.readuntil(b"\r\n")).split(b";")[0], 16)
                chunk = await self.reader.readexactly(size + 2)
                if not size:
                    break
                parts.append(chunk[:-2])
            body = b"".join(parts)
        else:
            raise RuntimeError(f"{path}: answer without length")
        if headers.get("connection", "").lower() == "close":
            self.writer.close()
            await self.connect()
        return status, body

    def close(self):
        self.writer.close()


async def _drive(clients: list[Client], path: str | list[str], seconds: float, expect: int = 200) -> int:
    """Every client asks `path` (or the next of a list of paths) in a loop for `seconds`; the number of answers."""
    deadline = time.monotonic() + seconds
    counts = [0] * len(clients)
    paths = itertools.cycle([path] if isinstance(path, str) else path)

    async def loop(i: int):
        client = clients[i]
        while time.monotonic() < deadline:
            asked = next(paths)
            status, body = await client.get(asked)
            if status != expect:
                raise RuntimeError(f"{asked}: status {status}, expected {expect}: {body[:300]!r}")
            counts[i] += 1

    await asyncio.gather(*(loop(i) for i in range(len(clients))))
    return sum(counts)


async def _bench(port: int, paths: list[tuple[str, str]], *, clients: int, seconds: float) -> list[tuple]:
    pool = [Client(port, f"10.20.{i // 250}.{i % 250 + 1}") for i in range(clients)]
    for client in pool:
        await client.connect()
    # Every path answers what it should before anything is timed.
    checks = {"dossier lookup": "Quá trình xử lý", "catalog search": "khai sinh"}
    for label, path in paths:
        status, body = await pool[0].get(path if isinstance(path, str) else path[0])
        if status != 200 or (label in checks and checks[label] not in body.decode()):
            raise RuntimeError(f"{label} {path}: status {status}: {body[:500]!r}")
    results = []
    order = [("/readyz", "/readyz"), *paths, ("/readyz (again)", "/readyz")]
    for label, path in order:
        await _drive(pool, path, 1.0)  # warm-up: every worker has loaded what the path needs
        start = time.monotonic()
        n = await _drive(pool, path, seconds)
        rate = n / (time.monotonic() - start)
        results.append((label, path, rate))
        print(f"  {label:36} {rate:8.0f} req/s", flush=True)
    for client in pool:
        client.close()
    return results


def _wait_listening(port: int, proc: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            sys.exit(f"the web process exited with {proc.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.2)
    sys.exit("the web process did not listen in time")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--server", default=os.environ.get("BENCH_PG_SERVER", "postgres://postgres@127.0.0.1:5432"))
    parser.add_argument("--db", default="motcua_bench_http")
    parser.add_argument("--seconds", type=float, default=5.0, help="measured seconds per path (after 1 s warm-up)")
    parser.add_argument("--clients", type=int, default=8, help="keep-alive connections")
    parser.add_argument("--reuse", action="store_true", help="use the database as it is when it exists")
    parser.add_argument("--keep", action="store_true", help="keep the database at the end")
    args = parser.parse_args()

    server = args.server.rstrip("/")
    database_url = f"{server}/{args.db}"
    tmp = tempfile.TemporaryDirectory(prefix="motcua-bench-http-")
    port = _free_port()
    env = _server_env(database_url, tmp.name, port)
    started = time.monotonic()
    if _prepare_database(server, args.db, reuse=args.reuse):
        _manage(env, "migrate", "--verbosity", "0")
        _manage(env, "createcachetable")
        _manage(env, "load_demo_province")
    if not (args.reuse and (ROOT / "staticfiles" / "staticfiles.json").exists()):
        _manage(env, "collectstatic", "--noinput", "--verbosity", "0")
    print(f"database {args.db} ready in {time.monotonic() - started:.1f} s", flush=True)

    argv = _web_argv(env)
    web = subprocess.Popen(argv, env=env, cwd=ROOT, start_new_session=True)
    try:
        _wait_listening(port, web)
        paths = _pick_paths(database_url)
        print(f"granian, 2 workers, production settings; {args.clients} keep-alive clients, {args.seconds:g} s a path")
        results = asyncio.run(_bench(port, paths, clients=args.clients, seconds=args.seconds))
    finally:
        os.killpg(web.pid, signal.SIGTERM)
        try:
            web.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(web.pid, signal.SIGKILL)
        if not args.keep:
            _drop_database(server, args.db)
        tmp.cleanup()
    readyz = (results[0][2] + results[-1][2]) / 2
    print(f"\n| path | req/s | of /readyz ({readyz:,.0f} req/s, mean of first and last) |\n| --- | ---: | ---: |")
    for label, path, rate in results:
        shown = path if isinstance(path, str) else f"{path[0]} … ({len(path)} queries)"
        print(f"| {label} `{shown}` | {rate:,.0f} | {rate / readyz:.0%} |")


def _web_argv(env: dict[str, str]) -> list[str]:
    """The web process of `manage.py serve` (granian, 2 WSGI workers), asked of the settings it runs with."""
    code = (
        "import django, json; django.setup();"
        "from motcua.ops.processes import process_table;"
        "print(json.dumps([p.argv for p in process_table() if p.name == 'web'][0]))"
    )
    done = subprocess.run([PYTHON, "-c", code], env=env, cwd=ROOT, capture_output=True, text=True, check=True)
    import json

    return json.loads(done.stdout.strip().splitlines()[-1])


if __name__ == "__main__":
    main()
