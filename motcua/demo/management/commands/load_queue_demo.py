"""Demo queue groups and today's tickets (see motcua/demo/queue.py). Safe to run again."""

from django.conf import settings
from django.core.management.base import BaseCommand

from motcua.demo.province import DEFAULT_SEED
from motcua.demo.queue import queue_demo_build


class Command(BaseCommand):
    help = "Tạo nhóm dịch vụ xếp hàng cho các bộ phận một cửa mẫu và một số số thứ tự hôm nay."

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
        parser.add_argument("--province", default=settings.PROVINCE_CODE)

    def handle(self, *args, seed, province, **options):
        result = queue_demo_build(seed=seed, province=province)
        self.stdout.write(
            self.style.SUCCESS(
                f"Xếp hàng mẫu: thêm {result.groups_created} nhóm dịch vụ, {result.tickets_created} số thứ tự hôm nay."
            )
        )
