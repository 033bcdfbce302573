"""Recount the service-index rollups from the records: `manage.py rebuild_index_rollups`
(all months) or `--months 1` (this month and the last one; the scheduler runs it nightly, see
`ops.schedule`, for the "synchronised" figures whose state changes when the sync sender runs and the
documents marked digitised or reused after the dossier's last status change)."""

import time

from django.core.management.base import BaseCommand
from django.utils import timezone

from motcua.serviceindex.periods import add_months, month_of
from motcua.serviceindex.services import rollups_rebuild


class Command(BaseCommand):
    help = "Tính lại bảng tổng hợp chỉ số phục vụ từ dữ liệu hồ sơ."

    def add_arguments(self, parser):
        parser.add_argument("--months", type=int, default=0, help="Chỉ tính lại N tháng gần nhất (0 = tất cả).")

    def handle(self, *args, months: int = 0, **options):
        since = add_months(month_of(timezone.now()), -months) if months > 0 else None
        started = time.perf_counter()
        written = rollups_rebuild(since=since)
        self.stdout.write(f"{written} rollup rows in {time.perf_counter() - started:.1f}s")
