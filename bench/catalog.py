"""Catalog benchmark: procedure search over 2,000 procedures, and the working-day calendar.

    .venv/bin/python bench/catalog.py [--procedures 2000] [--searches 1000] [--seed 7]

Runs on a throwaway SQLite database in a temporary directory (migrated first). With
DATABASE_URL set it creates and then drops its own database `motcua_bench_<pid>` on that
server instead, so it never writes into a real one. Figures go in docs/benchmarks.md.
"""

import argparse
import csv
import datetime
import json
import random
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path("/work/shared")
sys.path.insert(0, str(ROOT))

from _django import setup_django, teardown_django  # noqa: E402  (bench/ is the script's folder)

# Official names the generated ones are built from, beside the 53 real ones in the TSV.
# fmt: off
ACTIONS = [
    "Cấp", "Cấp lại", "Cấp đổi", "Điều chỉnh", "Gia hạn", "Thu hồi", "Đăng ký", "Xác nhận", "Công nhận",
    "Thẩm định", "Phê duyệt", "Chấp thuận", "Hỗ trợ", "Giải quyết", "Thông báo", "Sửa đổi, bổ sung",
]
OBJECTS = [
    "giấy phép hoạt động cơ sở bán lẻ thuốc", "giấy chứng nhận đủ điều kiện kinh doanh xăng dầu",
    "giấy phép khai thác nước mặt", "giấy phép xả nước thải vào nguồn nước", "giấy phép kinh doanh karaoke",
    "giấy chứng nhận cơ sở đủ điều kiện chăn nuôi", "giấy phép vận chuyển hàng nguy hiểm",
    "chứng chỉ hành nghề khám bệnh, chữa bệnh", "giấy phép thành lập cơ sở giáo dục mầm non",
    "kế hoạch bảo vệ môi trường", "phương án phòng cháy, chữa cháy", "giấy phép sử dụng vật liệu nổ công nghiệp",
    "danh hiệu gia đình văn hóa", "trợ cấp đối với người có công với cách mạng", "chế độ mai táng phí cựu chiến binh",
    "giấy phép hoạt động đo đạc và bản đồ", "quyền sử dụng đất nông nghiệp", "hợp đồng thuê đất",
    "giấy chứng nhận đăng ký hợp tác xã", "giấy phép tổ chức lễ hội", "giấy phép quảng cáo",
    "giấy chứng nhận đăng ký kinh doanh thuốc bảo vệ thực vật", "giấy phép nuôi trồng thủy sản",
    "học bổng chính sách cho học sinh", "thẻ bảo hiểm y tế cho người thuộc hộ nghèo",
    "giấy phép lao động cho người nước ngoài", "chứng nhận doanh nghiệp khoa học và công nghệ",
    "giấy phép di chuyển rừng trồng", "quyết định giao rừng", "giấy phép khai thác khoáng sản",
]
QUALIFIERS = [
    "", "có yếu tố nước ngoài", "đối với tổ chức", "đối với cá nhân", "trong trường hợp bị mất, hỏng",
    "cho hộ gia đình", "tại cấp xã", "thuộc thẩm quyền của Ủy ban nhân dân tỉnh", "lần đầu",
    "trên môi trường điện tử", "đối với doanh nghiệp nhỏ và vừa",
]
EXTRA_FIELDS = [
    "Y tế", "Tài nguyên và môi trường", "Nông nghiệp", "Lâm nghiệp", "Văn hóa", "Công thương", "Người có công",
    "Khoa học và công nghệ", "Lao động", "Phòng cháy, chữa cháy", "Quảng cáo", "Đo đạc bản đồ",
]
DOCUMENTS = [
    "Tờ khai theo mẫu", "Bản sao giấy tờ tùy thân", "Giấy ủy quyền (nếu nộp thay)", "Giấy chứng sinh",
    "Bản sao Giấy chứng nhận quyền sử dụng đất", "Hợp đồng chuyển nhượng có chứng thực", "Đơn đề nghị",
    "Bản vẽ thiết kế", "Báo cáo đánh giá tác động môi trường", "Giấy khám sức khỏe", "Ảnh 4x6",
    "Giấy tờ chứng minh nơi cư trú", "Quyết định của Tòa án", "Trích lục khai tử", "Danh sách thành viên",
    "Điều lệ", "Phương án kinh doanh", "Biên bản họp gia đình", "Sổ hộ nghèo", "Giấy xác nhận khuyết tật",
]
EVERYDAY = [
    "dang ky khai sinh", "lam giay khai sinh cho con", "so do", "so hong", "ket hon", "hon thu", "căn cước",
    "cccd", "lam lai cmnd", "bang lai xe", "doi gplx", "ho khau", "nhap ho khau", "tam tru", "khai tu",
    "giay chung tu", "chung thuc ban sao", "sao y", "ly lich tu phap", "ho chieu", "giay phep xay dung",
    "ho kinh doanh", "mo quan an", "tro cap that nghiep", "ho ngheo", "dang ky xe may", "giay doc than",
    "trich luc ket hon", "giam ho", "thuc pham", "ban ruou", "tau ca", "khai thac thuy san", "chuyen truong",
    "phong chay chua chay", "giay phep quang cao", "moi truong", "karaoke", "xang dau", "le hoi",
]
# fmt: on


