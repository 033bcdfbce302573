"""Forget switchboard calls that expired (their bookings stay). Safe to run any time."""

from django.core.management.base import BaseCommand

from motcua.appointments.switchboard.services import calls_purge


class Command(BaseCommand):
    help = "Xóa trạng thái các cuộc gọi tổng đài đã hết hạn."

    def handle(self, *args, **options):
        self.stdout.write(f"switchboard calls purged: {calls_purge()}")
