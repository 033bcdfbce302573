"""Import procedures from a CSV or JSON file (e.g. the national catalog's export). All-or-nothing."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from motcua.catalog.services import procedure_import

from ._report import print_report


class Command(BaseCommand):
    help = "Nhập thủ tục hành chính từ tệp CSV hoặc JSON; có lỗi thì không ghi gì và liệt kê từng dòng lỗi."

    def add_arguments(self, parser):
        parser.add_argument("path", help="Đường dẫn tệp CSV hoặc JSON.")
        parser.add_argument("--format", choices=["csv", "json"], help="Mặc định theo phần mở rộng của tệp.")
        parser.add_argument("--dry-run", action="store_true", help="Chỉ kiểm tra, không ghi dữ liệu.")

    def handle(self, *args, **options):
        path = Path(options["path"])
        if not path.is_file():
            raise CommandError(f"Không tìm thấy tệp: {path}")
        fmt = options["format"] or path.suffix.lower().lstrip(".")
        if fmt not in ("csv", "json"):
            raise CommandError("Không xác định được định dạng; dùng --format csv hoặc --format json.")
        report = procedure_import(file=path, format=fmt, dry_run=options["dry_run"])
        print_report(self, report, verbosity=options["verbosity"])
