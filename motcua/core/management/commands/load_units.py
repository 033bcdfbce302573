from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from motcua.core.errors import DomainError
from motcua.core.services.units import unit_load_province


class Command(BaseCommand):
    help = "Nạp tỉnh, các xã, phường hiện hành và đơn vị cũ (trước 01/7/2025) từ vietnam-provinces."

    def add_arguments(self, parser):
        parser.add_argument(
            "--province",
            default=settings.PROVINCE_CODE,
            help="Mã tỉnh, thành phố (mặc định: MOTCUA_PROVINCE_CODE, 96 là Cà Mau).",
        )

    def handle(self, *args, province, **options):
        try:
            result = unit_load_province(code=province)
        except DomainError as exc:
            raise CommandError(exc.message)
        communes = result.province.children.count()
        self.stdout.write(
            self.style.SUCCESS(
                f"{result.province.name} ({result.province.code}): {communes} xã, phường, đặc khu; "
                f"thêm {result.created}, cập nhật {result.updated} đơn vị; "
                f"liên kết đơn vị cũ +{result.links_added}/-{result.links_removed}."
            )
        )
