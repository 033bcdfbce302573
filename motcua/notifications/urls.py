from django.urls import path

from . import views

app_name = "notifications"
urlpatterns = [
    path("cua-toi/", views.my_messages_view, name="mine"),
    path("tu-choi-dien-rong/", views.opt_out_view, name="opt_out"),
]
