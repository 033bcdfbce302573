"""Checking one record of a catalog import file: every problem becomes a `RowError`.

Split from transfer.py, which reads whole files; this module knows the columns and their rules.
"""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.validators import validate_slug
from django.forms import ValidationError
from django.utils.translation import gettext as _

from motcua.core.models import AgencyKind
from motcua.core.shortcuts import id_param
from motcua.core.text import fold

from .fees import LINE_KEYS, lines_of, schedule_problems
from .formschema import form_schema_clean, form_schema_problems
from .models import AgencyLevel, FeeItem, FeeKind, Field, OnlineLevel, Procedure, RequiredDocument, ResultSignature

REQUIRED_COLUMNS = (
    "code",
    "name",
    "field",
    "level",
    "agency_kind",
    "time_limit_days",
    "online_level",
    "result_type",
    "applicants",
    "valid_from",
)
CSV_COLUMNS = (
    "code",
    "key",
    "name",
    "field",
    "field_slug",
    "field_order",
    "level",
    "agency_kind",
    "agency_note",
    "time_limit_days",
    "time_limit_text",
    "on_the_spot",
    "online_level",
    "result_type",
    "result_signature",
    "applicants",
    "requirements",
    "fee_text",
    "fees",
    "documents",
    "legal_basis",
    "steps",
    "valid_from",
    "keywords",
    "check_notes",
    "is_active",
    "form_schema",
)
# Columns copied onto the Procedure row as they are (after checking).
TEXT_COLUMNS = (
    "name",
    "agency_note",
    "time_limit_text",
    "fee_text",
    "result_type",
    "applicants",
    "requirements",
    "keywords",
    "check_notes",
)
DOCUMENT_KEYS = ("name", "originals", "copies", "form_name", "is_required", "condition", "reusable_digitised")
FEE_KEYS = LINE_KEYS
_MAX_SMALL = 32767
_MAX_DAYS = Decimal("9999.9")

_TRUE = {"true", "1", "co", "yes", "x", "dung"}
_FALSE = {"false", "0", "khong", "no", ""}


def _aliases(choices, extra: dict[str, str]) -> dict[str, str]:
    table = {fold(str(value)): value for value, _label in choices.choices}
    table.update({fold(str(label)): value for value, label in choices.choices})
    table.update(extra)
    return table


def _level_aliases():
    return _aliases(AgencyLevel, {"tinh": AgencyLevel.PROVINCE, "xa": AgencyLevel.COMMUNE})


def _online_aliases():
    return _aliases(OnlineLevel, {"toan phan": OnlineLevel.FULL, "khong": OnlineLevel.NONE})


@dataclass(frozen=True)
class RowError:
    """One problem in an import file. `row` 0 means the file as a whole."""

    row: int
    code: str
    field: str
    message: str

    def __str__(self) -> str:
        where = _("Tệp") if self.row == 0 else _("Dòng %(row)s") % {"row": self.row}
        code = f" [{self.code}]" if self.code else ""
        column = f" {self.field}:" if self.field else ""
        return f"{where}{code}{column} {self.message}"


@dataclass
class FieldSpec:
    name: str
    slug: str = ""
    order: int | None = None


@dataclass
class ParsedCatalog:
    fields: dict[str, FieldSpec] = field(default_factory=dict)
    # (row number, clean record) in file order; records use model-ready Python values.
    records: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def _max_length(model, name: str) -> int | None:
    return model._meta.get_field(name).max_length


