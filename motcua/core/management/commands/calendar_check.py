"""Report the province's calendar table against holidays.VN: package dates with no row (and whether
they still apply), and rows not yet checked against their legal text. Writes nothing."""

import datetime

from django.core.management.base import BaseCommand

from motcua.core import calendar
from motcua.core.models import CalendarOverride


def write_report(command: BaseCommand, years) -> int:
    """Print the report for `years`; returns how many lines need an administrator's attention."""
    out, style = command.stdout, command.style
    mismatches = calendar.package_mismatches(years)
    for item in mismatches:
        verdict = "VẪN ÁP DỤNG (năm chưa có trong bảng)" if item.applied else "KHÔNG áp dụng (bảng của tỉnh không có)"
        out.write(style.WARNING(f"Lệch với holidays: {item.date:%d/%m/%Y} “{item.name}” – {verdict}"))
    pending = CalendarOverride.objects.filter(confirmed=False, date__year__in=sorted(years)).order_by("date")
    for row in pending:
        out.write(style.WARNING(f"Chưa đối chiếu: {row.date:%d/%m/%Y} {row.reason} – {row.note or row.legal_basis}"))
    covered = sorted(set(years) & calendar.table_years())
    uncovered = sorted(set(years) - set(covered))
    out.write(f"Năm có trong bảng của tỉnh: {', '.join(map(str, covered)) or 'không có'}")
    if uncovered:
        out.write(style.WARNING(f"Năm chưa có trong bảng (dùng holidays): {', '.join(map(str, uncovered))}"))
    total = len(mismatches) + len(pending)
    out.write(style.SUCCESS(f"{len(mismatches)} ngày lệch với holidays, {len(pending)} dòng chưa đối chiếu."))
    return total


class Command(BaseCommand):
    help = "Đối chiếu lịch làm việc của tỉnh với thư viện holidays và liệt kê các dòng chưa đối chiếu văn bản."

    def add_arguments(self, parser):
        this_year = datetime.date.today().year
        parser.add_argument("--from-year", type=int, default=this_year - 1)
        parser.add_argument("--to-year", type=int, default=this_year + 1)

    def handle(self, *args, from_year: int, to_year: int, **options):
        write_report(self, range(from_year, to_year + 1))
