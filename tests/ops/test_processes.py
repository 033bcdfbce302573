"""`manage.py serve`: which processes start, where the fakes listen, and that they stop together."""

import os
import signal
import socket
import subprocess
import sys
import textwrap
from urllib.parse import urlsplit

import pytest
from django.core.management import CommandError, call_command

from motcua.ops.processes import Process, ports_taken, process_table, processes_to_start


def names(processes):
    return [p.name for p in processes]


def test_the_product_runs_web_worker_and_scheduler(settings):
    settings.SERVE_HOST, settings.SERVE_PORT = "127.0.0.1", 8765
    assert names(processes_to_start(demo=False)) == ["web", "worker", "scheduler", "national-sync"]
    web, worker, scheduler, sync = processes_to_start(demo=False)
    assert web.argv[-1] == "motcua.wsgi:application"
    assert web.argv[0].endswith("granian") and web.argv[1:7] == (
        "--interface",
        "wsgi",
        "--host",
        "127.0.0.1",
        "--port",
        "8765",
    )
    assert worker.argv[-1] == "notifications_worker"
    assert scheduler.argv[-1] == "scheduler"
    assert sync.argv[-1] == "national_sync"


def test_the_demo_adds_the_fake_gateways_where_the_settings_send_messages(settings):
    settings.SERVE_HOST, settings.SERVE_PORT = "0.0.0.0", 8765
    settings.SMS_GATEWAY_URL = "http://127.0.0.1:8766/MainService.svc/json/SendMultipleMessage_V4_post_json/"
    settings.ZALO_API_URL = "http://127.0.0.1:8767"
    settings.NATIONAL_SYNC_URL = "http://127.0.0.1:8771"
    settings.SMS_CALLBACK_SECRET, settings.ZALO_CALLBACK_SECRET = "s-secret", "z-secret"
    processes = {p.name: p for p in processes_to_start(demo=True)}
    assert list(processes) == [
        "web", "worker", "scheduler", "fake-sms", "fake-zalo", "fake-oidc", "national-sync", "fake-national-sync"
    ]
    sms, zalo = processes["fake-sms"].argv, processes["fake-zalo"].argv

    def option(argv, name):
        return argv[argv.index(name) + 1]

    assert option(sms, "-m") == "motcua.fakes.sms_gateway"
    assert option(sms, "--port") == str(urlsplit(settings.SMS_GATEWAY_URL).port) == "8766"
    assert option(zalo, "--port") == "8767"
    # Receipts come back to the server on this machine (a wildcard bind is reached on 127.0.0.1).
    assert option(sms, "--callback-url") == "http://127.0.0.1:8765/api/v1/notifications/callbacks/sms"
    assert option(zalo, "--callback-url") == "http://127.0.0.1:8765/api/v1/notifications/callbacks/zalo"
    assert (option(sms, "--callback-secret"), option(zalo, "--callback-secret")) == ("s-secret", "z-secret")
    national = processes["fake-national-sync"].argv
    assert (option(national, "-m"), option(national, "--port")) == ("motcua.fakes.national_sync", "8771")


def test_demo_processes_follow_the_demo_setting(settings):
    settings.DEMO = False
    assert "fake-sms" not in names(processes_to_start())
    settings.DEMO = True
    assert "fake-sms" in names(processes_to_start())


def test_dev_serves_with_the_reloading_runserver(settings):
    settings.SERVE_HOST, settings.SERVE_PORT = "127.0.0.1", 8001
    web = process_table(web="runserver")[0]
    assert web.argv[-2:] == ("runserver", "127.0.0.1:8001")


def test_process_names_are_unique():
    all_names = names(process_table())
    assert len(all_names) == len(set(all_names))


