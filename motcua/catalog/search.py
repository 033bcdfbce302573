"""Procedure search: an in-memory BM25F index over folded text, rebuilt when the catalog changes.

The catalog is small (the national one has about 2,000 procedures) and read-mostly, so each
process keeps its own index (see docs/decisions/0001-catalog-search-in-memory.md). Whether the
catalog changed is asked of the database, at most every `CATALOG_SEARCH_CHECK_SECONDS`, with one
cheap aggregate query, so every process notices an edit made by any other.
"""

import math
import threading
import time
from collections import Counter, defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.db import connection
from django.utils.translation import gettext as _

from motcua.core.errors import DomainError
from motcua.core.pagecache import PageCache, ShellCache
from motcua.core.text import fold

from .models import AgencyLevel, Field, Procedure, RequiredDocument
from .search_query import deletions, max_typos, normalize_tokens, osa_distance, parse_query

# BM25F: per-field weights (name counts most), saturation k1 and length normalisation b.
FIELD_WEIGHTS = {"name": 3.0, "keywords": 2.0, "field": 1.0, "result": 0.7, "documents": 0.4}
K1 = 1.2
B = 0.75
# Bonus when the typed words appear in the name in order ("dang ky khai sinh" in its own name).
PHRASE_BONUS = 0.25
# Share of the score that depends on how much of the name the query covers: of two names that
# both contain "đăng ký hộ kinh doanh", the one that adds "thay đổi nội dung" is the worse answer.
NAME_COVERAGE = 0.3
# Hits scoring below this fraction of the best one are noise from common words ("dang", "cap").
MIN_RELATIVE_SCORE = 0.1
DEFAULT_CHECK_SECONDS = 3.0
# A term in more than this share of the catalog only re-scores candidates found by rarer terms.
COMMON_TERM_SHARE = 0.1
COMMON_TERM_MIN_DOCS = 200


def build_search_text(procedure: Procedure) -> str:
    """Folded text stored on the procedure for search (name, keywords, field, result)."""
    parts = [
        procedure.name,
        procedure.keywords,
        procedure.field.name if procedure.field_id else "",
        procedure.result_type,
    ]
    return fold(" ".join(p for p in parts if p))


@dataclass(frozen=True)
class SearchHit:
    procedure: Procedure
    score: float


class SearchResults(list):
    """A page of `SearchHit`s; `total` counts every match, not only this page."""

    def __init__(self, hits=(), total: int = 0):
        super().__init__(hits)
        self.total = total


@dataclass(frozen=True)
class _Doc:
    pk: int
    field_slug: str
    level: str
    sort_key: tuple
    name_set: frozenset[str]
    name_size: int
    name_padded: str  # " dang ki khai sinh ", to find a typed phrase with `in`


def _terms(tokens: tuple[str, ...]) -> Counter:
    counts = Counter(tokens)
    counts.update(f"{a} {b}" for a, b in zip(tokens, tokens[1:], strict=False))
    return counts


