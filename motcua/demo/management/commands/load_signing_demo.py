"""Demo root CA (trusted, labelled DEMO) and certificates for demo leaders and agency seals. Safe to run again."""

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction

from motcua.demo.signing import signing_demo_build


class Command(BaseCommand):
    help = (
        "Tạo chứng thư số MẪU (CA gốc 'motcua Demo Root CA', không có giá trị pháp lý) cho lãnh đạo và con dấu số "
        "của cơ quan mẫu (sau load_demo_province). Chạy lại không tạo trùng."
    )

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=0, help="Không dùng: khóa luôn sinh ngẫu nhiên.")
        parser.add_argument("--province", default=settings.PROVINCE_CODE)

    def handle(self, *args, seed, province, **options):
        with transaction.atomic():
            result = signing_demo_build()
        self.stdout.write(
            self.style.SUCCESS(
                f"Chữ ký số mẫu: {result.roots} CA gốc mẫu, {result.leaders} chứng thư lãnh đạo, "
                f"{result.seals} con dấu số cơ quan ({result.skipped} đã có từ trước)."
            )
        )
