from django.urls import path

from . import views

app_name = "broadcasts"

urlpatterns = [
    path("", views.broadcast_list, name="list"),
    path("soan-moi/", views.broadcast_new, name="new"),
    path("uoc-tinh/", views.broadcast_preview, name="preview"),
    path("<int:broadcast_id>/", views.broadcast_detail, name="detail"),
    path("<int:broadcast_id>/sua/", views.broadcast_edit, name="edit"),
    path("<int:broadcast_id>/tien-do/", views.broadcast_progress, name="progress"),
    path("<int:broadcast_id>/danh-sach/", views.broadcast_csv, name="csv"),
    path("<int:broadcast_id>/bao-cao.csv", views.broadcast_report_csv, name="report_csv"),
    path("<int:broadcast_id>/<slug:action>/", views.broadcast_action, name="action"),
]
