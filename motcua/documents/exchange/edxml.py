"""EDXML packages (QCVN 102:2016) for documents exchanged between agencies, on plain dataclasses.

`write_package` / `read_package` turn a `Package` (the message header, the attachments) into the
XML the national document axis carries and back; `write_status` / `read_status` do the same for a
status message. What of the standard is confirmed and what is assumed: docs/document-exchange.md.

Reading is for untrusted input: the size is capped before parsing, a DOCTYPE (and so any entity
declaration: "billion laughs", external entities) is refused, lxml runs without network or entity
resolution, and every required element is checked. Each refusal is an
`EdxmlError` with a machine-readable code.
"""

from __future__ import annotations

import base64
import binascii
import datetime
import hashlib
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _
from lxml import etree

from motcua.core.errors import DomainError

NS = "http://www.mic.gov.vn/TBT/QCVN_102_2016"
_N = f"{{{NS}}}"
MAX_PACKAGE_BYTES = 30 * 1024 * 1024  # the base64 text of the attachments makes most of it
MAX_ATTACHMENTS = 50

# Status codes (QCVN 102:2016 "StatusCode"); the numbers are an assumption, see the docs.
STATUS_CODES = {
    "received": "-01",
    "refused": "01",
    "accepted": "02",
    "processing": "04",
    "done": "05",
    "failed": "15",
}
STATUS_NAMES = {code: name for name, code in STATUS_CODES.items()}
STATUS_LABELS = {
    "received": _("Đã đến"),
    "refused": _("Từ chối tiếp nhận"),
    "accepted": _("Đã tiếp nhận"),
    "processing": _("Đang xử lý"),
    "done": _("Hoàn thành"),
    "failed": _("Gửi không thành công"),
}


class EdxmlError(DomainError):
    status = 422
    code = "edxml_invalid"


@dataclass(frozen=True)
class Organ:
    organ_id: str  # mã định danh (e.g. "000.00.20.H12")
    name: str = ""


@dataclass
class Attachment:
    content_id: str
    name: str
    content: bytes
    content_type: str = "application/pdf"
    description: str = ""

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.content).hexdigest()


@dataclass
class Package:
    document_id: str  # the package's own id (DocumentId), unique per send
    sender: Organ
    recipients: list[Organ]
    code_number: str  # "15"
    code_notation: str  # "QĐ-UBND"
    doc_type: str  # "QĐ"
    doc_type_name: str  # "Quyết định"
    subject: str  # trích yếu
    place: str = ""
    promulgated_on: datetime.date | None = None
    signer_name: str = ""
    signer_position: str = ""
    competence: str = ""  # TM. / KT. / TL. … (thẩm quyền ký)
    due_date: datetime.date | None = None
    steering: str = "0"  # SteeringType: 0 none, 1 for action, 2 for information (assumed)
    priority: str = "0"  # 0 normal, 1 urgent, 2 very urgent, 3 flash (assumed)
    content: str = ""
    to_places: list[str] = field(default_factory=list)
    sent_at: datetime.datetime | None = None
    attachments: list[Attachment] = field(default_factory=list)
    # Filled by the reader: the hash each attachment declared (it may differ from the content's).
    declared_hashes: dict[str, str] = field(default_factory=dict)

    @property
    def code(self) -> str:
        return f"{self.code_number}/{self.code_notation}" if self.code_number else self.code_notation


@dataclass
class StatusMessage:
    document_id: str  # the package the status is about
    sender: Organ  # who sends the status (the package's recipient)
    recipient: Organ  # the package's sender
    status: str  # a key of STATUS_CODES
    code: str = ""  # the document's number and code, for people reading it
    description: str = ""  # the reason of a refusal, the progress, …
    staff: str = ""
    at: datetime.datetime | None = None

    @property
    def label(self) -> str:
        return str(STATUS_LABELS[self.status])


# --- writing -------------------------------------------------------------------------------------


def _sub(parent, tag: str, text=None):
    node = etree.SubElement(parent, _N + tag)
    if text is not None:
        node.text = str(text)
    return node


def _organ(parent, tag: str, organ: Organ) -> None:
    node = _sub(parent, tag)
    _sub(node, "OrganId", organ.organ_id)
    _sub(node, "OrganName", organ.name)


def _envelope():
    root = etree.Element(_N + "edXML", nsmap={"edXML": NS})
    envelope = _sub(root, "edXMLEnvelope")
    header = _sub(envelope, "edXMLHeader")
    return root, envelope, header


def _iso(moment) -> str:
    return moment.isoformat() if moment else ""


