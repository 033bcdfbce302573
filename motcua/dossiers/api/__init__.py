"""Dossier API: intake, reads and lookup, and actions, each a thin router."""

from ninja import Router

router = Router(tags=["Hồ sơ"])


def _collect() -> None:
    import importlib

    for name in ("intake", "reads", "actions"):
        try:
            module = importlib.import_module(f"{__name__}.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"{__name__}.{name}":
                raise
            continue
        router.add_router("", module.router)


_collect()
