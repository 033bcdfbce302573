"""What `manage.py serve` starts, and the supervisor that keeps them together.

Add a process with one `Process(...)` line in `process_table`; `demo=True` starts it only for the
local demo (MOTCUA_DEMO=1), as the fake gateways are. All processes stop together: Ctrl+C or
SIGTERM to `serve` stops every one, and one that exits stops the others.
"""

from __future__ import annotations

import os
import shlex
import socket
import sys
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.urls import reverse

from motcua.settings.env import WILDCARD_HOSTS


@dataclass(frozen=True)
class Process:
    name: str
    argv: tuple[str, ...]
    demo: bool = False  # only for the local demo
    listens: tuple[str, int] | None = None  # (host, port) it must be able to bind


def _local_url(host: str, port: int) -> str:
    """How processes on this machine reach the web server (not the public address)."""
    host = "127.0.0.1" if host in WILDCARD_HOSTS else host
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"


def _port_of(url: str) -> int:
    parts = urlsplit(url)
    return parts.port or (443 if parts.scheme == "https" else 80)


def process_table(*, web: str = "granian") -> list[Process]:
    """Every process of the product, in start order, for these settings."""
    python = sys.executable
    manage = (python, str(Path(settings.BASE_DIR) / "manage.py"))
    host, port = settings.SERVE_HOST, settings.SERVE_PORT
    here = _local_url(host, port)
    if web == "runserver":  # debugging: reloads on change, Django's debug pages when DEBUG is on
        web_argv = (*manage, "runserver", f"[{host}]:{port}" if ":" in host else f"{host}:{port}")
    else:
        granian = str(Path(python).with_name("granian"))
        web_argv = (granian, "--interface", "wsgi", "--host", host, "--port", str(port), "--workers", "2",
                    "motcua.wsgi:application")  # fmt: skip

    def fake(name: str, module: str, url: str, provider: str) -> Process:
        """A local fake gateway listening where the settings send `provider`'s messages, posting
        its signed delivery receipts back to our callback endpoint."""
        receipts = here + reverse("api:notification_callback", kwargs={"provider": provider})
        secret = getattr(settings, f"{provider.upper()}_CALLBACK_SECRET")
        fake_port = _port_of(url)
        argv = (python, "-m", module, "--port", str(fake_port), "--callback-url", receipts, "--callback-secret", secret)
        return Process(name, argv, demo=True, listens=("127.0.0.1", fake_port))

    def national_signin() -> Process:
        """The local imitation of the national portal's sign-on, where the demo's OIDC settings point."""
        oidc_port = _port_of(settings.OIDC_ISSUER) if settings.OIDC_ISSUER else port + 3
        callback = reverse("core:national_login_callback")
        argv = (*manage, "fake_oidc_provider", "--port", str(oidc_port),
                "--client-id", settings.OIDC_CLIENT_ID, "--client-secret", settings.OIDC_CLIENT_SECRET,
                "--redirect-uri", settings.PUBLIC_BASE_URL + callback, "--redirect-uri", here + callback)  # fmt: skip
        return Process("fake-oidc", argv, demo=True, listens=("127.0.0.1", oidc_port))

    def national_sync_fake() -> Process:
        """The local imitation of the national portal's synchronisation service."""
        sync_port = _port_of(settings.NATIONAL_SYNC_URL)
        argv = (python, "-m", "motcua.fakes.national_sync", "--port", str(sync_port),
                "--username", settings.NATIONAL_SYNC_USERNAME, "--password", settings.NATIONAL_SYNC_PASSWORD)  # fmt: skip
        return Process("fake-national-sync", argv, demo=True, listens=("127.0.0.1", sync_port))

    def document_axis_fake() -> Process:
        """The local imitation of the national document axis (EDXML exchange between agencies)."""
        axis_port = _port_of(settings.DOCUMENT_AXIS_URL)
        argv = (python, "-m", "motcua.fakes.document_axis", "--port", str(axis_port))
        return Process("fake-document-axis", argv, demo=True, listens=("127.0.0.1", axis_port))

    return [
        Process("web", web_argv, listens=(host, port)),
        Process("worker", (*manage, "notifications_worker")),
        Process("scheduler", (*manage, "scheduler")),
        fake("fake-sms", "motcua.fakes.sms_gateway", settings.SMS_GATEWAY_URL, "sms"),
        fake("fake-zalo", "motcua.fakes.zalo_oa", settings.ZALO_API_URL, "zalo"),
        national_signin(),
        # Status changes to the national portal (idles while NATIONAL_SYNC_ENABLED is off).
        Process("national-sync", (*manage, "national_sync")),
        *([national_sync_fake()] if settings.NATIONAL_SYNC_URL else []),
        *([document_axis_fake()] if settings.DOCUMENT_AXIS_URL else []),
    ]


def processes_to_start(*, web: str = "granian", demo: bool | None = None) -> list[Process]:
    demo = settings.DEMO if demo is None else demo
    return [p for p in process_table(web=web) if demo or not p.demo]


def ports_taken(processes: list[Process]) -> list[str]:
    """'name host:port' for each process whose address something else already listens on."""
    taken = []
    for process in processes:
        if process.listens is None:
            continue
        host, port = process.listens
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        with socket.socket(family, socket.SOCK_STREAM) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                probe.bind((host, port))
            except OSError:
                taken.append(f"{process.name} {host}:{port}")
    return taken


def supervise(processes: list[Process], *, env: dict[str, str] | None = None) -> int:
    """Run the processes under honcho until one stops or we are told to stop; returns an exit code."""
    from honcho.manager import Manager

    env = dict(os.environ if env is None else env)
    env.setdefault("PYTHONUNBUFFERED", "1")
    manager = Manager()
    for process in processes:
        # honcho runs each through /bin/sh in its own process group and stops the whole group.
        manager.add_process(process.name, "exec " + shlex.join(process.argv), env=env, cwd=str(settings.BASE_DIR))
    manager.loop()
    return manager.returncode or 0
