"""Demo field reports for the demo province (called by load_demo_province). Safe to run again."""

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from motcua.core.errors import DomainError
from motcua.demo.fieldreports import DEFAULT_COUNT, fieldreports_demo_build


class Command(BaseCommand):
    help = "Tạo lĩnh vực, địa bàn và khoảng 400 phản ánh hiện trường mẫu ở mọi trạng thái. Chạy lại không tạo trùng."

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=96)
        parser.add_argument("--province", default=settings.PROVINCE_CODE)
        parser.add_argument("--count", type=int, default=DEFAULT_COUNT)

    def handle(self, *args, seed, province, count=DEFAULT_COUNT, **options):
        started = time.monotonic()
        try:
            result = fieldreports_demo_build(seed=seed, province_code=province, count=count)
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"Phản ánh mẫu: thêm {result.created}, đã có {result.existing}; {result.cells} ô bản đồ "
                f"({time.monotonic() - started:.1f} giây)."
            )
        )
