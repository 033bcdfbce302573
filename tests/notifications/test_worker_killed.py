"""A small run where the worker is SIGKILLed at random points and restarted: every message ends
up delivered exactly once (the fake gateway counts what reached each phone), none is lost.

The worker runs as a real subprocess (`manage.py notifications_worker`) against a file-based
SQLite database of its own, and sends over HTTP to a fake gateway on an ephemeral port.
"""

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from motcua.fakes.sms_gateway import FakeSmsGateway

ROOT = Path(__file__).resolve().parents[2]
MESSAGES = 40
SEED = 20260316

SEED_SCRIPT = f"""
from motcua.notifications.models import Message
from motcua.notifications.services.outbox import message_build, messages_enqueue_bulk
rows = [message_build(channel="sms", recipient="09120{{:05d}}".format(i), event="notice",
                      dedupe_key="kill-{{}}".format(i), body="Tin thu {{}}".format(i)) for i in range({MESSAGES})]
messages_enqueue_bulk(rows)
print(Message.objects.count())
"""


def _env(tmp_path, gateway):
    env = {k: v for k, v in os.environ.items() if not k.startswith("MOTCUA_")}
    env.update(
        DATABASE_URL=f"sqlite:///{tmp_path / 'kill.sqlite3'}",
        MOTCUA_VAR_DIR=str(tmp_path),
        MOTCUA_SMS_PROVIDER="http",
        MOTCUA_SMS_GATEWAY_URL=gateway.url + "/send",
        MOTCUA_SMS_API_KEY="key",
        MOTCUA_SMS_SECRET_KEY="secret",
        MOTCUA_NOTIFY_STALE_SECONDS="1",
        MOTCUA_NOTIFY_BACKOFF_SECONDS="0",
        MOTCUA_NOTIFY_MAX_ATTEMPTS="50",
        MOTCUA_NOTIFY_RATE_SMS="0",
        MOTCUA_NOTIFY_QUIET_START_HOUR="24",
        MOTCUA_NOTIFY_QUIET_END_HOUR="0",
        MOTCUA_LOG_LEVEL="WARNING",
    )
    return env


def _manage(env, *args, **kwargs):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
        timeout=180,
        **kwargs,
    )


def test_killed_worker_delivers_every_message_exactly_once(tmp_path):
    rng = random.Random(SEED)
    gateway = FakeSmsGateway(api_key="key", secret_key="secret", fail_rate=0.15, seed=SEED).start()
    try:
        env = _env(tmp_path, gateway)
        _manage(env, "migrate", "--noinput")
        assert _manage(env, "shell", "-c", SEED_SCRIPT).stdout.strip().splitlines()[-1] == str(MESSAGES)
        deadline = time.monotonic() + 240
        kills = 0
        while time.monotonic() < deadline:
            worker = subprocess.Popen(
                [
                    sys.executable,
                    "manage.py",
                    "notifications_worker",
                    "--batch",
                    "4",
                    "--idle-sleep",
                    "0.05",
                    "--exit-when-idle",
                ],
                cwd=ROOT,
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
                start_new_session=True,
            )
            seen = gateway.requests
            target = seen + rng.randint(1, 9)
            # Kill after a random number of gateway requests: sometimes between the gateway's
            # answer and the database update, sometimes mid-claim, sometimes idle.
            reached = gateway.wait_for(
                lambda g, target=target, worker=worker: g.requests >= target or worker.poll() is not None, timeout=60
            )
            if worker.poll() is None and reached and kills < 8:
                os.kill(worker.pid, signal.SIGKILL)
                worker.wait(timeout=10)
                kills += 1
                continue
            assert worker.wait(timeout=120) == 0, worker.stderr.read().decode()[-2000:]
            break
        else:
            pytest.fail("the outbox did not drain in time")

        with sqlite3.connect(tmp_path / "kill.sqlite3") as db:
            rows = db.execute("SELECT dedupe_key, status, provider_message_id FROM notifications_message").fetchall()
        assert len(rows) == MESSAGES
        assert {status for _key, status, _pid in rows} == {"sent"}, rows
        assert kills >= 3
        for key, _status, provider_message_id in rows:
            assert gateway.handset[key] == 1, key  # reached the phone exactly once
            assert gateway.accepted[key]["sms_id"] == provider_message_id
        assert sum(gateway.handset.values()) == MESSAGES
    finally:
        gateway.stop()
