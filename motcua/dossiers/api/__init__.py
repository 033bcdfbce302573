"""Dossier API: intake, reads and lookup, and actions, each a thin router."""

from ninja import Router

from . import actions, intake, reads

router = Router(tags=["Hồ sơ"])
for _module in (intake, reads, actions):
    router.add_router("", _module.router)
