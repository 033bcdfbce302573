"""Demo official documents for the first demo communes (see motcua/demo/documents.py). Safe to run again."""

from django.conf import settings
from django.core.management.base import BaseCommand

from motcua.demo.documents import documents_demo_build
from motcua.demo.province import DEFAULT_SEED


class Command(BaseCommand):
    help = "Tạo văn bản đến, văn bản đi mẫu cho vài xã mẫu. Chạy lại không tạo trùng."

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
        parser.add_argument("--province", default=settings.PROVINCE_CODE)

    def handle(self, *args, seed, province, **options):
        result = documents_demo_build(province=province)
        for failure in result.failures:
            self.stderr.write(failure)
        self.stdout.write(self.style.SUCCESS(f"Văn bản mẫu: {result.incoming} văn bản đến, {result.outgoing} văn bản đi."))
