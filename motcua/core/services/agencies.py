"""Writes for agencies (cơ quan), their one-stop offices and counters.

Agency identifiers
------------------
Dossier codes start with the receiving agency's identifier from the national e-document
agency code list (format ``N4.N3.N2.N1``, e.g. ``000.00.20.H12``; ``H12`` is Cà Mau). That
list is not published in a machine-readable form we can ship, so `agency_code` makes
**demo codes, to be replaced with the official list** (edit them in the admin). The scheme is
deterministic and unique, so that dossier codes stay stable between demo runs:

* ``000.00.NN.<province>`` for provincial bodies, ``NN`` from `PROVINCE_AGENCIES`
  (``00`` is the People's Committee itself);
* ``<last 3 digits>.<first 2 digits>.20.<province>`` for a commune's People's Committee and
  ``….21.<province>`` for the commune police, the two parts being the 5-digit commune code
  (so ``32002`` → ``002.32.20.H12``).

The province part is ``H12`` for Cà Mau; other provinces get a placeholder ``T<code>`` until
their official prefix is entered in `PROVINCE_AGENCY_PREFIXES`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from motcua.core.errors import DomainError
from motcua.core.models import (
    COMMUNE_KINDS,
    Agency,
    AgencyKind,
    Counter,
    Era,
    OneStopOffice,
    Unit,
    User,
)
from motcua.core.transitions import audit_record

PROVINCE_AGENCY_PREFIXES = {96: "H12"}
COMMUNE_COMMITTEE_GROUP = 20
COMMUNE_POLICE_GROUP = 21
OPENING_HOURS = "Sáng 7:00–11:30, chiều 13:30–17:00, thứ Hai đến thứ Sáu"

# (group number, kind, name pattern, short name, counters in its one-stop office).
# Department names follow the 2025 reorganisation (Resolution 190/2025/QH15 and the decrees on
# provincial departments).
PROVINCE_AGENCIES: list[tuple[int, str, str, str, int]] = [
    (0, AgencyKind.PROVINCE_COMMITTEE, "Ủy ban nhân dân {province}", "UBND tỉnh", 0),
    (1, AgencyKind.PROVINCE_CENTRE, "Trung tâm Phục vụ hành chính công {province}", "Trung tâm PVHCC tỉnh", 6),
    (2, AgencyKind.DEPARTMENT, "Sở Tư pháp {province}", "Sở Tư pháp", 2),
    (3, AgencyKind.DEPARTMENT, "Sở Nông nghiệp và Môi trường {province}", "Sở NN&MT", 2),
    (4, AgencyKind.DEPARTMENT, "Sở Xây dựng {province}", "Sở Xây dựng", 2),
    (5, AgencyKind.DEPARTMENT, "Sở Công Thương {province}", "Sở Công Thương", 2),
    (6, AgencyKind.DEPARTMENT, "Sở Y tế {province}", "Sở Y tế", 2),
    (7, AgencyKind.DEPARTMENT, "Sở Nội vụ {province}", "Sở Nội vụ", 2),
    (8, AgencyKind.DEPARTMENT, "Sở Tài chính {province}", "Sở Tài chính", 2),
    (9, AgencyKind.DEPARTMENT, "Sở Giáo dục và Đào tạo {province}", "Sở GD&ĐT", 2),
    (10, AgencyKind.PROVINCE_POLICE, "Công an {province}", "Công an tỉnh", 2),
]
COMMUNE_COMMITTEE_COUNTERS = 3
COMMUNE_POLICE_COUNTERS = 1

_CODE_RE = re.compile(r"^[0-9A-Z]{1,4}(\.[0-9A-Z]{1,4}){1,4}$")


def province_agency_prefix(province_code: int | str) -> str:
    number = int(province_code)
    return PROVINCE_AGENCY_PREFIXES.get(number, f"T{number:02d}")


def agency_code(*, province_code: int | str, group: int, unit_code: str | None = None) -> str:
    """The demo agency identifier (see the module docstring for the scheme)."""
    prefix = province_agency_prefix(province_code)
    if unit_code is None:
        return f"000.00.{group:02d}.{prefix}"
    digits = f"{int(unit_code):05d}"
    return f"{digits[2:]}.{digits[:2]}.{group:02d}.{prefix}"


def _lower_first(name: str) -> str:
    # "Tỉnh Cà Mau" -> "tỉnh Cà Mau", to sit inside an agency name.
    return name[:1].lower() + name[1:]


@dataclass
class AgencySetupResult:
    agencies_created: int = 0
    offices_created: int = 0
    counters_created: int = 0


def agency_create(
    *,
    code: str,
    name: str,
    kind: str,
    unit: Unit,
    parent: Agency | None = None,
    short_name: str = "",
    address: str = "",
    phone: str = "",
    email: str = "",
    actor: User | None = None,
) -> Agency:
    """Create one agency; its code must be new and its unit current (not a legacy unit)."""
    code = agency_code_check(code)
    name = " ".join((name or "").split())
    if not name:
        raise DomainError(_("Cần nhập tên cơ quan."), code="agency_name_required")
    if kind not in AgencyKind.values:
        raise DomainError(_("Loại cơ quan không hợp lệ."), code="invalid_agency_kind")
    if unit.era != Era.CURRENT:
        raise DomainError(_("Cơ quan phải gắn với đơn vị hành chính hiện hành."), code="legacy_unit")
    with transaction.atomic():
        if Agency.objects.filter(code=code).exists():
            raise DomainError(_("Đã có cơ quan mang mã định danh %(code)s.") % {"code": code}, code="agency_code_taken")
        agency = Agency.objects.create(
            code=code,
            name=name,
            kind=kind,
            unit=unit,
            parent=parent,
            short_name=short_name,
            address=address,
            phone=phone,
            email=email,
        )
        audit_record(
            actor=actor,
            action="agency.create",
            obj=agency,
            data={"code": code, "name": name, "unit": unit.code},
        )
    return agency


def office_ensure(
    *, agency: Agency, name: str, address: str = "", phone: str = "", opening_hours: str = OPENING_HOURS
) -> tuple[OneStopOffice, bool]:
    """The agency's office of that name, created when missing (existing ones are left as edited)."""
    return OneStopOffice.objects.get_or_create(
        agency=agency, name=name, defaults={"address": address, "phone": phone, "opening_hours": opening_hours}
    )


