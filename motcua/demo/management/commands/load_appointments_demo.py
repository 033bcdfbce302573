"""Demo booking policies and a few bookings (see motcua/demo/appointments.py). Safe to run again."""

from django.conf import settings
from django.core.management.base import BaseCommand

from motcua.demo.appointments import appointments_demo_build
from motcua.demo.province import DEFAULT_SEED


class Command(BaseCommand):
    help = "Tạo quy định đặt lịch cho các nhóm dịch vụ mẫu và một vài lịch hẹn."

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
        parser.add_argument("--province", default=settings.PROVINCE_CODE)

    def handle(self, *args, seed, province, **options):
        result = appointments_demo_build(seed=seed, province=province)
        self.stdout.write(
            self.style.SUCCESS(
                f"Lịch hẹn mẫu: thêm {result.policies_created} quy định đặt lịch, {result.bookings_created} lịch hẹn."
            )
        )
