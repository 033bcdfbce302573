import io

import pytest
from django.core.management import CommandError, call_command

from motcua.queue.qr import follow_url
from motcua.queue.services import issue_ticket
from motcua.queue.thermal import slip_bytes

pytestmark = pytest.mark.django_db

GS = b"\x1d"


def _qr_payload(data: bytes) -> bytes:
    """The text stored by the native QR command: GS ( k pL pH 49 80 48 <data>."""
    start = data.index(GS + b"(k")
    while start >= 0:
        p_l, p_h, cn, fn = data[start + 3], data[start + 4], data[start + 5], data[start + 6]
        if (cn, fn) == (49, 80):
            length = p_l + 256 * p_h - 3
            return data[start + 8 : start + 8 + length]
        start = data.find(GS + b"(k", start + 1)
    raise AssertionError("no QR store command")


@pytest.mark.parametrize("width", [58, 80])
def test_slip_bytes_decode(group_a, width):
    issue_ticket(group=group_a, channel="kiosk")
    ticket = issue_ticket(group=group_a, channel="kiosk")
    data = slip_bytes(ticket, width_mm=width)
    assert data.startswith(b"\x1b@")  # ESC @ initialise
    assert b"A002" in data and b"Ho tich" in data
    assert b"So nguoi cho truoc:" in data
    line = next(chunk for chunk in data.split(b"\n") if b"So nguoi cho truoc:" in chunk)
    assert line.endswith(b"1") and len(line.split(b"So nguoi")[1]) + len(b"So nguoi") == {58: 32, 80: 48}[width]
    assert _qr_payload(data).decode() == follow_url(ticket.follow_token)
    assert GS + b"V" in data  # cut


def test_print_ticket_command(group_a, tmp_path):
    ticket = issue_ticket(group=group_a, channel="kiosk")
    device = tmp_path / "lp0"
    call_command("print_ticket", ticket.pk, "--device", str(device), "--width", "58", stderr=io.StringIO())
    assert b"A001" in device.read_bytes()
    with pytest.raises(CommandError):
        call_command("print_ticket", 999999, "--device", str(device))
    with pytest.raises(CommandError):
        call_command("print_ticket", ticket.pk, "--device", str(tmp_path / "missing" / "lp0"))
