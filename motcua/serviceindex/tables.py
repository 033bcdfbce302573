"""The index's tables as plain rows (header + rows of values), shared by the pages and the CSV
and Excel downloads so a download always holds what the page shows."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from .measures import MEASURES, UNMEASURED
from .scoring import ScoreCard, q2


def num(value: Decimal | None):
    """A figure for a table: 2 decimals, or '' when there is none."""
    return "" if value is None else q2(value)


def summary_rows(card: ScoreCard) -> tuple[list[str], list[list]]:
    header = [
        _("Nhóm"), _("Mã chỉ số"), _("Chỉ số"), _("Tử số"), _("Mẫu số"), _("Tỷ lệ (%)"), _("Mục tiêu (%)"),
        _("Điểm quy định"), _("Điểm sau phân bổ lại"), _("Điểm đạt"), _("Ghi chú"),
    ]  # fmt: skip
    rows = []
    for group in card.groups:
        for item in group.indicators:
            measure = MEASURES.get(item.indicator.measure)
            if not item.measured or measure is None or measure.kind == UNMEASURED:
                note = _("Chưa đo được")
            elif not item.applicable:
                note = _("Không có dữ liệu trong kỳ")
            else:
                note = _("Cần rà soát") if item.indicator.needs_review else ""
            rows.append([
                group.group.name, item.indicator.code, item.indicator.name,
                item.numerator if item.measured else "", item.denominator if item.measured else "",
                num(item.rate), num(item.indicator.target_rate), num(item.indicator.points),
                num(item.weight) if item.applicable else "", num(item.earned) if item.applicable else "", note,
            ])  # fmt: skip
    return header, rows


def group_rows(card: ScoreCard) -> tuple[list[str], list[list]]:
    header = [_("Nhóm"), _("Điểm đạt"), _("Điểm tối đa")]
    rows = [[g.group.name, num(g.score), num(g.max_points)] for g in card.groups]
    rows.append([_("Tổng điểm"), num(card.total), num(card.max_total)])
    return header, rows


def ranking_rows(rows, *, with_code: bool) -> tuple[list[str], list[list]]:
    groups = rows[0].card.groups if rows else []
    header = [_("Hạng")] + ([_("Mã")] if with_code else []) + [_("Tên")]
    header += [_("Tổng điểm"), _("Kỳ trước"), _("Thay đổi")] + [g.group.name for g in groups]
    out = []
    for row in rows:
        line = [row.rank or ""] + ([row.code] if with_code else []) + [row.name]
        line += [num(row.total), num(row.previous), num(row.change)]
        line += [num(g.score) for g in row.card.groups]
        out.append(line)
    return header, out


def _plain(value):
    return float(value) if isinstance(value, Decimal) else value


def as_csv(header: list[str], rows: list[list]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    for row in rows:
        writer.writerow(["" if v is None else v for v in row])
    # With a BOM so Excel opens the Vietnamese text as UTF-8.
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def as_xlsx(title: str, header: list[str], rows: list[list]) -> bytes:
    workbook = Workbook()
    ws = workbook.active
    ws.title = title[:31]
    ws.append(header)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in rows:
        ws.append([_plain(v) for v in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
