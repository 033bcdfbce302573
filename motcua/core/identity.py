"""Citizen identity: personal ID checks, phone normalisation, tax codes, the chip-card QR.

Pure functions (no database): forms, services, the API and the assistant all share them.
Invalid input raises django's ValidationError with a Vietnamese message and a snake_case code.
"""

import datetime
import re
from dataclasses import asdict, dataclass

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.core.text import fold

# Place codes (first three digits of the personal ID): the province where the birth was
# registered, from the appendix of Circular 07/2016/TT-BCA, kept by Circular 59/2021/TT-BCA.
# They are the pre-2025 province codes; the 2025 merger did not renumber issued IDs, and each
# merged province kept one of these codes, so the list stays valid for new IDs too.
PLACE_CODES: dict[str, str] = {
    "001": "Hà Nội",
    "002": "Hà Giang",
    "004": "Cao Bằng",
    "006": "Bắc Kạn",
    "008": "Tuyên Quang",
    "010": "Lào Cai",
    "011": "Điện Biên",
    "012": "Lai Châu",
    "014": "Sơn La",
    "015": "Yên Bái",
    "017": "Hòa Bình",
    "019": "Thái Nguyên",
    "020": "Lạng Sơn",
    "022": "Quảng Ninh",
    "024": "Bắc Giang",
    "025": "Phú Thọ",
    "026": "Vĩnh Phúc",
    "027": "Bắc Ninh",
    "030": "Hải Dương",
    "031": "Hải Phòng",
    "033": "Hưng Yên",
    "034": "Thái Bình",
    "035": "Hà Nam",
    "036": "Nam Định",
    "037": "Ninh Bình",
    "038": "Thanh Hóa",
    "040": "Nghệ An",
    "042": "Hà Tĩnh",
    "044": "Quảng Bình",
    "045": "Quảng Trị",
    "046": "Thừa Thiên Huế",
    "048": "Đà Nẵng",
    "049": "Quảng Nam",
    "051": "Quảng Ngãi",
    "052": "Bình Định",
    "054": "Phú Yên",
    "056": "Khánh Hòa",
    "058": "Ninh Thuận",
    "060": "Bình Thuận",
    "062": "Kon Tum",
    "064": "Gia Lai",
    "066": "Đắk Lắk",
    "067": "Đắk Nông",
    "068": "Lâm Đồng",
    "070": "Bình Phước",
    "072": "Tây Ninh",
    "074": "Bình Dương",
    "075": "Đồng Nai",
    "077": "Bà Rịa - Vũng Tàu",
    "079": "Hồ Chí Minh",
    "080": "Long An",
    "082": "Tiền Giang",
    "083": "Bến Tre",
    "084": "Trà Vinh",
    "086": "Vĩnh Long",
    "087": "Đồng Tháp",
    "089": "An Giang",
    "091": "Kiên Giang",
    "092": "Cần Thơ",
    "093": "Hậu Giang",
    "094": "Sóc Trăng",
    "095": "Bạc Liêu",
    "096": "Cà Mau",
}

_SEPARATORS = re.compile(r"[\s.\-()]")
_TAX_WEIGHTS = (31, 29, 23, 19, 17, 13, 7, 5, 3)
_TAX_CODE = re.compile(r"^(\d{10})(?:-(\d{3}))?$")


def century_sex_digit(year: int, sex: str) -> str:
    """The fourth digit of a personal ID: 0/1 for the 1900s male/female, 2/3 for the 2000s, …"""
    century_index = year // 100 - 19
    return str(century_index * 2 + (1 if sex == "F" else 0))


