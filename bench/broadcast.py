"""Broadcast benchmark: enqueue a 100,000-recipient broadcast, deliver it through the fake gateway
at its rate limit while workers are killed and restarted, and count what the gateway received.

    .venv/bin/python bench/broadcast.py [--recipients 100000] [--rate 1000] [--workers 4] \
        [--kill-every 8] [--timeout 900] [--server postgres://postgres@127.0.0.1:5432] [--sqlite]

PostgreSQL by default: drops and recreates `motcua_bench_bcast` on `--server` (default
$BENCH_PG_SERVER or postgres://postgres@127.0.0.1:5432) and drops it at the end; `--sqlite` uses a
temporary SQLite file instead. Steps:

1. seed one province, 20 communes × 10 hamlets, `--recipients` residents with distinct phones
   (plus 1% opted out, who must receive nothing), a commune author and a provincial leader;
2. create, submit and approve the broadcast through the services, then time `broadcasts_dispatch`
   (audience resolved into BroadcastRecipient rows and the outbox filled, one transaction);
3. start the fake SMS gateway in this process on 127.0.0.1 with `--rate` accepted sends a second,
   and `--workers` subprocesses `manage.py notifications_worker` (each limited to rate/workers);
   every `--kill-every` seconds one worker is SIGKILLed (mid-batch, claims left "sending") and a
   new one started; stale claims are retaken after 5 s and resent with the same RequestId;
4. when nothing is pending, compare the gateway's handset counts by RequestId with the recipients:
   lost = recipients the gateway never accepted, duplicated = RequestIds texted more than once.
"""

import argparse
import functools
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DB_NAME = "motcua_bench_bcast"
print = functools.partial(print, flush=True)  # progress lines while piped
PYTHON = str(ROOT / ".venv" / "bin" / "python")
BODY = "UBND xa thong bao: sang Chu nhat 7 gio tong ve sinh moi truong, moi ba con tham gia. Xin cam on!"


def pg_admin(server: str, sql: str) -> None:
    import psycopg

    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        conn.execute(sql)


