import datetime

import pytest
from django.core.exceptions import ValidationError

from motcua.core.identity import (
    PLACE_CODES,
    normalize_phone,
    normalize_phone_or_none,
    parse_chip_qr,
    validate_personal_id,
    validate_tax_code,
)

# --- personal ID ------------------------------------------------------------------------------


def test_place_codes_are_the_63_legacy_provinces():
    assert len(PLACE_CODES) == 63
    assert PLACE_CODES["001"] == "Hà Nội"
    assert PLACE_CODES["079"] == "Hồ Chí Minh"
    assert PLACE_CODES["096"] == "Cà Mau"
    assert "003" not in PLACE_CODES and "097" not in PLACE_CODES


@pytest.mark.parametrize(
    ("value", "dob", "sex"),
    [
        ("096085000123", datetime.date(1985, 6, 15), "M"),  # 0: male, 1900s
        ("096185000123", datetime.date(1985, 6, 15), "F"),  # 1: female, 1900s
        ("001205000001", datetime.date(2005, 1, 2), "M"),  # 2: male, 2000s
        ("079324000001", datetime.date(2024, 3, 4), "F"),  # 3: female, 2000s
        ("095400000001", datetime.date(2100, 1, 1), "M"),  # 4: male, 2100s
    ],
)
def test_personal_id_agrees_with_birth_year_and_sex(value, dob, sex):
    # "Today" is the birth date itself: a birth year in the future is refused (see below).
    assert validate_personal_id(value, date_of_birth=dob, sex=sex, today=dob) == value


def test_personal_id_spaces_are_removed():
    assert validate_personal_id(" 096 085 000 123 ") == "096085000123"


@pytest.mark.parametrize(
    "value", ["", "09608500012", "0960850001234", "09608500012a", "096085-000123", "０９６０８５０００１２３"]
)
def test_personal_id_must_be_twelve_digits(value):
    with pytest.raises(ValidationError) as exc:
        validate_personal_id(value)
    assert exc.value.code == "personal_id_format"
    assert "12 chữ số" in exc.value.messages[0]


@pytest.mark.parametrize("place", ["000", "003", "050", "097", "099"])
def test_personal_id_place_code_must_be_a_province(place):
    with pytest.raises(ValidationError) as exc:
        validate_personal_id(f"{place}085000123")
    assert exc.value.code == "personal_id_place"
    assert place in exc.value.messages[0]


def test_personal_id_birth_year_mismatch():
    with pytest.raises(ValidationError) as exc:
        validate_personal_id("096085000123", date_of_birth=datetime.date(1986, 6, 15))
    assert exc.value.code == "personal_id_year"


def test_personal_id_century_mismatch():
    # Same two-digit year, wrong century: digit 0 means the 1900s, not 2085.
    with pytest.raises(ValidationError) as exc:
        validate_personal_id("096085000123", date_of_birth=datetime.date(2085, 6, 15))
    assert exc.value.code == "personal_id_year"


def test_personal_id_birth_year_this_year_is_accepted_next_year_refused():
    today = datetime.date(2026, 12, 7)
    # Century digit 2/3 = the 2000s: 26 is this year, 27 next year.
    assert validate_personal_id("096226000001", today=today) == "096226000001"
    assert validate_personal_id("096225000001", today=today) == "096225000001"
    with pytest.raises(ValidationError) as exc:
        validate_personal_id("096227000001", today=today)
    assert exc.value.code == "personal_id_future"
    assert "2027" in exc.value.messages[0]
    # Century digit 4 = the 2100s: always in the future today.
    with pytest.raises(ValidationError) as far:
        validate_personal_id("096400000001", today=today)
    assert far.value.code == "personal_id_future"
    # On 1 January 2027 the 2027 birth year becomes possible.
    assert validate_personal_id("096227000001", today=datetime.date(2027, 1, 1)) == "096227000001"


def test_personal_id_sex_mismatch():
    with pytest.raises(ValidationError) as exc:
        validate_personal_id("096085000123", sex="F")
    assert exc.value.code == "personal_id_sex"
    assert "giới tính" in exc.value.messages[0]


# --- phone ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw",
    [
        "0912345678",
        "+84912345678",
        "+84 912 345 678",
        "84912345678",
        "84 912.345.678",
        "0912.345.678",
        "(091) 234-5678",
    ],
)
def test_phone_forms_normalise_to_domestic(raw):
    assert normalize_phone(raw) == "0912345678"


