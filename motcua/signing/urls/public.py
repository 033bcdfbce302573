from django.urls import path

from ..views import public as views_public

app_name = "verify"

urlpatterns = [
    path("", views_public.verify_home, name="home"),
    path("<str:token>/", views_public.verify_token, name="token"),
    path("<str:token>/tai-ve/", views_public.verify_download, name="download"),
]
