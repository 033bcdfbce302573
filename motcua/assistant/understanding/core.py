"""The `understand` entry point: rules first (codes, greetings, clear out-of-scope), then the
procedure ranking and the intent classifier, then the confidence.

Order of decisions (docs/decisions/assistant-understanding.md):
1. a dossier code anywhere in the message -> "status";
2. empty, or only a greeting -> "out_of_scope" / "greeting";
3. a clear out-of-scope pattern (weather, sport, prices, loans and ads, lottery, abuse, another
   province named as the place) -> "out_of_scope";
4. a short question about fee/time/documents/place/online naming no procedure -> "followup";
5. a question about a dossier already submitted -> "status" (the caller asks for the code);
6. the classifier's "out_of_scope", or no procedure scoring well (no specific run of words of
   any procedure's name, keywords or cues in the message) -> "out_of_scope";
7. otherwise "procedure", with the ranked procedures.
"""

import functools
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from .classifier import model
from .codes import find_dossier_code, find_phone_last4, strip_dossier_code
from .normalize import normalize
from .ranking import names_a_procedure, rank, sequences

INTENTS = ("procedure", "status", "out_of_scope", "followup", "greeting", "booking")
TOPICS = ("fee", "time", "documents", "place", "online")
MAX_MESSAGE_CHARS = 2000
MAX_PROCEDURES = 5
# Below this confidence the assistant offers the top three procedures instead of one answer.
CONFIDENT = 0.55
# A raw BM25F score under this means no procedure shares a meaningful word with the message.
MIN_LEXICAL = 4.0
FOLLOWUP_MAX_TOKENS = 10


@dataclass(frozen=True)
class Understanding:
    intent: str
    confidence: float
    procedures: list[tuple[int, float]] = field(default_factory=list)
    dossier_code: str | None = None
    phone_last4: str | None = None
    topic: str | None = None
    folded: str = ""


# Patterns match the normalised text: folded, teencode read, and a final "y" after a consonant
# written "i" ("ky" -> "ki", "ly" -> "li"), as the catalog search writes it.
def _words(*alternatives: str) -> re.Pattern:
    return re.compile(r"\b(?:" + "|".join(alternatives) + r")\b")


