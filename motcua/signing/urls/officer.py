from django.urls import path, re_path

from motcua.dossiers.selectors import CODE_PATTERN

from ..views import officer as views

app_name = "signing"

urlpatterns = [
    path("", views.certificates_view, name="certificates"),
    path("<int:pk>/ngung-dung/", views.certificate_deactivate_view, name="certificate_deactivate"),
    re_path(
        rf"^ho-so/(?P<code>{CODE_PATTERN})/ket-qua/(?P<document_id>[0-9]+)/ky/$",
        views.result_sign_view,
        name="result_sign",
    ),
]
