"""Core endpoints: administrative units, the working-day calendar, identity and people."""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.security import django_auth

from motcua.core import calendar
from motcua.core.errors import DomainError
from motcua.core.identity import parse_chip_qr
from motcua.core.models import Era
from motcua.core.selectors import people as people_selectors
from motcua.core.selectors import units as unit_selectors
from motcua.schemas import ErrorOut

router = Router(tags=["Nền tảng"])


# --- Working-day calendar ---------------------------------------------------------------------

_START_HELP = (
    "Thời điểm bắt đầu, ISO 8601 (ví dụ 2026-04-24T16:00:00+07:00); không có múi giờ thì hiểu là giờ Việt Nam."
)


def _parse_moment(value: str, field: str) -> datetime.datetime:
    try:
        return datetime.datetime.fromisoformat(value.strip())
    except ValueError:
        raise DomainError(
            _("Thời điểm “%(value)s” không đúng định dạng ISO 8601 (ví dụ 2026-04-24T16:00:00+07:00).")
            % {"value": value[:40]},
            code=f"invalid_{field}",
            status=422,
        )


class AddWorkingDaysIn(Schema):
    start: str = Field(..., description=_START_HELP, examples=["2026-04-24T16:00:00+07:00"])
    days: Decimal = Field(..., ge=0, le=365, description="Số ngày làm việc, được lẻ (0.5), tối đa 365.")
    paper: bool = Field(False, description="Hồ sơ giấy: nhận sau giờ chốt (15:00) thì tính từ ngày làm việc kế tiếp.")
    office_hours: bool = Field(True, description="Chỉ tính thời gian trong giờ hành chính.")


class DeadlineOut(Schema):
    start: datetime.datetime
    effective_start: datetime.datetime = Field(..., description="Thời điểm bắt đầu tính thực tế.")
    days: float
    paper: bool
    office_hours: bool
    due_at: datetime.datetime
    working_dates: list[datetime.date] = Field(..., description="Các ngày làm việc được tính vào thời hạn.")


class WorkingDaysBetweenIn(Schema):
    start: str = Field(..., description=_START_HELP, examples=["2026-04-24T16:00:00+07:00"])
    end: str = Field(..., description="Thời điểm kết thúc, cùng định dạng với start.", examples=["2026-04-29T10:00:00"])
    office_hours: bool = Field(True, description="Chỉ tính thời gian trong giờ hành chính.")


class WorkingDaysBetweenOut(Schema):
    start: datetime.datetime
    end: datetime.datetime
    office_hours: bool
    working_days: float = Field(
        ..., description="Số ngày làm việc (tối đa 4 chữ số thập phân), âm nếu end trước start."
    )


@router.get(
    "/calendar/add-working-days",
    response={200: DeadlineOut, 422: ErrorOut},
    summary="Tính hạn theo ngày làm việc",
    description=(
        "Thời điểm sau `days` ngày làm việc kể từ `start` (nghỉ lễ, Tết, nghỉ bù, ngày hoán đổi đã tính). "
        "Với `office_hours` chỉ tính giờ hành chính; với `paper` hồ sơ giấy nhận sau giờ chốt (15:00) "
        "được tính từ đầu ngày làm việc kế tiếp; `days=0` là cuối ngày làm việc đó."
    ),
)
def calendar_add_working_days(request, params: Query[AddWorkingDaysIn]):
    deadline = calendar.compute_deadline(
        _parse_moment(params.start, "start"), params.days, paper=params.paper, office_hours=params.office_hours
    )
    return {
        "start": deadline.start,
        "effective_start": deadline.effective_start,
        "days": float(params.days),
        "paper": params.paper,
        "office_hours": params.office_hours,
        "due_at": deadline.due_at,
        "working_dates": list(deadline.working_dates),
    }