def write_package(package: Package) -> bytes:
    root, envelope, header = _envelope()
    msg = _sub(header, "MessageHeader")
    _organ(msg, "From", package.sender)
    for organ in package.recipients:
        _organ(msg, "To", organ)
    code = _sub(msg, "Code")
    _sub(code, "CodeNumber", package.code_number)
    _sub(code, "CodeNotation", package.code_notation)
    info = _sub(msg, "PromulgationInfo")
    _sub(info, "Place", package.place)
    _sub(info, "PromulgationDate", _iso(package.promulgated_on))
    doc_type = _sub(msg, "DocumentType")
    _sub(doc_type, "Type", package.doc_type)
    _sub(doc_type, "TypeName", package.doc_type_name)
    _sub(msg, "Subject", package.subject)
    _sub(msg, "Content", package.content)
    author = _sub(msg, "SignerInfo")
    _sub(author, "Competence", package.competence)
    _sub(author, "Position", package.signer_position)
    _sub(author, "FullName", package.signer_name)
    _sub(msg, "DueDate", _iso(package.due_date))
    places = _sub(msg, "ToPlaces")
    for place in package.to_places:
        _sub(places, "Place", place)
    other = _sub(msg, "OtherInfo")
    _sub(other, "Priority", package.priority)
    _sub(other, "SteeringType", package.steering)
    _sub(msg, "DocumentId", package.document_id)
    trace = _sub(_sub(header, "TraceHeaderList"), "TraceHeader")
    _sub(trace, "OrganId", package.sender.organ_id)
    _sub(trace, "Timestamp", _iso(package.sent_at))
    manifest = _sub(envelope, "edXMLManifest")
    for item in package.attachments:
        ref = _sub(manifest, "Reference")
        _sub(ref, "ContentId", item.content_id)
        _sub(ref, "ContentType", item.content_type)
        _sub(ref, "AttachmentName", item.name)
        _sub(ref, "Description", item.description)
        _sub(ref, "Hash", item.sha256).set("algorithm", "SHA-256")
    attachments = _sub(root, "edXMLAttachments")
    for item in package.attachments:
        node = _sub(attachments, "Attachment", base64.b64encode(item.content).decode("ascii"))
        node.set("ContentId", item.content_id)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def write_status(message: StatusMessage) -> bytes:
    root, _envelope_node, header = _envelope()
    status = _sub(header, "Status")
    _organ(status, "From", message.sender)
    _organ(status, "To", message.recipient)
    _sub(status, "ResponseFor").text = message.document_id
    _sub(status, "Code", message.code)
    _sub(status, "StatusCode", STATUS_CODES[message.status])
    _sub(status, "Description", message.description)
    _sub(status, "Timestamp", _iso(message.at))
    _sub(status, "StaffInfo", message.staff)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


# --- reading -------------------------------------------------------------------------------------

# huge_tree: libxml2 otherwise refuses a text node over 10 MB, i.e. an attachment over ~7.5 MB in
# base64. What huge_tree would let through (entity expansion, deep nesting of a huge file) is
# already closed: no DOCTYPE, no entities, and the whole input capped at MAX_PACKAGE_BYTES first.
_PARSER = etree.XMLParser(
    resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False, huge_tree=True, remove_pis=True
)


