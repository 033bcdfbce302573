from django.urls import path

from . import views

app_name = "payment_channels"

urlpatterns = [
    path("sao-ke/", views.statements, name="statements"),
    path("sao-ke/<int:pk>/", views.statement_detail, name="statement_detail"),
    path("cong/bat-dau/<str:reference>/", views.gateway_start_view, name="gateway_start"),
    path("cong/ket-qua/", views.gateway_return, name="gateway_return"),
    path("cong/ipn/", views.gateway_ipn_view, name="gateway_ipn"),
    path("ngan-hang/thong-bao/", views.bank_notify_view, name="bank_notify"),
    path("sandbox/vpcpay.html", views.sandbox_pay, name="sandbox_pay"),
    path("sandbox/pay/", views.sandbox_decide, name="sandbox_decide"),
]
