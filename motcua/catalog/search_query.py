"""Turning what a citizen types into weighted search terms.

Vietnamese is written in syllables, so a "word" is usually two or three tokens: terms are
single tokens plus adjacent pairs (bigrams), and a pair found in a name ("khai sinh") is worth
more than its parts. Everyday words are mapped to official ones through
`data/synonyms.json`; typos are corrected against the index vocabulary.
"""

import json
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from motcua.core.text import fold

SYNONYMS_PATH = Path(__file__).with_name("data") / "synonyms.json"

# How much a term counts, relative to a plain typed word.
STOP_WEIGHT = 0.15  # low, not zero: "con" is also in "nhận cha, mẹ, con"
TYPED_UNDER_SYNONYM_WEIGHT = 0.4  # "so do" itself; its expansion carries the meaning
FUZZY_WEIGHT = 0.7  # a corrected typo is a guess
SPLIT_WEIGHT = 0.9  # "khaisinh" -> "khai sinh"
MIN_EXPANSION_WEIGHT = 0.3
MAX_PHRASE_TOKENS = 5

_VOWELS = set("aeiouy")


def normalize_token(token: str) -> str:
    """Spelling variants people mix up: final "y" after a consonant is written "i" too (ký/kí, lý/lí)."""
    if len(token) >= 2 and token[-1] == "y" and token[-2] not in _VOWELS:
        return token[:-1] + "i"
    return token


def normalize_tokens(text: str) -> list[str]:
    return [normalize_token(t) for t in fold(text).split()]


@dataclass(frozen=True)
class Lexicon:
    synonyms: dict[tuple[str, ...], tuple[tuple[str, ...], ...]]
    stop_phrases: frozenset[tuple[str, ...]]


@cache
def lexicon() -> Lexicon:
    raw = json.loads(SYNONYMS_PATH.read_text(encoding="utf-8"))
    synonyms = {
        tuple(normalize_tokens(phrase)): tuple(tuple(normalize_tokens(e)) for e in expansions)
        for phrase, expansions in raw.get("synonyms", {}).items()
    }
    stops = frozenset(tuple(normalize_tokens(p)) for p in raw.get("stop_words", []))
    return Lexicon(synonyms=synonyms, stop_phrases=stops)


@dataclass
class Slot:
    """One position of the query: alternatives (token, weight), plus whether it is a stop word."""

    options: list[tuple[str, float]]
    stop: bool = False


@dataclass
class ParsedQuery:
    # Sequences whose neighbours form bigrams: the typed text, then each synonym expansion.
    sequences: list[list[Slot]] = field(default_factory=list)

    def terms(self) -> dict[str, float]:
        """term -> query weight; a bigram term is "a b"."""
        out: dict[str, float] = {}

        def put(term: str, weight: float) -> None:
            if weight > out.get(term, 0.0):
                out[term] = weight

        for seq in self.sequences:
            for slot in seq:
                for token, weight in slot.options:
                    put(token, weight)
            for left, right in zip(seq, seq[1:], strict=False):
                both_stop = left.stop and right.stop
                for lt, lw in left.options:
                    for rt, rw in right.options:
                        # A stop word inside a real pair ("tu phap", "me con") is not noise.
                        lw_ = lw if (both_stop or not left.stop) else 1.0
                        rw_ = rw if (both_stop or not right.stop) else 1.0
                        put(f"{lt} {rt}", min(lw_, rw_))
        return out

    def core_tokens(self) -> list[str]:
        """The typed, non-stop tokens (after corrections), for the whole-phrase bonus."""
        if not self.sequences:
            return []
        return [s.options[0][0] for s in self.sequences[0] if not s.stop and s.options]


def _match_phrase(tokens: list[str], i: int, table) -> int:
    """Length of the longest phrase in `table` starting at tokens[i], or 0."""
    for n in range(min(MAX_PHRASE_TOKENS, len(tokens) - i), 0, -1):
        if tuple(tokens[i : i + n]) in table:
            return n
    return 0


def parse_query(query: str, vocabulary) -> ParsedQuery:
    """`vocabulary` answers `in`, `split(token)` and `correct(token)` (see search.Index)."""
    lex = lexicon()
    tokens = normalize_tokens(query)
    parsed = ParsedQuery()
    typed: list[Slot] = []
    i = 0
    while i < len(tokens):
        n = _match_phrase(tokens, i, lex.synonyms)
        if n:
            phrase = tuple(tokens[i : i + n])
            typed.extend(Slot([(t, TYPED_UNDER_SYNONYM_WEIGHT)]) for t in phrase)
            for expansion in lex.synonyms[phrase]:
                weight = _expansion_weight(len(phrase), len(expansion))
                parsed.sequences.append([Slot([(t, weight)]) for t in expansion])
            i += n
            continue
        n = _match_phrase(tokens, i, lex.stop_phrases)
        if n:
            typed.extend(Slot([(t, STOP_WEIGHT)], stop=True) for t in tokens[i : i + n])
            i += n
            continue
        typed.extend(_correct(tokens[i], vocabulary))
        i += 1
    parsed.sequences.insert(0, typed)
    return parsed


def _expansion_weight(typed_tokens: int, expansion_tokens: int) -> float:
    # An expansion should weigh about what the typed phrase would have: "di bien" (2 tokens) must
    # not outvote the rest of a long question because it expanded to four official words.
    typed_terms = 2 * typed_tokens - 1
    expansion_terms = 2 * expansion_tokens - 1
    return max(MIN_EXPANSION_WEIGHT, min(1.0, typed_terms / expansion_terms))


def _correct(token: str, vocabulary) -> list[Slot]:
    if token in vocabulary or any(ch.isdigit() for ch in token):
        return [Slot([(token, 1.0)])]
    parts = vocabulary.split(token)
    if parts:
        return [Slot([(p, SPLIT_WEIGHT)]) for p in parts]
    candidates = vocabulary.correct(token)
    if candidates:
        return [Slot([(c, FUZZY_WEIGHT) for c in candidates])]
    return [Slot([(token, 1.0)])]


def max_typos(token: str) -> int:
    if len(token) >= 8:
        return 2
    if len(token) >= 4:
        return 1
    return 0


def deletions(token: str, depth: int) -> set[str]:
    """`token` and every string made by deleting up to `depth` characters from it."""
    out = {token}
    frontier = {token}
    for _ in range(depth):
        frontier = {w[:k] + w[k + 1 :] for w in frontier for k in range(len(w))}
        out |= frontier
    return out


def osa_distance(a: str, b: str, bound: int) -> int:
    """Edit distance with adjacent transpositions ("sihn" -> "sinh" is 1); > bound means "too far"."""
    if abs(len(a) - len(b)) > bound:
        return bound + 1
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        cur = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        if min(cur) > bound:
            return bound + 1
        prev2, prev = prev, cur
    return prev[-1]
