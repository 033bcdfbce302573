"""Post one message to the site as a citizen would send it on Zalo or by SMS (for demos).

    manage.py fake_channel_message zalo "làm giấy khai sinh ở đâu" --user u-demo
    manage.py fake_channel_message sms "TT khai sinh" --phone 0912345678

The event is signed the way Zalo (or the SMS gateway) signs it, with this site's settings, and
posted to the assistant's webhook; the reply is queued in the outbox and the worker sends it to the
fake Zalo OA / SMS gateway that `manage.py serve` started (or to var/outbox.log with the console
providers).
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse

from motcua.fakes.sms_gateway import FakeSmsGateway
from motcua.fakes.zalo_oa import FakeZaloOA


class Command(BaseCommand):
    help = "Send one Zalo or SMS message to the assistant's webhook, signed like the real sender."

    def add_arguments(self, parser):
        parser.add_argument("channel", choices=["zalo", "sms"])
        parser.add_argument("text")
        parser.add_argument("--user", default="demo-zalo-user", help="Zalo user id (zalo)")
        parser.add_argument("--phone", default="0912345678", help="sender's phone (sms)")
        parser.add_argument("--base-url", default="", help="site address (default: PUBLIC_BASE_URL)")

    def handle(self, *args, **options):
        base = (options["base_url"] or settings.PUBLIC_BASE_URL).rstrip("/")
        if options["channel"] == "zalo":
            fake = FakeZaloOA(app_id=settings.ZALO_APP_ID, oa_secret_key=settings.ZALO_OA_SECRET_KEY)
            event = fake.event("user_send_text", user_id=options["user"], text=options["text"])
            status, body = fake.post_event(base + reverse("assistant:zalo_webhook"), event)
        else:
            fake = FakeSmsGateway(callback_secret=settings.SMS_CALLBACK_SECRET)
            payload = fake.mo_payload(phone=options["phone"], content=options["text"])
            status, body = fake.post_mo(base + reverse("assistant:sms_incoming"), payload)
        if not status:
            raise CommandError(f"Could not reach {base}")
        self.stdout.write(f"{status} {body.decode('utf-8', 'replace')}")
