"""Public map data: `GET /api/v1/phan-anh/ban-do?bbox=w,s,e,n&zoom=z&category=&status=&unit=&from=&to=`.

Anonymous, read-only. The answer is compact JSON (short keys, rounded coordinates) described in
`motcua.fieldreports.selectors_map.map_data`; errors are `{code, message}` (422 `bbox_invalid`,
`category_invalid`, `status_invalid`, `period_invalid`).
"""

import datetime
import json

from django.http import HttpResponse
from django.utils.translation import gettext as _
from ninja import Router

from motcua.core.errors import DomainError
from motcua.fieldreports import selectors_map
from motcua.schemas import ErrorOut

router = Router(tags=["Phản ánh – bản đồ"])


def _date(value: str | None) -> datetime.date | None:
    if not value:
        return None
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise DomainError(_("Khoảng thời gian không hợp lệ."), code="period_invalid", status=422) from None


@router.get("/phan-anh/ban-do", response={200: dict, 422: ErrorOut}, auth=None, url_name="fieldreports_map")
def map_view(
    request,
    bbox: str,
    zoom: int = 10,
    category: str = "",
    status: str = "",
    unit: int | None = None,
    date_from: str = "",
    date_to: str = "",
):
    data = selectors_map.map_data(
        bbox=selectors_map.parse_bbox(bbox),
        zoom=max(0, min(zoom, 22)),
        category=category.strip() or None,
        status=status.strip() or None,
        unit_id=unit,
        date_from=_date(date_from.strip()),
        date_to=_date(date_to.strip()),
    )
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, separators=(",", ":")), content_type="application/json"
    )
    # Public and identical for everyone; a short cache spares the server when many people pan the map.
    response["Cache-Control"] = "public, max-age=30"
    return response