def counter_ensure(*, office: OneStopOffice, number: int, name: str = "") -> tuple[Counter, bool]:
    return Counter.objects.get_or_create(office=office, number=number, defaults={"name": name or f"Quầy {number}"})


def _planned_agencies(province: Unit, communes: list[Unit]) -> list[dict]:
    """Every standard agency of a province as plain values, parents before children."""
    province_label = _lower_first(province.name)
    address = province.name
    planned: list[dict] = []
    for group, kind, pattern, short_name, counters in PROVINCE_AGENCIES:
        planned.append(
            {
                "code": agency_code(province_code=province.code, group=group),
                "name": pattern.format(province=province_label),
                "short_name": short_name,
                "kind": kind,
                "unit": province,
                "parent_group": None if group == 0 else ("province", 0),
                "group": group,
                "counters": counters,
                "address": address,
                "office": (
                    pattern.format(province=province_label)
                    if kind == AgencyKind.PROVINCE_CENTRE
                    else f"Bộ phận một cửa {short_name}"
                ),
            }
        )
    police_group = next(g for g, k, *_rest in PROVINCE_AGENCIES if k == AgencyKind.PROVINCE_POLICE)
    for commune in communes:
        commune_label = _lower_first(commune.name)
        commune_address = f"{commune.name}, {province.name}"
        planned.append(
            {
                "code": agency_code(province_code=province.code, group=COMMUNE_COMMITTEE_GROUP, unit_code=commune.code),
                "name": f"Ủy ban nhân dân {commune_label}",
                "short_name": f"UBND {commune_label}",
                "kind": AgencyKind.COMMUNE_COMMITTEE,
                "unit": commune,
                "parent_group": ("province", 0),
                "counters": COMMUNE_COMMITTEE_COUNTERS,
                "address": commune_address,
                "office": f"Trung tâm Phục vụ hành chính công {commune_label}",
            }
        )
        planned.append(
            {
                "code": agency_code(province_code=province.code, group=COMMUNE_POLICE_GROUP, unit_code=commune.code),
                "name": f"Công an {commune_label}",
                "short_name": f"CA {commune_label}",
                "kind": AgencyKind.COMMUNE_POLICE,
                "unit": commune,
                "parent_group": ("province", police_group),
                "counters": COMMUNE_POLICE_COUNTERS,
                "address": commune_address,
                "office": f"Bộ phận tiếp nhận Công an {commune_label}",
            }
        )
    return planned


