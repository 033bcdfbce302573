"""Print a queue slip on an ESC/POS thermal printer (a kiosk PC): `manage.py print_ticket <id>`
writes the bytes to --device (e.g. /dev/usb/lp0), or to standard output with --device -."""

import sys

from django.core.management.base import BaseCommand, CommandError

from motcua.queue.models import Ticket
from motcua.queue.thermal import LINE_CHARS, slip_bytes


class Command(BaseCommand):
    help = "In phiếu số thứ tự ra máy in nhiệt ESC/POS."

    def add_arguments(self, parser):
        parser.add_argument("ticket_id", type=int)
        parser.add_argument("--device", default="/dev/usb/lp0", help="Thiết bị máy in, hoặc - để ghi ra stdout.")
        parser.add_argument("--width", type=int, default=80, choices=sorted(LINE_CHARS), help="Khổ giấy (mm).")

    def handle(self, *args, ticket_id, device, width, **options):
        ticket = Ticket.objects.select_related("office", "group").filter(pk=ticket_id).first()
        if ticket is None:
            raise CommandError(f"Không tìm thấy số thứ tự #{ticket_id}.")
        data = slip_bytes(ticket, width_mm=width)
        if device == "-":
            sys.stdout.buffer.write(data)
            sys.stdout.buffer.flush()
            return
        try:
            with open(device, "wb") as printer:
                printer.write(data)
        except OSError as exc:
            raise CommandError(f"Không ghi được ra máy in {device}: {exc}") from exc
        self.stderr.write(f"Đã in phiếu {ticket.code} ({len(data)} byte).")
