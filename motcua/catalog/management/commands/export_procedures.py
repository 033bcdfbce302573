"""Export the procedure catalog as CSV or JSON, in the layout import_procedures reads."""

from pathlib import Path

from django.core.management.base import BaseCommand

from motcua.catalog.services import procedure_export


class Command(BaseCommand):
    help = "Xuất danh mục thủ tục hành chính ra tệp CSV hoặc JSON (nhập lại được)."

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=["csv", "json"], default="json")
        parser.add_argument("-o", "--output", help="Tệp đích; bỏ trống thì in ra màn hình.")

    def handle(self, *args, **options):
        data = procedure_export(format=options["format"])
        if options["output"]:
            path = Path(options["output"])
            if isinstance(data, bytes):
                path.write_bytes(data)
            else:
                path.write_text(data, encoding="utf-8")
            self.stderr.write(self.style.SUCCESS(f"Đã xuất ra {path}"))
        else:
            text = data.decode("utf-8-sig") if isinstance(data, bytes) else data
            self.stdout.write(text, ending="")
