from ninja import Router

router = Router(tags=["payment-channels"])
