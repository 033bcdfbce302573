from django.urls import path

from . import views, views_accounts, views_national, views_people

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("readyz", views.readyz, name="readyz"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("dang-nhap/", views_accounts.login_view, name="login"),
    path("dang-nhap/dinh-danh/", views_national.national_login_start, name="national_login"),
    path("dang-nhap/dinh-danh/ve/", views_national.national_login_callback, name="national_login_callback"),
    path("dang-xuat/", views_accounts.logout_view, name="logout"),
    path("dang-ky/", views_accounts.register_view, name="register"),
    path("tai-khoan/", views_accounts.account_view, name="account"),
    path("tai-khoan/xac-thuc-hai-buoc/", views_accounts.totp_setup_view, name="totp_setup"),
    path("can-bo/cong-dan/", views_people.person_list_view, name="person_list"),
    path("can-bo/cong-dan/moi/", views_people.person_create_view, name="person_create"),
    path("can-bo/cong-dan/<int:pk>/", views_people.person_detail_view, name="person_detail"),
]
