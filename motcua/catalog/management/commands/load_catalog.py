"""Load the shipped national procedure catalog (motcua/catalog/data/procedures.json). Safe to re-run."""

from django.core.management.base import BaseCommand

from motcua.catalog.services import SHIPPED_CATALOG, procedure_import

from ._report import print_report


class Command(BaseCommand):
    help = "Nạp danh mục thủ tục hành chính kèm theo phần mềm (chạy lại nhiều lần không làm thay đổi dữ liệu)."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Chỉ kiểm tra, không ghi dữ liệu.")

    def handle(self, *args, **options):
        report = procedure_import(file=SHIPPED_CATALOG, format="json", dry_run=options["dry_run"])
        print_report(self, report, verbosity=options["verbosity"])
