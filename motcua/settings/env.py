"""Typed readers for MOTCUA_* environment variables.

Every setting an operator may change comes from the environment; knobs an administrator
changes at run time (office hours, calendar overrides) live in the database instead.
"""

import os
import secrets
from pathlib import Path
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

PREFIX = "MOTCUA_"


def _raw(name: str) -> str | None:
    return os.environ.get(PREFIX + name)


def env_str(name: str, default: str) -> str:
    value = _raw(name)
    return default if value is None else value


def env_bool(name: str, default: bool) -> bool:
    value = _raw(name)
    if value is None:
        return default
    lowered = value.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off", ""}:
        return False
    raise ImproperlyConfigured(f"{PREFIX}{name} must be a boolean, got {value!r}")


def env_int(name: str, default: int) -> int:
    value = _raw(name)
    if value is None:
        return default
    try:
        return int(value)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{PREFIX}{name} must be an integer, got {value!r}") from exc


def env_list(name: str, default: list[str]) -> list[str]:
    value = _raw(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


# Addresses that mean "every interface": fine to listen on, useless in a link.
WILDCARD_HOSTS = frozenset({"0.0.0.0", "::", ""})


def served_base_url(host: str, port: int) -> str:
    """The address a browser on this machine reaches `manage.py serve` at."""
    host = "127.0.0.1" if host in WILDCARD_HOSTS else host
    if ":" in host and not host.startswith("["):
        host = f"[{host}]"
    return f"http://{host}:{port}"


def default_allowed_hosts(host: str, public_base_url: str) -> list[str]:
    """localhost names, the host served on, and the host of the public address, without repeats."""
    hosts = ["127.0.0.1", "localhost", "testserver"]
    for name in (host, urlsplit(public_base_url).hostname or ""):
        if name and name not in WILDCARD_HOSTS and name not in hosts:
            hosts.append(name)
    return hosts


def secret_from_file(path: Path) -> str:
    """The secret kept in `path`, generated there (mode 0600) the first time.

    Several processes may start at once: the new secret is written to a private temporary file
    and linked into place, so every process reads the same complete secret.
    """
    try:
        secret = path.read_text(encoding="ascii").strip()
    except FileNotFoundError:
        secret = ""
    if secret:
        return secret
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(secrets.token_urlsafe(50) + "\n")
    try:
        os.link(temporary, path)
    except FileExistsError:
        pass  # another process won the race (or left an empty file): read what is there
    finally:
        temporary.unlink()
    secret = path.read_text(encoding="ascii").strip()
    if not secret:
        raise ImproperlyConfigured(f"{path} is empty: delete it to generate a new secret key, or set MOTCUA_SECRET_KEY")
    return secret
