"""Dossier codes and phone digits inside free text.

A dossier code is `<agency code>-YYMMDD-NNNN`, the agency code being four dotted groups such as
"000.00.31.H12". People copy it from a receipt or type it from a photo: spaces instead of dots
or dashes, dots left out, lower case. Each of those is read back to the canonical form.
"""

import re

# Agency part: ddd.dd.dd.Xdd, with any of ". - space" (or nothing) between the groups.
_SEP = r"[\s.\-_/]*"
_CODE_RE = re.compile(
    rf"(?<![0-9A-Za-z])(\d{{3}}){_SEP}(\d{{2}}){_SEP}(\d{{2}}){_SEP}([A-Za-z]\d{{2}})"
    rf"{_SEP}(\d{{6}}){_SEP}(\d{{4,6}})(?![0-9])"
)
# Last four digits of a phone: said as "4 số cuối ... 1234", "đuôi 1234", or a lone 4-digit group
# next to "sđt"/"số điện thoại".
_PHONE4_RE = re.compile(
    r"(?:(?:4|bon)\s*(?:so|chu\s*so)\s*cuoi|duoi(?:\s*so)?|sdt|so\s*dien\s*thoai|dt|phone)"
    r"[^0-9]{0,20}?(\d{4})(?!\d)"
)
_FULL_PHONE_RE = re.compile(r"(?<!\d)(?:\+?84|0)(\d[\s.]?){8,9}(?!\d)")


def find_dossier_code(text: str) -> str | None:
    """The first dossier code in `text`, canonical ("000.00.31.H12-250612-0042"), or None."""
    m = _CODE_RE.search(text or "")
    if not m:
        return None
    a, b, c, prefix, day, seq = m.groups()
    return f"{a}.{b}.{c}.{prefix.upper()}-{day}-{seq}"


def strip_dossier_code(text: str) -> str:
    return _CODE_RE.sub(" ", text or "")


def find_phone_last4(folded: str, *, raw: str = "") -> str | None:
    """The last four digits of a phone in a folded message (code already removed), or None.

    "4 số cuối 1234", "sđt đuôi 1234", a whole phone number ("0912 345 678" gives "5678"), or a
    message that is only four digits (the answer to "what are the last four digits?").
    """
    m = _FULL_PHONE_RE.search(raw or folded)
    if m:
        digits = re.sub(r"\D", "", m.group(0))
        return digits[-4:]
    m = _PHONE4_RE.search(folded)
    if m:
        return m.group(1)
    if re.fullmatch(r"\d{4}", folded.strip()):
        return folded.strip()
    return None
