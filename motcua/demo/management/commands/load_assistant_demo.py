"""Demo FAQ entries and logged questions for the assistant. Safe to run again."""

from django.conf import settings
from django.core.management.base import BaseCommand

from motcua.demo.assistant import assistant_demo_build
from motcua.demo.province import DEFAULT_SEED


class Command(BaseCommand):
    help = "Tạo câu hỏi thường gặp mẫu và vài câu hỏi mẫu cho trợ lý. Chạy lại không tạo trùng."

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
        parser.add_argument("--province", default=settings.PROVINCE_CODE)

    def handle(self, *args, seed, province, **options):
        result = assistant_demo_build()
        self.stdout.write(
            self.style.SUCCESS(
                f"Trợ lý mẫu: thêm {result.faq_created} câu hỏi thường gặp, {result.questions} câu hỏi mẫu."
            )
        )
