"""The answers to a procedure's application form (tờ khai), checked against its schema.

One check for every channel (portal page, desk page, API): `form_data_clean` returns the answers
in their stored form (phone numbers and personal IDs normalised, numbers as integers, dates as
YYYY-MM-DD) or raises `DomainError` 422 `invalid_form_data` whose details hold, per field, the
Vietnamese messages (`fields`) and machine codes (`errors`: field, code, message). Codes:
unknown_field, invalid_value, required, too_long, invalid_date, date_in_future, invalid_number,
out_of_range, invalid_choice, and the phone and personal ID codes of `motcua.core.identity`
(phone_format, phone_prefix, phone_country, personal_id_format, personal_id_place, personal_id_future).

A draft is checked with `complete=False` (answers given must be valid, required ones may wait);
submission and the desk's receipt check with `complete=True`.
"""

from __future__ import annotations

import datetime
import re
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.catalog.formschema import max_length_of
from motcua.core.errors import DomainError
from motcua.core.identity import normalize_phone, validate_personal_id
from motcua.core.models import User
from motcua.dossiers.models import Dossier

ERROR_CODE = "invalid_form_data"
_MAX_VALUE_CHARS = 5000
_DMY = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")


class _Errors:
    def __init__(self) -> None:
        self.items: list[dict[str, str]] = []

    def add(self, key: str, code: str, message: str) -> None:
        self.items.append({"field": key, "code": code, "message": str(message)})

    def raise_if_any(self) -> None:
        if not self.items:
            return
        fields: dict[str, list[str]] = {}
        for item in self.items:
            fields.setdefault(item["field"], []).append(item["message"])
        raise DomainError(
            _("Tờ khai chưa hợp lệ, vui lòng xem lại các trường được đánh dấu."),
            code=ERROR_CODE,
            status=422,
            details={"fields": fields, "errors": self.items},
        )


def _parse_date(text: str) -> datetime.date | None:
    match = _DMY.match(text)
    try:
        if match:
            day, month, year = (int(g) for g in match.groups())
            return datetime.date(year, month, day)
        return datetime.date.fromisoformat(text)
    except ValueError:
        return None


def _clean_one(field: dict, text: str, errors: _Errors, today: datetime.date) -> Any:
    key, kind, label = field["key"], field["type"], field["label"]
    if kind in ("text", "place", "textarea"):
        limit = max_length_of(field)
        if limit and len(text) > limit:
            errors.add(key, "too_long", _("%(label)s: dài quá %(max)s ký tự.") % {"label": label, "max": limit})
        return text
    if kind == "date":
        day = _parse_date(text)
        if day is None or day.year < 1900:
            errors.add(key, "invalid_date", _("%(label)s: ngày không hợp lệ (ngày/tháng/năm).") % {"label": label})
            return None
        if field.get("not_future") and day > today:
            errors.add(key, "date_in_future", _("%(label)s: không được sau ngày hôm nay.") % {"label": label})
            return None
        return day.isoformat()
    if kind == "number":
        digits = text.replace(" ", "")
        if not (digits.isascii() and re.fullmatch(r"-?\d{1,13}", digits)):
            errors.add(key, "invalid_number", _("%(label)s: phải là một số nguyên.") % {"label": label})
            return None
        number = int(digits)
        low, high = field.get("min"), field.get("max")
        if (low is not None and number < low) or (high is not None and number > high):
            bounds = {"label": label, "min": low if low is not None else "…", "max": high if high is not None else "…"}
            errors.add(key, "out_of_range", _("%(label)s: phải từ %(min)s đến %(max)s.") % bounds)
            return None
        return number
    if kind == "choice":
        if text not in field.get("choices", []):
            errors.add(
                key, "invalid_choice", _("%(label)s: vui lòng chọn một giá trị trong danh sách.") % {"label": label}
            )
            return None
        return text
    try:
        if kind == "phone":
            return normalize_phone(text)
        if kind == "personal_id":
            return validate_personal_id(text, today=today)
    except ValidationError as exc:
        error = exc.error_list[0]
        errors.add(key, error.code or "invalid_value", f"{label}: {' '.join(exc.messages)}")
        return None
    errors.add(key, "invalid_value", _("%(label)s: loại trường không được hỗ trợ.") % {"label": label})
    return None


def _text(value: Any, *, multiline: bool) -> str | None:
    """The answer as text, or None when it is not a plain value (a list, an object, true/false)."""
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        return None
    if isinstance(value, float):
        value = int(value) if value.is_integer() else value
    text = str(value)[:_MAX_VALUE_CHARS]
    if multiline:
        return "\n".join(line.rstrip() for line in text.strip().splitlines())
    return " ".join(text.split())


def form_data_clean(
    schema: list[dict], raw: Any, *, complete: bool, today: datetime.date | None = None
) -> dict[str, Any]:
    """The stored form of `raw` (answers by field key); see the module's docstring."""
    today = today or timezone.localdate()
    errors = _Errors()
    if raw is None:
        raw = {}
    if not isinstance(raw, dict):
        errors.add("", "invalid_value", _("Tờ khai phải là một đối tượng JSON (mã trường: giá trị)."))
        errors.raise_if_any()
    known = {f["key"] for f in schema}
    for key in sorted(str(k) for k in raw if k not in known)[:20]:
        errors.add(key[:64], "unknown_field", _("Trường “%(key)s” không có trong tờ khai.") % {"key": key[:64]})
    clean: dict[str, Any] = {}
    for field in schema:
        key = field["key"]
        text = _text(raw.get(key), multiline=field["type"] == "textarea")
        if text is None:
            errors.add(key, "invalid_value", _("%(label)s: giá trị không hợp lệ.") % {"label": field["label"]})
            continue
        if not text:
            if complete and field.get("required"):
                errors.add(key, "required", _("%(label)s: không được để trống.") % {"label": field["label"]})
            continue
        value = _clean_one(field, text, errors, today)
        if value is not None:
            clean[key] = value
    errors.raise_if_any()
    return clean


def dossier_form_data_set(*, actor: User, dossier: Dossier, raw: Any, complete: bool = False) -> Dossier:
    """Store a draft's answers (checked; required ones may wait until submission). The caller
    has checked that the actor may edit this draft; runs inside its transaction."""
    clean = form_data_clean(dossier.procedure.form_schema or [], raw, complete=complete)
    with transaction.atomic():
        dossier.form_data = clean
        dossier.save(update_fields=["form_data", "updated_at"])
    return dossier


def dossier_form_data_check_complete(dossier: Dossier) -> None:
    """Before submission: every required answer is there and every answer still valid."""
    schema = dossier.procedure.form_schema or []
    if schema:
        # Answers to fields the administrator has since removed do not block the citizen.
        known = {f["key"] for f in schema}
        answers = {k: v for k, v in (dossier.form_data or {}).items() if k in known}
        form_data_clean(schema, answers, complete=True)
