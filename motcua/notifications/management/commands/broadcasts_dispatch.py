"""Start approved broadcasts whose time has come and close finished ones.

Run it every minute (cron, systemd timer) or with --loop beside `notifications_worker`; running
it twice at once is safe: each broadcast is locked while it is started or closed.
"""

import signal
import threading

from django.core.management.base import BaseCommand

from motcua.notifications.broadcasts.sending import broadcasts_dispatch


class Command(BaseCommand):
    help = "Gửi các thông báo diện rộng đã duyệt khi đến giờ; đánh dấu xong các thông báo đã gửi hết."

    def add_arguments(self, parser):
        parser.add_argument("--loop", action="store_true", help="Chạy lặp lại cho đến khi bị dừng.")
        parser.add_argument("--interval", type=float, default=15.0, help="Số giây giữa hai lượt (với --loop).")

    def handle(self, *args, loop, interval, **options):
        stop = threading.Event()
        if loop:
            signal.signal(signal.SIGTERM, lambda *_: stop.set())
            signal.signal(signal.SIGINT, lambda *_: stop.set())
        while True:
            result = broadcasts_dispatch()
            if result["started"] or result["finished"] or not loop:
                self.stdout.write(
                    f"Bắt đầu gửi {result['started']} thông báo ({result['enqueued']} tin), xong {result['finished']}."
                )
            if not loop or stop.wait(interval):
                return
