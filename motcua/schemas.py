"""Schemas shared by every API router (kept apart from motcua.api to avoid import cycles)."""

from ninja import Schema


class ErrorOut(Schema):
    """Every API error: a machine-readable code and a Vietnamese message."""

    code: str
    message: str
    details: list[dict] | dict | None = None