class Index:
    def __init__(self, rows: list[dict], version):
        self.version = version
        self.checked_at = time.monotonic()
        # The public catalog pages rendered from this catalog; they go when the index does.
        self.pages = PageCache()
        # Search pages with their query and result rows left out (see catalog.views), the same way.
        self.search_shells = ShellCache(("query", "rows"))
        # Rows read for this catalog version (the procedures found, the field list), kept with it.
        self._procedures: dict[int, Procedure] = {}
        self._kept: dict[object, object] = {}
        self._rows_lock = threading.Lock()
        self.docs: list[_Doc] = []
        field_terms: list[dict[str, Counter]] = []
        field_lengths: dict[str, list[int]] = {f: [] for f in FIELD_WEIGHTS}
        # Field names, result types and document names repeat across procedures: fold each once.
        cache: dict[str, tuple[str, ...]] = {}

        def tokens_of(text: str) -> tuple[str, ...]:
            if text not in cache:
                cache[text] = tuple(normalize_tokens(text))
            return cache[text]

        for row in rows:
            texts = {
                "name": [row["name"]],
                "keywords": [row["keywords"]],
                "field": [row["field_name"]],
                "result": [row["result_type"]],
                "documents": row["documents"],
            }
            per_field = {}
            for fname, parts in texts.items():
                counts, length = Counter(), 0
                for part in parts:
                    tokens = tokens_of(part)
                    counts.update(_terms(tokens))  # pairs never span two documents
                    length += len(tokens)
                if fname == "name":
                    # "Đăng ký thay đổi nội dung đăng ký hộ kinh doanh" is not twice a registration.
                    counts = Counter(dict.fromkeys(counts, 1))
                per_field[fname] = counts
                field_lengths[fname].append(length)
            field_terms.append(per_field)
            name_tokens = tokens_of(row["name"])
            self.docs.append(
                _Doc(
                    pk=row["pk"],
                    field_slug=row["field_slug"],
                    level=row["level"],
                    sort_key=(row["field_order"], fold(row["field_name"]), " ".join(name_tokens), row["pk"]),
                    name_set=frozenset(name_tokens),
                    name_size=max(1, len(set(name_tokens))),
                    name_padded=f" {' '.join(name_tokens)} ",
                )
            )
        n = len(self.docs)
        # Average over the procedures that have the field at all: keywords are often left empty.
        avg = {f: sum(v) / max(1, sum(1 for x in v if x)) for f, v in field_lengths.items()}

        # term -> [(doc index, BM25F value)], the idf already folded in.
        weighted: dict[str, list[tuple[int, float]]] = defaultdict(list)
        for i, per_field in enumerate(field_terms):
            pseudo_tf: dict[str, float] = defaultdict(float)
            for fname, counts in per_field.items():
                if not counts or not avg[fname]:
                    continue
                norm = 1 - B + B * field_lengths[fname][i] / avg[fname]
                w = FIELD_WEIGHTS[fname] / norm
                for term, tf in counts.items():
                    pseudo_tf[term] += w * tf
            for term, tf in pseudo_tf.items():
                weighted[term].append((i, tf * (K1 + 1) / (K1 + tf)))
        self.postings: dict[str, dict[int, float]] = {}
        self.doc_freq: dict[str, int] = {}
        for term, plist in weighted.items():
            df = len(plist)
            idf = math.log(1 + (n - df + 0.5) / (df + 0.5))
            self.postings[term] = {i: idf * s for i, s in plist}
            self.doc_freq[term] = df
        self.vocabulary = {t for t in self.postings if " " not in t}
        self._deletes: dict[str, set[str]] = defaultdict(set)
        for token in self.vocabulary:
            if len(token) >= 3 and token.isalpha():
                for variant in deletions(token, 2 if len(token) >= 7 else 1):
                    self._deletes[variant].add(token)
        self.listing_order = sorted(range(n), key=lambda i: self.docs[i].sort_key)

    def procedures(self, pks: list[int]) -> dict[int, Procedure]:
        """The active procedures with these ids (their field loaded), read once per catalog version:
        a search reads only those no earlier search of this version found."""
        with self._rows_lock:
            missing = [pk for pk in pks if pk not in self._procedures]
        if missing:
            found = Procedure.objects.filter(pk__in=missing, is_active=True).select_related("field").in_bulk()
            with self._rows_lock:
                self._procedures.update(found)
        with self._rows_lock:
            return {pk: self._procedures[pk] for pk in pks if pk in self._procedures}

    def kept(self, name: object, load):
        """`load()` once per catalog version (a read of the catalog the pages show)."""
        with self._rows_lock:
            if name in self._kept:
                return self._kept[name]
        value = load()
        with self._rows_lock:
            return self._kept.setdefault(name, value)

    # The vocabulary protocol parse_query needs.
    def __contains__(self, token: str) -> bool:
        return token in self.vocabulary

    def split(self, token: str) -> list[str] | None:
        """Two run-together syllables ("khaisinh") that form a pair seen in the catalog."""
        if len(token) < 4:
            return None
        best, best_df = None, 0
        for k in range(1, len(token)):
            left, right = token[:k], token[k:]
            df = self.doc_freq.get(f"{left} {right}", 0)
            if df > best_df:
                best, best_df = [left, right], df
        return best

    def correct(self, token: str) -> list[str]:
        """Vocabulary tokens within the allowed edit distance, sharing the first letter, nearest first."""
        bound = max_typos(token)
        if not bound or not token.isalpha():
            return []
        found: dict[str, int] = {}
        for variant in deletions(token, bound):
            for candidate in self._deletes.get(variant, ()):
                if candidate not in found and candidate[0] == token[0]:
                    found[candidate] = osa_distance(token, candidate, bound)
        found = {c: d for c, d in found.items() if d <= bound}
        if not found:
            return []
        nearest = min(found.values())
        best = [c for c, d in found.items() if d == nearest]
        best.sort(key=lambda c: (-self.doc_freq.get(c, 0), c))  # not set order: same answer in every process
        return best[:3]

    def search(self, query: str, *, field: str | None, level: str | None) -> list[tuple[int, float]]:
        """[(doc index, score)] best first; empty query: all, in catalog order, score 0."""
        allowed = self._filter(field, level)
        parsed = parse_query(query, self)
        terms = parsed.terms()
        if not terms:
            return [(i, 0.0) for i in self.listing_order if allowed is None or i in allowed]
        scores = self._accumulate(terms)
        if allowed is not None:
            scores = {i: s for i, s in scores.items() if i in allowed}
        if not scores:
            return []
        term_set = set(terms)
        core = parsed.core_tokens()
        phrase = f" {' '.join(core)} " if len(core) >= 2 else None
        for i in scores:
            doc = self.docs[i]
            covered = len(doc.name_set & term_set) / doc.name_size
            scores[i] *= 1 - NAME_COVERAGE + NAME_COVERAGE * covered
            if phrase and phrase in doc.name_padded:
                scores[i] *= 1 + PHRASE_BONUS
        top = max(scores.values())
        ranked = [(i, s) for i, s in scores.items() if s >= MIN_RELATIVE_SCORE * top]
        ranked.sort(key=lambda item: (-item[1], self.docs[item[0]].sort_key))
        return ranked

    def _accumulate(self, terms: dict[str, float]) -> dict[int, float]:
        # Rare terms first. Once they have found candidates, a term found in a large share of the
        # catalog ("dang", "ky", "cap") only re-scores those candidates: a procedure matching
        # nothing but common words falls under MIN_RELATIVE_SCORE anyway, and walking its
        # posting list is most of the cost of a search.
        scores: dict[int, float] = defaultdict(float)
        common = max(COMMON_TERM_MIN_DOCS, int(COMMON_TERM_SHARE * len(self.docs)))
        present = sorted((t for t in terms if t in self.postings), key=lambda t: self.doc_freq[t])
        for term in present:
            plist, weight = self.postings[term], terms[term]
            if scores and len(plist) > common:
                for i in list(scores):
                    value = plist.get(i)
                    if value is not None:
                        scores[i] += weight * value
            else:
                for i, value in plist.items():
                    scores[i] += weight * value
        return scores

    def _filter(self, field: str | None, level: str | None) -> set[int] | None:
        if not field and not level:
            return None
        return {
            i
            for i, d in enumerate(self.docs)
            if (not field or d.field_slug == field) and (not level or d.level == level)
        }


