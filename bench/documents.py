"""Documents benchmark: registration (numbering under the row lock) and search at N incoming rows.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/documents.py [--rows 1000000]

On PostgreSQL the rows are generated in SQL (INSERT … SELECT generate_series, words picked by
hash from a Vietnamese word list, already folded as `search_folded` is), then ANALYZE; the GIN
index of migration 0002 is in place. Without DATABASE_URL: a throwaway SQLite file and bulk_create
(use --rows 20000 or so). Times `register_incoming` (one agency holding every row, so the series
row is the hot one) and `incoming_search` for a clerk of that agency: the first page (50 rows) of
a full-text query, a number, a filter by type and period, and the list page's count (capped at
1000, as the page shows "hơn 1000"). Numbers follow the receipt time (one a second, the newest
now), as in a real book. Prints p50 / p95 per operation.
"""

import argparse
import datetime
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# The repository root first on the path, so that `bench` imports as a package.
sys.path[0] = str(ROOT)

from bench._django import setup_django, teardown_django  # noqa: E402

WORDS = ["ve", "viec", "trien", "khai", "ke", "hoach", "bao", "cao", "ket", "qua", "thu", "tuc", "hanh", "chinh", "chung", "thuc", "ho", "tich", "dat", "dai", "xay", "dung", "phong", "chong", "thien", "tai", "lut", "bao", "dich", "benh", "tiem", "chung", "giao", "duc", "dao", "tao", "ngan", "sach", "quyet", "toan", "thanh", "tra", "kiem", "tra", "tiep", "cong", "dan", "khieu", "nai", "to", "cao", "chuyen", "doi", "so", "du", "lieu", "dan", "cu", "an", "ninh", "trat", "tu", "moi", "truong", "rac", "thai"]  # fmt: skip


def seed(rows: int, server: bool):
    from django.db import connection

    from motcua.core.models import Role
    from motcua.documents.models import DocumentType, IncomingDocument
    from tests.factories import AgencyFactory, OfficerFactory, grant

    agency = AgencyFactory()
    clerk = OfficerFactory()
    grant(clerk, Role.RECEPTIONIST, agency=agency)
    types = list(DocumentType.objects.values_list("pk", flat=True))
    year = datetime.date.today().year
    start = time.perf_counter()
    if server:
        words = "ARRAY[" + ",".join(f"'{w}'" for w in WORDS) + "]"
        pick = lambda salt: f"(w)[1 + (hashtext(g::text || '{salt}') & 2147483647) %% {len(WORDS)}]"  # noqa: E731
        summary = " || ' ' || ".join(pick(s) for s in "abcdefgh")
        with connection.cursor() as cursor:
            cursor.execute(
                f"""
                INSERT INTO documents_incomingdocument (
                  created_at, updated_at, agency_id, year, incoming_number, received_at, sender_name,
                  doc_number, doc_type_id, summary, confidentiality, urgency, is_electronic, file, text,
                  reply_required, status, instruction, closing_note, search_folded)
                SELECT now(), now(), %s, %s, g, now() - ((%s - g) || ' seconds')::interval, 'So noi vu ' || (g %% 50),
                  (g %% 900) || '/QD-UBND', (%s::int[])[1 + g %% %s], s, 'normal', 'normal', g %% 2 = 0, '', '',
                  false, 'registered', '', '', (g %% 900) || '/qd-ubnd so noi vu ' || (g %% 50) || ' ' || s
                FROM (SELECT g, {summary} AS s FROM generate_series(1, %s) g, (SELECT {words} AS w) x) t
                """,
                [agency.pk, year, rows, types, len(types), rows],
            )
            cursor.execute(
                "INSERT INTO documents_numberseries (agency_id, year, kind, doc_type_id, last_number) "
                "VALUES (%s, %s, 'incoming', NULL, %s)",
                [agency.pk, year, rows],
            )
            cursor.execute("ANALYZE documents_incomingdocument")
    else:
        import random

        from motcua.documents.models import NumberSeries

        rng = random.Random(7)
        batch = []
        now = datetime.datetime.now(datetime.UTC)
        for n in range(1, rows + 1):
            s = " ".join(rng.choice(WORDS) for _ in range(8))
            batch.append(
                IncomingDocument(
                    agency=agency,
                    year=year,
                    incoming_number=n,
                    received_at=now - datetime.timedelta(seconds=rows - n),
                    sender_name=f"So noi vu {n % 50}",
                    doc_number=f"{n % 900}/QD-UBND",
                    doc_type_id=types[n % len(types)],
                    summary=s,
                )
            )
            if len(batch) == 5000:
                IncomingDocument.objects.bulk_create(batch)
                batch = []
        IncomingDocument.objects.bulk_create(batch)
        NumberSeries.objects.create(agency=agency, year=year, kind="incoming", last_number=rows)
    print(f"seeded {rows} rows in {time.perf_counter() - start:.1f} s")
    return agency, clerk


