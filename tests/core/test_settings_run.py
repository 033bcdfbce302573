"""Settings for `make run`: the base URL follows the address served, the secret key is kept in var/."""

import json
import os
import stat
import subprocess
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured

from motcua.settings.env import default_allowed_hosts, secret_from_file, served_base_url


def test_the_base_url_is_the_address_served():
    assert served_base_url("127.0.0.1", 8765) == "http://127.0.0.1:8765"
    assert served_base_url("demo.local", 80) == "http://demo.local:80"
    # Listening everywhere is no address for a link: this machine's loopback is.
    assert served_base_url("0.0.0.0", 8000) == "http://127.0.0.1:8000"
    assert served_base_url("::1", 8000) == "http://[::1]:8000"


def test_allowed_hosts_cover_the_host_served_and_the_public_one():
    assert default_allowed_hosts("127.0.0.1", "http://127.0.0.1:8000") == ["127.0.0.1", "localhost", "testserver"]
    assert default_allowed_hosts("10.0.0.5", "https://dichvucong.camau.gov.vn") == [
        "127.0.0.1",
        "localhost",
        "testserver",
        "10.0.0.5",
        "dichvucong.camau.gov.vn",
    ]
    assert "0.0.0.0" not in default_allowed_hosts("0.0.0.0", "http://127.0.0.1:8000")


def test_a_secret_is_generated_once_private_and_kept(tmp_path):
    path = tmp_path / "var" / "secret_key"
    first = secret_from_file(path)
    assert len(first) >= 50
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert secret_from_file(path) == first
    assert list(path.parent.iterdir()) == [path]  # no temporary file left behind


def test_an_empty_secret_file_is_refused_not_used(tmp_path):
    path = tmp_path / "secret_key"
    path.write_text("\n")
    with pytest.raises(ImproperlyConfigured):
        secret_from_file(path)


def _settings_in(tmp_path, **env):
    """Import the settings module in a clean process with these MOTCUA_* variables."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith("MOTCUA_") and k != "DATABASE_URL"}
    clean.update({"MOTCUA_VAR_DIR": str(tmp_path), **env})
    script = (
        "import json, motcua.settings as s; print(json.dumps({k: str(getattr(s, k)) for k in "
        "['DEBUG', 'PUBLIC_BASE_URL', 'ALLOWED_HOSTS', 'SECRET_KEY', 'SMS_PROVIDER', 'SMS_GATEWAY_URL', "
        "'ZALO_PROVIDER', 'ZALO_API_URL', 'PAYMENT_GATEWAY', 'SESSION_COOKIE_SECURE', 'SECURE_SSL_REDIRECT', "
        "'SMS_CALLBACK_SECRET']}))"
    )
    done = subprocess.run([sys.executable, "-c", script], env=clean, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_make_run_settings_are_production_like_with_local_fakes(tmp_path):
    s = _settings_in(tmp_path, MOTCUA_DEBUG="0", MOTCUA_DEMO="1", MOTCUA_HOST="127.0.0.1", MOTCUA_PORT="8765")
    assert s["DEBUG"] == "False"
    assert s["PUBLIC_BASE_URL"] == "http://127.0.0.1:8765"
    assert s["SECRET_KEY"] == (tmp_path / "secret_key").read_text().strip()
    assert (s["SMS_PROVIDER"], s["ZALO_PROVIDER"]) == ("http", "http")
    assert s["SMS_GATEWAY_URL"].startswith("http://127.0.0.1:8766/")
    assert s["ZALO_API_URL"] == "http://127.0.0.1:8767"
    assert s["PAYMENT_GATEWAY"] == "sandbox"
    assert s["SMS_CALLBACK_SECRET"] == "dev-sms-callback-secret"
    # Plain HTTP on this machine: no HTTPS redirect, cookies that travel over HTTP.
    assert (s["SESSION_COOKIE_SECURE"], s["SECURE_SSL_REDIRECT"]) == ("False", "False")
    again = _settings_in(tmp_path, MOTCUA_DEBUG="0", MOTCUA_DEMO="1")
    assert again["SECRET_KEY"] == s["SECRET_KEY"]  # the second run keeps the key
    assert again["PUBLIC_BASE_URL"] == "http://127.0.0.1:8000"


def test_production_stays_strict_and_keeps_an_explicit_base_url(tmp_path):
    s = _settings_in(
        tmp_path,
        MOTCUA_DEBUG="0",
        MOTCUA_SECRET_KEY="x" * 60,
        MOTCUA_PORT="9000",
        MOTCUA_PUBLIC_BASE_URL="https://dichvucong.camau.gov.vn/",
    )
    assert s["PUBLIC_BASE_URL"] == "https://dichvucong.camau.gov.vn"
    assert "dichvucong.camau.gov.vn" in s["ALLOWED_HOSTS"]
    assert (s["SMS_PROVIDER"], s["PAYMENT_GATEWAY"], s["SMS_CALLBACK_SECRET"]) == ("console", "vnpay", "")
    assert (s["SESSION_COOKIE_SECURE"], s["SECURE_SSL_REDIRECT"]) == ("True", "True")
    assert not (tmp_path / "secret_key").exists()


def test_production_without_a_secret_key_refuses_to_start(tmp_path):
    clean = {k: v for k, v in os.environ.items() if not k.startswith("MOTCUA_")}
    clean.update({"MOTCUA_VAR_DIR": str(tmp_path), "MOTCUA_DEBUG": "0"})
    done = subprocess.run([sys.executable, "-c", "import motcua.settings"], env=clean, capture_output=True, text=True)
    assert done.returncode != 0
    assert "MOTCUA_SECRET_KEY" in done.stderr