class RowChecker:
    """Checks one raw record and collects its errors."""

    def __init__(self, number: int, raw: dict, errors: list[RowError]):
        self.number = number
        self.raw = raw
        self.errors = errors
        self.code = str(raw.get("code") or "").strip()[:32]
        self.failed = False

    def error(self, column: str, message: str) -> None:
        self.failed = True
        self.errors.append(RowError(self.number, self.code, column, message))

    def clean(self) -> dict | None:
        record: dict[str, Any] = {}
        for column in REQUIRED_COLUMNS:
            if _blank(self.raw.get(column)):
                self.error(column, _("Không được để trống."))
        record["code"] = self.text("code", _max_length(Procedure, "code"))
        if any(ch.isspace() for ch in record["code"]):
            self.error("code", _("Mã thủ tục không được chứa khoảng trắng."))
        record["key"] = self.text("key", _max_length(Procedure, "key"))
        if record["key"]:
            try:
                validate_slug(record["key"])
            except ValidationError:
                self.error("key", _("Mã ngắn chỉ gồm chữ không dấu, số, gạch ngang và gạch dưới."))
        for column in TEXT_COLUMNS:
            record[column] = self.text(
                column,
                _max_length(Procedure, column) if column not in ("fee_text", "requirements", "check_notes") else None,
            )
        record["_field_spec"] = self.field_spec("field") or FieldSpec(name="")
        record["field"] = record["_field_spec"].name
        record["level"] = self.choice("level", _level_aliases())
        record["agency_kind"] = self.choice("agency_kind", _aliases(AgencyKind, {}))
        record["online_level"] = self.choice("online_level", _online_aliases())
        record["time_limit_days"] = self.days()
        record["on_the_spot"] = self.boolean("on_the_spot", default=False)
        record["result_signature"] = self.choice("result_signature", _aliases(ResultSignature, {})) or (
            ResultSignature.NONE
        )
        record["is_active"] = self.boolean("is_active", default=True)
        record["valid_from"] = self.date("valid_from")
        record["legal_basis"] = self.strings("legal_basis")
        record["steps"] = self.strings("steps")
        record["documents"] = self.items("documents", DOCUMENT_KEYS, self.document)
        record["fees"] = self.items("fees", FEE_KEYS, self.fee)
        record["form_schema"] = self.form_schema()
        if not self.failed:
            for problem in schedule_problems(lines_of(record["fees"])):
                self.error("fees", problem)
        return None if self.failed else record

    # -- scalar helpers ---------------------------------------------------------------------

    def text(self, column: str, max_length: int | None = None, value: Any = None, label: str | None = None) -> str:
        value = self.raw.get(column) if value is None else value
        label = label or column
        if value is None:
            return ""
        if not isinstance(value, str | int | float) or isinstance(value, bool):
            self.error(label, _("Phải là chuỗi ký tự."))
            return ""
        text = str(value).strip()
        if max_length and len(text) > max_length:
            self.error(label, _("Dài quá %(max)s ký tự.") % {"max": max_length})
        return text

    def choice(self, column: str, table: dict[str, str]) -> str:
        value = self.raw.get(column)
        if _blank(value):
            return ""
        found = table.get(fold(str(value)))
        if found is None:
            allowed = ", ".join(sorted({str(v) for v in table.values()}))
            self.error(
                column,
                _("Giá trị “%(value)s” không hợp lệ; dùng một trong: %(allowed)s.")
                % {"value": value, "allowed": allowed},
            )
            return ""
        return str(found)

    def integer(self, value: Any, label: str, *, default: int | None = None, maximum: int | None = None) -> int | None:
        if _blank(value):
            if default is None:
                self.error(label, _("Không được để trống."))
            return default
        if isinstance(value, bool):
            self.error(label, _("Phải là số nguyên."))
            return None
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if isinstance(value, str) and id_param(value) is not None:
            value = id_param(value)
        if not isinstance(value, int):
            self.error(label, _("Phải là số nguyên không âm, không có dấu phân cách (ví dụ 50000)."))
            return None
        if value < 0:
            self.error(label, _("Không được là số âm."))
            return None
        if maximum is not None and value > maximum:
            self.error(label, _("Không được lớn hơn %(max)s.") % {"max": maximum})
            return None
        return value

    def days(self) -> Decimal | None:
        value = self.raw.get("time_limit_days")
        if _blank(value):
            return None
        try:
            if isinstance(value, bool):
                raise InvalidOperation
            days = Decimal(str(value).strip().replace(",", "."))
        except InvalidOperation:
            self.error("time_limit_days", _("Thời hạn phải là một số ngày làm việc (ví dụ 3 hoặc 0,5)."))
            return None
        if not days.is_finite() or days < 0:
            self.error("time_limit_days", _("Thời hạn không được là số âm."))
            return None
        if days > _MAX_DAYS or days != days.quantize(Decimal("0.1")):
            self.error("time_limit_days", _("Thời hạn tối đa 9999,9 ngày và chỉ một chữ số thập phân."))
            return None
        return days.quantize(Decimal("0.1"))

    def boolean(self, column: str, *, default: bool, value: Any = None, label: str | None = None) -> bool:
        value = self.raw.get(column) if value is None else value
        if isinstance(value, bool):
            return value
        if value is None or (isinstance(value, str) and not value.strip()):
            return default
        folded = fold(str(value))
        if folded in _TRUE:
            return True
        if folded in _FALSE:
            return False
        self.error(label or column, _("Phải là true hoặc false."))
        return default

    def date(self, column: str) -> datetime.date | None:
        value = self.raw.get(column)
        if _blank(value):
            return None
        try:
            return datetime.date.fromisoformat(str(value).strip())
        except ValueError:
            self.error(column, _("Ngày “%(value)s” không hợp lệ; dùng dạng YYYY-MM-DD.") % {"value": value})
            return None

    def field_spec(self, label: str) -> FieldSpec | None:
        name = self.text("field", _max_length(Field, "name"), label=label)
        if not name:
            return None
        slug = self.text(
            "field_slug", _max_length(Field, "slug"), label=f"{label}.slug" if label != "field" else "field_slug"
        )
        if slug:
            try:
                validate_slug(slug)
            except ValidationError:
                self.error("field_slug", _("Mã lĩnh vực chỉ gồm chữ không dấu, số, gạch ngang và gạch dưới."))
        order = self.integer(self.raw.get("field_order"), "field_order", default=-1, maximum=_MAX_SMALL)
        return FieldSpec(name=name, slug=slug, order=None if order in (-1, None) else order)

    def form_schema(self) -> list[dict] | None:
        # A file without the column (a national export) leaves the stored form as it is: None.
        if "form_schema" not in self.raw:
            return None
        items = self._list("form_schema", lines=False)
        if items is None:
            return []
        problems = form_schema_problems(items)
        for problem in problems:
            self.error("form_schema", problem)
        return [] if problems else form_schema_clean(items)

    # -- list helpers ----------------------------------------------------------------------

    def _list(self, column: str, *, lines: bool) -> list | None:
        value = self.raw.get(column)
        if value is None or value == "":
            return []
        if isinstance(value, str):
            stripped = value.strip()
            if stripped.startswith("["):
                try:
                    value = json.loads(stripped)
                except json.JSONDecodeError as exc:
                    self.error(column, _("Không đọc được JSON trong ô: %(msg)s") % {"msg": exc.msg})
                    return None
            elif lines:
                # A hand-edited spreadsheet may list one item per line instead of JSON.
                return [line.strip() for line in stripped.splitlines() if line.strip()]
        if not isinstance(value, list):
            self.error(column, _("Phải là một danh sách (JSON)."))
            return None
        return value

    def strings(self, column: str) -> list[str]:
        items = self._list(column, lines=True)
        if items is None:
            return []
        out = []
        for index, item in enumerate(items, start=1):
            if not isinstance(item, str) or not item.strip():
                self.error(f"{column}[{index}]", _("Phải là một chuỗi ký tự không rỗng."))
            else:
                out.append(item.strip())
        return out

    def items(self, column: str, keys: tuple[str, ...], clean_one) -> list[dict]:
        items = self._list(column, lines=False)
        if items is None:
            return []
        out = []
        for index, item in enumerate(items, start=1):
            label = f"{column}[{index}]"
            if not isinstance(item, dict):
                self.error(label, _("Phải là một đối tượng JSON."))
                continue
            unknown = sorted(set(item) - set(keys))
            if unknown:
                self.error(label, _("Khóa không hợp lệ: %(keys)s.") % {"keys": ", ".join(unknown)})
                continue
            out.append(clean_one(item, label))
        return out

    def document(self, item: dict, label: str) -> dict:
        name = self.text("", _max_length(RequiredDocument, "name"), value=item.get("name", ""), label=f"{label}.name")
        if not name:
            self.error(f"{label}.name", _("Tên giấy tờ không được để trống."))
        return {
            "name": name,
            "originals": self.integer(item.get("originals"), f"{label}.originals", default=1, maximum=_MAX_SMALL),
            "copies": self.integer(item.get("copies"), f"{label}.copies", default=0, maximum=_MAX_SMALL),
            "form_name": self.text(
                "",
                _max_length(RequiredDocument, "form_name"),
                value=item.get("form_name", ""),
                label=f"{label}.form_name",
            ),
            "is_required": self.boolean("", default=True, value=item.get("is_required"), label=f"{label}.is_required"),
            "condition": self.text(
                "",
                _max_length(RequiredDocument, "condition"),
                value=item.get("condition", ""),
                label=f"{label}.condition",
            ),
            "reusable_digitised": self.boolean(
                "", default=False, value=item.get("reusable_digitised"), label=f"{label}.reusable_digitised"
            ),
        }

    def fee(self, item: dict, label: str) -> dict:
        name = self.text("", _max_length(FeeItem, "name"), value=item.get("name", ""), label=f"{label}.name")
        if not name:
            self.error(f"{label}.name", _("Tên khoản thu không được để trống."))
        kind = self.text("", None, value=item.get("kind") or FeeKind.BASE, label=f"{label}.kind")
        if kind not in FeeKind.values:
            self.error(
                f"{label}.kind",
                _("Loại khoản phải là một trong: %(allowed)s.") % {"allowed": ", ".join(FeeKind.values)},
            )
        out = {"name": name, "kind": kind}
        out["amount"] = self.integer(item.get("amount"), f"{label}.amount", maximum=2_147_483_647)
        reduced = item.get("reduced_amount")
        out["reduced_amount"] = (
            None if _blank(reduced) else self.integer(reduced, f"{label}.reduced_amount", maximum=2_147_483_647)
        )
        for key in (
            "group",
            "when",
            "condition",
            "per_unit",
            "legal_basis",
            "exemption",
            "exemption_basis",
            "reduction_basis",
        ):
            out[key] = self.text("", _max_length(FeeItem, key), value=item.get(key, ""), label=f"{label}.{key}")
        out["when"] = " ".join(out["when"].split())
        for key in ("is_default", "local"):
            out[key] = self.boolean("", default=False, value=item.get(key), label=f"{label}.{key}")
        for key in ("reduced_from", "reduced_until"):
            value = item.get(key)
            out[key] = None
            if not _blank(value):
                try:
                    out[key] = datetime.date.fromisoformat(str(value).strip()).isoformat()
                except ValueError:
                    self.error(
                        f"{label}.{key}", _("Ngày “%(value)s” không hợp lệ; dùng dạng YYYY-MM-DD.") % {"value": value}
                    )
        return {k: out[k] for k in FEE_KEYS}


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip()) or value == []