_GREETING = re.compile(
    r"^(?:(?:xin )?chao|hello|hi|alo|a lo|hey|helo|chao buoi sang|chao buoi toi)"
    r"(?: (?:ban|anh|chi|em|ad|admin|tro li|ca nha|bot|a|nha|nhe|shop))*$"
)
_THANKS = re.compile(r"^(?:cam on|thank|thanks|tks|ok cam on|vang cam on)(?: .{0,20})?$")
_OOS_PATTERNS = [
    _words(
        r"thoi tiet",
        r"du bao",
        r"mua khong",
        r"co mua",
        r"bao (?:vo|vao|so|toi|den)",
        r"ap thap",
        r"nang nong",
        r"co bao",
        r"gio mua",
    ),
    _words(
        r"bong da",
        r"da banh",
        r"t[iy] so",
        r"tran dau",
        r"doi tuyen",
        r"ngoai hang",
        r"world cup",
        r"liverpool",
        r"man utd",
        r"(?:da|dau) (?:thang|thua|voi)",
        r"vo dich",
    ),
    _words(
        r"gia [a-z]+(?: [a-z]+)? hom nay",
        r"hom nay gia",
        r"gia ca",
        r"gia vang",
        r"gia xang",
        r"t[iy] gia",
        r"gia lua",
        r"chung khoan",
        r"tien ao",
        r"bitcoin",
    ),
    _words(
        r"cho vay",
        r"vay (?:tien|von|tin chap|nhanh|the chap)",
        r"giai ngan",
        r"lai suat",
        r"khong can the chap",
        r"duyet nhanh",
        r"tin dung den",
    ),
    _words(
        r"ai mua",
        r"can ban",
        r"thanh ly",
        r"gia re",
        r"giao tan noi",
        r"ship",
        r"thu mua",
        r"lien he zalo",
        r"lh zalo",
        r"inbox",
        r"tuyen (?:dung|nhan vien|ctv)",
        r"viec nhe luong cao",
        r"kiem tien",
        r"lam them online",
        r"cho thue",
        r"ban gap",
        r"chinh chu",
        r"hotline",
        r"khuyen mai",
        r"giam gia",
        r"(?:lh|lien he|zalo)[ :]*\d+",
    ),
    _words(r"xo so", r"lo de", r"soi cau", r"ve so", r"danh bai", r"ca cuoc"),
    _words(
        r"(?:do|may|qua|thang|con) ngu",
        r"ngu (?:qua|the|vay|nhu|si)",
        r"dm",
        r"dit",
        r"vo dung",
        r"chui",
        r"cut di",
        r"oc cho",
    ),
    _words(r"bau cu", r"tong thong", r"chien tranh", r"dang nao", r"chinh tri"),
    _words(r"nau", r"cong thuc", r"mon an ngon", r"bac si", r"uong thuoc", r"bi sot", r"dau bung"),
]
# Another province or city named as the place to do it ("làm sổ đỏ ở Hà Nội").
_OTHER_PLACE = re.compile(
    r"\b(?:o|tai|cua) (?:ha noi|da nang|hai phong|can tho|thanh pho ho chi minh|sai gon|hue|binh duong|dong nai|"
    r"nha trang|vung tau|ha long|da lat|bac ninh|nghe an|thanh hoa)\b"
    r"(?=.*\b(?:quan|huyen|phuong|so|ubnd) nao\b|(?: thi)? (?:nop|lam) (?:o|tai)\b)"
)
# A question about a dossier already handed in: handed in, or one's own dossier, and waiting.
_SUBMITTED = _words(
    r"(?:da|vua|moi) nop",
    r"nop (?:tu|hom|ngay|thang|tuan|lau|roi|online|tren mang|qua mang)",
    r"nop (?:o|tai) (?!dau|cho nao|noi nao|co quan nao)",
    r"nop\b.{0,60}?\b(?:tu|hom|cach day|hoi) (?:thang|tuan|ngay|hom|mung|nam|lau|sang|chieu)",
    r"nop\b.{0,60}?\broi",
    r"gui ho so",
    r"da gui",
)
_OWN_DOSSIER = _words(
    r"ho so (?:cua|em|toi|minh|ba|me|nha|nay|do|so)",
    r"ho so\b.{0,50}?\bcua (?:toi|em|minh|anh|chi|ba|me|ma|bo|chong|vo|con)",
    r"ket qua ho so",
    r"bien nhan",
    r"giay hen",
    r"ma ho so",
    r"ma so",
    r"phieu hen",
)
_WAITING = _words(
    r"toi gio",
    r"den gio",
    r"van chua",
    r"chua (?:thay|nhan|xong|ai|duoc tra|co ket qua|co tin|co gi|co phan hoi|co thong bao)",
    r"tre hen",
    r"qua hen",
    r"(?:bao gio|khi nao|may gio) (?:co|xong|duoc|lay)",
    r"lau (?:qua|vay|the)",
    r"cham (?:qua|vay|the)",
    r"ket qua chua",
    r"co chua",
    r"xong chua",
    r"duyet chua",
    r"(?:sao|the nao|toi dau|den dau) roi",
    r"(?:den|toi|o) buoc nao",
    r"tien do",
    r"bi tra ve",
    r"bi tu choi",
    r"bi ket",
    r"ket o dau",
    r"xu li (?:toi|den) dau",
    r"tra cuu",
    r"tinh trang",
)
_TOPICS = [
    (
        "fee",
        _words(
            r"phi", r"le phi", r"bao nhieu tien", r"mat tien", r"ton tien", r"tien", r"gia", r"mien phi", r"dong tien"
        ),
    ),
    (
        "time",
        _words(
            r"bao lau",
            r"may ngay",
            r"bao nhieu ngay",
            r"thoi gian",
            r"khi nao",
            r"bao gio",
            r"lau khong",
            r"lay lien",
            r"trong ngay",
        ),
    ),
    (
        "documents",
        _words(
            r"giay to",
            r"ho so gom",
            r"can gi",
            r"mang theo",
            r"chuan bi",
            r"nhung gi",
            r"can nhung",
            r"mau don",
            r"to khai",
            r"ban sao",
            r"giay gi",
        ),
    ),
    ("place", _words(r"o dau", r"cho nao", r"noi nao", r"nop dau", r"lam dau", r"dia chi", r"co quan nao", r"len dau")),
    (
        "online",
        _words(
            r"online", r"truc tuyen", r"qua mang", r"tren mang", r"vneid", r"dich vu cong", r"tai nha", r"qua buu dien"
        ),
    ),
]