def typo(text: str, rng: random.Random) -> str:
    words = text.split()
    long_ones = [i for i, w in enumerate(words) if len(w) >= 4]
    if not long_ones:
        return text
    i = rng.choice(long_ones)
    w = words[i]
    k = rng.randrange(len(w) - 1)
    words[i] = w[:k] + w[k + 1] + w[k] + w[k + 2 :] if rng.random() < 0.5 else w[:k] + w[k + 1 :]
    return " ".join(words)


def generate_catalog(n: int, rng: random.Random) -> list[dict]:
    from django.utils.text import slugify

    from motcua.catalog.models import FeeItem, Field, Procedure, RequiredDocument
    from motcua.core.text import fold

    with (SHARED / "catalog" / "procedures.tsv").open(encoding="utf-8") as fh:
        real = list(csv.DictReader(fh, delimiter="\t"))
    field_names = list(dict.fromkeys([r["field"] for r in real] + EXTRA_FIELDS))
    fields = {
        name: Field.objects.create(slug=slugify(fold(name)), name=name, order=i) for i, name in enumerate(field_names)
    }
    synonyms = list(json.loads((ROOT / "motcua/catalog/data/synonyms.json").read_text())["synonyms"])

    specs, seen = [], set()
    for r in real:
        specs.append((r["key"], r["name"], r["field"], "commune" if r["level"] == "xã" else "province"))
        seen.add(r["name"])
    while len(specs) < n:
        if rng.random() < 0.35:  # a variant of a real procedure
            base = rng.choice(real)
            action = rng.choice(["Cấp lại", "Điều chỉnh", "Gia hạn", "Xác nhận", "Thu hồi"])
            tail = base["name"][0].lower() + base["name"][1:]
            name = f"{action} {tail} {rng.choice(QUALIFIERS)}".strip()
            field, family = base["field"], base["key"]
        else:
            name = f"{rng.choice(ACTIONS)} {rng.choice(OBJECTS)} {rng.choice(QUALIFIERS)}".strip()
            field, family = rng.choice(field_names), "gen"
        if name in seen:
            continue
        seen.add(name)
        # The key keeps the real procedure a variant was made from, for the evaluation.
        specs.append((f"{family}--{len(specs)}", name, field, rng.choice(["commune", "province"])))

    procedures = Procedure.objects.bulk_create(
        Procedure(
            code=f"2.{i:06d}",
            key=key,
            name=name,
            field=fields[field],
            level=level,
            agency_kind="commune_committee",
            time_limit_days=rng.choice([0, 1, 3, 5, 7, 10, 15, 20, 30]),
            online_level=rng.choice(["full", "partial", "none"]),
            result_type=rng.choice(["Giấy chứng nhận", "Giấy phép", "Quyết định", "Trích lục", "Văn bản xác nhận"]),
            applicants="Công dân Việt Nam, tổ chức",
            valid_from=datetime.date(2025, 7, 1),
            keywords=", ".join(rng.sample(synonyms, 2)) if rng.random() < 0.3 else "",
        )
        for i, (key, name, field, level) in enumerate(specs)
    )
    RequiredDocument.objects.bulk_create(
        RequiredDocument(procedure=p, order=k, name=doc)
        for p in procedures
        for k, doc in enumerate(rng.sample(DOCUMENTS, rng.randint(2, 6)))
    )
    FeeItem.objects.bulk_create(
        FeeItem(procedure=p, order=k, name="Lệ phí", amount=rng.choice([0, 10_000, 50_000, 100_000]))
        for p in procedures
        for k in range(rng.randint(0, 2))
    )
    return [{"name": s[1], "field": slugify(fold(s[2])), "level": s[3]} for s in specs]


