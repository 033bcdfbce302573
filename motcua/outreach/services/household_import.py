"""Households: CSV import (row-level errors, duplicate detection, all or nothing). Editing one
household is in `households.py`.

A row that matches a household already stored in the importer's area (same head personal ID,
or same folded head name and address) is reported as already present and skipped, so that
importing the same file twice changes nothing. A row that repeats another row of the same file,
or that matches a household outside the importer's area, is an error, and any error refuses the
whole file.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from motcua.core.errors import DomainError, NotFound
from motcua.core.identity import normalize_phone, validate_personal_id
from motcua.core.models import Hamlet, Person, Unit, User
from motcua.core.shortcuts import id_param
from motcua.core.text import fold
from motcua.core.transitions import audit_record

from ..models import Household, HouseholdMember
from ..progress.services import progress_households_recount
from ..selectors.area import outreach_area_for

MAX_IMPORT_BYTES = 5 * 1024 * 1024
MAX_IMPORT_ROWS = 20_000

# Folded header -> field. Headers are matched without accents, case or punctuation.
_HEADERS = {
    "ap khom": "hamlet",
    "ap": "hamlet",
    "khom": "hamlet",
    "hamlet": "hamlet",
    "ho ten chu ho": "head_name",
    "chu ho": "head_name",
    "head name": "head_name",
    "so dinh danh chu ho": "head_personal_id",
    "so dinh danh": "head_personal_id",
    "cccd": "head_personal_id",
    "personal id": "head_personal_id",
    "dia chi": "address",
    "address": "address",
    "so dien thoai": "phone",
    "dien thoai": "phone",
    "phone": "phone",
    "so nhan khau": "member_count",
    "nhan khau": "member_count",
    "ho kinh doanh": "is_business",
    "kinh doanh": "is_business",
    "thanh vien": "members",
    "members": "members",
}
_REQUIRED = ("hamlet", "head_name", "address")
_TRUE = {"1", "x", "co", "yes", "true", "c"}


@dataclass
class RowIssue:
    row: int
    field: str
    message: str

    def as_dict(self) -> dict:
        return {"row": self.row, "field": self.field, "message": self.message}


@dataclass
class ImportReport:
    created: int = 0
    members_created: int = 0
    existing: list[RowIssue] = field(default_factory=list)
    errors: list[RowIssue] = field(default_factory=list)


@dataclass
class _Row:
    number: int
    hamlet: Hamlet
    head_name: str
    head_personal_id: str | None
    address: str
    phone: str
    member_count: int
    is_business: bool
    members: list[dict]
    identity: str


def _decode(content: bytes | str) -> str:
    if isinstance(content, str):
        return content
    if len(content) > MAX_IMPORT_BYTES:
        raise DomainError(_("Tệp quá lớn (tối đa 5 MB)."), code="import_too_large", status=413)
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise DomainError(
            _("Tệp phải là CSV mã hóa UTF-8 (Excel: Lưu thành “CSV UTF-8”)."), code="import_encoding", status=422
        )


def _reader(text: str) -> tuple[list[str], list[list[str]]]:
    # Excel in Vietnamese locales saves with ";", elsewhere ","; the header line tells which.
    first_line = text.split("\n", 1)[0]
    delimiter = max((";", "\t", ","), key=first_line.count)
    rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    if not rows:
        raise DomainError(_("Tệp không có dữ liệu."), code="import_empty", status=422)
    header = [_HEADERS.get(fold(cell), "") for cell in rows[0]]
    missing = [name for name in _REQUIRED if name not in header]
    if missing:
        raise DomainError(
            _("Thiếu cột bắt buộc: ấp/khóm, họ tên chủ hộ, địa chỉ (dòng tiêu đề đầu tiên)."),
            code="import_missing_columns",
            status=422,
            details={"missing": missing},
        )
    if len(rows) - 1 > MAX_IMPORT_ROWS:
        raise DomainError(
            _("Tệp có quá nhiều dòng (tối đa %(n)d hộ mỗi lần).") % {"n": MAX_IMPORT_ROWS},
            code="import_too_many_rows",
            status=422,
        )
    return header, rows[1:]


def _clean_members(raw: str, number: int, errors: list[RowIssue]) -> list[dict]:
    """'Họ tên|số định danh|quan hệ|điện thoại; ...' — only the name is required."""
    members = []
    for part in filter(None, (p.strip() for p in (raw or "").split(";"))):
        name, personal_id, relation, phone = ([*[x.strip() for x in part.split("|")], "", "", ""])[:4]
        if not name:
            errors.append(RowIssue(number, "members", _("Thành viên thiếu họ tên.")))
            continue
        try:
            personal_id = validate_personal_id(personal_id) if personal_id else ""
            phone = normalize_phone(phone) if phone else ""
        except ValidationError as exc:
            errors.append(RowIssue(number, "members", f"{name}: {' '.join(exc.messages)}"))
            continue
        members.append(
            {"full_name": " ".join(name.split()), "personal_id": personal_id, "relation": relation[:40], "phone": phone}
        )
    return members


def _clean_row(values: dict, number: int, hamlets: dict[str, Hamlet], errors: list[RowIssue]) -> _Row | None:
    before = len(errors)
    hamlet = hamlets.get(fold(values.get("hamlet", "")))
    if hamlet is None:
        errors.append(RowIssue(number, "hamlet", _("Ấp, khóm không có trong địa bàn được phân công phụ trách.")))
    head_name = " ".join(values.get("head_name", "").split())
    if not head_name:
        errors.append(RowIssue(number, "head_name", _("Thiếu họ tên chủ hộ.")))
    address = " ".join(values.get("address", "").split())
    if not address:
        errors.append(RowIssue(number, "address", _("Thiếu địa chỉ.")))
    personal_id = None
    if values.get("head_personal_id", "").strip():
        try:
            personal_id = validate_personal_id(values["head_personal_id"])
        except ValidationError as exc:
            errors.append(RowIssue(number, "head_personal_id", " ".join(exc.messages)))
    phone = ""
    if values.get("phone", "").strip():
        try:
            phone = normalize_phone(values["phone"])
        except ValidationError as exc:
            errors.append(RowIssue(number, "phone", " ".join(exc.messages)))
    count_text = values.get("member_count", "").strip()
    member_count = 1
    if count_text:
        if (count := id_param(count_text)) is not None and 1 <= count <= 99:
            member_count = count
        else:
            errors.append(RowIssue(number, "member_count", _("Số nhân khẩu phải là số từ 1 đến 99.")))
    members = _clean_members(values.get("members", ""), number, errors)
    if len(errors) > before:
        return None
    return _Row(
        number=number,
        hamlet=hamlet,
        head_name=head_name[:120],
        head_personal_id=personal_id,
        address=address[:255],
        phone=phone,
        member_count=max(member_count, len(members) + 1),
        is_business=fold(values.get("is_business", "")) in _TRUE,
        members=members,
        identity=f"{fold(head_name)}|{fold(address)}",
    )


def _editable_hamlets(actor: User, unit: Unit) -> dict[str, Hamlet]:
    area = outreach_area_for(actor)
    hamlets = Hamlet.objects.filter(unit=unit)
    if not (area.everything or unit.pk in area.unit_ids):
        hamlets = hamlets.filter(pk__in=area.hamlet_ids)
    found: dict[str, Hamlet] = {}
    for hamlet in hamlets:
        found[fold(hamlet.name)] = hamlet
        if hamlet.code:
            found.setdefault(fold(hamlet.code), hamlet)
        # "Ấp 3" typed as "3": the name without its kind word is accepted too.
        bare = fold(hamlet.name).removeprefix("ap ").removeprefix("khom ")
        found.setdefault(bare, hamlet)
    if not found:
        raise NotFound(code="unit_not_found")
    return found


def _check_duplicates(rows: list[_Row], actor: User, report: ImportReport) -> list[_Row]:
    """Drop rows already stored in the actor's area; error on repeats in the file or outside the area."""
    seen_ids: dict[str, int] = {}
    seen_identity: dict[str, int] = {}
    for row in rows:
        first = (row.head_personal_id and seen_ids.get(row.head_personal_id)) or seen_identity.get(row.identity)
        if first:
            report.errors.append(
                RowIssue(row.number, "head_name", _("Trùng với hộ ở dòng %(row)d trong tệp.") % {"row": first})
            )
        if row.head_personal_id:
            seen_ids.setdefault(row.head_personal_id, row.number)
        seen_identity.setdefault(row.identity, row.number)
    ids = [r.head_personal_id for r in rows if r.head_personal_id]
    identities = [r.identity for r in rows]
    stored = list(
        Household.objects.filter(head_personal_id__in=ids).values(
            "pk", "unit_id", "hamlet_id", "head_personal_id", "identity_folded"
        )
    ) + list(
        Household.objects.filter(identity_folded__in=identities).values(
            "pk", "unit_id", "hamlet_id", "head_personal_id", "identity_folded"
        )
    )
    by_id = {h["head_personal_id"]: h for h in stored if h["head_personal_id"]}
    by_identity = {h["identity_folded"]: h for h in stored}
    area = outreach_area_for(actor)
    fresh = []
    for row in rows:
        match = (row.head_personal_id and by_id.get(row.head_personal_id)) or by_identity.get(row.identity)
        if match is None:
            fresh.append(row)
            continue
        visible = area.everything or match["unit_id"] in area.unit_ids or match["hamlet_id"] in area.hamlet_ids
        if visible:
            report.existing.append(RowIssue(row.number, "head_name", _("Hộ này đã có trong hệ thống, bỏ qua.")))
        else:
            report.errors.append(RowIssue(row.number, "head_personal_id", _("Hộ này đã được quản lý ở địa bàn khác.")))
    return fresh


