"""Reading and checking catalog files (CSV and JSON) for import, and writing them for export.

Pure functions, no database writes: `services.procedure_import` calls `parse_catalog` and then
writes in one transaction. Every problem becomes a `RowError` so that one pass reports every bad
row, instead of stopping at the first one.

Layout (documented for users in docs/catalog-import.md):
- JSON: `{"fields": [{"name", "slug", "order"}], "procedures": [...]}` or a plain list of
  procedures; a procedure names its field by name.
- CSV: one row per procedure, `CSV_COLUMNS`; list-valued columns hold JSON text.
"""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from .rowcheck import (
    CSV_COLUMNS,
    REQUIRED_COLUMNS,
    ParsedCatalog,
    RowChecker,
    RowError,
)

# ---------------------------------------------------------------------------------------------
# Reading files


def read_file(data: Any, fmt: str) -> tuple[Any, list[RowError]]:
    """Turn raw bytes/text/file into rows: JSON value, or a list of (row number, dict) for CSV."""
    if hasattr(data, "read"):
        data = data.read()
    if isinstance(data, bytes | bytearray):
        try:
            data = bytes(data).decode("utf-8-sig")
        except UnicodeDecodeError:
            return None, [RowError(0, "", "", _("Tệp phải được mã hóa UTF-8."))]
    data = str(data).lstrip("\ufeff")
    if fmt == "json":
        try:
            return json.loads(data), []
        except json.JSONDecodeError as exc:
            return None, [
                RowError(
                    0,
                    "",
                    "",
                    _("Tệp JSON không hợp lệ (dòng %(line)s): %(msg)s") % {"line": exc.lineno, "msg": exc.msg},
                )
            ]
    if fmt == "csv":
        try:
            reader = csv.DictReader(io.StringIO(data, newline=""))
            header = [h.strip() for h in (reader.fieldnames or [])]
            reader.fieldnames = header
            # A spreadsheet shows the header as row 1, so the first procedure is row 2.
            rows = [(number, dict(row)) for number, row in enumerate(reader, start=2)]
        except csv.Error as exc:
            return None, [RowError(0, "", "", _("Tệp CSV không hợp lệ: %(msg)s") % {"msg": exc})]
        if not header:
            return None, [RowError(0, "", "", _("Tệp CSV không có dòng tiêu đề."))]
        return {"header": header, "rows": rows}, []
    return None, [RowError(0, "", "", _("Định dạng “%(fmt)s” không được hỗ trợ (chỉ csv hoặc json).") % {"fmt": fmt})]


def parse_catalog(content: Any, fmt: str) -> ParsedCatalog:
    """Check every row of a file's content (as returned by `read_file`, or given as rows)."""
    result = ParsedCatalog()
    if fmt == "csv" and isinstance(content, dict) and "header" in content:
        header = content["header"]
        missing = [c for c in REQUIRED_COLUMNS if c not in header]
        for column in missing:
            result.errors.append(RowError(0, "", column, _("Thiếu cột bắt buộc “%(column)s”.") % {"column": column}))
        unknown = [c for c in header if c and c not in CSV_COLUMNS]
        if unknown:
            result.warnings.append(_("Bỏ qua các cột không dùng: %(cols)s") % {"cols": ", ".join(unknown)})
        if missing:
            return result
        raw_rows = content["rows"]
    else:
        raw_fields: list = []
        if isinstance(content, dict):
            if not isinstance(content.get("procedures"), list):
                result.errors.append(
                    RowError(
                        0,
                        "",
                        "procedures",
                        _("Tệp JSON phải là một danh sách thủ tục hoặc một đối tượng có khóa “procedures”."),
                    )
                )
                return result
            raw_fields = content.get("fields") or []
            content = content["procedures"]
        if not isinstance(content, list):
            result.errors.append(
                RowError(
                    0, "", "", _("Tệp JSON phải là một danh sách thủ tục hoặc một đối tượng có khóa “procedures”.")
                )
            )
            return result
        _read_field_list(raw_fields, result)
        raw_rows = list(enumerate(content, start=1))

    seen_codes: dict[str, int] = {}
    seen_keys: dict[str, int] = {}
    for number, raw in raw_rows:
        if not isinstance(raw, dict):
            result.errors.append(RowError(number, "", "", _("Mỗi thủ tục phải là một đối tượng JSON.")))
            continue
        row = RowChecker(number, raw, result.errors)
        record = row.clean()
        # Duplicates are checked on the raw values so that a row with other errors still counts.
        for column, seen in (("code", seen_codes), ("key", seen_keys)):
            value = str(raw.get(column) or "").strip()
            if not value:
                continue
            if value in seen:
                row.error(
                    column,
                    _("Giá trị “%(value)s” trùng với dòng %(other)s trong cùng tệp.")
                    % {"value": value, "other": seen[value]},
                )
            else:
                seen[value] = number
        if record is None or row.failed:
            continue
        _merge_field(result, row, record)
        result.records.append((number, record))
    if result.errors:
        result.records = []
    return result


