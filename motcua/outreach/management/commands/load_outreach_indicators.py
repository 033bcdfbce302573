"""Seed the province's starting digital indicators. Safe to run again."""

from django.core.management.base import BaseCommand

from motcua.outreach.services.teams import indicators_load_defaults


class Command(BaseCommand):
    help = "Tạo các chỉ tiêu số ban đầu của tổ công nghệ số cộng đồng (chạy lại không tạo trùng)."

    def handle(self, *args, **options):
        created = indicators_load_defaults()
        self.stdout.write(self.style.SUCCESS(f"Chỉ tiêu số: thêm {created}."))
