from ninja import Router

router = Router(tags=["fieldreports-map"])