@router.get(
    "/calendar/working-days-between",
    response={200: WorkingDaysBetweenOut, 422: ErrorOut},
    summary="Số ngày làm việc giữa hai thời điểm",
    description="Thời gian làm việc từ `start` đến `end`, tính bằng ngày làm việc (âm nếu `end` trước `start`).",
)
def calendar_working_days_between(request, params: Query[WorkingDaysBetweenIn]):
    first, last = _parse_moment(params.start, "start"), _parse_moment(params.end, "end")
    amount = calendar.working_days_between(first, last, office_hours=params.office_hours)
    return {
        "start": calendar.as_local(first),
        "end": calendar.as_local(last),
        "office_hours": params.office_hours,
        "working_days": float(amount),
    }


# --- end of working-day calendar -----------------------------------------------------------------


# --- Administrative units (public data, no sign-in) ----------------------------------------------


class UnitRefOut(Schema):
    code: str
    name: str
    kind: str
    era: str


class UnitOut(Schema):
    code: str
    name: str
    kind: str = Field(..., description="province, city, commune, ward, special_zone, legacy_district, legacy_township")
    kind_label: str
    era: str = Field(..., description="2025: đơn vị hiện hành; legacy: đơn vị trước 01/7/2025")
    parent_code: str | None
    legacy_sources: list[UnitRefOut] = Field(
        ..., description="Với đơn vị hiện hành: các đơn vị cũ đã được sắp xếp vào đơn vị này."
    )
    successors: list[UnitRefOut] = Field(..., description="Với đơn vị cũ: các đơn vị hiện hành thay thế.")


def _unit_ref(unit) -> dict:
    return {"code": unit.code, "name": unit.name, "kind": unit.kind, "era": unit.era}


def _unit_out(unit) -> dict:
    by_code = lambda units: sorted(units, key=lambda u: u.code)  # noqa: E731
    return {
        "code": unit.code,
        "name": unit.name,
        "kind": unit.kind,
        "kind_label": str(unit.get_kind_display()),
        "era": unit.era,
        "parent_code": unit.parent.code if unit.parent_id else None,
        "legacy_sources": [_unit_ref(u) for u in by_code(unit.legacy_sources.all())],
        "successors": [_unit_ref(u) for u in by_code(unit.successors.all())],
    }


class UnitListIn(Schema):
    parent: str | None = Field(None, description="Mã đơn vị cha; bỏ trống để lấy các tỉnh, thành phố.")
    era: Era = Field(Era.CURRENT, description="2025 (hiện hành) hoặc legacy (trước 01/7/2025).")


@router.get(
    "/units",
    response={200: list[UnitOut], 404: ErrorOut, 422: ErrorOut},
    summary="Danh sách đơn vị hành chính",
    description=(
        "Không có `parent`: các tỉnh, thành phố của thời kỳ `era`. Có `parent`: các đơn vị trực thuộc. "
        "Mỗi đơn vị hiện hành kèm các đơn vị cũ đã sắp xếp vào nó."
    ),
)
def units_list(request, params: Query[UnitListIn]):
    units = unit_selectors.unit_list(parent_code=params.parent, era=params.era)
    return [_unit_out(u) for u in units]


@router.get(
    "/units/{code}",
    response={200: UnitOut, 404: ErrorOut, 422: ErrorOut},
    summary="Một đơn vị hành chính",
)
def units_get(request, code: str, era: Era = Era.CURRENT):
    return _unit_out(unit_selectors.unit_get(code=code, era=era))


# --- end of administrative units -----------------------------------------------------------------


# --- Identity and people (personal ID, chip-card QR, access-checked people) ---------------------


class ChipQrIn(Schema):
    text: str = Field(
        ...,
        max_length=2000,
        description="Chuỗi đọc từ mã QR trên thẻ căn cước gắn chip.",
        examples=["096085000123|381234567|Nguyễn Văn An|15061985|Nam|Ấp 1, xã Tân Thành, tỉnh Cà Mau|10082021"],
    )


