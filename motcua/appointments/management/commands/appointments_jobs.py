from django.core.management.base import BaseCommand

from motcua.appointments.services import no_shows_mark, reminders_send


class Command(BaseCommand):
    help = "Đặt lịch hẹn: ghi vắng mặt các lịch quá giờ, gửi nhắc lịch trước một ngày và một giờ."

    def handle(self, *args, **options):
        marked = no_shows_mark()
        sent = reminders_send()
        self.stdout.write(f"no_show={marked} remind_day={sent['day']} remind_hour={sent['hour']} quiet={sent['quiet']}")
