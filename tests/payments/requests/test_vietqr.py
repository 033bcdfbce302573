"""VietQR: our EMVCo encoder and decoder, the CRC against a published payload, and the QR image
read back by zxing-cpp."""

import io

import pytest
import zxingcpp
from PIL import Image

from motcua.payments.services.vietqr import (
    VietQRError,
    crc16_ccitt_false,
    decode,
    encode,
    parse_tlv,
    payload_for_request,
    qr_png,
    qr_svg,
)

# Published in the vietqr-parser README (Vietcombank BIN 970436, account 0881000458086, no amount).
PUBLISHED = "00020001021238570010A00000072701270006970436011308810004580860208QRIBFTTA53037045802VN6304CD60"


def test_crc_matches_a_published_payload():
    assert crc16_ccitt_false(PUBLISHED[:-4]) == "CD60"
    root = parse_tlv(PUBLISHED)
    account = parse_tlv(parse_tlv(root["38"])["01"])
    assert account == {"00": "970436", "01": "0881000458086"}


def test_crc_check_value():
    # CRC-16/CCITT-FALSE of "123456789" is 0x29B1 by definition.
    assert crc16_ccitt_false("123456789") == "29B1"


def test_encode_lays_out_every_field():
    payload = encode(bank_bin="970405", account_number="7900123456789", amount=8000, purpose="MC7K2Q9PXA")
    assert payload == (
        "000201"
        "010212"
        "3857" "0010A000000727" "0127" "0006970405" "01137900123456789" "0208QRIBFTTA"
        "5303704"
        "54048000"
        "5802VN"
        "6214" "0810MC7K2Q9PXA"
        "6304" + crc16_ccitt_false(payload[:-4])
    )


def test_round_trip():
    payload = encode(bank_bin="970418", account_number="31410001234567", amount=1250000, purpose="MCABCDEFGH")
    qr = decode(payload)
    assert (qr.bank_bin, qr.account_number, qr.amount, qr.purpose) == ("970418", "31410001234567", 1250000,
                                                                      "MCABCDEFGH")
    assert (qr.initiation, qr.service, qr.currency, qr.country) == ("12", "QRIBFTTA", "704", "VN")


@pytest.mark.parametrize("mangle", [
    lambda p: p.replace("54048000", "54049000"),  # amount changed, CRC not
    lambda p: p[:-1],  # truncated
    lambda p: p[:-4] + "0000",
])
def test_tampered_payload_is_refused(mangle):
    payload = encode(bank_bin="970405", account_number="7900123456789", amount=8000, purpose="MC7K2Q9PXA")
    with pytest.raises(VietQRError):
        decode(mangle(payload))


@pytest.mark.parametrize("kwargs", [
    {"bank_bin": "97040", "account_number": "1", "amount": 1, "purpose": "x"},
    {"bank_bin": "970405", "account_number": "12345678901234567890", "amount": 1, "purpose": "x"},
    {"bank_bin": "970405", "account_number": "1", "amount": 0, "purpose": "x"},
    {"bank_bin": "970405", "account_number": "1", "amount": 1, "purpose": "lệ phí có dấu"},
])
def test_bad_input_is_refused(kwargs):
    with pytest.raises(VietQRError):
        encode(**kwargs)


def test_png_decodes_to_the_same_payload():
    payload = encode(bank_bin="970436", account_number="0881000458086", amount=20000, purpose="MCQWERTYUP")
    image = Image.open(io.BytesIO(qr_png(payload)))
    found = [b.text for b in zxingcpp.read_barcodes(image)]
    assert found == [payload]
    qr = decode(found[0])
    assert qr.amount == 20000 and qr.purpose == "MCQWERTYUP" and qr.crc == payload[-4:]


def test_svg_is_an_svg_document():
    svg = qr_svg(encode(bank_bin="970436", account_number="1", amount=1, purpose="MC22222222"))
    assert svg.startswith("<svg") and "VietQR" in svg


@pytest.mark.django_db
def test_request_payload_uses_the_agency_account_and_the_outstanding_amount(pay_request, cashier_a):
    from motcua.payments.services.cash import cash_record

    cash_record(request=pay_request, actor=cashier_a, amount=3000)
    pay_request.refresh_from_db()
    qr = decode(payload_for_request(pay_request))
    assert (qr.bank_bin, qr.account_number, qr.amount, qr.purpose) == ("970405", "7900123456789", 5000,
                                                                      pay_request.reference)
