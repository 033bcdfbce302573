"""Writes for administrative units and hamlets.

Units come from `vietnam-provinces` (official codes); hamlets (ấp, khóm) are our own data,
imported from CSV. Both loaders are idempotent: running them twice leaves the same rows.
"""

from __future__ import annotations

import csv
import io
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TextIO

from django.db import transaction
from django.utils.translation import gettext as _

from motcua.core.errors import DomainError
from motcua.core.models import COMMUNE_KINDS, Era, Hamlet, HamletKind, Unit, UnitKind, User
from motcua.core.text import fold
from motcua.core.transitions import audit_record

# vietnam-provinces division types (their string values) -> our kinds.
_CURRENT_KINDS = {
    "tỉnh": UnitKind.PROVINCE,
    "thành phố trung ương": UnitKind.CITY,
    "xã": UnitKind.COMMUNE,
    "phường": UnitKind.WARD,
    "đặc khu": UnitKind.SPECIAL_ZONE,
}
_LEGACY_KINDS = {
    "tỉnh": UnitKind.PROVINCE,
    "thành phố trung ương": UnitKind.CITY,
    "huyện": UnitKind.LEGACY_DISTRICT,
    "quận": UnitKind.LEGACY_DISTRICT,
    "thành phố": UnitKind.LEGACY_DISTRICT,
    "thị xã": UnitKind.LEGACY_DISTRICT,
    "xã": UnitKind.COMMUNE,
    "thị trấn": UnitKind.LEGACY_TOWNSHIP,
    "phường": UnitKind.WARD,
}


def province_code(value: int) -> str:
    return f"{int(value):02d}"


def district_code(value: int) -> str:
    return f"{int(value):03d}"


def ward_code(value: int) -> str:
    return f"{int(value):05d}"


@dataclass
class UnitLoadResult:
    province: Unit
    created: int = 0
    updated: int = 0
    links_added: int = 0
    links_removed: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.links_added or self.links_removed)


@dataclass(frozen=True)
class _Row:
    era: str
    code: str
    name: str
    kind: str
    parent: tuple[str, str] | None


def _rows_for_province(code: int) -> tuple[list[list[_Row]], dict[str, list[str]], list[str]]:
    """Rows to upsert, level by level (parents first), and the current -> legacy links.

    Returns (levels, ward_links {current ward code: [legacy ward codes]}, legacy province codes).
    """
    from vietnam_provinces import Province, ProvinceCode, Ward
    from vietnam_provinces.legacy import District as LegacyDistrict
    from vietnam_provinces.legacy import Ward as LegacyWard

    try:
        province = Province.from_code(ProvinceCode(int(code)))
    except ValueError:
        raise DomainError(
            _("Không có tỉnh, thành phố mã %(code)s trong danh mục đơn vị hành chính.") % {"code": code},
            code="unknown_province",
        )

    current_key = (Era.CURRENT, province_code(province.code.value))
    levels: list[list[_Row]] = [[], [], []]
    levels[0].append(
        _Row(Era.CURRENT, current_key[1], province.name, _CURRENT_KINDS[str(province.division_type)], None)
    )
    ward_links: dict[str, list[str]] = {}
    legacy_provinces = {p.code.value: p for p in province.get_legacy_sources()}
    for ward in Ward.iter_by_province(province.code):
        levels[1].append(
            _Row(
                Era.CURRENT, ward_code(ward.code.value), ward.name, _CURRENT_KINDS[str(ward.division_type)], current_key
            )
        )
        sources = ward.get_legacy_sources()
        ward_links[ward_code(ward.code.value)] = [ward_code(s.code.value) for s in sources]
        # A partly merged legacy ward may come from a province not listed as a source: load it too.
        for source in sources:
            source_province = source.province_code
            if source_province.value not in legacy_provinces:
                from vietnam_provinces.legacy import Province as LegacyProvince

                legacy_provinces[source_province.value] = LegacyProvince.from_code(source_province)

    for legacy_province in sorted(legacy_provinces.values(), key=lambda p: p.code.value):
        lp_key = (Era.LEGACY, province_code(legacy_province.code.value))
        levels[0].append(
            _Row(Era.LEGACY, lp_key[1], legacy_province.name, _LEGACY_KINDS[str(legacy_province.division_type)], None)
        )
        for district in LegacyDistrict.iter_by_province(legacy_province.code):
            d_key = (Era.LEGACY, district_code(district.code.value))
            levels[1].append(
                _Row(Era.LEGACY, d_key[1], district.name, _LEGACY_KINDS[str(district.division_type)], lp_key)
            )
        for ward in LegacyWard.iter_by_province(legacy_province.code):
            levels[2].append(
                _Row(
                    Era.LEGACY,
                    ward_code(ward.code.value),
                    ward.name,
                    _LEGACY_KINDS[str(ward.division_type)],
                    (Era.LEGACY, district_code(ward.district_code.value)),
                )
            )
    return levels, ward_links, [province_code(c) for c in sorted(legacy_provinces)]


