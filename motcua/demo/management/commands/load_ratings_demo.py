"""Demo ratings for the returned demo dossiers, so the statistics page shows figures. Safe to run again."""

from django.conf import settings
from django.core.management.base import BaseCommand

from motcua.demo.province import DEFAULT_SEED
from motcua.demo.ratings import ratings_demo_build


class Command(BaseCommand):
    help = "Tạo đánh giá mức độ hài lòng mẫu cho phần lớn hồ sơ mẫu đã trả kết quả. Chạy lại không tạo trùng."

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
        parser.add_argument("--province", default=settings.PROVINCE_CODE)

    def handle(self, *args, seed, province, **options):
        result = ratings_demo_build(seed=seed, province=province)
        for failure in result.failures:
            self.stderr.write(failure)
        self.stdout.write(
            self.style.SUCCESS(f"Đánh giá mẫu: thêm {result.created} đánh giá ({result.skipped} hồ sơ để trống).")
        )