@functools.cache
def _booking_pattern() -> re.Pattern:
    data = json.loads((Path(__file__).parent / "data" / "booking.json").read_text(encoding="utf-8"))
    return _words(*(re.escape(normalize(phrase).text) for phrase in data["phrases"]))


def asks_booking(folded: str) -> bool:
    """Whether the (normalised) message asks to book a slot: phrases in data/booking.json."""
    return bool(_booking_pattern().search(folded))


def topic_of(folded: str) -> str | None:
    for name, pattern in _TOPICS:
        if pattern.search(folded):
            return name
    return None


def _is_status_question(text: str) -> bool:
    return bool((_SUBMITTED.search(text) or _OWN_DOSSIER.search(text)) and _WAITING.search(text))


def understand(message: str, *, context: dict | None = None) -> Understanding:
    """What `message` asks; `context` may carry the conversation's last procedure (`"procedure"`)."""
    text = (message or "")[:MAX_MESSAGE_CHARS]
    code = find_dossier_code(text)
    rest = strip_dossier_code(text) if code else text
    norm = normalize(rest)
    folded = norm.text
    phone4 = find_phone_last4(folded, raw=rest)

    def result(intent, confidence, procedures=(), topic=None):
        return Understanding(intent, round(confidence, 3), list(procedures), code, phone4, topic, folded)

    if code:
        return result("status", 0.95)
    if not folded:
        return result("out_of_scope", 0.0)
    if phone4 and re.fullmatch(r"[\d\s.]+", rest.strip()):
        return result("status", 0.6)  # the digits asked for in the status flow
    if _GREETING.match(folded) or _THANKS.match(folded):
        return result("greeting", 0.9)
    if asks_booking(folded):
        # "đặt lịch làm căn cước": the booking flow starts, and the procedure it names still ranks.
        seqs = sequences(norm)
        ranked, top_lexical = rank(norm, seqs)
        named = ranked and top_lexical >= MIN_LEXICAL and names_a_procedure(norm, seqs)
        return result("booking", 0.9, ranked[:MAX_PROCEDURES] if named else ())
    if any(p.search(folded) for p in _OOS_PATTERNS) or _OTHER_PLACE.search(folded):
        return result("out_of_scope", 0.9)

    seqs = sequences(norm)
    ranked, top_lexical = rank(norm, seqs)
    named = names_a_procedure(norm, seqs)
    topic = topic_of(folded)
    if topic and not named and len(norm.tokens) <= FOLLOWUP_MAX_TOKENS:
        return result("followup", 0.7, topic=topic)

    probs = model().predict(norm.tokens)
    if _is_status_question(folded) or (probs.get("status", 0) > 0.6 and not named):
        return result("status", max(0.6, probs.get("status", 0)))
    if probs.get("out_of_scope", 0) > 0.6 and not named:
        return result("out_of_scope", probs["out_of_scope"])
    if not ranked or top_lexical < MIN_LEXICAL or not named:
        return result("out_of_scope", 0.5)
    procedures = ranked[:MAX_PROCEDURES]
    margin = 1.0 - (procedures[1][1] if len(procedures) > 1 else 0.0)
    strength = min(1.0, top_lexical / 20.0)
    # The classifier learnt from short questions; a long story about a named procedure often looks
    # to it like a status question, so it only tempers the ranking's own certainty.
    confidence = (0.7 + 0.3 * probs.get("procedure", 0.5)) * (0.3 + 0.4 * margin + 0.3 * strength)
    return result("procedure", min(1.0, confidence), procedures, topic)
