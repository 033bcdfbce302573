"""Run the outbox worker: send due messages through their providers, with retries."""

import signal
import threading

from django.core.management.base import BaseCommand

from motcua.notifications import worker


class Command(BaseCommand):
    help = "Gửi các tin trong hàng đợi (SMS, Zalo, thư điện tử); chạy nhiều tiến trình cùng lúc được."

    def add_arguments(self, parser):
        parser.add_argument("--batch", type=int, default=50)
        parser.add_argument("--idle-sleep", type=float, default=1.0)
        parser.add_argument("--worker-id", default="")
        parser.add_argument("--once", action="store_true", help="Gửi một lượt rồi dừng.")
        parser.add_argument("--exit-when-idle", action="store_true", help="Dừng khi không còn tin nào chờ gửi.")

    def handle(self, *args, batch, idle_sleep, worker_id, once, exit_when_idle, **options):
        if once:
            stats = worker.run_once(batch=batch, worker_id=worker_id or None)
            self.stdout.write(f"Đã nhận {stats.claimed} tin: {stats.outcomes}")
            return
        stop = threading.Event()
        # SIGTERM finishes the message in hand, then stops: nothing is left half-recorded.
        signal.signal(signal.SIGTERM, lambda *_: stop.set())
        signal.signal(signal.SIGINT, lambda *_: stop.set())
        worker.run_forever(
            batch=batch, idle_sleep=idle_sleep, worker_id=worker_id or None, exit_when_idle=exit_when_idle, stop=stop
        )
