from django.contrib import admin
from django.urls import include, path

from motcua.api import api

urlpatterns = [
    path("api/v1/", api.urls),
    path("quan-tri/", admin.site.urls),
    path("thu-tuc/", include("motcua.catalog.urls")),
    path("ho-so/", include("motcua.dossiers.urls")),
    path("", include("motcua.core.urls")),
]

handler404 = "motcua.core.views.page_not_found"
handler500 = "motcua.core.views.server_error"
