"""Load the Government's known day swaps into CalendarOverride rows. Safe to run again: rows that
already say the same thing are left alone, and a bad file writes nothing."""

import datetime
import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from motcua.core.errors import DomainError
from motcua.core.services.calendar import calendar_override_check, calendar_override_set

DEFAULT_FILE = Path(__file__).resolve().parents[2] / "data" / "calendar_overrides.json"


def override_reason(entry: dict) -> str:
    """The text stored in `CalendarOverride.reason`: what happens, then on what basis."""
    return f"{entry['reason'].strip()}. Căn cứ: {entry['legal_basis'].strip()}"


def read_entries(path: Path) -> list[dict]:
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
        raw = document["overrides"]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise CommandError(f"Không đọc được tệp {path}: {exc}")
    entries = []
    for index, item in enumerate(raw, start=1):
        try:
            entry = {
                "date": datetime.date.fromisoformat(item["date"]),
                "kind": item["kind"],
                "reason": item["reason"],
                "legal_basis": item["legal_basis"],
                "check": item.get("check"),
            }
            calendar_override_check(date=entry["date"], kind=entry["kind"], reason=override_reason(entry))
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise CommandError(f"Mục thứ {index} không hợp lệ: {exc!r}")
        except DomainError as exc:
            raise CommandError(f"Mục thứ {index} ({item.get('date')}) không hợp lệ: {exc.message}")
        entries.append(entry)
    dates = [entry["date"] for entry in entries]
    if len(dates) != len(set(dates)):
        raise CommandError("Tệp có ngày bị lặp lại.")
    return entries


class Command(BaseCommand):
    help = "Nạp các ngày hoán đổi, nghỉ thêm do Chính phủ quyết định (2025–2026) vào lịch làm việc."

    def add_arguments(self, parser):
        parser.add_argument("--file", type=Path, default=DEFAULT_FILE, help="tệp JSON (mặc định: dữ liệu kèm theo)")
        parser.add_argument("--dry-run", action="store_true", help="chỉ kiểm tra tệp, không ghi")

    def handle(self, *args, file: Path, dry_run: bool, **options):
        entries = read_entries(file)
        counts = {"created": 0, "updated": 0, "unchanged": 0}
        if not dry_run:
            with transaction.atomic():
                for entry in entries:
                    _, outcome = calendar_override_set(
                        date=entry["date"], kind=entry["kind"], reason=override_reason(entry)
                    )
                    counts[outcome] += 1
                    self.stdout.write(f"{entry['date']:%d/%m/%Y} {entry['kind']}: {outcome}")
        for entry in entries:
            if entry["check"]:
                self.stdout.write(self.style.WARNING(f"Cần kiểm tra {entry['date']:%d/%m/%Y}: {entry['check']}"))
        verb = "Kiểm tra" if dry_run else "Đã nạp"
        self.stdout.write(
            self.style.SUCCESS(
                f"{verb} {len(entries)} mục: {counts['created']} mới, {counts['updated']} cập nhật, "
                f"{counts['unchanged']} không đổi."
            )
        )
