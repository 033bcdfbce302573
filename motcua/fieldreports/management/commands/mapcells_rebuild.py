from django.core.management.base import BaseCommand

from motcua.fieldreports.services.mapcells import mapcells_rebuild


class Command(BaseCommand):
    help = "Đếm lại toàn bộ ô bản đồ phản ánh (MapCell) từ dữ liệu phản ánh."

    def handle(self, *args, **options):
        self.stdout.write(f"Đã ghi {mapcells_rebuild()} ô bản đồ.")
