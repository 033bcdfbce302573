"""Parsing of page filters (the same names the API uses)."""

from __future__ import annotations

import datetime

from motcua.core.shortcuts import id_param, year_param


def _date(value: str | None) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(value) if value else None
    except ValueError:
        return None


def search_filters(params, *, incoming: bool = True) -> dict:
    filters = {
        "q": (params.get("q") or "")[:200],
        "year": year_param(params.get("year")),
        "doc_type": (params.get("type") or "")[:10],
        "status": (params.get("status") or "")[:12],
        "date_from": _date(params.get("from")),
        "date_to": _date(params.get("to")),
    }
    if incoming:
        filters["assignee_id"] = id_param(params.get("assignee"))
    return filters
