from django.urls import path

from . import desk, public

urlpatterns = [
    path("", public.index, name="index"),
    path("don-vi/<int:office_id>/", public.office, name="office"),
    path("nhom/<int:group_id>/", public.group, name="group"),
    path("nhom/<int:group_id>/xac-nhan/", public.confirm, name="confirm"),
    path("lich-hen/<str:code>/", public.booking, name="booking"),
    path("lich-hen/<str:code>/huy/", public.cancel, name="cancel"),
    path("lich-hen/<str:code>/doi-gio/", public.move, name="move"),
    path("tra-cuu/", public.lookup, name="lookup"),
    path("check-in/<int:office_id>/", desk.checkin, name="checkin"),
    path("quay/", desk.desk, name="desk"),
]