# --- the per-process index and its freshness --------------------------------------------------

_lock = threading.Lock()
_index: Index | None = None


def catalog_version() -> tuple:
    """One query over the tables the index reads. Any save of a procedure moves its updated_at;
    adding or deleting a document changes the document count or max id."""
    q = connection.ops.quote_name
    p, f, d = (q(m._meta.db_table) for m in (Procedure, Field, RequiredDocument))
    active = q("is_active")
    sql = (
        f"SELECT (SELECT COUNT(*) FROM {p}), (SELECT MAX({q('updated_at')}) FROM {p}),"
        f" (SELECT COUNT(*) FROM {p} WHERE {active} = %s),"
        f" (SELECT COUNT(*) FROM {f}), (SELECT MAX({q('updated_at')}) FROM {f}),"
        f" (SELECT COUNT(*) FROM {d}), (SELECT MAX({q('id')}) FROM {d})"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [True])
        return tuple(str(v) for v in cursor.fetchone())


def _load_rows() -> list[dict]:
    documents: dict[int, list[str]] = defaultdict(list)
    for procedure_id, name in RequiredDocument.objects.filter(procedure__is_active=True).values_list(
        "procedure_id", "name"
    ):
        documents[procedure_id].append(name)
    rows = []
    for row in Procedure.objects.filter(is_active=True).values(
        "pk", "name", "keywords", "result_type", "level", "field__slug", "field__name", "field__order"
    ):
        rows.append(
            {
                "pk": row["pk"],
                "name": row["name"],
                "keywords": row["keywords"],
                "result_type": row["result_type"],
                "level": row["level"],
                "field_slug": row["field__slug"],
                "field_name": row["field__name"],
                "field_order": row["field__order"],
                "documents": documents.get(row["pk"], []),
            }
        )
    return rows


