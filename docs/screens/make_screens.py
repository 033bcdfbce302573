"""Screenshots of each role's home page, at desktop (1280x900) and phone (360x740) size.

Renders the demo province's accounts (`manage.py load_demo_province`) in Debian's chromium through
Playwright and writes docs/screens/<role>-desktop.png and <role>-phone.png. Run it against a
scratch database, never a real one (it signs the demo accounts in by making sessions for them):

    export DATABASE_URL=sqlite:////tmp/screens.db
    .venv/bin/python manage.py migrate --noinput
    .venv/bin/python manage.py load_demo_province
    .venv/bin/python docs/screens/make_screens.py

It starts `manage.py runserver` on a free local port for the run and stops it at the end.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OUT = Path(__file__).resolve().parent
CHROMIUM = "/usr/bin/chromium"
VIEWPORTS = {
    "desktop": {"viewport": {"width": 1280, "height": 900}},
    "phone": {"viewport": {"width": 360, "height": 740}, "is_mobile": True, "has_touch": True},
}

sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings")
# The server and this script must agree on the settings (the secret key signs the sessions made
# here): the server inherits this environment, with DEBUG on so it serves the static files.
os.environ.setdefault("MOTCUA_DEBUG", "1")


def _demo_users() -> dict[str, object]:
    """One demo account per role, a commune's where the demo has one (the first commune by code)."""
    from django.db.models import Q

    from motcua.core.models import COMMUNE_KINDS, Role, RoleAssignment, User

    users: dict[str, object] = {}
    for key, role in (
        ("receptionist", Role.RECEPTIONIST),
        ("specialist", Role.SPECIALIST),
        ("leader", Role.LEADER),
        ("cashier", Role.CASHIER),
        ("report_handler", Role.REPORT_HANDLER),
        ("outreach_member", Role.OUTREACH_MEMBER),
        ("manager", Role.MANAGER),
    ):
        rows = RoleAssignment.objects.filter(role=role, user__is_officer=True, user__is_active=True)
        in_commune = rows.filter(Q(unit__kind__in=COMMUNE_KINDS) | Q(agency__unit__kind__in=COMMUNE_KINDS))
        row = (in_commune if in_commune.exists() else rows).select_related("user").order_by("user__username").first()
        if row is not None:
            users[key] = row.user
    citizen = User.objects.filter(is_officer=False, is_active=True, person__isnull=False).order_by("username").first()
    if citizen is not None:
        users["citizen"] = citizen
    return users


def _session_cookie(user) -> str:
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client.cookies["sessionid"].value


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_for(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.5)


def main() -> int:
    import django

    django.setup()
    from django.urls import reverse
    from playwright.sync_api import sync_playwright

    users = _demo_users()
    if not users:
        print("No demo accounts: run `manage.py load_demo_province` on this database first.", file=sys.stderr)
        return 1
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [sys.executable, str(ROOT / "manage.py"), "runserver", f"127.0.0.1:{port}", "--noreload", "--insecure"],
        cwd=ROOT,
        env=dict(os.environ),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        _wait_for(base + reverse("core:healthz"))
        # Sessions first: Playwright's sync API runs an event loop, where the ORM may not be called.
        cookies = {role: _session_cookie(user) for role, user in users.items()}
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
            for role, user in users.items():
                home = reverse("core:home") if role == "citizen" else reverse("core:workspace")
                for size, options in VIEWPORTS.items():
                    context = browser.new_context(locale="vi-VN", base_url=base, **options)
                    context.add_cookies([{"name": "sessionid", "value": cookies[role], "url": base}])
                    page = context.new_page()
                    page.goto(home)
                    page.wait_for_load_state("networkidle")
                    target = OUT / f"{role}-{size}.png"
                    page.screenshot(path=str(target))
                    print(f"{target.relative_to(ROOT)}  ({user.username})")
                    context.close()
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=30)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
