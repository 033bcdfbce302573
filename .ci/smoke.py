"""Checks for `.ci/run` against a running `make run`.

    python3 .ci/smoke.py wait BASE_URL TIMEOUT PID   (standard library only: the venv may still be building)
    .venv/bin/python .ci/smoke.py broadcast TIMEOUT        (with the same MOTCUA_* settings as `make run`)

`wait` polls until /readyz, /api/v1/openapi.json and the home page answer, then checks the
production-like pages (Vietnamese 404, favicon); it gives up when PID has died or after TIMEOUT
seconds. `broadcast` has two demo officers write and approve an area broadcast (two-person rule),
then waits until the running worker has delivered every message of it to the fake SMS gateway.
"""

import json
import os
import sys
import time
import urllib.error
import urllib.request


def fetch(url: str, timeout: float = 10.0) -> tuple[int, str, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status, response.headers.get("Content-Type", ""), response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers.get("Content-Type", ""), exc.read()


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def wait(base: str, timeout: float, pid: int) -> None:
    deadline = time.monotonic() + timeout
    checks = {
        "/readyz": lambda status, body: status == 200 and json.loads(body)["status"] == "ok",
        "/api/v1/openapi.json": lambda status, body: status == 200 and "openapi" in json.loads(body),
        "/": lambda status, body: status == 200 and "Cổng dịch vụ công" in body.decode(),
    }
    pending = dict(checks)
    while pending:
        if not alive(pid):
            sys.exit("FAIL: `make run` exited before the site answered")
        if time.monotonic() > deadline:
            sys.exit(f"FAIL: no answer within {timeout:.0f} s from {', '.join(pending)}")
        for path, check in list(pending.items()):
            try:
                status, _type, body = fetch(base + path)
                if check(status, body):
                    print(f"ok   {path}", flush=True)
                    del pending[path]
            except (OSError, ValueError, KeyError):
                pass  # not up yet
        if pending:
            time.sleep(1)
    status, _type, body = fetch(base + "/khong-co-trang-nay/")
    if status != 404 or "Không tìm thấy trang" not in body.decode() or "URLconf" in body.decode():
        sys.exit("FAIL: a missing page should be the Vietnamese 404 page, not Django's debug page")
    print("ok   404 in Vietnamese, no debug page", flush=True)
    status, content_type, body = fetch(base + "/favicon.ico")
    if status != 200 or content_type != "image/x-icon" or body[:4] != b"\x00\x00\x01\x00":
        sys.exit(f"FAIL: /favicon.ico answered {status} {content_type}")
    print("ok   /favicon.ico", flush=True)


def broadcast(timeout: float) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings")
    sys.path.insert(0, os.getcwd())
    import django

    django.setup()
    from urllib.parse import urlsplit

    from django.conf import settings

    from motcua.core.errors import DomainError
    from motcua.core.models import RoleAssignment
    from motcua.notifications.broadcasts.selectors import APPROVER_ROLES, AUTHOR_ROLES
    from motcua.notifications.broadcasts.services import (
        broadcast_approve,
        broadcast_cancel,
        broadcast_create,
        broadcast_submit,
    )
    from motcua.notifications.models import BroadcastStatus, Message, MessageStatus

    def root(assignment):
        return assignment.unit if assignment.unit_id else assignment.agency.unit

    made = None
    assignments = RoleAssignment.objects.select_related("user", "unit", "agency__unit").order_by("user__username")
    for leader in assignments.filter(role__in=list(APPROVER_ROLES)):
        unit = root(leader)
        for author in assignments.filter(role__in=list(AUTHOR_ROLES)).exclude(user=leader.user):
            if root(author).pk != unit.pk:
                continue
            try:
                draft = broadcast_create(
                    actor=author.user,
                    title="Kiểm tra gửi tin (CI)",
                    body="Thong bao thu: he thong gui tin hoat dong.",
                    unit_ids=[unit.pk],
                    owner_unit_id=unit.pk,
                )
            except DomainError:
                continue
            try:
                broadcast_submit(actor=author.user, broadcast=draft)
                made = broadcast_approve(actor=leader.user, broadcast=draft)
            except DomainError:  # no recipients there: leave no draft behind
                broadcast_cancel(actor=author.user, broadcast=draft)
                continue
            print(f"ok   broadcast {made.pk} by {author.user.username}, approved by {leader.user.username}", flush=True)
            break
        if made:
            break
    if made is None:
        sys.exit("FAIL: no two demo officers could write and approve a broadcast with recipients")

    gateway = "http://" + urlsplit(settings.SMS_GATEWAY_URL).netloc
    delivered = (MessageStatus.SENT, MessageStatus.DELIVERED)
    deadline = time.monotonic() + timeout
    while True:
        made.refresh_from_db()
        statuses = list(Message.objects.filter(broadcast=made).values_list("status", flat=True))
        stats = json.loads(fetch(gateway + "/_stats")[2])
        keys = [key for key in stats["handset"] if key.startswith(f"broadcast:{made.pk}:")]
        if (
            made.status == BroadcastStatus.DONE
            and statuses
            and all(s in delivered for s in statuses)
            and len(keys) == len(statuses)
        ):
            print(f"ok   {len(statuses)} messages of broadcast {made.pk} reached the fake SMS gateway", flush=True)
            return
        if time.monotonic() > deadline:
            summary = {s: statuses.count(s) for s in set(statuses)}
            sys.exit(
                f"FAIL: broadcast {made.pk} is {made.status!r} after {timeout:.0f} s; messages {summary}; "
                f"the gateway saw {len(keys)}"
            )
        time.sleep(1)


if __name__ == "__main__":
    command, *rest = sys.argv[1:]
    if command == "wait":
        wait(rest[0].rstrip("/"), float(rest[1]), int(rest[2]))
    elif command == "broadcast":
        broadcast(float(rest[0]))
    else:
        sys.exit(__doc__)
