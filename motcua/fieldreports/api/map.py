"""Public map data: `GET /api/v1/phan-anh/ban-do?bbox=w,s,e,n&zoom=z&category=&status=&unit=&from=&to=`.

Anonymous, read-only, public reports only (no reporter data). The answer is compact JSON:
`{"k": "c", "l": level, "n": total, "c": [[lat, lon, count], ...]}` (clusters) or
`{"k": "p", "n": total, "more": bool, "p": [[code, lat, lon, category, status, overdue, title], ...]}`
(points); see `motcua.fieldreports.selectors.map` for how the grid level follows the viewport
(`bbox` span; `zoom` ≥ 18 always gives points) and which filters stay flat. `category` is a
category code (a group means its leaves), `status` "open", "closed", "overdue" or one status,
`unit` a commune id, `date_from`/`date_to` ISO dates. Errors are `{code, message}` (422
`bbox_invalid`, `category_invalid`, `status_invalid`, `period_invalid`).
"""

import datetime

from django.http import HttpResponse
from django.utils.translation import gettext as _
from ninja import Router

from motcua.core.errors import DomainError
from motcua.fieldreports.selectors import map as selectors_map
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
    body = selectors_map.map_json(
        bbox=selectors_map.parse_bbox(bbox),
        zoom=max(0, min(zoom, 22)),
        category=category.strip() or None,
        status=status.strip() or None,
        unit_id=unit,
        date_from=_date(date_from.strip()),
        date_to=_date(date_to.strip()),
    )
    response = HttpResponse(body, content_type="application/json")
    # Public and identical for everyone; a short cache spares the server when many people pan the map.
    response["Cache-Control"] = "public, max-age=30"
    return response
