"""Ship the province's calendar table for 2025–2026 (motcua/core/data/calendar_table.json) and give
rows saved before the table had a legal-basis column their basis from the old reason text.

The file is read when the migration runs, so a fresh database gets the table as shipped then;
later corrections to the file reach existing databases through `manage.py load_calendar_overrides`.
Rows for the same dates are made to say what the file says (the four swap rows loaded earlier
from calendar_overrides.json carry the same facts)."""

import datetime
import json
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parents[1] / "data" / "calendar_table.json"
_MARK = ". Căn cứ: "


def forwards(apps, schema_editor):
    Row = apps.get_model("core", "CalendarOverride")
    for row in Row.objects.filter(legal_basis=""):
        if _MARK in row.reason:
            row.reason, row.legal_basis = row.reason.split(_MARK, 1)
        else:
            row.legal_basis = "Chưa ghi căn cứ (dòng nhập trước khi có cột căn cứ pháp lý)"
            row.note = "Cần bổ sung số, ngày văn bản làm căn cứ."
        row.confirmed = False
        row.save(update_fields=["reason", "legal_basis", "note", "confirmed"])
    for item in json.loads(DATA.read_text(encoding="utf-8"))["rows"]:
        Row.objects.update_or_create(
            date=datetime.date.fromisoformat(item["date"]),
            defaults={
                "kind": item["kind"],
                "reason": item["reason"],
                "legal_basis": item["legal_basis"],
                "basis_date": datetime.date.fromisoformat(item["basis_date"]) if item.get("basis_date") else None,
                "confirmed": bool(item["confirmed"]),
                "note": item.get("check", ""),
            },
        )


class Migration(migrations.Migration):
    dependencies = [("core", "0003_calendar_table")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
