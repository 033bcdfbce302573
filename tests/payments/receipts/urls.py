"""The project's URLs for these tests, or, while another app's URL module is mid-edit and does not
import, just the parts receipts need (the API, dossiers, receipts, core, catalog)."""

from django.urls import include, path

try:
    from motcua.urls import urlpatterns
except ImportError:
    from django.contrib import admin

    from motcua.api import api

    urlpatterns = [
        path("api/v1/", api.urls),
        path("quan-tri/", admin.site.urls),
        path("thu-tuc/", include("motcua.catalog.urls")),
        path("ho-so/", include("motcua.dossiers.urls")),
        path("bien-lai/", include("motcua.payments.receipts.urls")),
        path("", include("motcua.core.urls")),
    ]
