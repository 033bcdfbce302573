"""Queue API under /api/v1/queue/."""

from ninja import Router

router = Router(tags=["Xếp hàng"])
