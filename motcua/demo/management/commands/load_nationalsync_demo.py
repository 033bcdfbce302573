"""Demo state of the national-portal sync (see motcua/demo/nationalsync.py). Safe to run again."""

from django.core.management.base import BaseCommand

from motcua.demo.nationalsync import nationalsync_demo_build


class Command(BaseCommand):
    help = "Chuẩn bị dữ liệu mẫu đồng bộ Cổng DVC quốc gia (một hồ sơ bị từ chối để thử gửi lại)."

    def add_arguments(self, parser):
        # Same options as the other demo loaders, so load_demo_province calls them alike.
        parser.add_argument("--seed", type=int, default=0)
        parser.add_argument("--province", default="")

    def handle(self, *args, **options):
        result = nationalsync_demo_build()
        self.stdout.write(
            self.style.SUCCESS(
                f"Đồng bộ DVC quốc gia: {result['queued']} gói tin trong hàng đợi, "
                f"{result['rejected_now']} hồ sơ mẫu bị từ chối."
            )
        )