@pytest.mark.parametrize("prefix", ["030", "031", "051", "095", "032", "039", "056", "070", "086", "089", "091", "099"])
def test_mobile_ranges_come_from_libphonenumber(prefix):
    # 030, 031, 051 and 095 were refused by the old hand-kept prefix list; libphonenumber says valid.
    assert normalize_phone(prefix + "9234567") == prefix + "9234567"


@pytest.mark.parametrize(
    "raw", ["0084912345678", "0084 912 345 678", "+84 912 345 678", "84912345678", "(+84) 912-345-678"]
)
def test_international_forms_are_stored_in_the_domestic_form(raw):
    assert normalize_phone(raw) == "0912345678"


def test_a_foreign_number_is_refused():
    with pytest.raises(ValidationError) as exc:
        normalize_phone("+1 912 345 678")
    assert exc.value.code == "phone_country"


@pytest.mark.parametrize("prefix", ["020", "024", "028", "050", "053", "057", "071", "080", "016"])
def test_phone_bad_prefixes_are_refused(prefix):
    with pytest.raises(ValidationError) as exc:
        normalize_phone(prefix + "1234567")
    assert exc.value.code == "phone_prefix"
    assert prefix in exc.value.messages[0]


def test_a_range_libphonenumber_does_not_list_is_refused():
    # 089 is a mobile prefix, but 0890… is not an allocated range in libphonenumber's metadata.
    with pytest.raises(ValidationError) as exc:
        normalize_phone("0890234567")
    assert exc.value.code == "phone_prefix"


@pytest.mark.parametrize("raw", ["", "091234567", "09123456789", "+8491234567", "0912abc678", "01234567890"])
def test_phone_wrong_length_or_letters_refused(raw):
    with pytest.raises(ValidationError) as exc:
        normalize_phone(raw)
    assert exc.value.code == "phone_format"
    assert normalize_phone_or_none(raw) is None


def test_normalize_phone_or_none_keeps_working():
    assert normalize_phone_or_none("+84 86 123 4567") == "0861234567"
    assert normalize_phone_or_none("0241234567") is None


# --- tax code ---------------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["0100109106", "0101248141", "0314409058", "0314409058-002", " 0100109106 "])
def test_tax_codes_with_correct_check_digit(value):
    assert validate_tax_code(value) == value.strip()


def test_tax_code_branch_without_dash_is_normalised():
    assert validate_tax_code("0314409058002") == "0314409058-002"


@pytest.mark.parametrize("value", ["0100109107", "0314409050", "0314409058-002".replace("8-", "7-")])
def test_tax_code_wrong_check_digit(value):
    with pytest.raises(ValidationError) as exc:
        validate_tax_code(value)
    assert exc.value.code == "tax_code_check"


@pytest.mark.parametrize("value", ["", "010010910", "01001091066", "0100109106-02", "0100109106/002", "ABCDEFGHIJ"])
def test_tax_code_format(value):
    with pytest.raises(ValidationError) as exc:
        validate_tax_code(value)
    assert exc.value.code == "tax_code_format"


def test_tax_code_branch_000_refused():
    with pytest.raises(ValidationError) as exc:
        validate_tax_code("0100109106-000")
    assert exc.value.code == "tax_code_branch"


# --- chip card QR -----------------------------------------------------------------------------

FULL_QR = "096085000123|381234567|Nguyễn Văn An|15061985|Nam|Ấp Tân Lợi, xã Tân Thành, tỉnh Cà Mau|10082021"


def test_chip_qr_seven_fields():
    card = parse_chip_qr(FULL_QR)
    assert card.personal_id == "096085000123"
    assert card.old_id == "381234567"
    assert card.full_name == "Nguyễn Văn An"
    assert card.date_of_birth == datetime.date(1985, 6, 15)
    assert card.sex == "M"
    assert card.address == "Ấp Tân Lợi, xã Tân Thành, tỉnh Cà Mau"
    assert card.issued_on == datetime.date(2021, 8, 10)


def test_chip_qr_stray_whitespace_and_crlf():
    card = parse_chip_qr("  096185000124 | |Trần Thị  Bé |01021985| Nữ |Khóm 2,\r\n phường An Xuyên|01072024\r\n")
    assert card.personal_id == "096185000124"
    assert card.old_id == ""
    assert card.full_name == "Trần Thị Bé"
    assert card.sex == "F"
    assert card.address == "Khóm 2, phường An Xuyên"
    assert card.issued_on == datetime.date(2024, 7, 1)


