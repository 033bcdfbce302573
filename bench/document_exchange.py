"""EDXML packages: write and read times for a document with a PDF of 0.1 / 2 / 10 MB, and the send →
inbox → fetch → ack round trip through the local fake axis over HTTP. No database.

    .venv/bin/python -m bench.document_exchange
"""

from __future__ import annotations

import datetime
import os
import statistics
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings")

import django

django.setup()

from motcua.documents.exchange import edxml  # noqa: E402
from motcua.documents.exchange.axis import AxisClient  # noqa: E402
from motcua.fakes.document_axis import FakeDocumentAxis  # noqa: E402


def package(size: int) -> edxml.Package:
    return edxml.Package(
        document_id=os.urandom(8).hex(),
        sender=edxml.Organ("000.00.20.H12", "UBND xã Tân Thành"),
        recipients=[edxml.Organ("000.00.21.H12", "UBND xã Lý Văn Lâm")],
        code_number="15",
        code_notation="QĐ-UBND",
        doc_type="QĐ",
        doc_type_name="Quyết định",
        subject="Về việc thành lập tổ công nghệ số cộng đồng",
        promulgated_on=datetime.date(2026, 12, 7),
        attachments=[edxml.Attachment("doc-1", "vb.pdf", b"%PDF-1.7\n" + os.urandom(size))],
    )


def timed(fn, runs: int) -> tuple[float, float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return statistics.median(times), times[max(0, int(len(times) * 0.95) - 1)]


def main() -> None:
    print("| attachment | package bytes | write p50 / p95 ms | read p50 / p95 ms | axis round trip p50 / p95 ms |")
    print("| --- | --- | --- | --- | --- |")
    fake = FakeDocumentAxis().start()
    sender = AxisClient(fake.url, organ_id="000.00.20.H12")
    receiver = AxisClient(fake.url, organ_id="000.00.21.H12")
    try:
        for size, runs in ((100_000, 30), (2_000_000, 15), (10_000_000, 5)):
            item = package(size)
            raw = edxml.write_package(item)
            write = timed(lambda item=item: edxml.write_package(item), runs)
            read = timed(lambda raw=raw: edxml.read_package(raw), runs)

            def round_trip(raw=raw):
                sender.send(raw)
                for message_id in receiver.inbox():
                    receiver.fetch(message_id)
                    receiver.ack(message_id)

            trip = timed(round_trip, runs)
            print(
                f"| {size / 1e6:g} MB | {len(raw):,} | {write[0]:.1f} / {write[1]:.1f} | "
                f"{read[0]:.1f} / {read[1]:.1f} | {trip[0]:.1f} / {trip[1]:.1f} |"
            )
    finally:
        fake.stop()


if __name__ == "__main__":
    main()