def agencies_setup_province(*, province: Unit, actor: User | None = None) -> AgencySetupResult:
    """Ensure the standard agencies of a province and of each of its communes exist, each with
    a one-stop office and numbered counters: UBND tỉnh, the provincial service centre, the
    departments, provincial police; and per commune its People's Committee and police.

    Idempotent: existing agencies (matched by code), offices (by name) and counters (by number)
    are kept as they are, so edits made in the admin survive a re-run.
    """
    if province.era != Era.CURRENT or not province.is_province:
        raise DomainError(_("Cần chọn một tỉnh, thành phố hiện hành."), code="not_a_province")
    communes = list(Unit.objects.filter(parent=province, kind__in=COMMUNE_KINDS).order_by("code"))
    planned = _planned_agencies(province, communes)
    result = AgencySetupResult()
    with transaction.atomic():
        agencies = {a.code: a for a in Agency.objects.filter(code__in=[p["code"] for p in planned])}
        province_by_group: dict[int, Agency] = {}
        for plan in planned:
            agency = agencies.get(plan["code"])
            if agency is None:
                parent = province_by_group.get(plan["parent_group"][1]) if plan["parent_group"] else None
                agency = Agency.objects.create(
                    code=plan["code"],
                    name=plan["name"],
                    short_name=plan["short_name"],
                    kind=plan["kind"],
                    unit=plan["unit"],
                    parent=parent,
                    address=plan["address"],
                )
                agencies[agency.code] = agency
                result.agencies_created += 1
            if "group" in plan:
                province_by_group[plan["group"]] = agency

        offices = {(o.agency_id, o.name): o for o in OneStopOffice.objects.filter(agency__in=agencies.values())}
        counters = set(Counter.objects.filter(office__in=offices.values()).values_list("office_id", "number"))
        new_counters: list[Counter] = []
        for plan in planned:
            if not plan["counters"]:
                continue
            agency = agencies[plan["code"]]
            office = offices.get((agency.pk, plan["office"]))
            if office is None:
                office = OneStopOffice.objects.create(
                    agency=agency, name=plan["office"], address=plan["address"], opening_hours=OPENING_HOURS
                )
                offices[(agency.pk, office.name)] = office
                result.offices_created += 1
            for number in range(1, plan["counters"] + 1):
                if (office.pk, number) not in counters:
                    new_counters.append(Counter(office=office, number=number, name=f"Quầy {number}"))
        Counter.objects.bulk_create(new_counters, batch_size=500)
        result.counters_created = len(new_counters)
        if result.agencies_created or result.offices_created or result.counters_created:
            audit_record(
                actor=actor,
                action="agencies.setup_province",
                obj=province,
                data={
                    "agencies": result.agencies_created,
                    "offices": result.offices_created,
                    "counters": result.counters_created,
                },
            )
    return result


def agency_code_check(code: str) -> str:
    """The code cleaned (upper case, no spaces); DomainError when it is not of the dotted form."""
    cleaned = (code or "").strip().upper()
    if not _CODE_RE.match(cleaned):
        raise DomainError(_("Mã định danh cơ quan không đúng dạng (ví dụ 000.00.20.H12)."), code="invalid_agency_code")
    return cleaned


def agency_save(*, agency: Agency, actor: User | None = None) -> Agency:
    """Save an agency edited in the admin (new or changed) and record who did it."""
    agency.code = agency_code_check(agency.code)
    if agency.unit.era != Era.CURRENT:
        raise DomainError(_("Cơ quan phải gắn với đơn vị hành chính hiện hành."), code="legacy_unit")
    created = agency.pk is None
    with transaction.atomic():
        if Agency.objects.filter(code=agency.code).exclude(pk=agency.pk).exists():
            raise DomainError(
                _("Đã có cơ quan mang mã định danh %(code)s.") % {"code": agency.code}, code="agency_code_taken"
            )
        agency.save()
        audit_record(
            actor=actor,
            action="agency.create" if created else "agency.update",
            obj=agency,
            data={"code": agency.code, "name": agency.name, "unit": agency.unit.code},
        )
    return agency
