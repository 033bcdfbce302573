"""Sign-in limits: failures count on the account whichever identifier is typed; per-address and per-range
growing delays; a lock never keeps the owner out once they prove themselves with a one-time code."""

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.test import RequestFactory

from motcua.core.errors import DomainError
from motcua.core.models import AuditEvent, User
from motcua.core.net import address_range, client_address
from motcua.core.services import accounts as services
from motcua.core.throttle import counter_peek
from tests.factories import CitizenUserFactory, PersonFactory

pytestmark = pytest.mark.django_db

PASSWORD = "Mk-thu-nghiem-2026"
PHONE = "0912345678"
ATTACKER = "203.0.113.7"
OWNER = "198.51.100.20"


def _request(address=ATTACKER, **meta):
    request = RequestFactory().post("/dang-nhap/", REMOTE_ADDR=address, **meta)
    request.session = SessionStore()
    return request


def _try(identifier, password, address=ATTACKER) -> str:
    """The outcome code of one attempt: 'ok' or the DomainError code."""
    try:
        services.login_attempt(request=_request(address), identifier=identifier, password=password)
    except DomainError as exc:
        return exc.code
    return "ok"


@pytest.fixture(autouse=True)
def _frozen(throttle_clock):
    # Hashing passwords takes real time; the counters' clock moves only when a test moves it.
    return throttle_clock


@pytest.fixture
def citizen():
    person = PersonFactory(phone=PHONE)
    return CitizenUserFactory(person=person, username=f"congdan{person.pk}")


@pytest.fixture
def password_checks(monkeypatch):
    """How many times a password was actually compared: the guesses an attacker got."""
    calls = []
    original = User.check_password

    def counting(self, raw):
        calls.append(self.pk)
        return original(self, raw)

    monkeypatch.setattr(User, "check_password", counting)
    return calls


# --- the account, whichever identifier -------------------------------------------------------------


def test_four_failures_by_id_then_the_phone_still_signs_in(settings, citizen):
    assert settings.LOGIN_MAX_FAILURES == 5
    for _ in range(4):
        assert _try(citizen.person.personal_id, "sai") == "invalid_credentials"
    assert _try(PHONE, PASSWORD, OWNER) == "ok"
    assert counter_peek(f"signin:user:{citizen.pk}") == 0


def test_five_failures_by_id_lock_the_phone_and_username_too(settings, citizen):
    assert settings.LOGIN_MAX_FAILURES == 5
    for _ in range(4):
        assert _try(citizen.person.personal_id, "sai") == "invalid_credentials"
    # The 5th failure is the one that locks, and says so.
    assert _try(citizen.person.personal_id, "sai") == "login_locked"
    for spelling in (PHONE, "+84 912 345 678", citizen.username.upper()):
        assert _try(spelling, PASSWORD, OWNER) == "login_locked"
    locks = AuditEvent.objects.filter(action="account.locked", object_type="user", object_id=str(citizen.pk))
    assert locks.count() == 1
    assert locks.get().data["failures"] == 5


def test_sixth_attempt_is_refused_without_a_password_check(settings, citizen, password_checks):
    for _ in range(5):
        _try(citizen.person.personal_id, "sai")
    assert len(password_checks) == 5
    assert _try(PHONE, "sai") == "login_locked"
    assert len(password_checks) == 5
    assert AuditEvent.objects.filter(action="account.locked").count() == 1


def test_ten_guesses_over_two_spellings_get_five_checks(settings, citizen, password_checks):
    outcomes = [_try(citizen.person.personal_id if n % 2 else PHONE, f"sai{n}") for n in range(10)]
    assert outcomes == ["invalid_credentials"] * 4 + ["login_locked"] * 6
    assert len(password_checks) == 5


def test_lock_ends_after_the_lockout(settings, citizen, throttle_clock):
    settings.LOGIN_LOCKOUT_MINUTES = 15
    for _ in range(5):
        _try(PHONE, "sai")
    throttle_clock.advance(15 * 60 - 1)
    assert _try(PHONE, PASSWORD, OWNER) == "login_locked"
    throttle_clock.advance(1)
    assert _try(PHONE, PASSWORD, OWNER) == "ok"


