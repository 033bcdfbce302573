from django.core.management.base import BaseCommand

from motcua.fieldreports.services.deadlines import reports_escalate
from motcua.fieldreports.services.handling import reports_auto_close


class Command(BaseCommand):
    help = "Đánh dấu phản ánh quá hạn, báo cấp trên một lần cho mỗi phản ánh, tự hoàn thành phản ánh đã trả lời quá 7 ngày."

    def handle(self, *args, **options):
        result = reports_escalate()
        closed = reports_auto_close()
        self.stdout.write(
            f"Quá hạn mới: {result['marked']}; báo cấp trên: {result['escalated']}; tự hoàn thành: {closed}."
        )
