"""Run the periodic jobs of `motcua.ops.schedule.JOBS` when their time comes.

`manage.py serve` starts one; running two (on two machines) is safe: each slot of each job is
claimed once in the database. `--once` runs what is due now and stops (for cron or a check).
"""

import signal
import threading

from django.core.management.base import BaseCommand
from django.db import close_old_connections

from motcua.ops.schedule import JOBS
from motcua.ops.services import default_runner_id, jobs_run_due


class Command(BaseCommand):
    help = "Chạy các công việc định kỳ (hạn hồ sơ, phản ánh quá hạn, tính lại số liệu tổng hợp ban đêm) đúng giờ."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Chạy các công việc đến giờ một lượt rồi dừng.")
        parser.add_argument("--interval", type=float, default=30.0, help="Số giây giữa hai lần kiểm tra (mặc định 30).")

    def handle(self, *args, once, interval, **options):
        runner = default_runner_id()
        stop = threading.Event()
        if not once:
            # SIGTERM lets the job in hand finish (each is one or more whole transactions), then stops.
            signal.signal(signal.SIGTERM, lambda *_: stop.set())
            signal.signal(signal.SIGINT, lambda *_: stop.set())
            listed = ", ".join(
                f"{job.name} ({f'mỗi {job.every_minutes} phút' if job.every_minutes else f'lúc {job.daily_at:%H:%M}'})"
                for job in JOBS
            )
            self.stdout.write(f"Bộ lập lịch {runner}: {listed}.")
        while True:
            if not once:  # a long-lived process: drop connections past their age or broken meanwhile
                close_old_connections()
            for name, succeeded in jobs_run_due(runner=runner):
                self.stdout.write(f"{name}: {'xong' if succeeded else 'LỖI (xem nhật ký)'}")
            if once or stop.wait(interval):
                return