def personal_id_birth(value: str) -> tuple[int, str]:
    """(birth year, sex "M"/"F") encoded in a well-formed personal ID."""
    digit = int(value[3])
    year = (19 + digit // 2) * 100 + int(value[4:6])
    return year, ("F" if digit % 2 else "M")


def validate_personal_id(
    value: str,
    *,
    date_of_birth: datetime.date | None = None,
    sex: str | None = None,
    today: datetime.date | None = None,
) -> str:
    """The 12-digit personal ID, stripped of spaces; checked against the birth date and sex when given.
    A birth year (from the century digit and the two year digits) after `today`'s year is refused;
    `today` defaults to the local date (Asia/Ho_Chi_Minh) and is a parameter so tests can fix it."""
    cleaned = re.sub(r"\s", "", value or "")
    if not (len(cleaned) == 12 and cleaned.isascii() and cleaned.isdigit()):
        raise ValidationError(_("Số định danh cá nhân phải gồm đúng 12 chữ số."), code="personal_id_format")
    if cleaned[:3] not in PLACE_CODES:
        raise ValidationError(
            _("Ba số đầu %(code)s không phải mã tỉnh, thành phố nơi đăng ký khai sinh."),
            code="personal_id_place",
            params={"code": cleaned[:3]},
        )
    year, encoded_sex = personal_id_birth(cleaned)
    today = today or timezone.localdate()
    if year > today.year:
        raise ValidationError(
            _("Số định danh cá nhân mang năm sinh %(year)d, sau năm hiện tại."),
            code="personal_id_future",
            params={"year": year},
        )
    if date_of_birth is not None and date_of_birth.year != year:
        raise ValidationError(
            _("Số định danh cá nhân không khớp với năm sinh %(year)d."),
            code="personal_id_year",
            params={"year": date_of_birth.year},
        )
    if sex in ("M", "F") and sex != encoded_sex:
        raise ValidationError(_("Số định danh cá nhân không khớp với giới tính."), code="personal_id_sex")
    return cleaned


_MOBILE_TYPES = (phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE)


def normalize_phone(raw: str) -> str:
    """A Vietnamese mobile number in its stored form, "0" + the 9-digit national number:
    '+84 912 345 678', '0084 912 345 678', '84.912.345.678', '0912345678' -> '0912345678'.
    Which ranges are valid mobile numbers is libphonenumber's metadata (`phonenumbers`, region VN),
    not a list kept here; raises ValidationError on anything else."""
    digits = _SEPARATORS.sub("", raw or "")
    if not digits.isascii() or not re.fullmatch(r"\+?\d+", digits):
        raise ValidationError(_("Số điện thoại di động phải gồm 10 chữ số, ví dụ 0912 345 678."), code="phone_format")
    if digits.startswith("0084"):
        digits = "+84" + digits[4:]
    elif digits.startswith("84") and len(digits) == 11:
        digits = "+" + digits
    national = digits[3:] if digits.startswith("+84") else digits[1:] if digits.startswith("0") else ""
    if digits.startswith("+") and not digits.startswith("+84"):
        raise ValidationError(_("Chỉ nhận số điện thoại di động Việt Nam (+84)."), code="phone_country")
    if len(national) != 9:
        raise ValidationError(_("Số điện thoại di động phải gồm 10 chữ số, ví dụ 0912 345 678."), code="phone_format")
    number = phonenumbers.parse("+84" + national)
    if not phonenumbers.is_valid_number(number) or phonenumbers.number_type(number) not in _MOBILE_TYPES:
        raise ValidationError(
            _("Đầu số %(prefix)s không phải đầu số di động Việt Nam."),
            code="phone_prefix",
            params={"prefix": "0" + national[:2]},
        )
    return "0" + str(number.national_number)


def normalize_phone_or_none(raw: str) -> str | None:
    """'+84 912 345 678' -> '0912345678'; None when it is not a Vietnamese mobile number."""
    try:
        return normalize_phone(raw)
    except ValidationError:
        return None


def tax_check_digit(first_nine: str) -> int | None:
    """The check digit of a tax code, or None for the remainder that is never issued."""
    check = 10 - sum(int(d) * w for d, w in zip(first_nine, _TAX_WEIGHTS, strict=True)) % 11
    return None if check == 10 else check


def validate_tax_code(value: str) -> str:
    """A tax code (mã số thuế): 10 digits with the check digit, or 10 digits + '-' + 3 for a branch."""
    cleaned = re.sub(r"\s", "", value or "")
    # Branch codes are often written without the dash on old paper forms.
    if len(cleaned) == 13 and cleaned.isdigit():
        cleaned = f"{cleaned[:10]}-{cleaned[10:]}"
    match = _TAX_CODE.match(cleaned) if cleaned.isascii() else None
    if not match:
        raise ValidationError(
            _("Mã số thuế phải gồm 10 chữ số, hoặc 10 chữ số, dấu gạch ngang và 3 chữ số cho chi nhánh."),
            code="tax_code_format",
        )
    main, branch = match.groups()
    if tax_check_digit(main[:9]) != int(main[9]):
        raise ValidationError(_("Mã số thuế không đúng (sai chữ số kiểm tra)."), code="tax_code_check")
    if branch == "000":
        raise ValidationError(_("Mã chi nhánh phải từ 001 đến 999."), code="tax_code_branch")
    return cleaned


@dataclass(frozen=True)
class ChipCardData:
    """What the QR code on a chip ID card (CCCD gắn chip) says."""

    personal_id: str
    old_id: str
    full_name: str
    date_of_birth: datetime.date | None
    sex: str  # "M", "F" or "" when the card did not say
    address: str
    issued_on: datetime.date | None

    def as_dict(self) -> dict:
        return asdict(self)


def _qr_date(text: str, label: str) -> datetime.date | None:
    if not text:
        return None
    if len(text) == 8 and text.isdigit():
        try:
            return datetime.date(int(text[4:]), int(text[2:4]), int(text[:2]))
        except ValueError:
            pass
    raise ValidationError(
        _("Mã QR có %(label)s không hợp lệ: %(value)s."),
        code="chip_qr_date",
        params={"label": label, "value": text[:20]},
    )


def _qr_sex(text: str) -> str:
    folded = fold(text)
    if folded in ("nam", "m", "male"):
        return "M"
    if folded in ("nu", "f", "female"):
        return "F"
    if not folded:
        return ""
    raise ValidationError(
        _("Mã QR có giới tính không hợp lệ: %(value)s."), code="chip_qr_sex", params={"value": text[:20]}
    )


def _looks_like_old_id(text: str) -> bool:
    # The old identity card number had 9 digits; some cards repeat the 12-digit number.
    return text == "" or (text.isdigit() and len(text) in (9, 12))


def parse_chip_qr(text: str, *, today: datetime.date | None = None) -> ChipCardData:
    """Parse `id|old id|name|DDMMYYYY|sex|address|DDMMYYYY` as scanners type it.

    Scanners add CR/LF and spaces; some cards leave the old id empty, some omit the field
    altogether, and older readers stop after the first fields: all of that is accepted.
    A birth date or issue date after `today` (default: the local date) is refused, and so is an
    issue date before the birth date.
    """
    today = today or timezone.localdate()
    cleaned = (text or "").replace("\r", "").replace("\n", "").strip()
    parts = [p.strip() for p in cleaned.split("|")]
    if len(parts) < 3:
        raise ValidationError(_("Chuỗi quét được không phải mã QR trên thẻ căn cước gắn chip."), code="chip_qr_format")
    personal_id = parts[0]
    rest = parts[1:]
    if not _looks_like_old_id(rest[0]):
        rest = ["", *rest]
    rest += [""] * (6 - len(rest))
    old_id, full_name, dob_text, sex_text, address, issued_text = rest[:6]
    if not full_name or any(ch.isdigit() for ch in full_name):
        raise ValidationError(_("Mã QR không có họ và tên hợp lệ."), code="chip_qr_name")
    date_of_birth = _qr_date(dob_text, _("ngày sinh"))
    issued_on = _qr_date(issued_text, _("ngày cấp"))
    if date_of_birth and date_of_birth > today:
        raise ValidationError(
            _("Mã QR có ngày sinh %(date)s sau ngày hôm nay."),
            code="chip_qr_future_birth",
            params={"date": f"{date_of_birth:%d/%m/%Y}"},
        )
    if issued_on and issued_on > today:
        raise ValidationError(
            _("Mã QR có ngày cấp %(date)s sau ngày hôm nay."),
            code="chip_qr_future_issue",
            params={"date": f"{issued_on:%d/%m/%Y}"},
        )
    if issued_on and date_of_birth and issued_on < date_of_birth:
        raise ValidationError(_("Mã QR có ngày cấp trước ngày sinh."), code="chip_qr_issue_before_birth")
    sex = _qr_sex(sex_text)
    try:
        personal_id = validate_personal_id(personal_id, date_of_birth=date_of_birth, sex=sex or None, today=today)
    except ValidationError as exc:
        raise ValidationError(
            _("Mã QR có số định danh không hợp lệ: %(reason)s"),
            code="chip_qr_personal_id",
            params={"reason": " ".join(exc.messages)},
        )
    return ChipCardData(
        personal_id=personal_id,
        old_id=old_id,
        full_name=" ".join(full_name.split()),
        date_of_birth=date_of_birth,
        sex=sex,
        address=" ".join(address.split()),
        issued_on=issued_on,
    )
