"""Progress pages; included from motcua/urls.py under /to-cong-nghe-so/tien-do/."""

from django.urls import path

from motcua.outreach.progress import views

app_name = "outreach_progress"
urlpatterns = [
    path("", views.progress_home, name="home"),
    path("tinh/", views.province_page, name="province"),
    path("tinh/excel/", views.province_export, name="province_export"),
    path("xa/<str:code>/", views.commune_page, name="commune"),
    path("xa/<str:code>/excel/", views.commune_export, name="commune_export"),
    path("xa/<str:code>/muc-tieu/", views.targets_page, name="targets"),
]
