from django.urls import path

from . import views

app_name = "outreach"
urlpatterns = [
    path("", views.home_view, name="home"),
    path("ghi-nhan/", views.record_view, name="record"),
    path("ho/", views.household_list_view, name="households"),
    path("ho/nhap/", views.household_import_view, name="household_import"),
    path("ho/<int:pk>/", views.household_detail_view, name="household"),
    path("to/<int:pk>/", views.team_detail_view, name="team"),
    path("sw.js", views.service_worker_view, name="service_worker"),
]
