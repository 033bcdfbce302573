"""Hearing a dossier's status by its code on the keypad: the caller's own number, the last four
digits of the applicant's phone, a wrong code or phone, and the lookup's limit per caller."""

import datetime

import pytest
from django.utils import timezone

from motcua.appointments.models import SwitchboardCall
from motcua.dossiers.models import Channel, Dossier, DossierStatus
from motcua.dossiers.selectors.lookup import LOOKUP_MAX_FAILURES
from tests.factories import AgencyFactory, ProcedureFactory

from .conftest import CALLER, gather, texts

pytestmark = pytest.mark.django_db

APPLICANT = "0977123456"


@pytest.fixture
def dossier(db):
    agency = AgencyFactory(code="000.00.20.H12", name="UBND xã Tân Thành")
    procedure = ProcedureFactory(name="Đăng ký khai sinh")
    return Dossier.objects.create(
        code="000.00.20.H12-261203-0007",
        procedure=procedure,
        procedure_snapshot={},
        status=DossierStatus.PROCESSING,
        channel=Channel.COUNTER,
        applicant_name="Trần Thị Mai",
        applicant_phone=APPLICANT,
        receiving_agency=agency,
        current_agency=agency,
        submitted_at=timezone.now(),
        due_at=datetime.datetime(2026, 12, 14, 10, 0, tzinfo=datetime.UTC),
    )


def to_code_prompt(dial, caller=CALLER):
    dial("start", caller=caller)
    answer = dial("digits", "2", caller=caller)
    assert answer.json()["state"] == "status_code"
    assert gather(answer) == {"max_digits": 12, "timeout": 8, "finish_on_key": "#"}
    return answer


def test_the_applicant_calling_from_their_own_number_hears_the_status_at_once(dial, dossier):
    to_code_prompt(dial, caller=APPLICANT)
    answer = dial("digits", "2612030007#", caller=APPLICANT)
    body = answer.json()
    assert body["state"] == "menu"
    said = texts(answer)
    assert "Hồ sơ Đăng ký khai sinh, tiếp nhận tại UBND xã Tân Thành: Đang xử lý." in said
    assert "Ngày hẹn trả kết quả: thứ Hai ngày 14 tháng 12." in said
    # then the menu again
    assert any("Bấm 1 để đặt lịch hẹn" in t for t in said)


def test_another_number_is_asked_for_the_last_four_digits_and_the_right_ones_read_the_status(dial, dossier):
    to_code_prompt(dial)
    ask = dial("digits", "2612030007#")
    assert ask.json()["state"] == "status_phone"
    assert gather(ask) == {"max_digits": 4, "timeout": 8}
    answer = dial("digits", "3456")
    assert "Hồ sơ Đăng ký khai sinh, tiếp nhận tại UBND xã Tân Thành: Đang xử lý." in texts(answer)
    assert answer.json()["state"] == "menu"


def test_wrong_last_four_digits_read_nothing_of_the_dossier(dial, dossier):
    to_code_prompt(dial)
    dial("digits", "2612030007#")
    answer = dial("digits", "3457")
    said = " ".join(texts(answer))
    assert "Không tìm thấy hồ sơ" in said
    assert "Đăng ký khai sinh" not in said and "Đang xử lý" not in said
    assert answer.json()["state"] == "menu"


def test_a_wrong_code_is_not_found(dial, dossier):
    to_code_prompt(dial)
    dial("digits", "2612030008#")
    answer = dial("digits", "3456")
    assert "Không tìm thấy hồ sơ" in " ".join(texts(answer))


def test_the_whole_code_typed_as_digits_also_finds_it(dial, dossier):
    to_code_prompt(dial, caller=APPLICANT)
    # 000.00.20.H12-261203-0007: every digit of the code, the letter skipped
    answer = dial("digits", "0000020122612030007#", caller=APPLICANT)
    assert "Hồ sơ Đăng ký khai sinh, tiếp nhận tại UBND xã Tân Thành: Đang xử lý." in texts(answer)


@pytest.mark.parametrize("digits", ["261203000#", "12345#", "#"])
def test_fewer_than_ten_digits_is_invalid_input(dial, dossier, digits):
    to_code_prompt(dial)
    answer = dial("digits", digits)
    assert answer.json()["state"] == "status_code"
    assert texts(answer)[0] == "Lựa chọn không hợp lệ."
    assert SwitchboardCall.objects.get().tries == 1


def test_a_draft_is_never_read(dial, dossier):
    Dossier.objects.filter(pk=dossier.pk).update(status=DossierStatus.DRAFT)
    to_code_prompt(dial, caller=APPLICANT)
    dial("digits", "2612030007#", caller=APPLICANT)  # not the caller's: asks for the digits
    answer = dial("digits", "3456", caller=APPLICANT)
    assert "Không tìm thấy hồ sơ" in " ".join(texts(answer))


def test_too_many_wrong_lookups_from_one_number_end_the_call(dial, dossier, throttle_clock):
    for n in range(LOOKUP_MAX_FAILURES):
        call_id = f"guess-{n}"
        dial("start", call_id=call_id)
        dial("digits", "2", call_id=call_id)
        dial("digits", "2612030007#", call_id=call_id)
        assert "Không tìm thấy hồ sơ" in " ".join(texts(dial("digits", f"{n:04d}", call_id=call_id)))
    dial("start", call_id="last")
    dial("digits", "2", call_id="last")
    dial("digits", "2612030007#", call_id="last")
    answer = dial("digits", "3456", call_id="last")  # even the right digits: the limit is reached
    body = answer.json()
    assert body["hangup"] is True
    assert "Đã tra cứu sai quá nhiều lần" in texts(answer)[0]
