from django.urls import path

from .desk import desk_index_view, desk_view
from .figures import figures_view, figures_xlsx_view
from .follow import follow_view
from .kiosk import kiosk_view, slip_view

urlpatterns = [
    path("kiosk/<int:office_id>/", kiosk_view, name="kiosk"),
    path("kiosk/<int:office_id>/phieu/<str:token>/", slip_view, name="slip"),
    path("theo-doi/<str:token>/", follow_view, name="follow"),
    path("quay/", desk_index_view, name="desks"),
    path("quay/<int:counter_id>/", desk_view, name="desk"),
    path("thong-ke/", figures_view, name="figures"),
    path("thong-ke.xlsx", figures_xlsx_view, name="figures_xlsx"),
]