def _upsert_level(rows: list[_Row], ids: dict[tuple[str, str], int], result: UnitLoadResult) -> None:
    by_era: dict[str, list[str]] = {}
    for row in rows:
        by_era.setdefault(row.era, []).append(row.code)
    existing: dict[tuple[str, str], Unit] = {}
    for era, codes in by_era.items():
        for unit in Unit.objects.filter(era=era, code__in=codes):
            existing[(unit.era, unit.code)] = unit

    to_create: list[Unit] = []
    to_update: list[Unit] = []
    for row in rows:
        parent_id = ids[row.parent] if row.parent else None
        unit = existing.get((row.era, row.code))
        if unit is None:
            # bulk_create skips save(), so the folded name is set here.
            to_create.append(
                Unit(
                    era=row.era,
                    code=row.code,
                    name=row.name,
                    name_folded=fold(row.name),
                    kind=row.kind,
                    parent_id=parent_id,
                )
            )
        elif (unit.name, unit.kind, unit.parent_id) != (row.name, row.kind, parent_id):
            unit.name, unit.name_folded, unit.kind, unit.parent_id = row.name, fold(row.name), row.kind, parent_id
            to_update.append(unit)
        else:
            ids[(row.era, row.code)] = unit.pk
    if to_update:
        Unit.objects.bulk_update(to_update, ["name", "name_folded", "kind", "parent"], batch_size=500)
        ids.update({(u.era, u.code): u.pk for u in to_update})
        result.updated += len(to_update)
    if to_create:
        Unit.objects.bulk_create(to_create, batch_size=500)
        result.created += len(to_create)
        for era, codes in by_era.items():
            for pk, code in Unit.objects.filter(era=era, code__in=codes).values_list("pk", "code"):
                ids[(era, code)] = pk


def _sync_links(links: dict[int, set[int]], result: UnitLoadResult) -> None:
    """Make each current unit's legacy_sources exactly the given set."""
    through = Unit.legacy_sources.through
    current = {
        (from_id, to_id)
        for from_id, to_id in through.objects.filter(from_unit_id__in=links).values_list("from_unit_id", "to_unit_id")
    }
    wanted = {(from_id, to_id) for from_id, targets in links.items() for to_id in targets}
    stale = current - wanted
    missing = sorted(wanted - current)
    for from_id, to_id in stale:
        through.objects.filter(from_unit_id=from_id, to_unit_id=to_id).delete()
    through.objects.bulk_create([through(from_unit_id=f, to_unit_id=t) for f, t in missing], batch_size=500)
    result.links_added += len(missing)
    result.links_removed += len(stale)


def unit_load_province(*, code: int | str, actor: User | None = None) -> UnitLoadResult:
    """Load a current province, its communes and wards, and the legacy units they replaced.

    Legacy units keep their own province -> district -> ward tree (era "legacy"); each current
    commune's `legacy_sources` is set to the legacy wards merged into it, and the province's to
    the legacy provinces. Safe to run again: rows are updated in place, never duplicated.
    """
    try:
        numeric = int(str(code).strip())
    except ValueError:
        raise DomainError(_("Mã tỉnh phải là số, ví dụ 96."), code="invalid_province_code")
    levels, ward_links, legacy_province_codes = _rows_for_province(numeric)

    with transaction.atomic():
        ids: dict[tuple[str, str], int] = {}
        result = UnitLoadResult(province=None)  # type: ignore[arg-type]
        for rows in levels:
            _upsert_level(rows, ids, result)
        province_key = (Era.CURRENT, province_code(numeric))
        links = {
            ids[(Era.CURRENT, current)]: {ids[(Era.LEGACY, legacy)] for legacy in sources}
            for current, sources in ward_links.items()
        }
        links[ids[province_key]] = {ids[(Era.LEGACY, c)] for c in legacy_province_codes}
        _sync_links(links, result)
        result.province = Unit.objects.get(pk=ids[province_key])
        if result.changed:
            audit_record(
                actor=actor,
                action="units.load_province",
                obj=result.province,
                data={
                    "province": result.province.code,
                    "created": result.created,
                    "updated": result.updated,
                    "links_added": result.links_added,
                    "links_removed": result.links_removed,
                },
            )
    return result