def test_unknown_names_lock_the_same_way(settings):
    for _ in range(4):
        assert _try("khongtontai", "sai") == "invalid_credentials"
    assert _try("KhongTonTai", "sai") == "login_locked"
    assert AuditEvent.objects.filter(action="account.locked", object_type="signin_name").count() == 1


# --- the owner is never shut out ------------------------------------------------------------------


def test_lock_a_citizen_out_fails_to_deny_the_owner(settings, citizen):
    # An attacker who knows the phone number locks the account from their own address.
    for _ in range(5):
        _try(PHONE, "sai")
    assert _try(PHONE, PASSWORD, OWNER) == "login_locked"
    # The owner proves themselves with a one-time code; that flow calls login_failures_clear.
    assert services.login_failures_clear(user=citizen, reason="otp") is True
    assert _try(PHONE, PASSWORD, OWNER) == "ok"
    unlocked = AuditEvent.objects.get(action="account.unlocked")
    assert unlocked.object_id == str(citizen.pk) and unlocked.data == {"failures": 5, "reason": "otp"}
    # Nothing to lift: no audit row.
    assert services.login_failures_clear(user=citizen) is False
    assert AuditEvent.objects.filter(action="account.unlocked").count() == 1


def test_a_spraying_address_does_not_slow_the_owner_elsewhere(settings, citizen):
    for n in range(40):
        _try(f"ten{n}", "sai")
    assert _try(PHONE, PASSWORD, OWNER) == "ok"


# --- per address and per range --------------------------------------------------------------------


def test_forty_names_from_one_address_are_slowed(settings, password_checks):
    settings.LOGIN_ADDRESS_MAX_FAILURES = 20
    outcomes = [_try(f"ten{n}", "sai") for n in range(40)]
    assert outcomes == ["invalid_credentials"] * 20 + ["login_slow_down"] * 20
    with pytest.raises(DomainError) as exc:
        services.login_attempt(request=_request(), identifier="ten99", password="sai")
    assert exc.value.status == 429 and "chờ 1 giây" in exc.value.message
    assert AuditEvent.objects.filter(action="signin.address_slowed", object_id=ATTACKER).count() == 1
    # Another address (another range too) is not slowed.
    assert _try("ten0", "sai", "192.0.2.55") == "invalid_credentials"


def test_address_boundary_nineteen_twenty_twentyone(settings):
    settings.LOGIN_ADDRESS_MAX_FAILURES = 20
    for n in range(19):
        assert _try(f"ten{n}", "sai") == "invalid_credentials"
    assert AuditEvent.objects.filter(action="signin.address_slowed").count() == 0
    assert _try("ten19", "sai") == "invalid_credentials"  # the 20th: still checked
    assert AuditEvent.objects.filter(action="signin.address_slowed").count() == 1
    assert _try("ten20", "sai") == "login_slow_down"  # the 21st, at once: must wait


def test_delays_grow_and_stop_at_the_maximum(settings, throttle_clock):
    settings.LOGIN_ADDRESS_MAX_FAILURES = 3
    settings.LOGIN_DELAY_MAX_SECONDS = 4
    for n in range(3):
        assert _try(f"ten{n}", "sai") == "invalid_credentials"
    for n, delay in enumerate([1, 2, 4, 4, 4]):
        throttle_clock.advance(delay - 0.001)
        assert _try(f"cho{n}", "sai") == "login_slow_down"
        throttle_clock.advance(0.001)
        assert _try(f"duoc{n}", "sai") == "invalid_credentials"


def test_waiting_message_says_how_long(settings, throttle_clock):
    settings.LOGIN_ADDRESS_MAX_FAILURES = 2
    for n in range(3):
        throttle_clock.advance(10)
        _try(f"ten{n}", "sai")
    # Third check set a 2-second delay.
    with pytest.raises(DomainError) as exc:
        services.login_attempt(request=_request(), identifier="x", password="sai")
    assert exc.value.code == "login_slow_down"
    assert exc.value.details == {"retry_after": 2}
    assert "chờ 2 giây" in exc.value.message


