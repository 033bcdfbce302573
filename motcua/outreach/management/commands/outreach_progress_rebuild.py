"""Recompute the progress rollups of communes from visits and achievements (repair)."""

import time

from django.core.management.base import BaseCommand, CommandError

from motcua.core.models import COMMUNE_KINDS, Era, Unit
from motcua.outreach.progress.services import progress_rebuild


class Command(BaseCommand):
    help = "Tính lại số liệu tiến độ (bảng tổng hợp) từ dữ liệu gốc, theo xã hoặc cả tỉnh."

    def add_arguments(self, parser):
        parser.add_argument("codes", nargs="*", help="mã xã, phường; để trống: mọi xã có hộ gia đình")

    def handle(self, *args, codes, **options):
        units = Unit.objects.filter(era=Era.CURRENT, kind__in=COMMUNE_KINDS)
        units = units.filter(code__in=codes) if codes else units.filter(households__isnull=False).distinct()
        units = list(units.order_by("code"))
        if codes and len(units) != len(set(codes)):
            missing = sorted(set(codes) - {u.code for u in units})
            raise CommandError(f"Không tìm thấy xã, phường: {', '.join(missing)}")
        for unit in units:
            started = time.perf_counter()
            progress_rebuild(unit=unit)
            self.stdout.write(f"{unit.code} {unit.name}: {time.perf_counter() - started:.1f} s")
