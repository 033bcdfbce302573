"""Open311 GeoReport v2 wire formats: the same data as JSON or XML, errors, and w3c datetimes."""

import datetime
import json
import xml.etree.ElementTree as ET

from django.http import HttpResponse
from django.utils import timezone

FORMATS = ("json", "xml")
# The specification asks for this exact declaration before the root element.
XML_DECLARATION = b'<?xml version="1.0" encoding="UTF-8"?>\n'
CONTENT_TYPES = {"json": "application/json; charset=utf-8", "xml": "text/xml; charset=utf-8"}

# A list under one of these keys becomes repeated child elements of this name in XML
# (`<attributes><attribute>…</attribute></attributes>`), as the specification's examples show.
XML_ITEM_NAMES = {
    "attributes": "attribute",
    "values": "value",
    "endpoints": "endpoint",
    "formats": "format",
}


def w3c(value: datetime.datetime | None) -> str | None:
    """A w3c datetime in the province's time (+07:00), whole seconds."""
    if value is None:
        return None
    return timezone.localtime(value).isoformat(timespec="seconds")


def _xml_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _xml_fill(element: ET.Element, value, name: str) -> None:
    if isinstance(value, dict):
        for key, child in value.items():
            _xml_fill(ET.SubElement(element, key), child, key)
    elif isinstance(value, list | tuple):
        item_name = XML_ITEM_NAMES.get(name, "item")
        for child in value:
            _xml_fill(ET.SubElement(element, item_name), child, item_name)
    else:
        element.text = _xml_text(value)


def to_xml(data, *, root: str, item: str | None = None) -> bytes:
    """`data` is a dict (one root object) or a list of dicts (each an `item` under `root`)."""
    top = ET.Element(root)
    if isinstance(data, list):
        for entry in data:
            _xml_fill(ET.SubElement(top, item or "item"), entry, item or "item")
    else:
        _xml_fill(top, data, root)
    return XML_DECLARATION + ET.tostring(top, encoding="unicode").encode()


def render(data, fmt: str, *, root: str, item: str | None = None, status: int = 200) -> HttpResponse:
    body = to_xml(data, root=root, item=item) if fmt == "xml" else json.dumps(data, ensure_ascii=False).encode()
    return HttpResponse(body, status=status, content_type=CONTENT_TYPES[fmt])


def render_errors(fmt: str, status: int, *descriptions: str) -> HttpResponse:
    """The specification's error list: `[{"code", "description"}]` / `<errors><error>…`."""
    errors = [{"code": status, "description": str(text)} for text in descriptions]
    return render(errors, fmt if fmt in FORMATS else "json", root="errors", item="error", status=status)
