"""Loading what the province configures: the category tree and the service area.

Both loaders are idempotent: they update rows by code, so running them again after editing the
JSON changes what changed and nothing else. Categories missing from the file are left alone
(reports still point at them); an administrator deactivates them in the admin.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

from django.db import transaction

from motcua.core.models import Unit

from ..models import ReportCategory, ServiceArea

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
CATEGORIES_FILE = DATA_DIR / "categories.json"
_FIELDS = ("name", "description", "deadline_days", "allows_urgent", "urgent_hours", "attributes", "keywords")


def _values(entry: dict, order: int, parent: ReportCategory | None) -> dict:
    return {
        "parent": parent,
        "name": entry["name"],
        "description": entry.get("description", ""),
        "deadline_days": Decimal(str(entry.get("deadline_days", 5))),
        "allows_urgent": bool(entry.get("allows_urgent", False)),
        "urgent_hours": int(entry.get("urgent_hours", 24)),
        "attributes": entry.get("attributes", []),
        "keywords": entry.get("keywords", ""),
        "order": order,
        "is_active": True,
    }


def categories_load(path: Path | str = CATEGORIES_FILE) -> dict:
    """Create or update the category tree from JSON; returns counts {"created", "updated", "unchanged"}."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    counts = {"created": 0, "updated": 0, "unchanged": 0}

    def save(entry: dict, order: int, parent: ReportCategory | None) -> ReportCategory:
        values = _values(entry, order, parent)
        category = ReportCategory.objects.filter(code=entry["code"]).first()
        if category is None:
            counts["created"] += 1
            return ReportCategory.objects.create(code=entry["code"], **values)
        changed = [k for k, v in values.items() if getattr(category, k) != v]
        if not changed:
            counts["unchanged"] += 1
            return category
        for key in changed:
            setattr(category, key, values[key])
        category.save(update_fields=[*changed, "updated_at"])
        counts["updated"] += 1
        return category

    with transaction.atomic():
        for i, group in enumerate(data["categories"], start=1):
            parent = save(group, i * 10, None)
            for j, leaf in enumerate(group.get("children", []), start=1):
                save(leaf, j, parent)
    return counts


def service_area_load(*, province: Unit, path: Path | str | None = None) -> ServiceArea:
    """The province's service area from `data/service_area_<code>.json` (idempotent)."""
    path = Path(path) if path else DATA_DIR / f"service_area_{province.code}.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    values = {
        "geometry": data["geometry"],
        "center_lat": data["center_lat"],
        "center_lon": data["center_lon"],
        "zoom": data.get("zoom", 9),
        "is_active": True,
    }
    area, _created = ServiceArea.objects.update_or_create(unit=province, defaults=values)
    return area