def setup(args) -> tuple[dict, callable]:
    env = {}
    if args.sqlite:
        tmp = tempfile.mkdtemp(prefix="motcua-bench-bcast-")
        env["DATABASE_URL"] = f"sqlite:///{tmp}/bench.sqlite3"

        def cleanup():
            import shutil

            shutil.rmtree(tmp, ignore_errors=True)
    else:
        pg_admin(args.server, f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")
        pg_admin(args.server, f"CREATE DATABASE {DB_NAME}")
        env["DATABASE_URL"] = f"{args.server}/{DB_NAME}"

        def cleanup():
            from django.db import connections

            connections.close_all()
            pg_admin(args.server, f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")

    os.environ.update(env)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings")
    os.environ["MOTCUA_LOG_LEVEL"] = "WARNING"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    return env, cleanup


def seed(n: int):
    from motcua.core.models import Agency, AgencyKind, Era, Hamlet, Person, Role, RoleAssignment, Unit, UnitKind, User
    from motcua.core.text import fold
    from motcua.notifications.models import ContactPreference

    province = Unit.objects.create(era=Era.CURRENT, code="96", name="Tỉnh Cà Mau", kind=UnitKind.PROVINCE)
    communes = [
        Unit.objects.create(
            era=Era.CURRENT, code=f"{32000 + i:05d}", name=f"Xã Thử {i}", kind=UnitKind.COMMUNE, parent=province
        )
        for i in range(20)
    ]
    hamlets = Hamlet.objects.bulk_create([Hamlet(unit=c, name=f"Ấp {j}") for c in communes for j in range(10)])
    opted = n // 100
    people = []
    for i in range(n + opted):
        hamlet = hamlets[i % len(hamlets)]
        name = f"Người dân {i}"
        people.append(
            Person(
                full_name=name, full_name_folded=fold(name), phone=f"09{i:08d}", unit_id=hamlet.unit_id, hamlet=hamlet
            )
        )
    Person.objects.bulk_create(people, batch_size=5000)
    ContactPreference.objects.bulk_create(
        [ContactPreference(person=p, broadcast_opt_out=True) for p in Person.objects.order_by("-id")[:opted]]
    )
    agency = Agency.objects.create(
        code="000.00.01.H12", name="UBND tỉnh", kind=AgencyKind.PROVINCE_COMMITTEE, unit=province
    )
    author = User.objects.create(username="bench.author", is_officer=True)
    leader = User.objects.create(username="bench.leader", is_officer=True)
    RoleAssignment.objects.create(user=author, role=Role.SPECIALIST, agency=agency)
    RoleAssignment.objects.create(user=leader, role=Role.LEADER, agency=agency)
    return province, author, leader


def start_worker(env: dict, index: int) -> subprocess.Popen:
    return subprocess.Popen(
        [
            PYTHON,
            "manage.py",
            "notifications_worker",
            "--batch",
            "50",
            "--idle-sleep",
            "0.2",
            "--worker-id",
            f"bench-{index}",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--recipients", type=int, default=100_000)
    parser.add_argument("--rate", type=float, default=1000, help="gateway: accepted sends per second")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--kill-every", type=float, default=15.0, help="seconds between worker kills")
    parser.add_argument("--timeout", type=float, default=900, help="give up delivering after this many seconds")
    parser.add_argument("--server", default=os.environ.get("BENCH_PG_SERVER", "postgres://postgres@127.0.0.1:5432"))
    parser.add_argument("--sqlite", action="store_true")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--enqueue-only", action="store_true", help="stop after timing the enqueue")
    args = parser.parse_args()
    rng = random.Random(args.seed)

    env, cleanup = setup(args)
    workers: list[subprocess.Popen] = []
    gateway = None
    try:
        from django.db import connection

        from motcua.fakes.sms_gateway import FakeSmsGateway
        from motcua.notifications.broadcasts.selectors import audience_count
        from motcua.notifications.broadcasts.sending import broadcasts_dispatch
        from motcua.notifications.broadcasts.services import broadcast_approve, broadcast_create, broadcast_submit
        from motcua.notifications.models import Broadcast, BroadcastRecipient, Message, MessageStatus

        t0 = time.perf_counter()
        province, author, leader = seed(args.recipients)
        print(
            f"seeded {args.recipients:,} residents (+{args.recipients // 100:,} opted out) in {time.perf_counter() - t0:.1f} s"
        )

        t0 = time.perf_counter()
        count = audience_count(audience="residents", unit_ids=[province.pk], hamlet_ids=[])
        print(f"preview count (COUNT DISTINCT): {count:,} in {(time.perf_counter() - t0) * 1000:.0f} ms")
        broadcast = broadcast_create(actor=author, title="Tổng vệ sinh", body=BODY, unit_ids=[province.pk])
        broadcast_submit(actor=author, broadcast=broadcast)
        broadcast_approve(actor=leader, broadcast=broadcast)

        t0 = time.perf_counter()
        result = broadcasts_dispatch()
        enqueue_seconds = time.perf_counter() - t0
        queued = Message.objects.filter(broadcast=broadcast).count()
        print(
            f"enqueued {result['enqueued']:,} messages ({queued:,} rows) in {enqueue_seconds:.2f} s (aim: within 10 s)"
        )
        assert queued == count == BroadcastRecipient.objects.filter(broadcast=broadcast).count()

        if args.enqueue_only:
            return

        gateway = FakeSmsGateway(rate=args.rate).start()
        per_worker = max(1, int(args.rate / args.workers))
        worker_env = {
            **os.environ,
            **env,
            "MOTCUA_SMS_PROVIDER": "http",
            "MOTCUA_SMS_GATEWAY_URL": gateway.url + "/send",
            "MOTCUA_NOTIFY_RATE_SMS": str(per_worker),
            "MOTCUA_NOTIFY_STALE_SECONDS": "5",
            # Quiet hours off: a bench at night must not wait for 07:00.
            "MOTCUA_NOTIFY_QUIET_START_HOUR": "24",
            "MOTCUA_NOTIFY_QUIET_END_HOUR": "0",
            "MOTCUA_LOG_LEVEL": "WARNING",
        }
        connection.close()
        workers = [start_worker(worker_env, i) for i in range(args.workers)]
        started = time.perf_counter()
        next_kill, kills, spawned = started + args.kill_every, 0, args.workers
        pending_statuses = (MessageStatus.CREATED, MessageStatus.SENDING, MessageStatus.TEMPORARY_FAILURE)
        last_report = started
        while True:
            now = time.perf_counter()
            pending = Message.objects.filter(broadcast=broadcast, status__in=pending_statuses).count()
            if pending == 0:
                break
            if now - started > args.timeout:
                print(f"TIMEOUT after {args.timeout:.0f} s with {pending:,} pending")
                break
            if now >= next_kill:
                victim = rng.randrange(len(workers))
                workers[victim].send_signal(signal.SIGKILL)
                workers[victim].wait()
                workers[victim] = start_worker(worker_env, spawned)
                kills, spawned, next_kill = kills + 1, spawned + 1, now + args.kill_every
            if now - last_report >= 10:
                stats = gateway.stats()
                print(
                    f"  {now - started:5.0f} s: gateway accepted {stats['accepted']:,}, pending {pending:,}, kills {kills}"
                )
                last_report = now
            time.sleep(0.5)
        deliver_seconds = time.perf_counter() - started
        for w in workers:
            w.send_signal(signal.SIGTERM)
        for w in workers:
            try:
                w.wait(timeout=15)
            except subprocess.TimeoutExpired:
                w.kill()
        workers = []

        broadcasts_dispatch()
        broadcast = Broadcast.objects.get(pk=broadcast.pk)
        stats = gateway.stats()
        handset = stats["handset"]
        expected = set(BroadcastRecipient.objects.filter(broadcast=broadcast).values_list("phone", flat=True))
        keys = {f"broadcast:{broadcast.pk}:{phone}" for phone in expected}
        # Lost: the outbox says it went out (or nothing was enqueued) but the gateway never took it.
        # Messages still pending at a timeout are reported apart as unfinished, not as lost.
        pending_keys = set(
            Message.objects.filter(broadcast=broadcast, status__in=pending_statuses).values_list(
                "dedupe_key", flat=True
            )
        )
        lost = len(keys - set(handset) - pending_keys)
        unfinished = len(pending_keys)
        duplicated = sum(1 for key, times in handset.items() if times > 1)
        strangers = len(set(handset) - keys)
        from django.db.models import Count

        by_status = dict(
            Message.objects.filter(broadcast=broadcast).values_list("status").annotate(n=Count("id")).order_by()
        )
        rate = stats["accepted"] / deliver_seconds if deliver_seconds else 0
        print(
            f"delivered in {deliver_seconds:.1f} s ({rate:.0f}/s against a gateway limit of {args.rate:.0f}/s), "
            f"{args.workers} workers, {kills} killed and restarted"
        )
        print(
            f"gateway: {stats['requests']:,} requests, {stats['throttled']:,} throttled (429), "
            f"{stats['duplicates']:,} resends absorbed by RequestId"
        )
        print(f"messages by status: {by_status}; broadcast status: {broadcast.status}")
        print(
            f"RESULT recipients={len(keys):,} lost={lost} duplicated={duplicated} unexpected={strangers} "
            f"unfinished={unfinished}"
        )
        if lost or duplicated or strangers or unfinished:
            sys.exit(1)
    finally:
        for w in workers:
            w.kill()
        if gateway is not None:
            gateway.stop()
        cleanup()


if __name__ == "__main__":
    main()
