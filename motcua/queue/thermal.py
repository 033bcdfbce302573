"""The slip as ESC/POS bytes, for a kiosk PC with a thermal printer on USB or serial (the tablet
kiosk prints the HTML slip instead). Built with python-escpos's in-memory printer, so the same bytes
can go to a device file, a network printer or a test.

Thermal printers' built-in code pages have no Vietnamese, so the text is printed without accents
("Ho tich"); the QR code (the printer's native QR command) leads to the follow page.
"""

from __future__ import annotations

from django.utils import timezone
from escpos.printer import Dummy

from motcua.core.text import strip_accents

from .models import Ticket
from .qr import follow_url
from .selectors.estimates import standing

# Characters per line in font A: 58 mm paper prints 32, 80 mm prints 48.
LINE_CHARS = {58: 32, 80: 48}


def _line(left: str, right: str, width: int) -> str:
    space = max(1, width - len(left) - len(right))
    return f"{left}{' ' * space}{right}"


def slip_bytes(ticket: Ticket, *, width_mm: int = 80) -> bytes:
    width = LINE_CHARS.get(width_mm, LINE_CHARS[80])
    where = standing(ticket)
    printer = Dummy()
    printer.hw("INIT")
    printer.set(align="center", bold=True)
    printer.textln(strip_accents(ticket.office.name)[:width])
    printer.set(align="center", bold=False)
    printer.textln("SO THU TU")
    printer.set(align="center", bold=True, double_width=True, double_height=True)
    printer.textln(ticket.code)
    printer.set(align="center", normal_textsize=True, bold=False)
    printer.textln(strip_accents(ticket.group.name)[:width])
    printer.set(align="left")
    printer.textln(_line("So nguoi cho truoc:", str(where.people_ahead), width))
    printer.textln(_line("Thoi gian cho du kien:", f"~{where.wait_minutes} phut", width))
    printer.textln(_line("Lay so luc:", timezone.localtime(ticket.issued_at).strftime("%H:%M %d/%m/%Y"), width))
    printer.set(align="center")
    printer.qr(follow_url(ticket.follow_token), size=6 if width_mm >= 80 else 4, native=True)  # centred by align above
    printer.textln("Quet ma de theo doi luot tren dien thoai")
    printer.cut()
    return printer.output
