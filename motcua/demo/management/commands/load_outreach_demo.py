"""Demo teams, households, campaigns and visits for the demo communes. Safe to run again."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from motcua.core.errors import DomainError
from motcua.demo.outreach import outreach_demo_build
from motcua.demo.province import DEFAULT_SEED


class Command(BaseCommand):
    help = (
        "Tạo dữ liệu mẫu tổ công nghệ số cộng đồng: tổ, thành viên, hộ gia đình, đợt ra quân, lượt hỗ trợ "
        "(sau load_demo_province). Chạy lại không tạo trùng."
    )

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
        parser.add_argument("--province", default=settings.PROVINCE_CODE)

    def handle(self, *args, seed, province, **options):
        try:
            result = outreach_demo_build(seed=seed, province_code=province)
        except DomainError as exc:
            raise CommandError(exc.message)
        self.stdout.write(
            self.style.SUCCESS(
                f"Tổ CNSCĐ mẫu: thêm {result.teams} tổ, {result.members} thành viên, {result.households} hộ, "
                f"{result.visits} lượt hỗ trợ."
            )
        )
