"""Import households of one commune from a CSV file, as a given officer (all or nothing)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from motcua.core.errors import DomainError
from motcua.core.models import Era, Unit, User
from motcua.outreach.services.household_import import household_import_csv


class Command(BaseCommand):
    help = "Nhập hộ gia đình của một xã từ tệp CSV (tệp có lỗi sẽ không nhập dòng nào)."

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--unit", required=True, help="Mã xã, phường (thời kỳ hiện hành).")
        parser.add_argument(
            "--user", required=True, help="Tên đăng nhập người nhập (để kiểm tra địa bàn, ghi nhật ký)."
        )

    def handle(self, *args, path, unit, user, **options):
        commune = Unit.objects.filter(era=Era.CURRENT, code=unit).first()
        actor = User.objects.filter(username=user).first()
        if commune is None or actor is None:
            raise CommandError("Không tìm thấy xã hoặc tài khoản.")
        try:
            report = household_import_csv(actor=actor, unit=commune, content=Path(path).read_bytes())
        except DomainError as exc:
            for error in (exc.details or {}).get("errors", []) if isinstance(exc.details, dict) else []:
                self.stderr.write(f"Dòng {error['row']} [{error['field']}]: {error['message']}")
            raise CommandError(exc.message)
        self.stdout.write(self.style.SUCCESS(f"Đã nhập {report.created} hộ; bỏ qua {len(report.existing)} hộ đã có."))
