"""Demo fees: collection accounts, payment requests, a few paid by cash and by transfer. Safe to run again."""

from django.conf import settings
from django.core.management.base import BaseCommand

from motcua.demo.payments import demo_payments_build
from motcua.demo.province import DEFAULT_SEED


class Command(BaseCommand):
    help = "Tạo dữ liệu mẫu thu phí, lệ phí: tài khoản thu, yêu cầu nộp, một số khoản đã nộp. Chạy lại không tạo trùng."

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
        parser.add_argument("--province", default=settings.PROVINCE_CODE)

    def handle(self, *args, seed, province, **options):
        result = demo_payments_build(seed=seed, province_code=province)
        self.stdout.write(
            self.style.SUCCESS(
                f"Thu phí mẫu: thêm {result.accounts} tài khoản thu, {result.requests} yêu cầu nộp, "
                f"{result.paid} khoản đã nộp."
            )
        )