def make_queries(catalog: list[dict], count: int, rng: random.Random) -> list[dict]:
    from motcua.core.text import fold

    with (SHARED / "eval" / "assistant-sample.jsonl").open(encoding="utf-8") as fh:
        questions = [json.loads(line)["q"] for line in fh if line.strip()]
    queries = []
    for _ in range(count):
        roll = rng.random()
        if roll < 0.25:
            name = rng.choice(catalog)["name"]
            queries.append({"q": name if rng.random() < 0.5 else fold(name)})
        elif roll < 0.55:
            queries.append({"q": rng.choice(EVERYDAY)})
        elif roll < 0.70:
            queries.append({"q": typo(fold(rng.choice(catalog)["name"]), rng)})
        elif roll < 0.85:
            queries.append({"q": rng.choice(questions)})
        elif roll < 0.95:
            proc = rng.choice(catalog)
            queries.append({"q": rng.choice(EVERYDAY), "field": proc["field"], "level": proc["level"]})
        else:
            queries.append({"q": "", "field": rng.choice(catalog)["field"]})
    return queries


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def bench_search(catalog: list[dict], searches: int, rng: random.Random) -> list[tuple[str, str]]:
    from motcua.catalog.search import catalog_version, get_index, search_index_invalidate, search_procedures

    builds = []
    for _ in range(3):
        search_index_invalidate()
        t = time.perf_counter()
        index = get_index()
        builds.append(time.perf_counter() - t)
    checks = []
    for _ in range(200):
        t = time.perf_counter()
        catalog_version()
        checks.append(time.perf_counter() - t)

    queries = make_queries(catalog, searches, rng)
    ranking = []
    for q in queries:
        t = time.perf_counter()
        index.search(q["q"], field=q.get("field"), level=q.get("level"))
        ranking.append((time.perf_counter() - t) * 1000)
    times, start = [], time.perf_counter()
    for q in queries:
        t = time.perf_counter()
        search_procedures(q["q"], field=q.get("field"), level=q.get("level"), limit=20)
        times.append(time.perf_counter() - t)
    total = time.perf_counter() - start
    ms = [x * 1000 for x in times]
    return [
        ("procedures indexed", f"{len(index.docs):,}"),
        ("vocabulary (tokens / terms)", f"{len(index.vocabulary):,} / {len(index.postings):,}"),
        ("index build, median of 3", f"{statistics.median(builds) * 1000:.0f} ms"),
        ("catalog version check, median", f"{statistics.median(checks) * 1000:.2f} ms"),
        (f"{searches:,} searches (ranking + page of 20 from the DB), total", f"{total:.2f} s"),
        ("ranking only (in memory) p50 / p95", f"{percentile(ranking, 50):.2f} / {percentile(ranking, 95):.2f} ms"),
        ("search p50", f"{percentile(ms, 50):.2f} ms"),
        ("search p95", f"{percentile(ms, 95):.2f} ms"),
        ("search max", f"{max(ms):.2f} ms"),
    ]


