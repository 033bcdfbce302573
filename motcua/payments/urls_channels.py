from django.urls import path

from .views import channels

app_name = "payment_channels"

urlpatterns = [
    path("sao-ke/", channels.statements, name="statements"),
    path("sao-ke/<int:pk>/", channels.statement_detail, name="statement_detail"),
    path("cong/bat-dau/<str:reference>/", channels.gateway_start_view, name="gateway_start"),
    path("cong/ket-qua/", channels.gateway_return, name="gateway_return"),
    path("cong/ipn/", channels.gateway_ipn_view, name="gateway_ipn"),
    path("ngan-hang/thong-bao/", channels.bank_notify_view, name="bank_notify"),
    path("sandbox/vpcpay.html", channels.sandbox_pay, name="sandbox_pay"),
    path("sandbox/pay/", channels.sandbox_decide, name="sandbox_decide"),
]
