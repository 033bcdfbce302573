"""POST requests: a form shaped as GeoReport v2 turned into a `report_submit` call.

Validation here is only about the wire format (api_key, numbers, attribute lists); what a report
must be (inside the province, a description, a known commune) is `report_submit`'s to say.
"""

import re

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from motcua.core.errors import DomainError, PermissionDenied
from motcua.core.net import client_address
from motcua.core.selectors.units import communes_of, unit_get_province
from motcua.core.text import fold
from motcua.fieldreports.services.submit import report_submit

from . import selectors
from .clients import open311_client_authenticate
from .formats import render
from .serializers import service_notice

# The specification lets a server cap description at 4,000 characters.
MAX_DESCRIPTION = 4000
# Where the core's message speaks to a citizen at a form, a client system needs to know which field.
SUBMIT_MESSAGES = {
    "unit_required": gettext_lazy(
        "Không xác định được xã, phường nơi phản ánh: vui lòng ghi tên xã, phường trong address_string "
        "(ví dụ «Ấp 3, xã Tân Thành»)."
    ),
    "category_invalid": gettext_lazy("Loại phản ánh (service_code) không còn nhận phản ánh."),
    "phone_invalid": gettext_lazy("Số điện thoại (phone) không hợp lệ."),
    "email_invalid": gettext_lazy("Địa chỉ thư điện tử (email) không hợp lệ."),
    "description_required": gettext_lazy("Thiếu nội dung phản ánh (description)."),
}
_ATTRIBUTE_KEY = re.compile(r"^attribute\[([^\]]+)\](\[\])?$")


def _bad(message: str, code: str) -> DomainError:
    return DomainError(message, code=code, status=400)


def _point(data) -> tuple[float, float]:
    lat_raw, lon_raw = (data.get("lat") or "").strip(), (data.get("long") or "").strip()
    if not lat_raw and not lon_raw:
        if (data.get("address_string") or "").strip():
            # No geocoder: an address alone cannot be placed on the map or checked against the province.
            raise _bad(
                _(
                    "Hệ thống cần tọa độ nơi phản ánh (lat, long); chưa hỗ trợ xác định vị trí chỉ từ địa chỉ "
                    "(address_string). Vui lòng gửi kèm lat và long."
                ),
                "location_required",
            )
        raise _bad(_("Thiếu vị trí: cần gửi lat và long của nơi phản ánh."), "location_required")
    try:
        lat, lon = float(lat_raw), float(lon_raw)
    except ValueError:
        raise _bad(
            _("lat và long phải là số thập phân (WGS 84), ví dụ lat=9.1769, long=105.1524."), "location_invalid"
        ) from None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise _bad(_("lat hoặc long nằm ngoài giới hạn tọa độ."), "location_invalid")
    return lat, lon


def _attribute_answers(data) -> dict[str, list[str]]:
    answers: dict[str, list[str]] = {}
    for key in data:
        match = _ATTRIBUTE_KEY.match(key)
        if match:
            values = [v.strip() for v in data.getlist(key) if v.strip()]
            answers.setdefault(match.group(1), []).extend(values)
    return answers


def _attributes(category, data) -> dict:
    """Answers checked against the service definition; codes it does not define are dropped."""
    answers = _attribute_answers(data)
    clean: dict = {}
    for spec in category.attributes or ():
        if not isinstance(spec, dict) or not spec.get("code"):
            continue
        code, label = spec["code"], spec.get("label") or spec.get("description") or spec["code"]
        names = {"label": label, "code": code}
        values = answers.get(code, [])
        if not values:
            if spec.get("required") and spec.get("variable", True):
                raise _bad(
                    _("Thiếu thông tin bắt buộc «%(label)s» (attribute[%(code)s]).") % names, "attribute_required"
                )
            continue
        datatype = spec.get("datatype", "string")
        keys = {str(v.get("key")) for v in spec.get("values") or ()}
        if datatype == "singlevaluelist":
            if len(values) != 1 or values[0] not in keys:
                raise _bad(
                    _("Giá trị của «%(label)s» (attribute[%(code)s]) không có trong danh sách.") % names,
                    "attribute_invalid",
                )
            clean[code] = values[0]
        elif datatype == "multivaluelist":
            if not set(values) <= keys:
                raise _bad(
                    _("Giá trị của «%(label)s» (attribute[%(code)s]) không có trong danh sách.") % names,
                    "attribute_invalid",
                )
            clean[code] = values
        elif datatype == "number":
            try:
                clean[code] = float(values[0])
            except ValueError:
                raise _bad(_("«%(label)s» (attribute[%(code)s]) phải là số.") % names, "attribute_invalid") from None
        else:
            clean[code] = values[0][:1000]
    return clean


