"""Citizen identity: personal ID checks, phone normalisation, the chip-card QR.

(Helper-owned: the identity work fills this module out; the signatures below are stable.)
"""

import re

_PHONE_DIGITS = re.compile(r"[\s.\-()]")


def normalize_phone_or_none(raw: str) -> str | None:
    """'+84 912 345 678' -> '0912345678'; None when it is not a Vietnamese mobile number."""
    digits = _PHONE_DIGITS.sub("", raw or "")
    if digits.startswith("+84"):
        digits = "0" + digits[3:]
    elif digits.startswith("84") and len(digits) == 11:
        digits = "0" + digits[2:]
    if len(digits) == 10 and digits.isdigit() and digits[:2] in {"03", "05", "07", "08", "09"}:
        return digits
    return None
