"""What the channel tests share (imported by test_channels_*.py; no conftest shared with the
assistant's own tests): the settings the channels read, and the fake Zalo OA and SMS gateway on
ephemeral ports with the settings pointing at them. Each test module wraps these in its fixtures."""

from contextlib import contextmanager

from motcua.fakes.sms_gateway import FakeSmsGateway
from motcua.fakes.zalo_oa import FakeZaloOA

ZALO_APP_ID, ZALO_OA_SECRET = "test-app", "test-oa-secret"
SMS_SECRET = "sms-secret"


def channel_settings(settings, tmp_path) -> None:
    """Quiet hours off, the webhook secrets, a production-length site address."""
    settings.NOTIFY_OUTBOX_LOG = str(tmp_path / "outbox.log")
    settings.NOTIFY_QUIET_START_HOUR = 24
    settings.NOTIFY_QUIET_END_HOUR = 0
    settings.ZALO_APP_ID, settings.ZALO_OA_SECRET_KEY = ZALO_APP_ID, ZALO_OA_SECRET
    settings.SMS_CALLBACK_SECRET = SMS_SECRET
    settings.PUBLIC_BASE_URL = "https://dichvucong.camau.gov.vn"


@contextmanager
def zalo_running(settings):
    oa = FakeZaloOA(access_token="oa-token", app_id=ZALO_APP_ID, oa_secret_key=ZALO_OA_SECRET).start()
    settings.ZALO_PROVIDER = "http"
    settings.ZALO_API_URL = oa.url
    settings.ZALO_OA_API_URL = oa.url + "/v3.0/oa"
    settings.ZALO_ACCESS_TOKEN = "oa-token"
    settings.NOTIFY_RATE_ZALO = 0
    try:
        yield oa
    finally:
        oa.stop()


@contextmanager
def sms_running(settings):
    gateway = FakeSmsGateway(api_key="key", secret_key="secret", callback_secret=SMS_SECRET).start()
    settings.SMS_PROVIDER = "http"
    settings.SMS_GATEWAY_URL = gateway.url + "/MainService.svc/json/SendMultipleMessage_V4_post_json/"
    settings.SMS_API_KEY, settings.SMS_SECRET_KEY = "key", "secret"
    settings.NOTIFY_RATE_SMS = 0
    try:
        yield gateway
    finally:
        gateway.stop()
