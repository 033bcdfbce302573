"""Catalog endpoints: procedure search and detail."""

from ninja import Router

router = Router(tags=["Thủ tục hành chính"])
