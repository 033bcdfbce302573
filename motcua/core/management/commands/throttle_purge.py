"""Delete rate-limit counters whose window and delay are over. Safe to run at any time (daily from cron)."""

from django.core.management.base import BaseCommand

from motcua.core.throttle import counters_purge


class Command(BaseCommand):
    help = "Xóa các bộ đếm giới hạn truy cập đã hết hạn."

    def handle(self, *args, **options):
        deleted = counters_purge()
        self.stdout.write(f"{deleted} counters deleted")
