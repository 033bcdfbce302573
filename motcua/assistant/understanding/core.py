"""The `understand` entry point: rules first (codes, greetings, clear out-of-scope), then ranking."""

import re
from dataclasses import dataclass, field

from motcua.catalog.search import get_index

from .codes import find_dossier_code, find_phone_last4, strip_dossier_code
from .normalize import normalize

INTENTS = ("procedure", "status", "out_of_scope", "followup", "greeting")
TOPICS = ("fee", "time", "documents", "place", "online")
MAX_MESSAGE_CHARS = 2000
MAX_PROCEDURES = 5


@dataclass(frozen=True)
class Understanding:
    intent: str
    confidence: float
    procedures: list[tuple[int, float]] = field(default_factory=list)
    dossier_code: str | None = None
    phone_last4: str | None = None
    topic: str | None = None
    folded: str = ""


_GREETING = re.compile(r"^(xin chao|chao|hello|hi|alo|a lo)( (ban|anh|chi|em|ad|admin|tro ly|ca nha))?$")
_OOS = re.compile(
    r"\b(thoi tiet|bao so|mua bao|bong da|da banh|ty so|cho vay|vay tien|lai suat|giai ngan|xo so|lo de|"
    r"ban hang|tuyen dung|kiem tien)\b"
)
_STATUS = re.compile(r"\b(ho so|hs)\b.*\b(chua|toi dau|den dau|the nao roi|sao roi|bao gio|ket qua|xong)\b")
_TOPICS = [
    ("fee", re.compile(r"\b(phi|le phi|bao nhieu tien|mat bao nhieu|ton bao nhieu|gia)\b")),
    ("time", re.compile(r"\b(bao lau|may ngay|bao nhieu ngay|thoi gian|khi nao co|bao gio co)\b")),
    ("documents", re.compile(r"\b(giay to|ho so gom|can gi|mang theo|chuan bi gi|nhung gi)\b")),
    ("place", re.compile(r"\b(o dau|cho nao|noi nao|nop dau|lam o dau)\b")),
    ("online", re.compile(r"\b(online|truc tuyen|qua mang|tren mang|vneid|dich vu cong)\b")),
]


def _topic(folded: str) -> str | None:
    for name, pattern in _TOPICS:
        if pattern.search(folded):
            return name
    return None


def understand(message: str, *, context: dict | None = None) -> Understanding:
    text = (message or "")[:MAX_MESSAGE_CHARS]
    code = find_dossier_code(text)
    rest = strip_dossier_code(text) if code else text
    norm = normalize(rest)
    folded = norm.text
    phone4 = find_phone_last4(folded, raw=rest)
    if code:
        return Understanding("status", 0.95, [], code, phone4, None, folded)
    if not folded:
        return Understanding("out_of_scope", 0.0, [], None, phone4, None, folded)
    if _GREETING.match(folded):
        return Understanding("greeting", 0.9, [], None, phone4, None, folded)
    if _OOS.search(folded):
        return Understanding("out_of_scope", 0.8, [], None, phone4, None, folded)
    index = get_index()
    ranked = index.search(norm.query, field=None, level=None)[:MAX_PROCEDURES]
    procedures = [(index.docs[i].pk, round(s, 4)) for i, s in ranked if s > 0]
    if _STATUS.search(folded) and not procedures:
        return Understanding("status", 0.6, [], None, phone4, None, folded)
    topic = _topic(folded)
    if not procedures:
        if topic and context and context.get("procedure"):
            return Understanding("followup", 0.6, [], None, phone4, topic, folded)
        return Understanding("out_of_scope", 0.5, [], None, phone4, None, folded)
    top = procedures[0][1]
    confidence = min(1.0, top / 10.0)
    return Understanding("procedure", round(confidence, 3), procedures, None, phone4, topic, folded)
