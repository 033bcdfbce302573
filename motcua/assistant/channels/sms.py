"""SMS to the province's number: the inbound (MO) wire format, the keywords, one-part replies.

The gateway posts each text it receives as JSON, signed like its delivery receipts (HMAC-SHA256
of the raw body with the shared callback secret, hex in X-Signature, optionally "sha256="):
    {"MoId": "...", "Phone": "0912345678", "ServiceNumber": "8079", "Content": "HS ...", "ReceivedAt": "..."}
MoId names the text once: a second post with the same MoId is a retry, answered but not acted on.

Keywords (any case, accents or not, a colon or dash after them allowed):
    HS <mã hồ sơ>    the dossier's status, for the applicant's own phone;
    TT <từ khóa>     the best matching procedure, summarised, with its link;
    anything else    a short help text.
Replies are unaccented and, where the content allows, one GSM-7 part (160 characters).
"""

from __future__ import annotations

import hmac
import re
import unicodedata
from dataclasses import dataclass

from motcua.core.text import strip_accents
from motcua.notifications import sms as sms_text
from motcua.notifications.callbacks import sign

SIGNATURE_HEADER = "X-Signature"
HS, TT = "HS", "TT"
ONE_PART = sms_text.GSM7_SINGLE

_KEYWORD = re.compile(r"^\s*([A-Za-z]{2})(?=$|[\s:.,;\-])[\s:.,;\-]*(.*)$", re.S)
_SPACES = re.compile(r"\s+")


def signature_valid(raw: bytes, header: str, *, secret: str) -> bool:
    given = (header or "").strip().removeprefix("sha256=")
    return bool(secret and given) and hmac.compare_digest(sign(secret, raw), given.lower())


@dataclass(frozen=True)
class Command:
    keyword: str  # "HS", "TT" or "" (not a keyword we know)
    argument: str


def command_parse(content: str) -> Command:
    """'hs: 000.00.20.H12-260315-0007' -> Command("HS", "000.00.20.H12-260315-0007")."""
    text = _SPACES.sub(" ", unicodedata.normalize("NFC", content or "")).strip()
    match = _KEYWORD.match(strip_accents(text))
    if not match or match.group(1).upper() not in (HS, TT):
        return Command("", text)
    # The argument keeps the sender's own letters (accents matter to the procedure search).
    argument = text[len(text) - len(match.group(2)) :].strip() if match.group(2) else ""
    return Command(match.group(1).upper(), argument)


def plain(text: str) -> str:
    """The unaccented, single-spaced form every SMS reply is sent in."""
    folded = strip_accents(_SPACES.sub(" ", text or "").strip())
    # Typographic marks outside GSM-7 would force UCS-2 (70 characters a part).
    return folded.translate(str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'", "–": "-", "—": "-", "…": "..."}))


def fits_one_part(text: str) -> bool:
    info = sms_text.segments(text)
    return info.encoding == "GSM-7" and info.segments <= 1


def shorten(text: str, limit: int) -> str:
    """`text` cut at a word boundary to at most `limit` characters, with "..." when cut."""
    if len(text) <= limit:
        return text
    cut = text[: max(0, limit - 3)].rsplit(" ", 1)[0].rstrip(" ,;:.-")
    return f"{cut}..."


def first_fitting(*candidates: str) -> str:
    """The first candidate (richest first) that is one SMS part once unaccented; else the last, shortened."""
    texts = [plain(c) for c in candidates if c]
    for text in texts:
        if fits_one_part(text):
            return text
    return shorten(texts[-1], ONE_PART) if texts else ""