def test_the_web_server_and_fakes_declare_the_addresses_they_listen_on(settings):
    settings.SERVE_HOST, settings.SERVE_PORT = "127.0.0.1", 8765
    settings.SMS_GATEWAY_URL, settings.ZALO_API_URL = "http://127.0.0.1:8766/x/", "http://127.0.0.1:8767"
    settings.OIDC_ISSUER = "http://127.0.0.1:8768"
    settings.NATIONAL_SYNC_URL = "http://127.0.0.1:8769"
    listens = {p.name: p.listens for p in process_table()}
    assert listens == {
        "web": ("127.0.0.1", 8765),
        "worker": None,
        "scheduler": None,
        "fake-sms": ("127.0.0.1", 8766),
        "fake-zalo": ("127.0.0.1", 8767),
        "fake-oidc": ("127.0.0.1", 8768),
        "national-sync": None,
        "fake-national-sync": ("127.0.0.1", 8769),
    }


def test_the_demo_serves_the_national_sign_on_imitation_where_the_oidc_settings_point(settings):
    settings.SERVE_HOST, settings.SERVE_PORT = "127.0.0.1", 8765
    settings.PUBLIC_BASE_URL = "http://127.0.0.1:8765"
    settings.OIDC_ISSUER = "http://127.0.0.1:8768"
    settings.OIDC_CLIENT_ID, settings.OIDC_CLIENT_SECRET = "demo-client", "demo-secret"
    argv = {p.name: p for p in processes_to_start(demo=True)}["fake-oidc"].argv

    def options(name):
        return [argv[i + 1] for i, value in enumerate(argv) if value == name]

    assert "fake_oidc_provider" in argv
    assert options("--port") == ["8768"]
    assert (options("--client-id"), options("--client-secret")) == (["demo-client"], ["demo-secret"])
    assert options("--redirect-uri") == ["http://127.0.0.1:8765/dang-nhap/dinh-danh/ve/"] * 2


def test_a_port_in_use_is_reported_before_anything_starts(settings):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        assert ports_taken([Process("web", ("x",), listens=("127.0.0.1", port)), Process("w", ("y",))]) == [
            f"web 127.0.0.1:{port}"
        ]
        settings.SERVE_HOST, settings.SERVE_PORT, settings.DEMO = "127.0.0.1", port, False
        with pytest.raises(CommandError, match=f"Cổng đang được dùng: web 127.0.0.1:{port}"):
            call_command("serve")
    assert ports_taken([Process("web", ("x",), listens=("127.0.0.1", port))]) == []


# --- the supervisor, in a child process (it owns SIGINT/SIGTERM while it runs) ------------------

_SUPERVISOR = textwrap.dedent(
    """
    import os, sys
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings")
    import django
    django.setup()
    from motcua.ops.processes import Process, supervise
    py = sys.executable
    sleeper = (py, "-c", "import os, time; print('pid', os.getpid(), flush=True); time.sleep(120)")
    table = [Process("a", sleeper), Process("b", sleeper)]
    if sys.argv[1] == "one-exits":
        table.append(Process("c", (py, "-c", "import sys; sys.exit(3)")))
    sys.exit(supervise(table))
    """
)


def _start_supervisor(mode):
    return subprocess.Popen(
        [sys.executable, "-c", _SUPERVISOR, mode],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, "MOTCUA_CACHE": "locmem"},
    )


def _child_pids(supervisor, count):
    pids = []
    for line in supervisor.stdout:
        if " pid " in line:
            pids.append(int(line.rsplit(" ", 1)[1]))
            if len(pids) == count:
                return pids
    raise AssertionError("the supervised processes did not start")


def _gone(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return False


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_a_signal_to_the_supervisor_stops_every_process(signum):
    supervisor = _start_supervisor("signal")
    pids = _child_pids(supervisor, 2)
    supervisor.send_signal(signum)
    output = supervisor.communicate(timeout=30)[0]
    assert supervisor.returncode == {signal.SIGTERM: 143, signal.SIGINT: 130}[signum]
    assert all(_gone(pid) for pid in pids), output


def test_one_process_exiting_stops_the_others():
    supervisor = _start_supervisor("one-exits")
    output = supervisor.communicate(timeout=30)[0]
    assert "c stopped (rc=3)" in output
    assert supervisor.returncode == 3
    assert output.count("stopped") == 3
