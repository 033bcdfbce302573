"""A procedure's application form (tờ khai) as data: an ordered list of fields.

Each field is a dict:
- `key` (required): lower-case letters, digits and `_`, starting with a letter, unique in the form;
- `label` (required): the Vietnamese label shown to the citizen;
- `type` (required): one of `FIELD_TYPES`;
- `required`: the answer must be given before the dossier is submitted (default false);
- `choices`: for `choice` only, the list of allowed answers (strings);
- `help`: a hint shown under the field;
- `max_length`: for text-like fields, at most this many characters (default `DEFAULT_MAX_LENGTH`);
- `min`, `max`: for `number`, the allowed range (whole numbers);
- `not_future`: for `date`, a date after today is refused (a birth date);
- `default`: the answer shown when nothing else fills the field (e.g. "Việt Nam");
- `prefill`: one of `PREFILL_SOURCES`, filled from the applicant's account;
- `remember`: filled from the applicant's latest dossier of the same procedure (answers that do
  not change from one application to the next, e.g. the parents of a second child);
- `section`: a heading the field is grouped under (fields of one section follow each other).

Pure functions: `form_schema_problems` lists every problem in Vietnamese, `form_schema_clean`
returns the canonical form (known keys in a fixed order, defaults left out) or raises
`ValidationError`. The catalog importer, the admin and `Procedure.save` all use them.
"""

from __future__ import annotations

import re
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

FIELD_TYPES = ("text", "textarea", "date", "choice", "number", "phone", "personal_id", "place")
TEXT_TYPES = ("text", "textarea", "place")
PREFILL_SOURCES = (
    "person.full_name",
    "person.birth_date",
    "person.personal_id",
    "person.address",
    "person.phone",
    "person.email",
    "person.sex",
)
KEYS = (
    "key",
    "label",
    "type",
    "required",
    "choices",
    "help",
    "max_length",
    "min",
    "max",
    "not_future",
    "default",
    "prefill",
    "remember",
    "section",
)
DEFAULT_MAX_LENGTH = {"text": 255, "place": 255, "textarea": 2000}
MAX_FIELDS = 80
_KEY = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
_BOOLEANS = ("required", "not_future", "remember")
_STRINGS = {"label": 200, "help": 500, "default": 255, "section": 120}


def _where(index: int, raw: Any) -> str:
    key = raw.get("key") if isinstance(raw, dict) else None
    if isinstance(key, str) and key:
        return _("Trường thứ %(n)s (“%(key)s”)") % {"n": index, "key": key}
    return _("Trường thứ %(n)s") % {"n": index}


