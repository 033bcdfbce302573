from django.core.management.base import BaseCommand

from motcua.fieldreports.services.setup import CATEGORIES_FILE, categories_load


class Command(BaseCommand):
    help = "Nạp (hoặc cập nhật) cây lĩnh vực phản ánh hiện trường từ tệp JSON; chạy lại nhiều lần vẫn an toàn."

    def add_arguments(self, parser):
        parser.add_argument("--file", default=str(CATEGORIES_FILE))

    def handle(self, *args, **options):
        counts = categories_load(options["file"])
        self.stdout.write(
            f"Lĩnh vực phản ánh: thêm {counts['created']}, cập nhật {counts['updated']}, "
            f"giữ nguyên {counts['unchanged']}."
        )