def _parse(raw: bytes):
    if not isinstance(raw, bytes | bytearray) or not raw.strip():
        raise EdxmlError(_("Gói tin EDXML rỗng."), code="edxml_empty")
    if len(raw) > MAX_PACKAGE_BYTES:
        raise EdxmlError(
            _("Gói tin EDXML vượt quá dung lượng cho phép (%(mb)d MB).") % {"mb": MAX_PACKAGE_BYTES // 1024 // 1024},
            code="edxml_too_large",
            status=413,
        )
    if b"<!DOCTYPE" in raw[:4096].upper() or b"<!ENTITY" in raw.upper():
        raise EdxmlError(_("Gói tin EDXML chứa khai báo DOCTYPE/ENTITY không được phép."), code="edxml_unsafe")
    try:
        root = etree.fromstring(bytes(raw), _PARSER)
    except etree.XMLSyntaxError:
        raise EdxmlError(_("Gói tin EDXML không phải XML hợp lệ."), code="edxml_malformed") from None
    if root.getroottree().docinfo.doctype or root.tag != _N + "edXML":
        raise EdxmlError(_("Gói tin không theo định dạng EDXML (QCVN 102:2016)."), code="edxml_invalid")
    return root


def _missing(path: str) -> EdxmlError:
    return EdxmlError(_("Gói tin EDXML thiếu trường bắt buộc %(path)s.") % {"path": path}, code="edxml_invalid")


def _find(node, path: str):
    found = node.find(_N + path.replace("/", "/" + _N))
    if found is None:
        raise _missing(path)
    return found


def _get(node, path: str, *, required: bool = False) -> str:
    found = node.find(_N + path.replace("/", "/" + _N))
    value = (found.text or "").strip() if found is not None else ""
    if required and not value:
        raise _missing(path)
    return value


def _read_organ(node) -> Organ:
    return Organ(organ_id=_get(node, "OrganId", required=True), name=_get(node, "OrganName"))


def _date(value: str, path: str) -> datetime.date | None:
    if not value:
        return None
    try:
        return datetime.date.fromisoformat(value[:10])
    except ValueError:
        raise EdxmlError(_("Trường %(path)s không phải ngày hợp lệ.") % {"path": path}, code="edxml_invalid") from None


def _moment(value: str, path: str) -> datetime.datetime | None:
    if not value:
        return None
    try:
        return datetime.datetime.fromisoformat(value)
    except ValueError:
        raise EdxmlError(
            _("Trường %(path)s không phải thời điểm hợp lệ.") % {"path": path}, code="edxml_invalid"
        ) from None


def read_package(raw: bytes) -> Package:
    root = _parse(raw)
    msg = _find(root, "edXMLEnvelope/edXMLHeader/MessageHeader")
    recipients = [_read_organ(node) for node in msg.findall(_N + "To")]
    if not recipients:
        raise _missing("MessageHeader/To")
    refs = {}
    manifest = root.find(_N + "edXMLEnvelope/" + _N + "edXMLManifest")
    for ref in manifest.findall(_N + "Reference") if manifest is not None else []:
        refs[_get(ref, "ContentId", required=True)] = ref
    if len(refs) > MAX_ATTACHMENTS:
        raise EdxmlError(_("Gói tin EDXML có quá nhiều tệp đính kèm."), code="edxml_too_many_attachments")
    attachments, hashes = [], {}
    store = root.find(_N + "edXMLAttachments")
    for node in store.findall(_N + "Attachment") if store is not None else []:
        content_id = node.get("ContentId") or ""
        ref = refs.get(content_id)
        if ref is None:
            raise EdxmlError(
                _("Tệp đính kèm %(id)s không có trong danh mục của gói tin.") % {"id": content_id[:60]},
                code="edxml_invalid",
            )
        try:
            content = base64.b64decode((node.text or "").encode("ascii"), validate=True)
        except (binascii.Error, UnicodeEncodeError, ValueError):
            raise EdxmlError(
                _("Tệp đính kèm %(id)s không giải mã được (base64).") % {"id": content_id[:60]}, code="edxml_invalid"
            ) from None
        attachments.append(
            Attachment(
                content_id=content_id,
                name=_get(ref, "AttachmentName") or content_id,
                content=content,
                content_type=_get(ref, "ContentType") or "application/octet-stream",
                description=_get(ref, "Description"),
            )
        )
        hashes[content_id] = _get(ref, "Hash").lower()
    if set(refs) - {a.content_id for a in attachments}:
        raise EdxmlError(_("Gói tin EDXML thiếu tệp đính kèm đã khai trong danh mục."), code="edxml_invalid")
    places = msg.find(_N + "ToPlaces")
    return Package(
        document_id=_get(msg, "DocumentId", required=True),
        sender=_read_organ(_find(msg, "From")),
        recipients=recipients,
        code_number=_get(msg, "Code/CodeNumber"),
        code_notation=_get(msg, "Code/CodeNotation", required=True),
        doc_type=_get(msg, "DocumentType/Type", required=True),
        doc_type_name=_get(msg, "DocumentType/TypeName"),
        subject=_get(msg, "Subject", required=True),
        place=_get(msg, "PromulgationInfo/Place"),
        promulgated_on=_date(_get(msg, "PromulgationInfo/PromulgationDate"), "PromulgationDate"),
        signer_name=_get(msg, "SignerInfo/FullName"),
        signer_position=_get(msg, "SignerInfo/Position"),
        competence=_get(msg, "SignerInfo/Competence"),
        due_date=_date(_get(msg, "DueDate"), "DueDate"),
        steering=_get(msg, "OtherInfo/SteeringType") or "0",
        priority=_get(msg, "OtherInfo/Priority") or "0",
        content=_get(msg, "Content"),
        to_places=[(p.text or "").strip() for p in places.findall(_N + "Place")] if places is not None else [],
        sent_at=_moment(_get(root, "edXMLEnvelope/edXMLHeader/TraceHeaderList/TraceHeader/Timestamp"), "Timestamp"),
        attachments=attachments,
        declared_hashes=hashes,
    )


def read_status(raw: bytes) -> StatusMessage:
    root = _parse(raw)
    node = _find(root, "edXMLEnvelope/edXMLHeader/Status")
    code = _get(node, "StatusCode", required=True)
    if code not in STATUS_NAMES:
        raise EdxmlError(_("Mã trạng thái %(code)s không được hỗ trợ.") % {"code": code[:10]}, code="edxml_invalid")
    return StatusMessage(
        document_id=_get(node, "ResponseFor", required=True),
        sender=_read_organ(_find(node, "From")),
        recipient=_read_organ(_find(node, "To")),
        status=STATUS_NAMES[code],
        code=_get(node, "Code"),
        description=_get(node, "Description"),
        staff=_get(node, "StaffInfo"),
        at=_moment(_get(node, "Timestamp"), "Timestamp"),
    )


def kind_of(raw: bytes) -> str:
    """ "status" or "package": which message the bytes hold (after the same safety checks)."""
    root = _parse(raw)
    return "status" if root.find(_N + "edXMLEnvelope/" + _N + "edXMLHeader/" + _N + "Status") is not None else "package"
