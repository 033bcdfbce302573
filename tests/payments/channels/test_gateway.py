"""Payment gateway: a real HTTP round trip through the sandbox, replays, out-of-order and forged callbacks."""

import re
import urllib.error
import urllib.parse
import urllib.request

import pytest
from django.urls import reverse

from motcua.fakes.payment_gateway import FakeGateway
from motcua.payments.channels.gateway.sandbox import checkout_result
from motcua.payments.channels.services.gateway import gateway_ipn, gateway_start
from motcua.payments.models import GatewayTransaction, Payment, PaymentMethod, PaymentRequestStatus

SECRET = "bi-mat-cua-cong-thu-nghiem"
TMN = "CAMAU001"
State = GatewayTransaction.State


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _post_form(url: str, data: dict) -> tuple[int, str]:
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        with opener.open(url, data=urllib.parse.urlencode(data).encode(), timeout=10) as response:
            return response.status, response.headers.get("Location", "")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers.get("Location", "")


def _get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()


@pytest.fixture
def gateway_settings(settings):
    settings.PAYMENT_GATEWAY = "vnpay"
    settings.PAYMENT_TMN_CODE = TMN
    settings.PAYMENT_HASH_SECRET = SECRET
    return settings


@pytest.fixture
def sandbox(live_server, gateway_settings):
    fake = FakeGateway(
        tmn_code=TMN, hash_secret=SECRET, ipn_url=live_server.url + reverse("payment_channels:gateway_ipn")
    ).start()
    gateway_settings.PAYMENT_GATEWAY_URL = fake.url + "/paymentv2/vpcpay.html"
    yield fake
    fake.stop()


def _result_params(txn: GatewayTransaction, *, pay: bool, amount: int | None = None, secret: str = SECRET) -> dict:
    order = {
        "vnp_Amount": str((amount if amount is not None else txn.amount) * 100),
        "vnp_TxnRef": txn.txn_ref,
        "vnp_TmnCode": TMN,
        "vnp_OrderInfo": "Nop phi",
    }
    return dict(urllib.parse.parse_qsl(checkout_result(order, pay=pay, secret=secret), keep_blank_values=True))


@pytest.mark.django_db(transaction=True)
def test_round_trip_over_http_and_replayed_ipn(sandbox, live_server, client, citizen, make_request):
    request = make_request(8000)
    client.force_login(citizen)
    host = live_server.url.removeprefix("http://")
    start = client.get(reverse("payment_channels:gateway_start", args=[request.reference]), HTTP_HOST=host)
    assert start.status_code == 302 and start["Location"].startswith(sandbox.url)
    assert "vnp_SecureHash=" in start["Location"] and "vnp_Amount=800000" in start["Location"]

    status, page = _get(start["Location"])
    assert status == 200 and "Thanh toán" in page and "8.000 đ" in page
    token = re.search(r'name="token" value="([^"]+)"', page).group(1)
    status, location = _post_form(sandbox.url + "/paymentv2/pay", {"token": token, "action": "pay"})
    assert status == 302 and location.startswith(live_server.url + reverse("payment_channels:gateway_return"))
    assert sandbox.ipn_answers == [(200, {"RspCode": "00", "Message": "Confirm Success"})]

    status, result_page = _get(location)
    assert status == 200 and "Thanh toán thành công" in result_page
    request.refresh_from_db()
    assert (request.status, request.amount_paid) == (PaymentRequestStatus.PAID, 8000)
    txn = GatewayTransaction.objects.get(request=request)
    assert txn.state == State.SUCCEEDED and txn.provider == "vnpay" and txn.provider_txn_no

    # The gateway sends the same IPN again: confirmed already, nothing counted twice.
    assert sandbox.send_ipn(sandbox.results[-1]) == (200, {"RspCode": "02", "Message": "Order already confirmed"})
    assert Payment.objects.filter(method=PaymentMethod.GATEWAY).count() == 1
    request.refresh_from_db()
    assert request.amount_paid == 8000
    txn.refresh_from_db()
    assert txn.callback_count == 2