class ChipCardOut(Schema):
    personal_id: str
    old_id: str
    full_name: str
    date_of_birth: datetime.date | None
    sex: str = Field(..., description='"M" nam, "F" nữ, "" nếu thẻ không ghi.')
    address: str
    issued_on: datetime.date | None


class PersonOut(Schema):
    id: int
    personal_id: str | None
    old_id: str
    full_name: str
    date_of_birth: datetime.date | None
    sex: str
    phone: str
    email: str
    address: str
    unit_code: str | None = None
    unit_name: str | None = None
    hamlet_name: str | None = None

    @staticmethod
    def resolve_unit_code(obj) -> str | None:
        return obj.unit.code if obj.unit_id else None

    @staticmethod
    def resolve_unit_name(obj) -> str | None:
        return obj.unit.name if obj.unit_id else None

    @staticmethod
    def resolve_hamlet_name(obj) -> str | None:
        return obj.hamlet.name if obj.hamlet_id else None


class PersonListOut(Schema):
    count: int
    items: list[PersonOut]


class PersonListIn(Schema):
    q: str = Field("", max_length=100, description="Họ tên (có dấu hoặc không), số định danh hoặc số điện thoại.")
    reason: str = Field(
        "",
        max_length=1000,
        description=(
            "Lý do tra cứu diện rộng (quản lý cấp tỉnh, quản trị): có lý do thì tìm trong toàn bộ công dân được phép "
            "tra cứu và lần tìm được ghi nhật ký; không có thì chỉ những công dân gắn với công việc của mình."
        ),
    )
    limit: int = Field(50, ge=1, le=200)
    offset: int = Field(0, ge=0)


@router.post(
    "/identity/chip-qr",
    response={200: ChipCardOut, 422: ErrorOut},
    summary="Đọc mã QR trên thẻ căn cước gắn chip",
    description="Tách chuỗi `số định danh|số CMND cũ|họ tên|ngày sinh|giới tính|địa chỉ|ngày cấp` thành các trường.",
)
def identity_chip_qr(request, payload: ChipQrIn):
    try:
        card = parse_chip_qr(payload.text)
    except DjangoValidationError as exc:
        raise DomainError(" ".join(exc.messages), code="invalid_chip_qr", status=422)
    return card.as_dict()


@router.get(
    "/people",
    auth=django_auth,
    response={200: PersonListOut, 401: ErrorOut, 403: ErrorOut, 422: ErrorOut},
    summary="Danh sách công dân được phép xem",
    description=(
        "Cán bộ thấy công dân gắn với việc cơ quan mình đang giải quyết (hồ sơ, phản ánh, hộ gia đình trên địa bàn) "
        "và cư dân xã mình công tác; công dân chỉ thấy chính mình. Quản lý cấp tỉnh, quản trị tìm rộng hơn khi nêu "
        "`reason` (ít nhất 10 ký tự; thiếu thì 403 `reason_required`)."
    ),
)
def people_list(request, params: Query[PersonListIn]):
    people = people_selectors.person_list_for(request.auth, q=params.q, reason=params.reason, via="api")
    return {"count": people.count(), "items": list(people[params.offset : params.offset + params.limit])}


@router.get(
    "/people/{person_id}",
    auth=django_auth,
    response={200: PersonOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="Một công dân",
    description=(
        "Trả 404 cả khi công dân nằm ngoài phạm vi được xem, để không lộ sự tồn tại. Quản lý cấp tỉnh, quản trị "
        "xem công dân ngoài công việc của mình phải nêu `reason` (403 `reason_required` nếu thiếu); mỗi lần xem "
        "được ghi nhật ký (ai, lúc nào, vì sao)."
    ),
)
def people_get(request, person_id: int, reason: str = Query("", max_length=1000)):
    return people_selectors.person_get_for(request.auth, person_id, reason=reason, via="api")


# --- end of identity and people ----------------------------------------------------------------