# --- Hamlets -------------------------------------------------------------------------------

_HAMLET_KIND_WORDS = {
    "ap": HamletKind.AP,
    "khom": HamletKind.KHOM,
    "thon": HamletKind.THON,
    "to dan pho": HamletKind.TO_DAN_PHO,
}
_HEADER_ALIASES = {
    "unit_code": {"unit code", "unit", "ma don vi", "ma xa", "ma xa phuong", "don vi"},
    "kind": {"kind", "loai"},
    "name": {"name", "ten", "ten ap khom", "ten ap", "ten khom"},
    "code": {"code", "ma", "ma ap khom", "ma ap", "ma khom"},
}
_COLUMNS = ("unit_code", "kind", "name", "code")


@dataclass
class HamletImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rows: int = 0


@dataclass
class _HamletRow:
    line: int
    unit_code: str
    kind: str
    name: str
    code: str
    unit: Unit | None = None
    errors: list[dict] = field(default_factory=list)


def _clean(value: str | None) -> str:
    # Excel and some keyboards produce decomposed Vietnamese; store the composed form.
    return " ".join(unicodedata.normalize("NFC", value or "").split())


def _header_map(cells: list[str]) -> dict[str, int] | None:
    """Column positions when the first row is a header, else None (positional columns)."""
    folded = [fold(c).replace("_", " ") for c in cells]
    positions: dict[str, int] = {}
    for column, aliases in _HEADER_ALIASES.items():
        for index, cell in enumerate(folded):
            if cell in aliases or cell == column.replace("_", " "):
                positions[column] = index
                break
    return positions if "name" in positions and "unit_code" in positions else None


def _parse_hamlet_rows(source: TextIO | str) -> list[_HamletRow]:
    text = source if isinstance(source, str) else source.read()
    text = text.removeprefix("\ufeff")
    reader = csv.reader(io.StringIO(text))
    rows: list[_HamletRow] = []
    header: dict[str, int] | None = None
    for index, cells in enumerate(reader):
        line = index + 1
        if not any(c.strip() for c in cells):
            continue
        if index == 0:
            header = _header_map(cells)
            if header is not None:
                continue
        positions = header or {name: i for i, name in enumerate(_COLUMNS)}

        def cell(column: str, cells=cells, positions=positions) -> str:
            position = positions.get(column)
            return _clean(cells[position]) if position is not None and position < len(cells) else ""

        rows.append(_HamletRow(line, cell("unit_code"), cell("kind"), cell("name"), cell("code")))
    return rows


def _hamlet_kind(row: _HamletRow) -> str | None:
    if row.kind:
        folded = fold(row.kind)
        if row.kind in HamletKind.values:
            return row.kind
        return _HAMLET_KIND_WORDS.get(folded)
    # No kind given: the name usually says it ("Khóm 3"), else the unit's kind does.
    for word, kind in _HAMLET_KIND_WORDS.items():
        if fold(row.name).startswith(word + " "):
            return kind
    return HamletKind.KHOM if row.unit and row.unit.kind == UnitKind.WARD else HamletKind.AP


def _unit_code(raw: str) -> str:
    # Spreadsheets drop leading zeros of commune codes ("4" for "00004"); a 1–2 digit code is a
    # province code and is kept as typed so that it is reported as not a commune.
    return raw.zfill(5) if raw.isdigit() and len(raw) > 2 else raw