def test_chip_qr_empty_old_id():
    card = parse_chip_qr("096085000123||Nguyễn Văn An|15061985|Nam|Cà Mau|10082021")
    assert card.old_id == ""
    assert card.full_name == "Nguyễn Văn An"


def test_chip_qr_old_id_field_left_out():
    card = parse_chip_qr("096085000123|Nguyễn Văn An|15061985|Nam|Cà Mau|10082021")
    assert card.old_id == ""
    assert card.full_name == "Nguyễn Văn An"
    assert card.address == "Cà Mau"
    assert card.issued_on == datetime.date(2021, 8, 10)


def test_chip_qr_five_fields():
    card = parse_chip_qr("096085000123|381234567|Nguyễn Văn An|15061985|Nam")
    assert card.date_of_birth == datetime.date(1985, 6, 15)
    assert card.sex == "M"
    assert card.address == ""
    assert card.issued_on is None


@pytest.mark.parametrize(
    "text",
    [
        "",
        "hello world",
        "https://example.com/?a|b",
        "096085000123",
        "12345|381234567|Nguyễn Văn An|15061985|Nam",  # short id
        "096085000123|381234567|Nguyễn Văn An|31021985|Nam",  # 31 February
        "096085000123|381234567|Nguyễn Văn An|1985-06-15|Nam",  # not DDMMYYYY
        "096085000123|381234567|Nguyễn Văn An|15061985|Khác",  # unknown sex
        "096085000123|381234567|Nguyễn Văn An|15061986|Nam",  # year disagrees with the id
        "096085000123|381234567|Nguyễn Văn An|15061985|Nữ",  # sex disagrees with the id
        "096085000123|381234567||15061985|Nam",  # no name
    ],
)
def test_chip_qr_garbage_is_refused(text):
    with pytest.raises(ValidationError) as exc:
        parse_chip_qr(text)
    assert exc.value.messages[0]


# --- chip card QR: dates in the future ----------------------------------------------------------

TODAY = datetime.date(2026, 12, 7)


def _qr(dob: str = "15061985", issued: str = "10082021", pid: str = "096085000123") -> str:
    return f"{pid}|381234567|Nguyễn Văn An|{dob}|Nam|Cà Mau|{issued}"


def test_chip_qr_issued_today_is_accepted_tomorrow_refused():
    assert parse_chip_qr(_qr(issued="07122026"), today=TODAY).issued_on == TODAY
    assert parse_chip_qr(_qr(issued="06122026"), today=TODAY).issued_on == datetime.date(2026, 12, 6)
    with pytest.raises(ValidationError) as exc:
        parse_chip_qr(_qr(issued="08122026"), today=TODAY)
    assert exc.value.code == "chip_qr_future_issue"
    assert "08/12/2026" in exc.value.messages[0]


def test_chip_qr_born_today_is_accepted_tomorrow_refused():
    newborn = "096226000001"
    card = parse_chip_qr(_qr(dob="07122026", issued="07122026", pid=newborn), today=TODAY)
    assert card.date_of_birth == TODAY
    with pytest.raises(ValidationError) as exc:
        parse_chip_qr(_qr(dob="08122026", issued="", pid=newborn), today=TODAY)
    assert exc.value.code == "chip_qr_future_birth"


def test_chip_qr_with_an_id_born_next_year_is_refused():
    with pytest.raises(ValidationError) as exc:
        parse_chip_qr(_qr(dob="", issued="", pid="096227000001"), today=TODAY)
    assert exc.value.code == "chip_qr_personal_id"
    assert "2027" in exc.value.messages[0]


def test_chip_qr_issued_before_birth_is_refused():
    with pytest.raises(ValidationError) as exc:
        parse_chip_qr(_qr(dob="15061985", issued="14061985"), today=TODAY)
    assert exc.value.code == "chip_qr_issue_before_birth"


@pytest.mark.django_db
def test_api_refuses_a_chip_qr_issued_in_the_future(client):
    text = "096085000123||Nguyễn Văn An|15061985|Nam|Cà Mau|01012099"
    response = client.post("/api/v1/identity/chip-qr", {"text": text}, content_type="application/json")
    assert response.status_code == 422
    assert response.json()["code"] == "invalid_chip_qr"
    assert "ngày cấp 01/01/2099 sau ngày hôm nay" in response.json()["message"]