@pytest.mark.django_db(transaction=True)
def test_cancel_on_the_gateway_page(sandbox, live_server, client, citizen, make_request):
    request = make_request(8000)
    client.force_login(citizen)
    start = client.get(
        reverse("payment_channels:gateway_start", args=[request.reference]),
        HTTP_HOST=live_server.url.removeprefix("http://"),
    )
    token = re.search(r'name="token" value="([^"]+)"', _get(start["Location"])[1]).group(1)
    status, location = _post_form(sandbox.url + "/paymentv2/pay", {"token": token, "action": "cancel"})
    assert status == 302
    assert "không thành công" in _get(location)[1]
    assert GatewayTransaction.objects.get(request=request).state == State.FAILED
    assert not Payment.objects.exists()


@pytest.fixture
def started(gateway_settings, make_request, citizen):
    request = make_request(8000)
    return gateway_start(request=request, actor=citizen, return_url="http://testserver/x/").transaction


@pytest.mark.django_db
def test_failure_after_success_does_not_undo(started):
    assert gateway_ipn(params=_result_params(started, pay=True))["RspCode"] == "00"
    assert gateway_ipn(params=_result_params(started, pay=False))["RspCode"] == "02"
    started.refresh_from_db()
    assert started.state == State.SUCCEEDED
    assert started.request.payments.get().amount == 8000


@pytest.mark.django_db
def test_success_after_failure_counts(started):
    assert gateway_ipn(params=_result_params(started, pay=False))["RspCode"] == "00"
    started.refresh_from_db()
    assert started.state == State.FAILED and not Payment.objects.exists()
    assert gateway_ipn(params=_result_params(started, pay=True))["RspCode"] == "00"
    started.refresh_from_db()
    started.request.refresh_from_db()
    assert started.state == State.SUCCEEDED and started.request.status == PaymentRequestStatus.PAID


@pytest.mark.django_db
def test_forged_wrong_amount_and_unknown_callbacks(started, client):
    url = reverse("payment_channels:gateway_ipn")
    forged = _result_params(started, pay=True, secret="khong-phai-bi-mat")
    assert client.get(url, forged).json() == {"RspCode": "97", "Message": "Invalid signature"}
    tampered = _result_params(started, pay=True)
    tampered["vnp_Amount"] = "100"
    assert client.get(url, tampered).json()["RspCode"] == "97"
    assert client.get(url, _result_params(started, pay=True, amount=1000)).json()["RspCode"] == "04"
    ghost = GatewayTransaction(txn_ref="MCKHONGCO-1", amount=8000)
    assert client.get(url, _result_params(ghost, pay=True)).json()["RspCode"] == "01"
    assert not Payment.objects.exists()
    started.refresh_from_db()
    assert started.state == State.CREATED


@pytest.mark.django_db
def test_return_before_ipn_shows_waiting_and_counts_nothing(started, client):
    page = client.get(reverse("payment_channels:gateway_return"), _result_params(started, pay=True))
    assert page.status_code == 200 and "đang chờ xác nhận" in page.content.decode()
    started.refresh_from_db()
    assert started.state == State.CREATED and not Payment.objects.exists()


@pytest.mark.django_db
def test_in_site_sandbox_pays_end_to_end(settings, client, citizen, make_request):
    settings.PAYMENT_GATEWAY, settings.PAYMENT_GATEWAY_URL = "sandbox", ""
    request = make_request(8000)
    client.force_login(citizen)
    start = client.get(reverse("payment_channels:gateway_start", args=[request.reference]))
    assert start["Location"].startswith(reverse("payment_channels:sandbox_pay"))
    page = client.get(start["Location"]).content.decode()
    token = re.search(r'name="token" value="([^"]+)"', page).group(1)
    back = client.post(reverse("payment_channels:sandbox_decide"), {"token": token, "action": "pay"})
    assert "Thanh toán thành công" in client.get(back["Location"]).content.decode()
    request.refresh_from_db()
    assert request.status == PaymentRequestStatus.PAID


@pytest.mark.django_db
def test_only_the_applicant_starts_a_payment(client, make_request, officers):
    from tests.factories import CitizenUserFactory

    request = make_request(8000)
    client.force_login(CitizenUserFactory())
    assert client.get(reverse("payment_channels:gateway_start", args=[request.reference])).status_code == 404
    client.force_login(officers["b"]["cashier"])
    assert client.get(reverse("payment_channels:gateway_start", args=[request.reference])).status_code == 404
    assert not GatewayTransaction.objects.exists()
