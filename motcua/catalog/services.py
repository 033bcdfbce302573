"""Writes to the procedure catalog.

`procedure_import` loads procedures from CSV or JSON (a province loading the national catalog's
export, or our shipped data): idempotent by national code, all-or-nothing, with a row-level
report. `procedure_export` writes the same layouts back out; an export re-imports unchanged.
"""

from __future__ import annotations

import datetime
import os
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

from django.db import DatabaseError, IntegrityError, transaction
from django.db.models import Max, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.core.models import User
from motcua.core.text import fold
from motcua.core.transitions import audit_record

from .models import FeeItem, Field, Procedure, RequiredDocument
from .rowcheck import DOCUMENT_KEYS, FEE_KEYS, TEXT_COLUMNS, FieldSpec, RowError
from .search import build_search_text, search_index_invalidate
from .transfer import parse_catalog, read_file, to_csv, to_json

Format = Literal["json", "csv"]
# Codes we ship before the official national code is confirmed (see docs/catalog-import.md).
PROVISIONAL_PREFIX = "TAM."
SHIPPED_CATALOG = Path(__file__).resolve().parent / "data" / "procedures.json"
_SCALARS = (
    "key",
    *TEXT_COLUMNS,
    "level",
    "agency_kind",
    "online_level",
    "time_limit_days",
    "on_the_spot",
    "result_signature",
    "is_active",
    "valid_from",
    "legal_basis",
    "steps",
    "form_schema",
)

__all__ = [
    "SHIPPED_CATALOG",
    "ImportChange",
    "ImportReport",
    "RowError",
    "procedure_admin_saved",
    "procedure_export",
    "procedure_import",
    "procedure_record",
]


@dataclass(frozen=True)
class ImportChange:
    code: str
    name: str
    action: Literal["created", "updated", "unchanged"]
    # Which columns differ from what was stored (for "updated").
    changed: tuple[str, ...] = ()


@dataclass
class ImportReport:
    format: str
    dry_run: bool = False
    changes: list[ImportChange] = field(default_factory=list)
    fields_created: list[str] = field(default_factory=list)
    fields_updated: list[str] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def _codes(self, action: str) -> list[str]:
        return [c.code for c in self.changes if c.action == action]

    @property
    def created(self) -> list[str]:
        return self._codes("created")

    @property
    def updated(self) -> list[str]:
        return self._codes("updated")

    @property
    def unchanged(self) -> list[str]:
        return self._codes("unchanged")

    @property
    def has_changes(self) -> bool:
        return bool(self.created or self.updated or self.fields_created or self.fields_updated)

    def summary(self) -> str:
        if not self.ok:
            return _("Không nhập được: %(n)s lỗi, không có dữ liệu nào được ghi.") % {"n": len(self.errors)}
        return _("Thêm mới %(c)s, cập nhật %(u)s, không đổi %(s)s thủ tục; thêm %(f)s lĩnh vực.") % {
            "c": len(self.created),
            "u": len(self.updated),
            "s": len(self.unchanged),
            "f": len(self.fields_created),
        }


class _Rollback(Exception):
    """Raised inside the transaction to undo it (errors found late, or a dry run)."""


def procedure_import(
    *,
    rows: list[dict] | dict | None = None,
    file: Any = None,
    format: Format = "json",
    actor: User | None = None,
    dry_run: bool = False,
) -> ImportReport:
    """Create or update procedures by national code from `rows` (parsed JSON-shaped records) or
    `file` (bytes, text, a path or a file object in `format`).

    All-or-nothing: if any row is wrong nothing is written and `report.errors` lists every bad
    row. Documents and fees of an updated procedure are replaced. Procedures absent from the
    file are left as they are. `dry_run` checks and reports changes without keeping them.
    """
    report = ImportReport(format=format, dry_run=dry_run)
    if (rows is None) == (file is None):
        raise ValueError("give exactly one of rows or file")
    if rows is not None:
        content, errors = rows, []
    else:
        if isinstance(file, os.PathLike):
            file = Path(file).read_bytes()
        content, errors = read_file(file, format)
    if errors:
        report.errors = errors
        return report
    parsed = parse_catalog(content, format if file is not None else "json")
    report.warnings = parsed.warnings
    if parsed.errors:
        report.errors = parsed.errors
        return report
    try:
        with transaction.atomic():
            _write(parsed.fields, parsed.records, report)
            if report.errors:
                raise _Rollback
            audit_record(
                actor=actor,
                action="catalog.procedures_imported",
                object_type="catalog.Procedure",
                object_id="import",
                data={
                    "format": format,
                    "created": report.created,
                    "updated": report.updated,
                    "unchanged": len(report.unchanged),
                    "fields_created": report.fields_created,
                },
            )
            if dry_run:
                raise _Rollback
            transaction.on_commit(search_index_invalidate)
    except _Rollback:
        pass
    except (IntegrityError, DatabaseError) as exc:
        # A race with another writer or a constraint we do not check up front: nothing is kept.
        report.errors.append(
            RowError(0, "", "", _("Lỗi cơ sở dữ liệu, không có dữ liệu nào được ghi: %(msg)s") % {"msg": exc})
        )
    if report.errors:
        report.changes, report.fields_created, report.fields_updated = [], [], []
    return report


