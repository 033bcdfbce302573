"""Who is asking: the client's address (behind trusted proxies only) and the range it belongs to."""

from __future__ import annotations

import ipaddress
from functools import lru_cache

from django.conf import settings


@lru_cache(maxsize=8)
def _networks(entries: tuple[str, ...]) -> tuple:
    networks = []
    for entry in entries:
        try:
            networks.append(ipaddress.ip_network(entry.strip(), strict=False))
        except ValueError:
            continue
    return tuple(networks)


def _trusted(address: str) -> bool:
    networks = _networks(tuple(getattr(settings, "TRUSTED_PROXIES", ()) or ()))
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in net for net in networks)


def client_address(request) -> str:
    """REMOTE_ADDR; behind a proxy listed in `TRUSTED_PROXIES`, the nearest X-Forwarded-For hop that is
    not itself a trusted proxy. Anyone can send X-Forwarded-For, so an untrusted peer's is ignored:
    otherwise one header would dodge every per-address limit."""
    remote = (request.META.get("REMOTE_ADDR") or "").strip()
    if remote and _trusted(remote):
        hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
        for hop in reversed(hops):
            if not _trusted(hop):
                try:
                    return str(ipaddress.ip_address(hop))
                except ValueError:
                    break
    return remote or "unknown"


def address_range(address: str) -> str:
    """The block one subscriber usually holds: /24 for IPv4, /64 for IPv6; '' when not an address."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return ""
    prefix = 24 if ip.version == 4 else 64
    return str(ipaddress.ip_network(f"{ip}/{prefix}", strict=False))