def test_successes_give_back_their_reservation(settings):
    settings.LOGIN_ADDRESS_MAX_FAILURES = 20
    people = [CitizenUserFactory(person=PersonFactory(), username=f"nguoi{n}") for n in range(3)]
    for n in range(19):
        assert _try(f"ten{n}", "sai") == "invalid_credentials"
    # A commune office: other people sign in correctly from the same address.
    for person in people:
        assert _try(person.username, PASSWORD) == "ok"
    assert _try("ten19", "sai") == "invalid_credentials"
    assert _try("ten20", "sai") == "login_slow_down"


def test_range_limit_counts_neighbours(settings):
    settings.LOGIN_ADDRESS_MAX_FAILURES = 20
    settings.LOGIN_RANGE_MAX_FAILURES = 30
    for n in range(30):
        assert _try(f"ten{n}", "sai", f"10.3.3.{n + 1}") == "invalid_credentials"
    assert _try("ten30", "sai", "10.3.3.200") == "login_slow_down"
    assert AuditEvent.objects.filter(action="signin.range_slowed", object_id="10.3.3.0/24").count() == 1
    assert _try("ten30", "sai", "10.3.4.1") == "invalid_credentials"


def test_ipv6_range_is_a_64(settings):
    settings.LOGIN_ADDRESS_MAX_FAILURES = 50
    settings.LOGIN_RANGE_MAX_FAILURES = 3
    for n in range(3):
        assert _try(f"ten{n}", "sai", f"2001:db8:1:2::{n + 1}") == "invalid_credentials"
    assert _try("ten3", "sai", "2001:db8:1:2:ffff::9") == "login_slow_down"
    assert _try("ten3", "sai", "2001:db8:1:3::1") == "invalid_credentials"


def test_slow_down_on_the_page(client, settings):
    settings.LOGIN_ADDRESS_MAX_FAILURES = 1
    client.post("/dang-nhap/", {"identifier": "ten1", "password": "sai"})
    response = client.post("/dang-nhap/", {"identifier": "ten2", "password": "sai"})
    assert "Vui lòng chờ 1 giây rồi thử lại" in response.content.decode()


# --- client address -------------------------------------------------------------------------------


def test_forwarded_for_is_ignored_from_an_untrusted_peer(settings):
    settings.TRUSTED_PROXIES = []
    assert client_address(_request("203.0.113.9", HTTP_X_FORWARDED_FOR="1.2.3.4")) == "203.0.113.9"


def test_forwarded_for_from_a_trusted_proxy(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8", "127.0.0.1"]
    # The client may prepend anything; the hop our proxy added is the last untrusted one.
    request = _request("127.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 198.51.100.4, 10.1.2.3")
    assert client_address(request) == "198.51.100.4"
    assert client_address(_request("127.0.0.1", HTTP_X_FORWARDED_FOR="nonsense")) == "127.0.0.1"


def test_forwarded_for_moves_the_limit_to_the_real_client(settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    settings.LOGIN_ADDRESS_MAX_FAILURES = 1
    behind = {"HTTP_X_FORWARDED_FOR": "198.51.100.4"}
    services_try = services.login_attempt
    with pytest.raises(DomainError) as exc:
        services_try(request=_request("127.0.0.1", **behind), identifier="a", password="sai")
    assert exc.value.code == "invalid_credentials"
    with pytest.raises(DomainError) as exc:
        services_try(request=_request("127.0.0.1", **behind), identifier="b", password="sai")
    assert exc.value.code == "login_slow_down"
    other = {"HTTP_X_FORWARDED_FOR": "198.51.100.5"}
    with pytest.raises(DomainError) as exc:
        services_try(request=_request("127.0.0.1", **other), identifier="c", password="sai")
    assert exc.value.code == "invalid_credentials"


def test_address_range():
    assert address_range("203.0.113.77") == "203.0.113.0/24"
    assert address_range("2001:db8::1") == "2001:db8::/64"
    assert address_range("unknown") == ""


def test_expired_counters_are_purged(throttle_clock):
    from django.core.management import call_command

    from motcua.core.models import ThrottleCounter
    from motcua.core.throttle import counter_hit

    counter_hit("a", limit=5, window_seconds=60)
    counter_hit("b", limit=5, window_seconds=120)
    throttle_clock.advance(60)
    call_command("throttle_purge", stdout=None)
    assert list(ThrottleCounter.objects.values_list("key", flat=True)) == ["b"]