def _names(unit) -> set[str]:
    full = unit.name.strip().lower()
    bare = re.sub(r"^(xã|phường|đặc khu)\s+", "", full)
    return {full, bare} if bare else {full}


def _unit_from_address(address: str):
    """The commune an address names (with its accents first, then folded), when exactly one fits.

    Open311 has no commune field, and report_submit can only guess one from earlier reports nearby.
    """
    if not address:
        return None
    province = _province()
    if province is None:
        return None
    communes = list(communes_of(province))
    lowered, folded = f" {address.lower()} ", f" {fold(address)} "
    for haystack, norm in ((lowered, lambda name: name), (folded, fold)):
        found = {}
        for unit in communes:
            for name in _names(unit):
                key = norm(name)
                if key and re.search(rf"(?<!\w){re.escape(key)}(?!\w)", haystack):
                    found[unit.pk] = (max(len(key), found.get(unit.pk, (0, None))[0]), unit)
        if found:
            best = max(length for length, _unit in found.values())
            winners = [unit for length, unit in found.values() if length == best]
            return winners[0] if len(winners) == 1 else None
    return None


def _province():
    try:
        return unit_get_province()
    except DomainError:
        return None


def _client_meta(data) -> dict:
    meta = {}
    url = (data.get("media_url") or "").strip()
    if url:
        try:
            URLValidator(schemes=["http", "https"])(url)
        except ValidationError:
            raise _bad(_("media_url phải là địa chỉ http(s) hợp lệ."), "media_url_invalid") from None
        meta["media_url"] = url[:500]
    for name in ("device_id", "account_id"):
        value = (data.get(name) or "").strip()
        if value:
            meta[name] = value[:120]
    return meta


def submit_from_post(request, fmt: str):
    data = request.POST
    client = open311_client_authenticate(api_key=data.get("api_key") or request.GET.get("api_key"))
    if client is None:
        raise PermissionDenied(_("api_key chưa được gửi hoặc không hợp lệ."))
    code = (data.get("service_code") or "").strip()
    if not code:
        raise _bad(_("Thiếu service_code (loại phản ánh)."), "service_code_required")
    category = selectors.service_get(code)
    lat, lon = _point(data)
    attributes = _attributes(category, data)
    meta = _client_meta(data)
    description = (data.get("description") or "").strip()
    if len(description) > MAX_DESCRIPTION:
        raise _bad(
            _("Nội dung (description) không được quá %(max)s ký tự.") % {"max": MAX_DESCRIPTION}, "description_too_long"
        )
    # Vietnamese names are family name first.
    name = " ".join(
        part for part in ((data.get("last_name") or "").strip(), (data.get("first_name") or "").strip()) if part
    )
    address = (data.get("address_string") or "").strip()[:255]
    try:
        with transaction.atomic():
            report = report_submit(
                category=category,
                description=description,
                lat=lat,
                lon=lon,
                unit=_unit_from_address(address),
                address=address,
                reporter_name=name[:120],
                reporter_phone=(data.get("phone") or "").strip(),
                reporter_email=(data.get("email") or "").strip(),
                attributes=attributes,
                channel="open311",
                open311_client=client,
                client_address=client_address(request),
            )
            if meta:
                # report_submit keeps only the category's own attributes; the client's link and
                # identifiers go beside them, in the same transaction.
                report.attributes = {**report.attributes, "open311": meta}
                report.save(update_fields=["attributes", "updated_at"])
    except DomainError as exc:
        if exc.status == 429:
            raise  # over the hourly limit: 429, not a fault in the request
        # Whatever the core refuses is the client's input to fix: 400 with the reason in Vietnamese.
        raise _bad(str(SUBMIT_MESSAGES.get(exc.code, exc.message)), exc.code) from exc
    data_out = [
        {
            "service_request_id": report.code,
            "token": str(report.token),
            "service_notice": service_notice(category, urgent=report.urgent),
            "account_id": None,
        }
    ]
    return render(data_out, fmt, root="service_requests", item="request", status=201)