def get_index() -> Index:
    """The current index, rebuilt if the catalog changed since it was built."""
    global _index
    interval = float(getattr(settings, "CATALOG_SEARCH_CHECK_SECONDS", DEFAULT_CHECK_SECONDS))
    current = _index
    if current is not None and time.monotonic() - current.checked_at < interval:
        return current
    if current is None:
        _lock.acquire()
    elif not _lock.acquire(blocking=False):
        return current  # another thread is checking or rebuilding; the old index serves meanwhile
    try:
        current = _index
        if current is not None and time.monotonic() - current.checked_at < interval:
            return current
        # Version first, rows second: the rows are at least as new as the version they are filed under.
        version = catalog_version()
        if current is not None and current.version == version:
            current.checked_at = time.monotonic()
            return current
        _index = Index(_load_rows(), version)
        return _index
    finally:
        _lock.release()


def catalog_pages() -> PageCache:
    """The catalog pages this process rendered for visitors from the current catalog (see `get_index`
    for how soon an edit is noticed: the pages follow the index)."""
    return get_index().pages


def catalog_search_shells() -> ShellCache:
    """The search pages' shells this process rendered for visitors from the current catalog."""
    return get_index().search_shells


def search_index_invalidate() -> None:
    """Drop this process's index (other processes notice through `catalog_version`)."""
    global _index
    with _lock:
        _index = None


def search_procedures(
    query: str,
    *,
    field: str | None = None,
    level: str | None = None,
    limit: int = 50,
    offset: int = 0,
) -> SearchResults:
    """Active procedures matching `query` (any accents, typos, everyday words), best first.

    `field` is a Field slug, `level` an AgencyLevel value. An empty query lists all, in catalog
    order (field, then name), with score 0. The result is a list of `SearchHit` with `.total`.
    An unknown level or field slug is a DomainError (422), not an empty answer, so that a typo in
    a link does not look like "no such procedure".
    """
    if level and level not in AgencyLevel.values:
        raise DomainError(
            _("Cấp thực hiện không hợp lệ: chọn “province” (cấp tỉnh) hoặc “commune” (cấp xã)."),
            code="invalid_level",
            status=422,
        )
    if field and not Field.objects.filter(slug=field).exists():
        raise DomainError(
            _("Không có lĩnh vực có mã “%(field)s”.") % {"field": field}, code="invalid_field", status=422
        )
    index = get_index()
    ranked = index.search(query or "", field=field, level=level)
    page = ranked[offset : offset + limit] if limit > 0 else []
    pks = [index.docs[i].pk for i, _ in page]
    procedures = index.procedures(pks)
    hits = [
        SearchHit(procedures[pk], round(score, 4)) for pk, (_, score) in zip(pks, page, strict=True) if pk in procedures
    ]
    return SearchResults(hits, total=len(ranked))
