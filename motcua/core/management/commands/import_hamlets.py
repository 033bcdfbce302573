from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from motcua.core.errors import DomainError
from motcua.core.services.units import hamlet_import


class Command(BaseCommand):
    help = (
        "Nhập ấp, khóm từ tệp CSV (UTF-8) với các cột: unit_code, kind, name, code. "
        "Có lỗi ở bất kỳ dòng nào thì không ghi dòng nào."
    )

    def add_arguments(self, parser):
        parser.add_argument("csv", help="Đường dẫn tệp CSV.")

    def handle(self, *args, csv, **options):
        path = Path(csv)
        try:
            text = path.read_text(encoding="utf-8-sig")
        except OSError as exc:
            raise CommandError(f"Không đọc được tệp {path}: {exc.strerror}")
        except UnicodeDecodeError:
            raise CommandError(f"Tệp {path} không phải UTF-8.")
        try:
            result = hamlet_import(source=text)
        except DomainError as exc:
            for error in exc.details or []:
                column = f" [{error['column']}]" if error.get("column") else ""
                self.stderr.write(f"Dòng {error['row']}{column}: {error['message']}")
            raise CommandError(exc.message)
        self.stdout.write(
            self.style.SUCCESS(
                f"{result.rows} dòng: thêm {result.created}, cập nhật {result.updated}, không đổi {result.unchanged}."
            )
        )