def _people_by_id(rows: list[_Row]) -> dict[str, Person]:
    ids = {r.head_personal_id for r in rows if r.head_personal_id}
    ids |= {m["personal_id"] for r in rows for m in r.members if m["personal_id"]}
    return {p.personal_id: p for p in Person.objects.filter(personal_id__in=ids)}


def household_import_csv(*, actor: User, unit: Unit, content: bytes | str) -> ImportReport:
    """Import households of one commune from CSV. All or nothing: with any row error, nothing is
    written and DomainError(code="import_rows_invalid", details={"errors": [...]}) is raised."""
    hamlets = _editable_hamlets(actor, unit)
    header, raw_rows = _reader(_decode(content))
    report = ImportReport()
    rows = []
    for number, cells in enumerate(raw_rows, start=2):
        if not any(cell.strip() for cell in cells):
            continue
        values = {name: (cells[i] if i < len(cells) else "") for i, name in enumerate(header) if name}
        row = _clean_row(values, number, hamlets, report.errors)
        if row is not None:
            rows.append(row)
    fresh = _check_duplicates(rows, actor, report)
    if report.errors:
        report.errors.sort(key=lambda e: e.row)
        raise DomainError(
            _("Tệp có %(n)d lỗi; chưa nhập hộ nào. Sửa các dòng được chỉ ra rồi nhập lại.") % {"n": len(report.errors)},
            code="import_rows_invalid",
            status=422,
            details={"errors": [e.as_dict() for e in report.errors]},
        )
    people = _people_by_id(fresh)
    with transaction.atomic():
        for row in fresh:
            household = Household.objects.create(
                unit=unit,
                hamlet=row.hamlet,
                head=people.get(row.head_personal_id or ""),
                head_name=row.head_name,
                head_personal_id=row.head_personal_id,
                address=row.address,
                phone=row.phone,
                member_count=row.member_count,
                is_business=row.is_business,
            )
            members = [
                HouseholdMember(
                    household=household,
                    person=household.head,
                    full_name=row.head_name,
                    personal_id=row.head_personal_id or "",
                    phone=row.phone,
                    relation=_("Chủ hộ"),
                    is_head=True,
                )
            ] + [
                HouseholdMember(
                    household=household, person=people.get(m["personal_id"]) if m["personal_id"] else None, **m
                )
                for m in row.members
            ]
            HouseholdMember.objects.bulk_create(members)
            report.members_created += len(members)
        report.created = len(fresh)
        audit_record(
            actor=actor,
            action="outreach.households_imported",
            obj=unit,
            data={"created": report.created, "existing": len(report.existing)},
        )
        if report.created:
            progress_households_recount(unit=unit)
    return report