def _whole(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _field_problems(index: int, raw: Any, seen: set[str]) -> list[str]:
    where = _where(index, raw)
    if not isinstance(raw, dict):
        return [_("%(where)s phải là một đối tượng JSON.") % {"where": where}]
    problems = []
    unknown = sorted(str(k) for k in raw if k not in KEYS)
    if unknown:
        problems.append(
            _("%(where)s có khóa không dùng được: %(keys)s.") % {"where": where, "keys": ", ".join(unknown)}
        )
    key = raw.get("key")
    if not isinstance(key, str) or not _KEY.match(key):
        problems.append(
            _("%(where)s: mã trường (key) chỉ gồm chữ thường không dấu, số và dấu gạch dưới, bắt đầu bằng chữ.")
            % {"where": where}
        )
    elif key in seen:
        problems.append(_("%(where)s: mã trường “%(key)s” bị trùng.") % {"where": where, "key": key})
    else:
        seen.add(key)
    kind = raw.get("type")
    if kind not in FIELD_TYPES:
        problems.append(
            _("%(where)s: loại trường “%(type)s” không hợp lệ; dùng một trong: %(allowed)s.")
            % {"where": where, "type": kind, "allowed": ", ".join(FIELD_TYPES)}
        )
    label = raw.get("label")
    if not isinstance(label, str) or not label.strip():
        problems.append(_("%(where)s: phải có nhãn (label).") % {"where": where})
    for name, limit in _STRINGS.items():
        value = raw.get(name)
        if value is not None and (not isinstance(value, str) or len(value) > limit):
            problems.append(
                _("%(where)s: “%(name)s” phải là chuỗi không quá %(max)s ký tự.")
                % {"where": where, "name": name, "max": limit}
            )
    for name in _BOOLEANS:
        if name in raw and not isinstance(raw[name], bool):
            problems.append(_("%(where)s: “%(name)s” phải là true hoặc false.") % {"where": where, "name": name})
    choices = raw.get("choices")
    if kind == "choice":
        if (
            not isinstance(choices, list)
            or not choices
            or not all(isinstance(c, str) and c.strip() and len(c) <= 200 for c in choices)
        ):
            problems.append(
                _("%(where)s: trường lựa chọn phải có danh sách “choices” gồm các chuỗi không rỗng.") % {"where": where}
            )
        elif len(set(choices)) != len(choices):
            problems.append(_("%(where)s: danh sách lựa chọn có giá trị trùng.") % {"where": where})
    elif choices is not None:
        problems.append(_("%(where)s: chỉ trường lựa chọn (choice) mới có “choices”.") % {"where": where})
    max_length = raw.get("max_length")
    if max_length is not None and (
        kind not in TEXT_TYPES or not _whole(max_length) or not 1 <= max_length <= DEFAULT_MAX_LENGTH["textarea"]
    ):
        problems.append(
            _("%(where)s: “max_length” chỉ dùng cho trường chữ, là số nguyên từ 1 đến %(max)s.")
            % {"where": where, "max": DEFAULT_MAX_LENGTH["textarea"]}
        )
    for name in ("min", "max"):
        value = raw.get(name)
        if value is not None and (kind != "number" or not _whole(value) or abs(value) > 10**12):
            problems.append(
                _("%(where)s: “%(name)s” chỉ dùng cho trường số, là số nguyên.") % {"where": where, "name": name}
            )
    if _whole(raw.get("min")) and _whole(raw.get("max")) and raw["min"] > raw["max"]:
        problems.append(_("%(where)s: “min” lớn hơn “max”.") % {"where": where})
    if raw.get("not_future") and kind != "date":
        problems.append(_("%(where)s: “not_future” chỉ dùng cho trường ngày.") % {"where": where})
    prefill = raw.get("prefill")
    if prefill is not None and prefill not in PREFILL_SOURCES:
        problems.append(
            _("%(where)s: nguồn điền sẵn “%(source)s” không hợp lệ; dùng một trong: %(allowed)s.")
            % {"where": where, "source": prefill, "allowed": ", ".join(PREFILL_SOURCES)}
        )
    default = raw.get("default")
    if (
        isinstance(default, str)
        and default
        and kind == "choice"
        and isinstance(choices, list)
        and default not in choices
    ):
        problems.append(_("%(where)s: giá trị mặc định không có trong danh sách lựa chọn.") % {"where": where})
    return problems


def form_schema_problems(value: Any) -> list[str]:
    """Every problem of a form schema, in Vietnamese; empty when it can be used."""
    if value in (None, ""):
        return []
    if not isinstance(value, list):
        return [_("Tờ khai phải là một danh sách (JSON) các trường.")]
    if len(value) > MAX_FIELDS:
        return [_("Tờ khai có quá %(max)s trường.") % {"max": MAX_FIELDS}]
    seen: set[str] = set()
    problems: list[str] = []
    for index, raw in enumerate(value, start=1):
        problems.extend(_field_problems(index, raw, seen))
    return problems


def _canonical(raw: dict) -> dict:
    out: dict[str, Any] = {"key": raw["key"], "label": raw["label"].strip(), "type": raw["type"]}
    for name in KEYS[3:]:
        value = raw.get(name)
        if value is None or value is False or value == "":
            continue
        out[name] = value.strip() if isinstance(value, str) else value
    return out


def form_schema_clean(value: Any) -> list[dict]:
    """The canonical schema, or ValidationError listing every problem."""
    problems = form_schema_problems(value)
    if problems:
        raise ValidationError(problems, code="invalid_form_schema")
    return [_canonical(raw) for raw in value or []]


def validate_form_schema(value: Any) -> None:
    """Model field validator (the admin's form runs it)."""
    form_schema_clean(value)


def max_length_of(field: dict) -> int | None:
    return field.get("max_length") or DEFAULT_MAX_LENGTH.get(field["type"])