def timed(fn, repeat: int) -> tuple[float, float]:
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    return statistics.median(samples), samples[min(len(samples) - 1, int(len(samples) * 0.95))]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=40)
    args = parser.parse_args()
    tmp, server = setup_django("documents")
    try:
        from motcua.documents import selectors
        from motcua.documents.paging import CappedPaginator
        from motcua.documents.services import register_incoming

        agency, clerk = seed(args.rows, server)
        today = datetime.date.today()
        year = today.year
        first_day = (datetime.datetime.now() - datetime.timedelta(seconds=args.rows)).date()
        cases = [
            (
                "register_incoming",
                lambda: register_incoming(
                    agency=agency,
                    actor=clerk,
                    sender_name="Sở Tư pháp",
                    summary="Về việc chứng thực điện tử",
                    doc_type="CV",
                ),
            ),
            ("search 'lut bao' (full text)", lambda: list(selectors.incoming_search(clerk, q="lut bao")[:50])),
            (
                "search 'chứng thực hộ tịch'",
                lambda: list(selectors.incoming_search(clerk, q="chứng thực hộ tịch")[:50]),
            ),
            ("search '125/QĐ-UBND'", lambda: list(selectors.incoming_search(clerk, q="125/QĐ-UBND")[:50])),
            ("search number 4711", lambda: list(selectors.incoming_search(clerk, q="4711")[:50])),
            (
                "filter type QĐ + this month",
                lambda: list(
                    selectors.incoming_search(clerk, doc_type="QĐ", date_from=today.replace(day=1), date_to=today)[:50]
                ),
            ),
            (
                "filter type QĐ + first day of book",
                lambda: list(
                    selectors.incoming_search(clerk, doc_type="QĐ", date_from=first_day, date_to=first_day)[:50]
                ),
            ),
            ("book page 1 (no filter)", lambda: list(selectors.incoming_search(clerk)[:50])),
            ("book page 200 by offset", lambda: list(selectors.incoming_search(clerk)[9950:10000])),
            (
                "book page 200 by keyset (before)",
                lambda: list(selectors.incoming_search(clerk, before=(year, args.rows - 9949))[:50]),
            ),
            (
                "page count 'lut bao' (capped)",
                lambda: CappedPaginator(selectors.incoming_search(clerk, q="lut bao"), 30).count,
            ),
            ("page count, no filter (capped)", lambda: CappedPaginator(selectors.incoming_search(clerk), 30).count),
            (
                "count 'ngan sach quyet toan'",
                lambda: selectors.incoming_search(clerk, q="ngan sach quyet toan").count(),
            ),
        ]
        cases += [
            # The shape before the search-speed change, for a ratio in the same run: the agencies as
            # a subquery and the type through a join, so PostgreSQL sorts every match.
            (
                "before: 'lut bao' (full text)",
                lambda: list(
                    selectors._text_search(selectors.incoming_visible_to(clerk), "lut bao").order_by(
                        "-year", "-incoming_number"
                    )[:50]
                ),
            ),
            (
                "before: type QĐ + this month",
                lambda: list(
                    selectors._period(
                        selectors.incoming_visible_to(clerk).filter(doc_type__code="QĐ"),
                        "received_at",
                        today.replace(day=1),
                        today,
                    ).order_by("-year", "-incoming_number")[:50]
                ),
            ),
        ]
        print(f"{'operation':34} {'p50 ms':>9} {'p95 ms':>9}")
        for name, fn in cases:
            fn()  # warm
            p50, p95 = timed(fn, args.repeat)
            print(f"{name:34} {p50:9.1f} {p95:9.1f}")
    finally:
        teardown_django(tmp, server)


if __name__ == "__main__":
    main()
