"""Load the province's calendar table (holidays, substitute days, swaps, each with its legal basis)
into CalendarOverride rows. Safe to run again: rows that already say the same thing are left alone,
and a bad file writes nothing. Open deadlines that a changed row affects are recomputed (the
service does it, in the same transaction). Ends with the check of the table against holidays.VN."""

import datetime
import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from motcua.core.errors import DomainError
from motcua.core.services.calendar import calendar_override_check, calendar_override_set

from .calendar_check import write_report

DEFAULT_FILE = Path(__file__).resolve().parents[2] / "data" / "calendar_table.json"


def read_entries(path: Path) -> list[dict]:
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
        raw = document["rows"]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise CommandError(f"Không đọc được tệp {path}: {exc}")
    entries = []
    for index, item in enumerate(raw, start=1):
        try:
            basis_date = item.get("basis_date")
            entry = {
                "date": datetime.date.fromisoformat(item["date"]),
                "kind": item["kind"],
                "reason": item["reason"],
                "legal_basis": item["legal_basis"],
                "basis_date": datetime.date.fromisoformat(basis_date) if basis_date else None,
                "confirmed": item["confirmed"] is True,
                "note": item.get("check") or "",
            }
            calendar_override_check(
                date=entry["date"],
                kind=entry["kind"],
                reason=entry["reason"],
                legal_basis=entry["legal_basis"],
                basis_date=entry["basis_date"],
                confirmed=entry["confirmed"],
            )
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
    help = "Nạp lịch làm việc của tỉnh (ngày lễ, Tết, nghỉ bù, hoán đổi, kèm căn cứ) vào cơ sở dữ liệu."

    def add_arguments(self, parser):
        parser.add_argument("--file", type=Path, default=DEFAULT_FILE, help="tệp JSON (mặc định: dữ liệu kèm theo)")
        parser.add_argument("--dry-run", action="store_true", help="chỉ kiểm tra tệp, không ghi")

    def handle(self, *args, file: Path, dry_run: bool, **options):
        entries = read_entries(file)
        counts = {"created": 0, "updated": 0, "unchanged": 0}
        if not dry_run:
            with transaction.atomic():
                for entry in entries:
                    _, outcome = calendar_override_set(**entry)
                    counts[outcome] += 1
                    self.stdout.write(f"{entry['date']:%d/%m/%Y} {entry['kind']}: {outcome}")
        for entry in entries:
            if not entry["confirmed"]:
                self.stdout.write(
                    self.style.WARNING(f"Chưa đối chiếu {entry['date']:%d/%m/%Y}: {entry['note'] or entry['legal_basis']}")
                )
        verb = "Kiểm tra" if dry_run else "Đã nạp"
        self.stdout.write(
            self.style.SUCCESS(
                f"{verb} {len(entries)} mục: {counts['created']} mới, {counts['updated']} cập nhật, "
                f"{counts['unchanged']} không đổi."
            )
        )
        if not dry_run:
            years = {entry["date"].year for entry in entries}
            write_report(self, years)
