"""What the national portal receives for one status change of one dossier (field names: docs/national-sync.md).

Built once, at enqueue time, from the dossier as it is in the transaction that changed it: the
message says what was true at that change, even if the dossier moves on before it is sent.
"""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

from motcua.dossiers.models import Channel, DocumentKind, Dossier, DossierStatus
from motcua.dossiers.models.status import NATIONAL_STATUS_CODE

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
DATE_FORMAT = "%Y%m%d%H%M%S"  # yyyyMMddHHmmss

# KenhThucHien: 1 in person at the desk, 2 online, 3 postal. An assisted submission (a community
# digital team member filing for a citizen, with consent) is made on the online service: 2.
CHANNEL_CODE = {Channel.COUNTER: 1, Channel.ONLINE: 2, Channel.POST: 3, Channel.ASSISTED: 2}

# LoaiDoiTuong: 1 citizen (công dân), 2 organisation (tổ chức, doanh nghiệp).
APPLICANT_CITIZEN = 1
APPLICANT_ORGANISATION = 2

# Payment requests that no longer ask for money are not reported as fees.
_CANCELLED = "cancelled"


def national_status(status: str) -> int | None:
    """The national code 1–10 for one of our statuses; None for a draft (never reported)."""
    return NATIONAL_STATUS_CODE.get(DossierStatus(status)) if status in DossierStatus.values else None


def vn_time(value: datetime.datetime | None) -> str:
    """`yyyyMMddHHmmss` in Vietnam time, '' for no date."""
    if value is None:
        return ""
    return value.astimezone(VIETNAM).strftime(DATE_FORMAT)


def applicant_kind(dossier: Dossier) -> int:
    return APPLICANT_ORGANISATION if dossier.applicant_organisation_id else APPLICANT_CITIZEN


def _fees(dossier: Dossier) -> list[dict]:
    # payments sits in a layer beside us; reverse relation only, so no import of its models.
    rows = []
    requests = getattr(dossier, "payment_requests", None)
    if requests is None:
        return rows
    for request in requests.exclude(status=_CANCELLED).order_by("id"):
        for item in request.items or []:
            rows.append(
                {
                    "TenPhiLePhi": str(item.get("name", ""))[:500],
                    "LoaiPhiLePhi": str(item.get("kind", "")),
                    "Gia": int(item.get("amount") or 0),
                    "MaThanhToan": request.reference,
                }
            )
        if not request.items:
            rows.append(
                {
                    "TenPhiLePhi": "",
                    "LoaiPhiLePhi": "",
                    "Gia": int(request.amount_due),
                    "MaThanhToan": request.reference,
                }
            )
    return rows


def _documents(dossier: Dossier, kinds) -> list:
    return list(dossier.documents.filter(kind__in=kinds).order_by("id").values("id", "name", "is_digitised"))


def build_payload(dossier: Dossier, *, status: str, changed_at: datetime.datetime, message_id: str, seq: int) -> dict:
    """One element of the `data` array sent to the synchronisation service."""
    procedure = dossier.procedure
    inputs = _documents(dossier, [DocumentKind.INPUT, DocumentKind.SUPPLEMENT, DocumentKind.FORM])
    results = _documents(dossier, [DocumentKind.RESULT])
    return {
        "MaGoiTin": message_id,
        "SoThuTu": seq,
        "MaHoSo": dossier.code or "",
        "MaTTHC": procedure.code,
        "TenTTHC": procedure.name,
        "DonViXuLy": (dossier.current_agency or dossier.receiving_agency).code,
        "CoQuanTiepNhan": dossier.receiving_agency.code,
        "KenhThucHien": CHANNEL_CODE.get(dossier.channel, 2),
        "LoaiDoiTuong": applicant_kind(dossier),
        "ChuHoSo": dossier.applicant_name,
        "SoGiayToChuHoSo": dossier.applicant_personal_id,
        "TrangThaiHoSo": national_status(status),
        "ThoiDiemCapNhat": vn_time(changed_at),
        "NgayNopHoSo": vn_time(dossier.submitted_at),
        "NgayTiepNhan": vn_time(dossier.received_at),
        "NgayHenTra": vn_time(dossier.apology_due_at or dossier.due_at),
        "NgayKetThucXuLy": vn_time(dossier.resolved_at),
        "NgayTra": vn_time(dossier.returned_at),
        "TaiLieuNop": [
            {"TepDinhKemId": str(d["id"]), "TenTepDinhKem": d["name"], "DuocSoHoa": 1 if d["is_digitised"] else 0}
            for d in inputs
        ],
        "DanhSachLePhi": _fees(dossier),
        "DanhSachGiayToKetQua": [{"GiayToId": str(d["id"]), "TenGiayTo": d["name"]} for d in results],
    }
