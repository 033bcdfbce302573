"""/thanh-toan/: the citizen's payment page and the cash desk. Nothing here starts with "kenh/"
(the payment channels' prefix, `channels/urls.py`, included after this module)."""

from django.urls import path, re_path

from motcua.dossiers.selectors import CODE_PATTERN

from .views import desk, portal

app_name = "payments"

urlpatterns: list = [
    path("thu-ngan/", desk.desk_list_view, name="desk"),
    path("thu-ngan/chua-xac-dinh/", desk.desk_unmatched_view, name="desk_unmatched"),
    path("thu-ngan/yeu-cau/<str:reference>/", desk.desk_request_view, name="desk_request"),
    re_path(rf"^thu-ngan/ho-so/(?P<code>{CODE_PATTERN})/lap-yeu-cau/$", desk.desk_create_view, name="desk_create"),
    path("yeu-cau/<str:reference>/vietqr.png", portal.qr_png_view, name="qr_png"),
    re_path(rf"^ho-so/(?P<code>{CODE_PATTERN})/$", portal.pay_view, name="dossier_pay"),
]