def _write(specs: dict[str, FieldSpec], records: list[tuple[int, dict]], report: ImportReport) -> None:
    fields = _ensure_fields(specs, report)
    if report.errors:
        return
    codes = [r["code"] for _n, r in records]
    existing = {
        p.code: p
        for p in Procedure.objects.select_for_update(of=("self",))
        .select_related("field")
        .prefetch_related("documents", "fees")
        .filter(code__in=codes)
    }
    _match_provisional(records, existing, codes)
    _fill_missing_keys(records, existing)
    holders = dict(
        Procedure.objects.filter(key__in=[r["key"] for _n, r in records])
        .exclude(pk__in=[p.pk for p in existing.values()])
        .values_list("key", "code")
    )
    for number, record in records:
        if record["key"] in holders:
            report.errors.append(
                RowError(
                    number,
                    record["code"],
                    "key",
                    _("Mã ngắn “%(key)s” đã dùng cho thủ tục %(other)s.")
                    % {"key": record["key"], "other": holders[record["key"]]},
                )
            )
    if report.errors:
        return
    # A key may move from one procedure of this file to another: free the old keys first so
    # the unique constraint never sees two rows holding one key mid-import.
    new_keys = {r["code"]: r["key"] for _n, r in records}
    for code, p in existing.items():
        if p.key != new_keys[code]:
            Procedure.objects.filter(pk=p.pk).update(key=f"~{p.pk}")
    for _number, record in records:
        report.changes.append(_save_procedure(record, fields[record["field"]], existing.get(record["code"])))


def _match_provisional(records: list[tuple[int, dict]], existing: dict[str, Procedure], codes: list[str]) -> None:
    """A procedure stored under a provisional code ("TAM.…") takes the official code of the
    file's procedure with the same key (or, for files without keys, the same exact name), so
    that loading the national catalog later upgrades it in place instead of duplicating it."""
    new = [r for _n, r in records if r["code"] not in existing]
    if not new:
        return
    candidates = list(
        Procedure.objects.select_for_update(of=("self",))
        .select_related("field")
        .prefetch_related("documents", "fees")
        .filter(code__startswith=PROVISIONAL_PREFIX)
        .exclude(code__in=codes)
    )
    by_key = {p.key: p for p in candidates}
    by_name: dict[str, list[Procedure]] = {}
    for p in candidates:
        by_name.setdefault(p.name, []).append(p)
    claimed: set[int] = set()
    for record in new:
        match = by_key.get(record["key"]) if record["key"] else None
        if match is None and not record["key"] and len(by_name.get(record["name"], [])) == 1:
            match = by_name[record["name"]][0]
        if match is not None and match.pk not in claimed:
            claimed.add(match.pk)
            existing[record["code"]] = match


def _fill_missing_keys(records: list[tuple[int, dict]], existing: dict[str, Procedure]) -> None:
    """A national export has no short keys: keep the stored one, or derive one from the name."""
    missing = [r for _n, r in records if not r["key"]]
    if not missing:
        return
    explicit = {r["key"] for _n, r in records if r["key"]}
    taken = set(Procedure.objects.values_list("key", flat=True)) | explicit
    for record in missing:
        current = existing.get(record["code"])
        if current is not None and current.key not in explicit:
            record["key"] = current.key
        else:
            record["key"] = _free_slug(record["name"], taken)
        taken.add(record["key"])


def _ensure_fields(specs: dict[str, FieldSpec], report: ImportReport) -> dict[str, Field]:
    fields = {f.name: f for f in Field.objects.filter(name__in=list(specs))}
    taken = set(Field.objects.values_list("slug", flat=True))
    next_order = (Field.objects.aggregate(m=Max("order"))["m"] or 0) + 1
    for name, spec in specs.items():
        current = fields.get(name)
        if current is not None:
            if spec.order is not None and current.order != spec.order:
                current.order = spec.order
                current.save(update_fields=["order", "updated_at"])
                report.fields_updated.append(name)
            continue
        slug = spec.slug or _free_slug(name, taken)
        if slug in taken:
            report.errors.append(
                RowError(0, "", "fields", _("Mã lĩnh vực “%(slug)s” đã dùng cho lĩnh vực khác.") % {"slug": slug})
            )
            continue
        taken.add(slug)
        order = spec.order if spec.order is not None else next_order
        next_order = max(next_order, order) + 1
        fields[name] = Field.objects.create(name=name, slug=slug, order=order)
        report.fields_created.append(name)
    return fields


