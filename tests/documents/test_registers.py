"""The printed registers carry the columns of Decree 30/2020/NĐ-CP Appendix IV (docs/documents.md)."""

import io
import re

from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from motcua.documents.services import incoming_assign, issue_outgoing, outgoing_approve, outgoing_draft, outgoing_submit

# Appendix IV, I.2 "Nội dung đăng ký văn bản đi", at least these 10, in this order (confirmed).
OUTGOING = [
    "Số, ký hiệu văn bản",
    "Ngày tháng văn bản",
    "Tên loại và trích yếu nội dung văn bản",
    "Người ký",
    "Nơi nhận văn bản",
    "Đơn vị, người nhận bản lưu",
    "Số lượng bản",
    "Ngày chuyển",
    "Ký nhận",
    "Ghi chú",
]
# Appendix IV, VI.2 "Nội dung đăng ký văn bản đến", at least these 10, in this order.
INCOMING = [
    "Ngày đến",
    "Số đến",
    "Tác giả",
    "Số, ký hiệu văn bản",
    "Ngày tháng văn bản",
    "Tên loại và trích yếu nội dung văn bản",
    "Đơn vị hoặc người nhận",
    "Ngày chuyển",
    "Ký nhận",
    "Ghi chú",
]


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _pdf_text(data: bytes) -> str:
    return _squash("".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages))


def _issued(agency, clerk, leader):
    doc = outgoing_draft(agency=agency, actor=clerk, doc_type="QĐ", title="Về việc khen thưởng")
    outgoing_submit(document=doc, actor=clerk)
    outgoing_approve(document=doc, actor=leader)
    return issue_outgoing(document=doc, actor=clerk)


def test_incoming_register_headers_in_pdf_and_xlsx(client, make_incoming, clerk_a, leader_a, specialist_a, agency_a):
    make_incoming()
    assigned = make_incoming()
    incoming_assign(document=assigned, actor=leader_a, lead=specialist_a, days=3)
    client.force_login(clerk_a)
    ws = load_workbook(io.BytesIO(client.get(f"/van-ban/so/den.xlsx?agency={agency_a.pk}").content)).active
    assert [c.value for c in ws[3]] == INCOMING
    assert ws.cell(4, 7).value is None and ws.cell(4, 8).value is None  # not passed on yet
    assert ws.cell(5, 7).value == specialist_a.get_full_name()
    assert ws.cell(5, 8).value == timezone.localdate().strftime("%d/%m/%Y")
    assert "từ số 1 đến số 2" in ws.cell(2, 1).value
    text = _pdf_text(client.get(f"/van-ban/so/den.pdf?agency={agency_a.pk}").content)
    for index, header in enumerate(INCOMING, start=1):
        assert _squash(header) in text
        assert f"({index})" in text
    assert _squash("từ số 1 đến số 2") in text


def test_outgoing_register_headers_in_pdf_and_xlsx(client, clerk_a, leader_a, agency_a):
    _issued(agency_a, clerk_a, leader_a)
    client.force_login(clerk_a)
    ws = load_workbook(io.BytesIO(client.get(f"/van-ban/so/di.xlsx?agency={agency_a.pk}").content)).active
    assert [c.value for c in ws[3]] == OUTGOING
    assert ws.cell(4, 1).value == "1/QĐ-UBND"
    assert "từ số 1 đến số 1" in ws.cell(2, 1).value
    text = _pdf_text(client.get(f"/van-ban/so/di.pdf?agency={agency_a.pk}").content)
    for index, header in enumerate(OUTGOING, start=1):
        assert _squash(header) in text
        assert f"({index})" in text
