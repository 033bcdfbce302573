"""/bien-lai/: e-receipt pages. Fixed paths first; the public verification token matches last."""

from django.urls import path, re_path

from motcua.dossiers.selectors import CODE_PATTERN

from . import views

app_name = "receipts"

urlpatterns: list = [
    path("can-bo/", views.officer_list_view, name="officer_list"),
    path("so/<int:pk>/", views.detail_view, name="detail"),
    path("so/<int:pk>/pdf/", views.pdf_view, name="pdf"),
    path("so/<int:pk>/huy/", views.cancel_view, name="cancel"),
    path("so/<int:pk>/thay-the/", views.replace_view, name="replace"),
    re_path(rf"^ho-so/(?P<code>{CODE_PATTERN})/$", views.dossier_receipts_view, name="dossier"),
    # Tokens are secrets.token_urlsafe(16): 22 characters of [A-Za-z0-9_-].
    re_path(r"^(?P<token>[A-Za-z0-9_-]{16,32})/$", views.verify_view, name="verify"),
]
