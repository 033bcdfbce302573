from django.urls import path

from . import views

app_name = "verification"
urlpatterns = [
    path("nhan-ho-so/", views.claim_start_view, name="claim_start"),
    path("nhan-ho-so/xac-nhan/", views.claim_complete_view, name="claim_complete"),
    path("quen-mat-khau/", views.reset_start_view, name="reset_start"),
    path("quen-mat-khau/dat-lai/", views.reset_complete_view, name="reset_complete"),
    path("tai-khoan/doi-mat-khau/", views.password_change_view, name="password_change"),
    path("tai-khoan/doi-so-dien-thoai/", views.phone_change_view, name="phone_change"),
    path("can-bo/cong-dan/<int:pk>/xac-minh-tai-khoan/", views.desk_verify_view, name="desk_verify"),
]
