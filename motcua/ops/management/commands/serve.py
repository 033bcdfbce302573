"""Serve the product: the web server, the outbox worker, the scheduler (and the demo's fakes).

`make run` calls it with MOTCUA_DEBUG=0 MOTCUA_DEMO=1; `make dev` with `--web runserver` and
DEBUG on. Host and port come from MOTCUA_HOST and MOTCUA_PORT, so that the links the product
prints (MOTCUA_PUBLIC_BASE_URL) and the address served never disagree.
"""

import sys

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from motcua.ops.processes import ports_taken, processes_to_start, supervise


class Command(BaseCommand):
    help = (
        "Chạy toàn bộ hệ thống: máy chủ web, tiến trình gửi tin, bộ lập lịch (và cổng SMS, Zalo giả lập khi chạy thử)."
    )
    requires_system_checks = []  # each process runs its own checks

    def add_arguments(self, parser):
        parser.add_argument(
            "--web", choices=["granian", "runserver"], default="granian", help="Máy chủ web (runserver để gỡ lỗi)."
        )

    def handle(self, *args, web, **options):
        processes = processes_to_start(web=web)
        taken = ports_taken(processes)
        if taken:
            raise CommandError(
                f"Cổng đang được dùng: {', '.join(taken)}. Hãy dừng chương trình đang dùng cổng, "
                "hoặc chọn cổng khác (make run PORT=…)."
            )
        self.stdout.write(
            f"Phục vụ motcua tại {settings.PUBLIC_BASE_URL}/ (Ctrl+C để dừng tất cả): "
            + ", ".join(p.name for p in processes)
        )
        self.stdout.flush()
        sys.exit(supervise(processes))
