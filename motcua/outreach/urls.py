from django.urls import path

from .views import households, visits

app_name = "outreach"
urlpatterns = [
    path("", visits.home_view, name="home"),
    path("ghi-nhan/", visits.record_view, name="record"),
    path("ho/", households.household_list_view, name="households"),
    path("ho/nhap/", households.household_import_view, name="household_import"),
    path("ho/<int:pk>/", households.household_detail_view, name="household"),
    path("to/<int:pk>/", visits.team_detail_view, name="team"),
    path("sw.js", visits.service_worker_view, name="service_worker"),
]