def _read_field_list(raw_fields: Any, result: ParsedCatalog) -> None:
    if not isinstance(raw_fields, list):
        result.errors.append(RowError(0, "", "fields", _("“fields” phải là một danh sách lĩnh vực.")))
        return
    for index, raw in enumerate(raw_fields, start=1):
        label = f"fields[{index}]"
        if not isinstance(raw, dict) or not str(raw.get("name") or "").strip():
            result.errors.append(RowError(0, "", label, _("Lĩnh vực phải có tên (name).")))
            continue
        name = str(raw["name"]).strip()
        row = RowChecker(
            0, {"field": name, "field_slug": raw.get("slug"), "field_order": raw.get("order")}, result.errors
        )
        spec = row.field_spec(label)
        if spec is not None:
            result.fields[name] = spec


def _merge_field(result: ParsedCatalog, row: RowChecker, record: dict) -> None:
    spec = record.pop("_field_spec")
    known = result.fields.get(spec.name)
    if known is None:
        result.fields[spec.name] = spec
        return
    for attr, column in (("slug", "field_slug"), ("order", "field_order")):
        mine, theirs = getattr(spec, attr), getattr(known, attr)
        if mine in ("", None):
            continue
        if theirs in ("", None):
            setattr(known, attr, mine)
        elif mine != theirs:
            row.error(
                column,
                _("Lĩnh vực “%(name)s” có %(column)s khác nhau giữa các dòng.") % {"name": spec.name, "column": column},
            )


# ---------------------------------------------------------------------------------------------
# Writing files


def _json_days(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


def to_json(fields: list[dict], records: list[dict]) -> str:
    procedures = [
        {
            **record,
            "time_limit_days": _json_days(record["time_limit_days"]),
            "valid_from": record["valid_from"].isoformat(),
        }
        for record in records
    ]
    return json.dumps({"fields": fields, "procedures": procedures}, ensure_ascii=False, indent=2) + "\n"


def to_csv(fields: list[dict], records: list[dict]) -> bytes:
    by_name = {f["name"]: f for f in fields}
    out = io.StringIO(newline="")
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    for record in records:
        row = dict(record)
        row["field_slug"] = by_name[record["field"]]["slug"]
        row["field_order"] = by_name[record["field"]]["order"]
        row["time_limit_days"] = str(_json_days(record["time_limit_days"]))
        row["valid_from"] = record["valid_from"].isoformat()
        for column in ("on_the_spot", "is_active"):
            row[column] = "true" if record[column] else "false"
        for column in ("fees", "documents", "legal_basis", "steps", "form_schema"):
            row[column] = json.dumps(record[column], ensure_ascii=False)
        writer.writerow(row)
    # The byte-order mark lets Excel open Vietnamese text correctly.
    return out.getvalue().encode("utf-8-sig")