def eval_at_scale() -> list[tuple[str, str]]:
    """The everyday questions again, now among 2,000. A third of the generated names are variants
    of the real ones ("Gia hạn đăng ký xe lần đầu đối với cá nhân"), so besides the exact answer
    we count the family: the expected procedure or one of its variants."""
    from motcua.catalog.search import search_procedures

    with (SHARED / "eval" / "assistant-sample.jsonl").open(encoding="utf-8") as fh:
        rows = [r for r in map(json.loads, fh) if r["kind"] == "procedure"]
    exact1 = exact3 = family1 = family3 = 0
    for r in rows:
        found = [h.procedure.key for h in search_procedures(r["q"], limit=3)]
        families = [k.split("--")[0] for k in found]
        exact1 += bool(found) and found[0] == r["expect"]
        exact3 += r["expect"] in found
        family1 += bool(found) and families[0] == r["expect"]
        family3 += r["expect"] in families
    n = len(rows)
    return [
        ("everyday questions, exact: top-1 / top-3", f"{exact1 / n:.1%} / {exact3 / n:.1%} (n={n})"),
        ("everyday questions, family: top-1 / top-3", f"{family1 / n:.1%} / {family3 / n:.1%}"),
    ]


def bench_calendar(rng: random.Random, calls: int = 10_000) -> list[tuple[str, str]]:
    from motcua.core import calendar

    tz = datetime.timezone(datetime.timedelta(hours=7))
    starts = [
        datetime.datetime(2026, 1, 1, 7, tzinfo=tz)
        + datetime.timedelta(days=rng.randrange(330), minutes=rng.randrange(0, 12 * 60))
        for _ in range(calls)
    ]
    days = [Decimal(rng.choice(["0", "0.5", "1", "3", "5", "7", "10", "15", "20", "30"])) for _ in range(calls)]
    try:
        calendar.add_working_days(starts[0], days[0])
    except NotImplementedError:
        return [("calendar", "not implemented yet")]
    t = time.perf_counter()
    for s, d in zip(starts, days, strict=True):
        calendar.add_working_days(s, d)
    add_total = time.perf_counter() - t
    ends = [s + datetime.timedelta(days=rng.randrange(0, 60), hours=rng.randrange(0, 24)) for s in starts]
    t = time.perf_counter()
    for s, e in zip(starts, ends, strict=True):
        calendar.working_days_between(s, e)
    between_total = time.perf_counter() - t
    return [
        (f"add_working_days x {calls:,}", f"{add_total:.2f} s ({add_total / calls * 1e6:.0f} µs/call)"),
        (f"working_days_between x {calls:,}", f"{between_total:.2f} s ({between_total / calls * 1e6:.0f} µs/call)"),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--procedures", type=int, default=2000)
    parser.add_argument("--searches", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    rng = random.Random(args.seed)

    tmp, server = setup_django("catalog")
    from django.db import connection

    try:
        t = time.perf_counter()
        catalog = generate_catalog(args.procedures, rng)
        rows = [("database", connection.vendor), ("generate catalog", f"{time.perf_counter() - t:.1f} s")]
        rows += bench_search(catalog, args.searches, rng)
        rows += eval_at_scale()
        rows += bench_calendar(rng)
        width = max(len(k) for k, _ in rows)
        print(f"{'measure'.ljust(width)}  value")
        print(f"{'-' * width}  {'-' * 24}")
        for key, value in rows:
            print(f"{key.ljust(width)}  {value}")
    finally:
        teardown_django(tmp, server)


if __name__ == "__main__":
    main()
