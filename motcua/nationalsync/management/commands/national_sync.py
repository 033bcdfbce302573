"""Send queued status changes to the national portal: `--once` for one batch, else a worker loop."""

from django.core.management.base import BaseCommand

from motcua.nationalsync import sender


class Command(BaseCommand):
    help = "Đồng bộ trạng thái hồ sơ lên Cổng Dịch vụ công quốc gia (một lượt với --once, hoặc chạy liên tục)."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="send one batch and exit")
        parser.add_argument("--batch", type=int, default=50)
        parser.add_argument("--force", action="store_true", help="send even when NATIONAL_SYNC_ENABLED is off")

    def handle(self, *args, once=False, batch=50, force=False, **options):
        if once:
            counts = sender.run_once(batch=batch, force=force)
            self.stdout.write(", ".join(f"{k}={v}" for k, v in sorted(counts.items())))
            return
        sender.run_forever(batch=batch)
