from django.urls import path

from .views import accounts, national, people, site, voice

app_name = "core"
urlpatterns = [
    path("healthz", site.healthz, name="healthz"),
    path("readyz", site.readyz, name="readyz"),
    path("favicon.ico", site.favicon, name="favicon"),
    path("am-thanh/chuong.wav", voice.chime, name="chime"),
    path("am-thanh/<str:signature>.wav", voice.speech, name="speech"),
    path("dang-nhap/", accounts.login_view, name="login"),
    path("dang-nhap/dinh-danh/", national.national_login_start, name="national_login"),
    path("dang-nhap/dinh-danh/ve/", national.national_login_callback, name="national_login_callback"),
    path("dang-xuat/", accounts.logout_view, name="logout"),
    path("dang-ky/", accounts.register_view, name="register"),
    path("tai-khoan/", accounts.account_view, name="account"),
    path("tai-khoan/xac-thuc-hai-buoc/", accounts.totp_setup_view, name="totp_setup"),
    path("can-bo/cong-dan/", people.person_list_view, name="person_list"),
    path("can-bo/cong-dan/moi/", people.person_create_view, name="person_create"),
    path("can-bo/cong-dan/<int:pk>/", people.person_detail_view, name="person_detail"),
]
