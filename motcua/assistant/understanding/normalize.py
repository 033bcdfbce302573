"""Everyday Vietnamese read back to the catalog's words, from the table in data/lexicon.json.

`normalize(text)` folds the text (no diacritics, lower case), rewrites teencode tokens ("ko",
"dc", "tui", "cccd") and returns it with the expansions of the everyday phrases it contains
("sổ đỏ" adds "giấy chứng nhận quyền sử dụng đất"). The typed words stay: the ranking weighs
both. The table is data, read once per process.
"""

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from motcua.core.text import fold

LEXICON_PATH = Path(__file__).with_name("data") / "lexicon.json"
MAX_PHRASE_TOKENS = 5


@dataclass(frozen=True)
class Lexicon:
    tokens: dict[str, tuple[str, ...]]
    phrases: dict[tuple[str, ...], tuple[str, ...]]
    generic: frozenset[str]


@cache
def lexicon() -> Lexicon:
    raw = json.loads(LEXICON_PATH.read_text(encoding="utf-8"))
    tokens = {fold(k): tuple(fold(v).split()) for k, v in raw.get("tokens", {}).items() if fold(k)}
    phrases = {}
    for k, v in raw.get("phrases", {}).items():
        key = tuple(fold(k).split())
        if key:
            phrases[key] = tuple(fold(v).split())
    generic = frozenset(fold(w) for w in raw.get("generic_words", []))
    return Lexicon(tokens=tokens, phrases=phrases, generic=generic)


@dataclass(frozen=True)
class Normalized:
    tokens: tuple[str, ...]  # the message, folded, teencode rewritten
    expansions: tuple[str, ...]  # words the everyday phrases add
    rewritten: tuple[str, ...] = ()  # the message with each everyday phrase replaced by its expansion

    @property
    def text(self) -> str:
        return " ".join(self.tokens)

    @property
    def query(self) -> str:
        """The message and its expansions, for the lexical ranking."""
        return " ".join(self.tokens + self.expansions)


def normalize(text: str) -> Normalized:
    lex = lexicon()
    raw = fold(text).split()
    # Each typed token read as standard spelling, one for one ("ko" -> "khong").
    read = [" ".join(lex.tokens.get(t, (t,))) for t in raw]
    tokens = tuple(t for r in read for t in r.split())
    expansions: list[str] = []
    rewritten: list[str] = []
    i = 0
    while i < len(raw):
        for n in range(min(MAX_PHRASE_TOKENS, len(raw) - i), 0, -1):
            # As typed first ("móc túi" before "túi" is read "tôi"), then as read ("ko co so").
            expansion = lex.phrases.get(tuple(raw[i : i + n])) or lex.phrases.get(tuple(read[i : i + n]))
            if expansion:
                expansions.extend(expansion)
                rewritten.extend(expansion)
                i += n
                break
        else:
            rewritten.extend(read[i].split())
            i += 1
    return Normalized(tokens, tuple(expansions), tuple(rewritten))
