"""Fixtures for the switchboard: one office taking bookings for one group, and a signed dialler.

- `office`, `group` (two counters, one place per slot: `capacity_override=1`), `policy`;
- `dial(event, digits="", call_id="c1", caller=CALLER, seq=None)`: one request signed like the
  provider, through the real webhook URL, numbered 1, 2, 3... per call unless `seq` is given. Each request gets its own timestamp, so no
  two requests of a test share a signature (which the webhook would refuse as a replay).
"""

import itertools
import json
import time

import pytest

from motcua.appointments.models import BookingPolicy
from motcua.appointments.switchboard import wire
from motcua.core.models import Counter
from motcua.queue.models import ServiceGroup
from tests.factories import OfficeFactory

CALLER = "0912345678"
WEBHOOK = "/api/v1/switchboard/webhook"
SECRET = "test-switchboard-secret"


@pytest.fixture(autouse=True)
def _secret(settings):
    settings.SWITCHBOARD_SECRET = SECRET
    settings.SWITCHBOARD_HOTLINE = "02903836000"


@pytest.fixture
def office(db):
    return OfficeFactory(name="Bộ phận một cửa xã Tân Thành")


@pytest.fixture
def group(office):
    group = ServiceGroup.objects.create(office=office, code="ho-tich", name="Hộ tịch", prefix="A")
    for number in (1, 2):
        group.counters.add(Counter.objects.create(office=office, number=number, name=f"Quầy {number}"))
    return group


@pytest.fixture
def policy(group):
    return BookingPolicy.objects.create(group=group, capacity_override=1, days_ahead=14, cutoff_minutes=60)


def signed(body: dict | bytes, *, timestamp: int, secret: str = SECRET) -> tuple[bytes, dict]:
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    stamp = str(timestamp)
    return raw, {
        "HTTP_X_SWITCHBOARD_TIMESTAMP": stamp,
        "HTTP_X_SWITCHBOARD_SIGNATURE": wire.sign(secret, stamp, raw),
    }


@pytest.fixture
def dial(client):
    offsets = itertools.count()
    sequences: dict[str, itertools.count] = {}

    def send(event: str, digits: str = "", *, call_id: str = "c1", caller: str = "0912345678", seq: int | None = None):
        if seq is None:
            seq = next(sequences.setdefault(call_id, itertools.count(1)))
        body = {"call_id": call_id, "caller": caller, "digits": digits, "event": event, "seq": seq}
        # Distinct timestamps, all within the allowed skew: a test's requests never share a signature.
        raw, headers = signed(body, timestamp=int(time.time()) - 200 + next(offsets))
        return client.post(WEBHOOK, data=raw, content_type="application/json", **headers)

    return send


def texts(response) -> list[str]:
    return [a["text"] for a in response.json()["actions"] if "text" in a]


def gather(response) -> dict | None:
    return next((a["gather"] for a in response.json()["actions"] if "gather" in a), None)
