from django.urls import path

from . import views

app_name = "notifications"
urlpatterns = [
    path("tu-choi-dien-rong/", views.opt_out_view, name="opt_out"),
]
