"""EDXML packages and status messages: round trip, and untrusted XML refused with a code."""

import base64
import datetime

import pytest

from motcua.documents.exchange import edxml
from motcua.documents.exchange.edxml import Attachment, EdxmlError, Organ, Package, StatusMessage


def _package(**changes) -> Package:
    fields = dict(
        document_id="pkg-1",
        sender=Organ("000.00.20.H12", "Ủy ban nhân dân xã Tân Thành"),
        recipients=[Organ("000.00.21.H12", "Ủy ban nhân dân xã Lý Văn Lâm"), Organ("000.00.01.H12", "Sở Nội vụ")],
        code_number="15",
        code_notation="QĐ-UBND",
        doc_type="QĐ",
        doc_type_name="Quyết định",
        subject="Về việc thành lập tổ công nghệ số cộng đồng ấp 3",
        place="Tân Thành",
        promulgated_on=datetime.date(2026, 12, 7),
        signer_name="Nguyễn Văn An",
        signer_position="Chủ tịch",
        competence="TM. ỦY BAN NHÂN DÂN",
        due_date=datetime.date(2026, 12, 21),
        steering="1",
        priority="1",
        content="Nội dung có ký tự đặc biệt <&> và dấu tiếng Việt.",
        to_places=["Như Điều 3;", "Lưu: VT."],
        sent_at=datetime.datetime(2026, 12, 7, 9, 30, tzinfo=datetime.UTC),
        attachments=[
            Attachment("att-1", "quyet-dinh.pdf", b"%PDF-1.7 fake\x00\xff"),
            Attachment("att-2", "phu-luc.pdf", b"x"),
        ],
    )
    fields.update(changes)
    return Package(**fields)


def test_package_round_trip_keeps_every_header_field_and_attachment():
    package = _package()
    raw = edxml.write_package(package)
    back = edxml.read_package(raw)
    for name in (
        "document_id", "sender", "recipients", "code_number", "code_notation", "doc_type", "doc_type_name",
        "subject", "place", "promulgated_on", "signer_name", "signer_position", "competence", "due_date",
        "steering", "priority", "content", "to_places", "sent_at",
    ):  # fmt: skip
        assert getattr(back, name) == getattr(package, name), name
    assert [(a.content_id, a.name, a.content) for a in back.attachments] == [
        (a.content_id, a.name, a.content) for a in package.attachments
    ]
    assert back.declared_hashes == {a.content_id: a.sha256 for a in package.attachments}
    assert back.code == "15/QĐ-UBND"
    assert edxml.kind_of(raw) == "package"


def test_status_round_trip_for_every_status():
    for status in edxml.STATUS_CODES:
        message = StatusMessage(
            document_id="pkg-1",
            sender=Organ("000.00.21.H12", "UBND xã B"),
            recipient=Organ("000.00.20.H12", "UBND xã A"),
            status=status,
            code="15/QĐ-UBND",
            description="Lý do: chữ ký không hợp lệ",
            staff="Văn thư",
            at=datetime.datetime(2026, 12, 7, 10, 0, tzinfo=datetime.UTC),
        )
        raw = edxml.write_status(message)
        assert edxml.kind_of(raw) == "status"
        assert edxml.read_status(raw) == message


def _refused(raw: bytes) -> str:
    with pytest.raises(EdxmlError) as caught:
        edxml.read_package(raw)
    return caught.value.code


def test_malformed_and_empty_xml_refused():
    assert _refused(b"") == "edxml_empty"
    assert _refused(b"<edXML><unclosed>") == "edxml_malformed"
    assert _refused(b"<other/>") == "edxml_invalid"


def test_doctype_and_entities_refused_before_parsing():
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]>'
        b'<edXML xmlns="http://www.mic.gov.vn/TBT/QCVN_102_2016">&lol2;</edXML>'
    )
    assert _refused(bomb) == "edxml_unsafe"
    external = b'<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>'
    assert _refused(external) == "edxml_unsafe"


def test_size_limit_at_the_boundary(monkeypatch):
    raw = edxml.write_package(_package())
    monkeypatch.setattr(edxml, "MAX_PACKAGE_BYTES", len(raw))
    assert edxml.read_package(raw).document_id == "pkg-1"  # exactly at the limit
    monkeypatch.setattr(edxml, "MAX_PACKAGE_BYTES", len(raw) - 1)
    assert _refused(raw) == "edxml_too_large"


def test_missing_required_field_and_bad_attachment_refused():
    raw = edxml.write_package(_package(subject=""))
    assert _refused(raw) == "edxml_invalid"
    good = edxml.write_package(_package())
    encoded = base64.b64encode(b"x").decode()
    assert _refused(good.replace(f">{encoded}<".encode(), b">!!notbase64!!<")) == "edxml_invalid"
    assert _refused(good.replace(b'ContentId="att-2"', b'ContentId="att-9"')) == "edxml_invalid"


def test_unknown_status_code_refused():
    raw = edxml.write_status(
        StatusMessage(document_id="p", sender=Organ("a"), recipient=Organ("b"), status="done")
    ).replace(b">05<", b">99<")
    with pytest.raises(EdxmlError) as caught:
        edxml.read_status(raw)
    assert caught.value.code == "edxml_invalid"


def test_an_attachment_past_libxml2s_ten_megabyte_text_limit_still_reads():
    big = b"%PDF-1.7\n" + bytes(range(256)) * (8 * 1024 * 1024 // 256)  # 8 MB: 10.7 MB of base64
    raw = edxml.write_package(_package(attachments=[Attachment("att-1", "lon.pdf", big)]))
    assert edxml.read_package(raw).attachments[0].content == big
