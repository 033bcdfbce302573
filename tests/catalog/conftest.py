"""Catalog fixtures: procedures made from the real official names in /work/shared/catalog/procedures.tsv.

Until the real catalog data lands, ranking is tested on these names alone (no keywords), which
is the harder case: everything has to come from the names and the synonyms file.
"""

import csv
import json
from pathlib import Path

import pytest
from django.utils.text import slugify

from motcua.catalog.search import search_index_invalidate
from motcua.core.text import fold
from tests.factories import FieldFactory, ProcedureFactory

SHARED = Path("/work/shared")
TSV_PATH = SHARED / "catalog" / "procedures.tsv"
EVAL_PATH = SHARED / "eval" / "assistant-sample.jsonl"
LEVELS = {"xã": "commune", "tỉnh": "province"}


def read_tsv() -> list[dict]:
    with TSV_PATH.open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh, delimiter="\t"))


def read_eval(kind: str = "procedure") -> list[dict]:
    with EVAL_PATH.open(encoding="utf-8") as fh:
        rows = [json.loads(line) for line in fh if line.strip()]
    return [r for r in rows if r["kind"] == kind]


@pytest.fixture(autouse=True)
def _fresh_search_index(settings):
    # Every test sees its own catalog at once: check the catalog version on every search.
    settings.CATALOG_SEARCH_CHECK_SECONDS = 0
    search_index_invalidate()
    yield
    search_index_invalidate()


@pytest.fixture
def tsv_catalog(db) -> dict[str, object]:
    """key -> Procedure, one per TSV row, fields in order of first appearance."""
    fields: dict[str, object] = {}
    procedures = {}
    for n, row in enumerate(read_tsv()):
        name = row["field"]
        if name not in fields:
            fields[name] = FieldFactory(slug=slugify(fold(name)), name=name, order=len(fields))
        procedures[row["key"]] = ProcedureFactory(
            code=f"1.{n:06d}",
            key=row["key"],
            name=row["name"],
            field=fields[name],
            level=LEVELS[row["level"]],
        )
    return procedures
