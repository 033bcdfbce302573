from django.core.management.base import BaseCommand, CommandError

from motcua.core.errors import DomainError
from motcua.fieldreports.open311.clients import open311_client_create


class Command(BaseCommand):
    help = "Tạo ứng dụng Open311 mới và in api_key (chỉ hiển thị một lần)."

    def add_arguments(self, parser):
        parser.add_argument("name", help="Tên hệ thống được cấp khóa.")
        parser.add_argument("--contact", default="", help="Người hoặc đơn vị liên hệ.")

    def handle(self, *args, name, contact, **options):
        try:
            client, api_key = open311_client_create(name=name, contact=contact)
        except DomainError as exc:
            raise CommandError(exc.message)
        self.stdout.write(f"Đã tạo ứng dụng Open311 «{client.name}» (id {client.pk}).")
        self.stdout.write("api_key (lưu lại ngay, sẽ không hiển thị lại):")
        self.stdout.write(api_key)
