"""A small intent classifier: multinomial naive Bayes over words and word pairs.

Trained once per process from our own labelled examples in data/intents.jsonl (never from the
evaluation questions): "procedure" (asking how to do something), "status" (asking about a
dossier already submitted) and "out_of_scope". Pure Python: the model is a few thousand
counts, and scoring a message is one dictionary look-up per feature.
"""

import json
import math
from collections import Counter
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from .normalize import normalize

DATA_PATH = Path(__file__).with_name("data") / "intents.jsonl"
ALPHA = 0.5  # additive smoothing


def features(tokens: tuple[str, ...]) -> list[str]:
    return list(tokens) + [f"{a} {b}" for a, b in zip(tokens, tokens[1:], strict=False)]


@dataclass(frozen=True)
class Model:
    classes: tuple[str, ...]
    log_prior: dict[str, float]
    log_likelihood: dict[str, dict[str, float]]
    log_unseen: dict[str, float]

    def predict(self, tokens: tuple[str, ...]) -> dict[str, float]:
        """class -> probability."""
        feats = [f for f in features(tokens) if any(f in self.log_likelihood[c] for c in self.classes)]
        logs = {}
        for c in self.classes:
            table, unseen = self.log_likelihood[c], self.log_unseen[c]
            logs[c] = self.log_prior[c] + sum(table.get(f, unseen) for f in feats)
        top = max(logs.values())
        exp = {c: math.exp(v - top) for c, v in logs.items()}
        total = sum(exp.values())
        return {c: v / total for c, v in exp.items()}


def train(rows: list[dict]) -> Model:
    counts: dict[str, Counter] = {}
    docs: Counter = Counter()
    for row in rows:
        label = row["intent"]
        counts.setdefault(label, Counter()).update(features(normalize(row["text"]).tokens))
        docs[label] += 1
    vocabulary = set().union(*counts.values())
    classes = tuple(sorted(counts))
    total_docs = sum(docs.values())
    log_likelihood, log_unseen = {}, {}
    for c in classes:
        denom = sum(counts[c].values()) + ALPHA * len(vocabulary)
        log_likelihood[c] = {f: math.log((n + ALPHA) / denom) for f, n in counts[c].items()}
        log_unseen[c] = math.log(ALPHA / denom)
    # Equal priors: the examples' proportions say nothing about how people write in.
    log_prior = {c: math.log(1 / len(classes)) for c in classes}
    del total_docs
    return Model(classes, log_prior, log_likelihood, log_unseen)


@cache
def model() -> Model:
    with DATA_PATH.open(encoding="utf-8") as fh:
        return train([json.loads(line) for line in fh if line.strip()])
