"""Ranking procedures for a message: the catalog's BM25F search, then whole-phrase evidence.

The catalog search (motcua.catalog.search) scores every term of the message against procedure
names, keywords, fields and documents. A long question shares common words ("kết hôn",
"khai sinh") with a family of procedures; what separates "Đăng ký kết hôn" from "Cấp bản sao
trích lục hộ tịch" is a longer, rarer run of words ("bản sao giấy kết hôn"). So every run of 2 to
`MAX_NGRAM` words of each procedure's name, keyword phrases and the everyday cue phrases of
data/cues.json is indexed; a run found in the normalised message adds evidence that grows with
its length and falls with the number of procedures sharing it. The table is built once per
catalog version (kept by the catalog search index), never per request.
"""

import json
import math
from collections import defaultdict
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from motcua.catalog.models import Procedure
from motcua.catalog.search import get_index
from motcua.core.text import fold

from .normalize import Normalized, lexicon, normalize

CUES_PATH = Path(__file__).with_name("data") / "cues.json"
MAX_NGRAM = 6
CANDIDATES = 12
# Weight of the phrase evidence against the lexical score (both scaled to the best candidate).
PHRASE_WEIGHT = 0.8
LENGTH_POWER = 1.5
NAME_COVERAGE = 0.3
SPECIFIC_SHARE = 0.3
# What follows "làm", "xin", "đổi"... is what is asked for; the rest of a question is often context
# ("thường trú ở Bạc Liêu mà làm hộ chiếu ở Cà Mau").
ACTION_WORDS = frozenset({"lam", "xin", "doi", "nop", "muon", "can", "di"})
ACTION_BOOST = 1.5


@cache
def cues() -> dict[str, tuple[str, ...]]:
    raw = json.loads(CUES_PATH.read_text(encoding="utf-8"))
    return {k: tuple(fold(p) for p in v) for k, v in raw.items() if not k.startswith("_")}


@dataclass(frozen=True)
class PhraseTable:
    # run of words -> (weight, procedure pks)
    ngrams: dict[tuple[str, ...], tuple[float, tuple[int, ...]]]
    # pk -> the words of the procedure's name, for how much of the name the message covers
    names: dict[int, frozenset[str]]
    size: int  # procedures in the catalog


def _ngrams(tokens: tuple[str, ...]):
    for n in range(2, MAX_NGRAM + 1):
        for i in range(len(tokens) - n + 1):
            yield tokens[i : i + n]


def _build_table() -> PhraseTable:
    extra = cues()
    owners: dict[tuple[str, ...], set[int]] = defaultdict(set)
    count = 0
    names: dict[int, frozenset[str]] = {}
    for pk, key, name, keywords in Procedure.objects.filter(is_active=True).values_list(
        "pk", "key", "name", "keywords"
    ):
        count += 1
        names[pk] = frozenset(normalize(name).tokens)
        for text in [name, *(keywords or "").split(","), *extra.get(key, ())]:
            for gram in _ngrams(normalize(text).tokens):
                owners[gram].add(pk)
    n = max(1, count)
    ngrams = {
        gram: (math.log(1 + n / len(pks)) * (len(gram) - 1) ** LENGTH_POWER, tuple(pks)) for gram, pks in owners.items()
    }
    return PhraseTable(ngrams=ngrams, names=names, size=count)


def phrase_table() -> PhraseTable:
    return get_index().kept("assistant.understanding.phrases", _build_table)


def phrase_scores(norm: Normalized) -> dict[int, float]:
    """pk -> evidence from runs of words found in the message (as typed, and as rewritten).

    At each position a procedure is credited for its longest run starting there only, so that a
    long official phrase brought in by an expansion does not count once per nested sub-run."""
    table = phrase_table().ngrams
    seen: set[tuple[str, ...]] = set()
    scores: dict[int, float] = defaultdict(float)
    for seq in (norm.tokens, norm.rewritten):
        for i in range(len(seq) - 1):
            credited: set[int] = set()
            boost = ACTION_BOOST if i and seq[i - 1] in ACTION_WORDS else 1.0
            for n in range(min(MAX_NGRAM, len(seq) - i), 1, -1):
                gram = tuple(seq[i : i + n])
                hit = table.get(gram)
                if not hit or gram in seen:
                    continue
                seen.add(gram)
                weight, pks = hit
                for pk in pks:
                    if pk not in credited:
                        credited.add(pk)
                        scores[pk] += weight * boost
    return scores


def names_a_procedure(norm: Normalized) -> bool:
    """Whether the message uses a run of words from some procedure's name, keywords or cues that
    is specific: shared by at most `SPECIFIC_SHARE` of the catalog ("khai sinh", not "đăng ký")."""
    table = phrase_table()
    limit = max(1, int(SPECIFIC_SHARE * table.size))
    generic = lexicon().generic
    for seq in (norm.tokens, norm.rewritten):
        for gram in _ngrams(seq):
            hit = table.ngrams.get(gram)
            if hit and len(hit[1]) <= limit and not generic.issuperset(gram):
                return True
    return False


def rank(norm: Normalized) -> tuple[list[tuple[int, float]], float]:
    """[(procedure pk, score 0..1)] best first, and the raw lexical score of the best one."""
    index = get_index()
    lexical = index.search(norm.query, field=None, level=None)[:CANDIDATES]
    if not lexical:
        return [], 0.0
    top_lex = lexical[0][1] or 1.0
    phrases = phrase_scores(norm)
    top_phrase = max(phrases.values(), default=0.0) or 1.0
    combined = {}
    for i, s in lexical:
        pk = index.docs[i].pk
        combined[pk] = s / top_lex + PHRASE_WEIGHT * phrases.get(pk, 0.0) / top_phrase
    # A procedure found by a phrase but not among the lexical candidates still competes.
    for pk, p in phrases.items():
        if pk not in combined:
            combined[pk] = PHRASE_WEIGHT * p / top_phrase
    # Of "Đăng ký xóa thường trú" and "Gia hạn xóa thường trú đối với tổ chức", the name whose
    # words the message does not use is the worse answer.
    names = phrase_table().names
    words = set(norm.tokens) | set(norm.rewritten)
    for pk, s in combined.items():
        name = names.get(pk)
        if name:
            combined[pk] = s * (1 - NAME_COVERAGE + NAME_COVERAGE * len(name & words) / len(name))
    ordered = sorted(combined.items(), key=lambda item: -item[1])
    best = ordered[0][1] or 1.0
    return [(pk, round(s / best, 4)) for pk, s in ordered], lexical[0][1]
