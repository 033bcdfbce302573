"""Open311 clients and their api_key: only a hash is stored, the key is shown once."""

import hashlib
import secrets

from django.db import transaction
from django.utils.translation import gettext as _

from motcua.core.errors import DomainError
from motcua.fieldreports.models import Open311Client


def _hash(api_key: str) -> str:
    return hashlib.sha256(api_key.encode()).hexdigest()


def new_api_key() -> tuple[str, str, str]:
    """A fresh key with its hash and display prefix: (key, key_hash, key_prefix)."""
    api_key = secrets.token_urlsafe(32)
    return api_key, _hash(api_key), api_key[:8]


def open311_client_create(*, name: str, contact: str = "") -> tuple[Open311Client, str]:
    """A new active client and its api_key (the only time the key exists in clear)."""
    name = name.strip()
    if not name:
        raise DomainError(_("Cần nhập tên hệ thống."), code="name_required")
    api_key, key_hash, key_prefix = new_api_key()
    with transaction.atomic():
        client = Open311Client.objects.create(
            name=name[:120], contact=contact.strip()[:255], key_hash=key_hash, key_prefix=key_prefix
        )
    return client, api_key


def open311_client_authenticate(*, api_key: str | None) -> Open311Client | None:
    """The active client holding this key, or None."""
    if not api_key:
        return None
    return Open311Client.objects.filter(key_hash=_hash(api_key.strip()), is_active=True).first()