def _validate_hamlet_rows(rows: list[_HamletRow]) -> list[dict]:
    codes = {_unit_code(r.unit_code) for r in rows}
    units = {u.code: u for u in Unit.objects.filter(era=Era.CURRENT, code__in=codes)}
    errors: list[dict] = []
    seen_names: dict[tuple[str, str], int] = {}
    seen_codes: dict[tuple[str, str], int] = {}

    def error(row: _HamletRow, column: str, message: str) -> None:
        errors.append({"row": row.line, "column": column, "message": message})

    if not rows:
        errors.append({"row": 0, "column": "", "message": _("Tệp không có dòng dữ liệu nào.")})
    for row in rows:
        unit_code = _unit_code(row.unit_code)
        if not unit_code:
            error(row, "unit_code", _("Thiếu mã xã, phường."))
        else:
            row.unit = units.get(unit_code)
            if row.unit is None:
                error(row, "unit_code", _("Không có xã, phường mã %(code)s (đơn vị hiện hành).") % {"code": unit_code})
            elif row.unit.kind not in COMMUNE_KINDS:
                error(row, "unit_code", _("Mã %(code)s không phải xã, phường, đặc khu.") % {"code": unit_code})
            else:
                row.unit_code = unit_code
        if not row.name:
            error(row, "name", _("Thiếu tên ấp, khóm."))
        elif len(row.name) > Hamlet._meta.get_field("name").max_length:
            error(row, "name", _("Tên ấp, khóm quá dài."))
        if len(row.code) > Hamlet._meta.get_field("code").max_length:
            error(row, "code", _("Mã ấp, khóm quá dài."))
        kind = _hamlet_kind(row)
        if kind is None:
            error(
                row,
                "kind",
                _("Loại «%(kind)s» không hợp lệ: dùng ấp, khóm, thôn hoặc tổ dân phố.") % {"kind": row.kind},
            )
        else:
            row.kind = kind
        if row.unit_code and row.name:
            key = (row.unit_code, row.name.casefold())
            if key in seen_names:
                error(row, "name", _("Trùng tên với dòng %(line)s.") % {"line": seen_names[key]})
            seen_names.setdefault(key, row.line)
        if row.unit_code and row.code:
            key = (row.unit_code, row.code)
            if key in seen_codes:
                error(row, "code", _("Trùng mã với dòng %(line)s.") % {"line": seen_codes[key]})
            seen_codes.setdefault(key, row.line)
    return errors


def hamlet_import(*, source: TextIO | str, actor: User | None = None) -> HamletImportResult:
    """Import hamlets from CSV (columns: unit code, kind, name, code; a header row is optional).

    All or nothing: when any row is wrong, a DomainError lists every bad row
    (`details=[{"row", "column", "message"}]`) and nothing is written. Rows matching an existing
    hamlet (same unit and name) update it, so importing the same file twice changes nothing.
    """
    rows = _parse_hamlet_rows(source)
    errors = _validate_hamlet_rows(rows)
    if errors:
        raise DomainError(
            _("Tệp ấp, khóm có %(count)s lỗi; chưa ghi dòng nào.") % {"count": len(errors)},
            code="hamlet_import_invalid",
            details=errors,
        )
    result = HamletImportResult(rows=len(rows))
    with transaction.atomic():
        unit_ids = {row.unit.pk for row in rows}
        existing = {(h.unit_id, h.name): h for h in Hamlet.objects.select_for_update().filter(unit_id__in=unit_ids)}
        to_create: list[Hamlet] = []
        for row in rows:
            hamlet = existing.get((row.unit.pk, row.name))
            if hamlet is None:
                to_create.append(Hamlet(unit=row.unit, kind=row.kind, name=row.name, code=row.code))
            elif (hamlet.kind, hamlet.code, hamlet.is_demo) != (row.kind, row.code, False):
                # Imported data is real: it replaces a generated demo hamlet of the same name.
                hamlet.kind, hamlet.code, hamlet.is_demo = row.kind, row.code, False
                hamlet.save(update_fields=["kind", "code", "is_demo", "updated_at"])
                result.updated += 1
            else:
                result.unchanged += 1
        Hamlet.objects.bulk_create(to_create)
        result.created = len(to_create)
        if result.created or result.updated:
            audit_record(
                actor=actor,
                action="hamlets.import",
                object_type="hamlet",
                object_id="",
                data={"rows": result.rows, "created": result.created, "updated": result.updated},
            )
    return result


def hamlet_bulk_ensure(*, hamlets: Iterable[Hamlet]) -> int:
    """Create the given hamlets that do not exist yet (by unit and name); returns how many."""
    hamlets = list(hamlets)
    unit_ids = {h.unit_id for h in hamlets}
    existing = set(Hamlet.objects.filter(unit_id__in=unit_ids).values_list("unit_id", "name"))
    missing = [h for h in hamlets if (h.unit_id, h.name) not in existing]
    with transaction.atomic():
        Hamlet.objects.bulk_create(missing, batch_size=500)
    return len(missing)
