"""Temporary stand-in for `motcua.assistant.understanding` (built on branch wt-nlu); deleted once it merges."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from motcua.catalog.search import search_procedures
from motcua.core.text import fold

_CODE = re.compile(r"[0-9A-Za-z.]+-\d{6}-\d{4,}")
_LAST4 = re.compile(r"^\D*(\d{4})\D*$")
_TOPICS = {
    "fee": ("le phi", "phi", "bao nhieu tien", "ton bao nhieu"),
    "time": ("bao lau", "may ngay", "thoi han", "bao nhieu ngay"),
    "documents": ("giay to", "ho so gom", "can nhung gi", "mang theo"),
    "place": ("o dau", "cho nao", "noi nop"),
    "online": ("online", "truc tuyen", "qua mang"),
}


@dataclass(frozen=True)
class Understanding:
    intent: str
    confidence: float
    procedures: list[tuple[int, float]] = field(default_factory=list)
    dossier_code: str | None = None
    phone_last4: str | None = None
    topic: str | None = None
    folded: str = ""


def understand(message: str, *, context: dict | None = None) -> Understanding:
    folded = fold(message)
    code = _CODE.search(message or "")
    last4 = _LAST4.match(message or "")
    if code:
        return Understanding("status", 0.95, dossier_code=code.group(0).upper(), folded=folded)
    topic = next((t for t, words in _TOPICS.items() if any(f" {w} " in f" {folded} " for w in words)), None)
    if last4 and len(folded.split()) <= 3:
        return Understanding("status", 0.5, phone_last4=last4.group(1), folded=folded)
    hits = search_procedures(folded, limit=3) if folded else []
    ranked = [(h.procedure.pk, h.score) for h in hits]
    if topic and (context or {}).get("procedure") and len(folded.split()) <= 6:
        return Understanding("followup", 0.8, ranked, topic=topic, folded=folded)
    if not ranked:
        return Understanding("out_of_scope", 0.6, folded=folded)
    best = ranked[0][1]
    second = ranked[1][1] if len(ranked) > 1 else 0.0
    confidence = 0.9 if best > 0 and second < best * 0.8 else 0.5
    return Understanding("procedure", confidence, ranked, topic=topic, folded=folded)
