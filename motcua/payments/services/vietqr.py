"""VietQR: the EMVCo Merchant-Presented-Mode payload NAPAS defines for bank transfers, both ways.

Layout (NAPAS QR switching spec, IBFT to account; EMVCo MPM data objects as ID, 2-digit length, value):

    00 "01"                 payload format indicator
    01 "12"                 point of initiation: dynamic (amount and content fixed for one payment)
    38 template             merchant account information, NAPAS
        00 "A000000727"     NAPAS GUID
        01 template         beneficiary organisation
            00 BIN          acquirer / bank BIN, 6 digits
            01 account      account number, up to 19
        02 "QRIBFTTA"       service: inter-bank fund transfer to an account
    53 "704"                currency, đồng
    54 amount               integer đồng
    58 "VN"                 country
    62 template             additional data
        08 content          purpose of transaction: our payment reference
    63 CRC                  CRC-16/CCITT-FALSE, upper-case hex, over everything before it including "6304"

The decoder checks the CRC and every length, so a tampered or truncated code is refused.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass

import segno

from ..models import CollectionAccount

GUID = "A000000727"
SERVICE_TO_ACCOUNT = "QRIBFTTA"
CURRENCY_VND = "704"
COUNTRY_VN = "VN"
DYNAMIC = "12"
STATIC = "11"
_BIN = re.compile(r"^\d{6}$")
_ACCOUNT = re.compile(r"^[0-9A-Za-z]{1,19}$")
# Bank apps put the purpose into the transfer content; keep it to characters every bank passes.
_PURPOSE = re.compile(r"^[0-9A-Za-z .\-]{1,25}$")


class VietQRError(ValueError):
    """A payload that cannot be built or is not a valid VietQR transfer code."""


def crc16_ccitt_false(data: str) -> str:
    """CRC-16/CCITT-FALSE (poly 0x1021, init 0xFFFF, no reflection, no final xor) as 4 hex digits."""
    crc = 0xFFFF
    for byte in data.encode("utf-8"):
        crc ^= byte << 8
        for _ in range(8):
            crc = ((crc << 1) ^ 0x1021) & 0xFFFF if crc & 0x8000 else (crc << 1) & 0xFFFF
    return f"{crc:04X}"


def _tlv(tag: str, value: str) -> str:
    if not 1 <= len(value) <= 99:
        raise VietQRError(f"field {tag}: length {len(value)} outside 1..99")
    return f"{tag}{len(value):02d}{value}"


@dataclass(frozen=True)
class VietQR:
    bank_bin: str
    account_number: str
    amount: int | None
    purpose: str
    initiation: str = DYNAMIC
    service: str = SERVICE_TO_ACCOUNT
    currency: str = CURRENCY_VND
    country: str = COUNTRY_VN
    crc: str = ""


def encode(*, bank_bin: str, account_number: str, amount: int | None, purpose: str, dynamic: bool = True) -> str:
    """The payload string for a transfer of `amount` đồng to the account, with `purpose` as content."""
    if not _BIN.match(bank_bin or ""):
        raise VietQRError("bank BIN must be 6 digits")
    if not _ACCOUNT.match(account_number or ""):
        raise VietQRError("account number must be 1-19 letters or digits")
    if purpose and not _PURPOSE.match(purpose):
        raise VietQRError("purpose must be 1-25 plain characters")
    if amount is not None and (not isinstance(amount, int) or amount <= 0 or len(str(amount)) > 13):
        raise VietQRError("amount must be a positive whole number of đồng")
    beneficiary = _tlv("00", bank_bin) + _tlv("01", account_number)
    account_info = _tlv("00", GUID) + _tlv("01", beneficiary) + _tlv("02", SERVICE_TO_ACCOUNT)
    body = _tlv("00", "01") + _tlv("01", DYNAMIC if dynamic else STATIC) + _tlv("38", account_info)
    body += _tlv("53", CURRENCY_VND)
    if amount is not None:
        body += _tlv("54", str(amount))
    body += _tlv("58", COUNTRY_VN)
    if purpose:
        body += _tlv("62", _tlv("08", purpose))
    body += "6304"
    return body + crc16_ccitt_false(body)


def parse_tlv(data: str) -> dict[str, str]:
    """One level of ID/length/value objects; raises VietQRError on a malformed string."""
    fields: dict[str, str] = {}
    i = 0
    while i < len(data):
        if i + 4 > len(data):
            raise VietQRError(f"truncated object at {i}")
        tag, length = data[i : i + 2], data[i + 2 : i + 4]
        if not tag.isdecimal() or not length.isdecimal():
            raise VietQRError(f"bad tag or length at {i}")
        end = i + 4 + int(length)
        if end > len(data):
            raise VietQRError(f"object {tag} runs past the end")
        fields[tag] = data[i + 4 : end]
        i = end
    return fields


def decode(payload: str) -> VietQR:
    """Read a VietQR transfer payload back; checks the CRC and the NAPAS account template."""
    payload = (payload or "").strip()
    if len(payload) < 8 or payload[-8:-4] != "6304":
        raise VietQRError("no CRC object at the end")
    expected = crc16_ccitt_false(payload[:-4])
    if payload[-4:].upper() != expected:
        raise VietQRError(f"CRC mismatch: {payload[-4:]} != {expected}")
    root = parse_tlv(payload)
    if root.get("00") != "01":
        raise VietQRError("payload format indicator must be 01")
    if "38" not in root:
        raise VietQRError("no NAPAS merchant account information (38)")
    info = parse_tlv(root["38"])
    if info.get("00") != GUID:
        raise VietQRError("not a NAPAS VietQR (GUID)")
    beneficiary = parse_tlv(info.get("01", ""))
    if not _BIN.match(beneficiary.get("00", "")) or not beneficiary.get("01"):
        raise VietQRError("beneficiary organisation incomplete")
    extra = parse_tlv(root["62"]) if "62" in root else {}
    amount = root.get("54")
    if amount is not None and not amount.isdecimal():
        raise VietQRError("amount must be whole đồng")
    return VietQR(
        bank_bin=beneficiary["00"],
        account_number=beneficiary["01"],
        amount=int(amount) if amount is not None else None,
        purpose=extra.get("08", ""),
        initiation=root.get("01", ""),
        service=info.get("02", ""),
        currency=root.get("53", ""),
        country=root.get("58", ""),
        crc=payload[-4:].upper(),
    )


def qr_for_payload(payload: str) -> segno.QRCode:
    # Medium error correction: survives a creased printout and a cheap phone camera.
    return segno.make_qr(payload, error="m")


def qr_svg(payload: str, *, scale: int = 6) -> str:
    buffer = io.BytesIO()
    qr_for_payload(payload).save(buffer, kind="svg", scale=scale, border=4, xmldecl=False, svgns=True, title="VietQR")
    return buffer.getvalue().decode("utf-8")


def qr_png(payload: str, *, scale: int = 8) -> bytes:
    buffer = io.BytesIO()
    qr_for_payload(payload).save(buffer, kind="png", scale=scale, border=4)
    return buffer.getvalue()


def collection_account_for(request):
    """The active collection account of the request's agency, or None."""
    return CollectionAccount.objects.filter(agency_id=request.agency_id, is_active=True).first()


def payload_for(request, account) -> str | None:
    """The transfer QR of a request paid into `account`: the amount outstanding, the reference as
    content. None when there is no account or nothing is left to pay."""
    if account is None or request.amount_outstanding <= 0:
        return None
    return encode(
        bank_bin=account.bank_bin,
        account_number=account.account_number,
        amount=request.amount_outstanding,
        purpose=request.reference,
    )


def payload_for_request(request) -> str | None:
    """The transfer QR of a request, into its agency's active collection account (see `payload_for`)."""
    return payload_for(request, collection_account_for(request))
