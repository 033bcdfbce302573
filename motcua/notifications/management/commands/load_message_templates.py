"""Load the default Vietnamese message templates. Safe to run again: existing ones are kept."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from motcua.core.errors import DomainError
from motcua.notifications.models import MessageTemplate
from motcua.notifications.services import template_save

DEFAULT_FILE = Path(__file__).resolve().parents[2] / "data" / "templates.json"


class Command(BaseCommand):
    help = (
        "Nạp các mẫu thông báo mặc định (SMS, Zalo, thư điện tử, hộp thư) cho từng sự kiện. Chạy lại không tạo trùng."
    )

    def add_arguments(self, parser):
        parser.add_argument("--file", default=str(DEFAULT_FILE))

    def handle(self, *args, file, **options):
        rows = json.loads(Path(file).read_text(encoding="utf-8"))["templates"]
        created = 0
        for row in rows:
            # An administrator's edits are newer versions: never replace them with the defaults.
            if MessageTemplate.objects.filter(event=row["event"], channel=row["channel"]).exists():
                continue
            try:
                template_save(
                    event=row["event"],
                    channel=row["channel"],
                    subject=row.get("subject", ""),
                    body=row["body"],
                    provider_template_id=row.get("provider_template_id", ""),
                )
            except DomainError as exc:
                raise CommandError(f"{row['event']}/{row['channel']}: {exc.message}")
            created += 1
        self.stdout.write(self.style.SUCCESS(f"Mẫu thông báo: thêm {created}, đã có {len(rows) - created}."))