def _free_slug(name: str, taken: set[str], *, limit: int = 64) -> str:
    base = (fold(name).replace(" ", "-") or "muc")[: limit - 4].strip("-")
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


def _save_procedure(record: dict, field_obj: Field, procedure: Procedure | None) -> ImportChange:
    if record.get("form_schema") is None:
        # The file has no form column: keep the stored form (an administrator may have written it).
        record["form_schema"] = list(procedure.form_schema or []) if procedure is not None else []
    if procedure is not None:
        stored = procedure_record(procedure)
        changed = tuple(k for k in ("code", "field", *_SCALARS, "documents", "fees") if stored[k] != record[k])
        if not changed:
            _refresh_search_text(procedure)
            return ImportChange(record["code"], record["name"], "unchanged")
        action = "updated"
    else:
        procedure, changed, action = Procedure(code=record["code"]), (), "created"
    for attr in ("code", *_SCALARS):
        setattr(procedure, attr, record[attr])
    procedure.field = field_obj
    procedure.save()
    if action == "created" or "documents" in changed:
        procedure.documents.all().delete()
        RequiredDocument.objects.bulk_create(
            RequiredDocument(procedure=procedure, order=i, **doc) for i, doc in enumerate(record["documents"], start=1)
        )
    if action == "created" or "fees" in changed:
        procedure.fees.all().delete()
        FeeItem.objects.bulk_create(
            FeeItem(procedure=procedure, order=i, **fee) for i, fee in enumerate(record["fees"], start=1)
        )
    # The prefetched lists are stale now; whatever reads them next must see the new rows.
    getattr(procedure, "_prefetched_objects_cache", {}).clear()
    _refresh_search_text(procedure)
    return ImportChange(record["code"], record["name"], action, changed)


def _refresh_search_text(procedure: Procedure) -> None:
    # search.py decides what is searchable; keep the stored copy in step even for unchanged rows.
    text = build_search_text(procedure)
    if text != procedure.search_text:
        procedure.search_text = text
        # updated_at moves too, so that search indexes built from the table notice the change.
        Procedure.objects.filter(pk=procedure.pk).update(search_text=text, updated_at=timezone.now())


def procedure_admin_saved(*, procedure: Procedure, actor: User | None, created: bool) -> None:
    """After the admin form saved a procedure and its inlines: refresh search text, audit it."""
    with transaction.atomic():
        _refresh_search_text(procedure)
        audit_record(
            actor=actor,
            action="catalog.procedure_created" if created else "catalog.procedure_changed",
            object_type="catalog.Procedure",
            object_id=str(procedure.pk),
            data={"code": procedure.code, "via": "admin"},
        )


def procedure_record(procedure: Procedure) -> dict[str, Any]:
    """The import/export shape of a stored procedure (what a JSON file holds for it)."""
    record: dict[str, Any] = {"code": procedure.code, "field": procedure.field.name}
    for attr in _SCALARS:
        record[attr] = getattr(procedure, attr)
    record["time_limit_days"] = Decimal(record["time_limit_days"]).quantize(Decimal("0.1"))
    record["legal_basis"] = list(record["legal_basis"] or [])
    record["steps"] = list(record["steps"] or [])
    record["form_schema"] = list(record["form_schema"] or [])
    record["documents"] = [{k: getattr(d, k) for k in DOCUMENT_KEYS} for d in procedure.documents.all()]
    record["fees"] = [
        {k: (v.isoformat() if isinstance(v := getattr(f, k), datetime.date) else v) for k in FEE_KEYS}
        for f in procedure.fees.all()
    ]
    return record


def procedure_export(*, format: Format = "json", queryset: QuerySet[Procedure] | None = None) -> str | bytes:
    """The catalog (or `queryset`) as JSON text or CSV bytes (UTF-8 with BOM), re-importable."""
    qs = (
        (queryset if queryset is not None else Procedure.objects.all())
        .select_related("field")
        .prefetch_related("documents", "fees")
        .order_by("field__order", "field__name", "code")
    )
    procedures = list(qs)
    used = {p.field_id: p.field for p in procedures}
    fields = [
        {"name": f.name, "slug": f.slug, "order": f.order}
        for f in sorted(used.values(), key=lambda f: (f.order, f.name))
    ]
    order = ("code", "key", "name", "field", "level", "agency_kind", "agency_note", "time_limit_days",
             "time_limit_text", "on_the_spot", "online_level", "result_type", "result_signature", "applicants",
             "requirements", "documents", "fee_text", "fees", "legal_basis", "steps", "valid_from", "keywords", "check_notes",
             "is_active", "form_schema")  # fmt: skip
    records = []
    for p in procedures:
        full = procedure_record(p)
        records.append({k: full[k] for k in order})
    if format == "csv":
        return to_csv(fields, records)
    if format == "json":
        return to_json(fields, records)
    raise ValueError(f"unknown format {format!r}")
