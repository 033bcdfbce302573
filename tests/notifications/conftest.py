"""Fixtures for notification tests (delivery side; broadcast tests may use them too).

- `daytime`: quiet hours switched off, so sends do not depend on the wall clock.
- `templates`: the default templates from data/templates.json loaded.
- `citizen_person`: a person with a valid mobile number and an e-mail address.
- `fake_sms` / `fake_zalo`: local fake providers on ephemeral ports, with the settings pointing at them.
"""

import io

import pytest
from django.core.management import call_command

from motcua.fakes.sms_gateway import FakeSmsGateway
from motcua.fakes.zalo_oa import FakeZaloOA
from tests.factories import PersonFactory


@pytest.fixture(autouse=True)
def _outbox_log(settings, tmp_path):
    settings.NOTIFY_OUTBOX_LOG = str(tmp_path / "outbox.log")


@pytest.fixture
def daytime(settings):
    settings.NOTIFY_QUIET_START_HOUR = 24
    settings.NOTIFY_QUIET_END_HOUR = 0


@pytest.fixture
def templates(db):
    call_command("load_message_templates", verbosity=0, stdout=io.StringIO())


@pytest.fixture
def citizen_person(db):
    return PersonFactory(full_name="Trần Thị Mai", phone="0912345678", email="mai@example.vn")


@pytest.fixture
def fake_sms(settings):
    gateway = FakeSmsGateway(api_key="key", secret_key="secret", callback_secret="sms-secret").start()
    settings.SMS_PROVIDER = "http"
    settings.SMS_GATEWAY_URL = gateway.url + "/MainService.svc/json/SendMultipleMessage_V4_post_json/"
    settings.SMS_API_KEY, settings.SMS_SECRET_KEY = "key", "secret"
    settings.SMS_CALLBACK_SECRET = "sms-secret"
    settings.NOTIFY_RATE_SMS = 0
    yield gateway
    gateway.stop()


@pytest.fixture
def fake_zalo(settings):
    oa = FakeZaloOA(access_token="oa-token", callback_secret="zalo-secret").start()
    settings.ZALO_PROVIDER = "http"
    settings.ZALO_API_URL = oa.url
    settings.ZALO_ACCESS_TOKEN = "oa-token"
    settings.ZALO_CALLBACK_SECRET = "zalo-secret"
    settings.NOTIFY_RATE_ZALO = 0
    yield oa
    oa.stop()
