"""Pages for dossiers. Each views module publishes its own `urlpatterns`; they are joined here."""

import importlib

app_name = "dossiers"
urlpatterns = []
for _name in ("portal", "desk", "officer", "public"):
    try:
        _module = importlib.import_module(f"motcua.dossiers.views.{_name}")
    except ModuleNotFoundError as exc:
        if exc.name != f"motcua.dossiers.views.{_name}":
            raise
        continue
    urlpatterns += _module.urlpatterns
