"""Send the queued EDXML messages and read every agency's inbox on the national document axis.
Safe to run twice: sending leaves failures queued, receiving handles each message once."""

from django.core.management.base import BaseCommand

from motcua.core.models import Agency
from motcua.documents.exchange.axis import AxisError
from motcua.documents.exchange.services import exchange_flush
from motcua.documents.services.exchange import exchange_receive


class Command(BaseCommand):
    help = "EDXML: send queued packages and statuses, receive from the document axis"

    def handle(self, *args, **options):
        from django.conf import settings

        if not getattr(settings, "DOCUMENT_AXIS_URL", ""):
            self.stdout.write("document axis not configured")
            return
        sent = exchange_flush()
        received: dict[str, int] = {}
        for agency in Agency.objects.filter(document_office__isnull=False, is_active=True).order_by("pk"):
            try:
                for outcome, count in exchange_receive(agency=agency).items():
                    received[outcome] = received.get(outcome, 0) + count
            except AxisError as exc:
                self.stderr.write(f"{agency.code}: {exc}")
        self.stdout.write(f"sent {sent}, received {received}")
