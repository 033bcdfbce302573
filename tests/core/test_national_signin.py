"""Sign-in with the national identity (OpenID Connect) against a local provider speaking the protocol.

Given the local stand-in for the national portal's sign-on, when a citizen goes through the
authorization-code flow (discovery, PKCE, nonce, signed ID token, user-info), then they are signed in
as the person with that ID number; and every way a provider or an attacker can lie is refused.
"""

import urllib.parse

import pytest
import requests
from joserfc.jwk import RSAKey

from motcua.core.models import AuditEvent, Person, PersonProof, User
from motcua.fakes.oidc_provider import FakeOIDCProvider, Identity
from tests.factories import CitizenUserFactory, OfficerFactory, PersonFactory

CALLBACK = "http://testserver/dang-nhap/dinh-danh/ve/"
# Place code 096, century/sex digit 0 (born 19xx, male), year 85.
PID = "096085123456"
NAME = "Nguyễn Văn Thử"
BIRTH = "15/03/1985"

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def provider():
    server = FakeOIDCProvider(client_id="motcua-test", client_secret="bi-mat-thu", redirect_uris=[CALLBACK]).start()
    yield server
    server.stop()


@pytest.fixture(autouse=True)
def _configured(settings, provider):
    settings.OIDC_ISSUER = provider.issuer
    settings.OIDC_CLIENT_ID = "motcua-test"
    settings.OIDC_CLIENT_SECRET = "bi-mat-thu"
    settings.OIDC_ACR_VALUES = ""
    provider.state.misbehave.clear()
    yield
    provider.state.misbehave.clear()


def _start(client, next_url=None):
    response = client.get("/dang-nhap/dinh-danh/", {"next": next_url} if next_url else {})
    assert response.status_code == 302
    return response["Location"]


def _consent(authorize_url: str, *, decision="allow", personal_id=PID, name=NAME, birth=BIRTH) -> str:
    """What the citizen does on the provider's page; returns where the provider sends the browser back."""
    page = requests.get(authorize_url, timeout=10)
    assert page.status_code == 200, page.text
    params = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(authorize_url).query))
    form = {**params, "decision": decision, "SoDinhDanh": personal_id, "HoVaTen": name, "NgaySinh": birth}
    issuer = authorize_url.split("/authorize")[0]
    back = requests.post(f"{issuer}/authorize", data=form, allow_redirects=False, timeout=10)
    assert back.status_code == 302
    return back.headers["Location"]


def _callback(client, location: str):
    split = urllib.parse.urlsplit(location)
    assert f"{split.scheme}://{split.netloc}{split.path}" == CALLBACK
    return client.get(split.path, dict(urllib.parse.parse_qsl(split.query)))


def _signed_in(client) -> User | None:
    pk = client.session.get("_auth_user_id")
    return User.objects.get(pk=pk) if pk else None


def _refused(response, client):
    assert response.status_code == 302 and response["Location"] == "/dang-nhap/"
    assert _signed_in(client) is None
    page = client.get("/dang-nhap/")
    assert "Không đăng nhập được bằng tài khoản định danh điện tử" in page.content.decode()


# --- the flow ---------------------------------------------------------------------------------


def test_authorization_request_uses_code_flow_with_pkce_nonce_and_state(client):
    query = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(_start(client)).query))
    assert query["response_type"] == "code"
    assert query["scope"] == "openid"
    assert query["code_challenge_method"] == "S256" and len(query["code_challenge"]) >= 43
    assert query["state"] and query["nonce"] and query["client_id"] == "motcua-test"
    assert query["redirect_uri"] == CALLBACK


def test_new_citizen_is_signed_in_and_gets_a_proven_person_record(client):
    response = _callback(client, _consent(_start(client)))
    assert response.status_code == 302 and response["Location"] == "/"
    user = _signed_in(client)
    person = Person.objects.get(personal_id=PID)
    assert user.person == person and user.username == PID and not user.has_usable_password()
    assert person.full_name == NAME and person.date_of_birth.isoformat() == "1985-03-15"
    assert AuditEvent.objects.filter(action="account.person_linked", data__method="national").count() == 1
    assert AuditEvent.objects.filter(action="account.login", object_id=str(user.pk)).exists()


def test_existing_person_without_account_is_linked_at_once(client):
    person = PersonFactory(personal_id=PID, full_name=NAME, phone="0912345678")
    _callback(client, _consent(_start(client)))
    user = _signed_in(client)
    assert user.person_id == person.pk
    person.refresh_from_db()
    assert person.phone == "0912345678"  # nothing on record is replaced by the sign-in


def test_existing_proven_account_of_the_person_is_the_one_signed_in(client):
    person = PersonFactory(personal_id=PID, full_name=NAME)
    owner = CitizenUserFactory(person=person, username="chu-tai-khoan", person_proof=PersonProof.CODE)
    _callback(client, _consent(_start(client)))
    assert _signed_in(client) == owner
    owner.refresh_from_db()
    assert owner.person_proof == PersonProof.NATIONAL
    assert User.objects.filter(person=person).count() == 1


def test_self_declared_holder_loses_the_record_to_the_proven_owner(client):
    person = PersonFactory(personal_id=PID, full_name=NAME)
    squatter = CitizenUserFactory(person=person, username=PID, person_proof=PersonProof.SELF_DECLARED)
    _callback(client, _consent(_start(client)))
    owner = _signed_in(client)
    assert owner != squatter and owner.person == person and owner.username == PID
    squatter.refresh_from_db()
    assert squatter.person_id is None and not squatter.is_active


def test_unproven_account_holding_the_id_as_username_is_not_given_the_person(client):
    squatter = CitizenUserFactory(person=None, username=PID)
    _callback(client, _consent(_start(client)))
    user = _signed_in(client)
    assert user != squatter and user.person.personal_id == PID
    squatter.refresh_from_db()
    assert squatter.person_id is None


def test_signed_in_account_without_person_is_proven_by_the_national_sign_in(client):
    account = CitizenUserFactory(person=None, username="tai-khoan-moi")
    client.force_login(account)
    _callback(client, _consent(_start(client)))
    account.refresh_from_db()
    assert account.person.personal_id == PID
    assert _signed_in(client) == account


def test_officer_accounts_do_not_sign_in_this_way(client):
    officer = OfficerFactory()
    officer.person = PersonFactory(personal_id=PID, full_name=NAME)
    officer.save()
    _refused(_callback(client, _consent(_start(client))), client)


def test_next_page_is_kept_and_foreign_next_ignored(client):
    response = _callback(client, _consent(_start(client, next_url="/ho-so/cua-toi/")))
    assert response["Location"] == "/ho-so/cua-toi/"
    client.logout()
    response = _callback(client, _consent(_start(client, next_url="https://evil.example/")))
    assert response["Location"] == "/"


# --- what is refused --------------------------------------------------------------------------


def test_citizen_who_declines_at_the_provider_is_not_signed_in(client):
    _refused(_callback(client, _consent(_start(client), decision="deny")), client)


def test_forged_state_is_refused(client):
    location = _consent(_start(client))
    forged = location.replace("state=", "state=x")
    _refused(_callback(client, forged), client)


def test_callback_without_a_started_sign_in_is_refused(client, provider):
    location = _consent(_start(client))
    other = client.__class__()
    response = _callback(other, location)
    assert response.status_code == 302 and "_auth_user_id" not in other.session


def test_replayed_code_is_refused(client):
    location = _consent(_start(client))
    _callback(client, location)
    assert _signed_in(client) is not None
    client.logout()
    _refused(_callback(client, location), client)


def test_tampered_pkce_verifier_is_refused_by_the_provider(client):
    location = _consent(_start(client))
    session = client.session
    key = next(k for k, _value in session.items() if k.startswith("_state_national_"))
    state = session[key]
    state["data"]["code_verifier"] = "a" * 48
    session[key] = state
    session.save()
    _refused(_callback(client, location), client)


@pytest.mark.parametrize(
    "lie",
    [
        {"nonce": "not-the-nonce-we-sent"},
        {"iss": "http://127.0.0.1:1/other-issuer"},
        {"aud": "another-client"},
        {"exp_offset": -3600},
        {"sign_key": RSAKey.generate_key(2048, parameters={"kid": "attacker"})},
        {"userinfo_sub": "somebody-else"},
    ],
    ids=["nonce", "issuer", "audience", "expired", "foreign-key", "userinfo-sub"],
)
def test_id_token_that_does_not_verify_is_refused(client, provider, lie):
    provider.state.misbehave.update(lie)
    _refused(_callback(client, _consent(_start(client))), client)
    assert not Person.objects.filter(personal_id=PID).exists()


def test_assurance_level_below_the_one_asked_is_refused(client, provider, settings):
    settings.OIDC_ACR_VALUES = "muc2"
    query = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(_start(client)).query))
    assert query["acr_values"] == "muc2"
    provider.state.misbehave["acr"] = "muc1"
    _refused(_callback(client, _consent(_start(client))), client)
    provider.state.misbehave.clear()
    _callback(client, _consent(_start(client)))
    assert _signed_in(client) is not None


@pytest.mark.parametrize(
    ("personal_id", "birth"),
    [("12345", BIRTH), ("999085123456", BIRTH), (PID, "15/03/1986")],
    ids=["short", "place-code", "birth-year-mismatch"],
)
def test_identity_that_fails_our_own_checks_is_refused(client, personal_id, birth):
    _refused(_callback(client, _consent(_start(client), personal_id=personal_id, birth=birth)), client)


def test_unreachable_provider_gives_a_message_not_an_error(client, settings):
    settings.OIDC_ISSUER = "http://127.0.0.1:9"
    response = client.get("/dang-nhap/dinh-danh/")
    assert response.status_code == 302 and response["Location"] == "/dang-nhap/"


# --- configuration ----------------------------------------------------------------------------


def test_button_shows_only_when_configured(client, settings):
    assert "dang-nhap/dinh-danh/" in client.get("/dang-nhap/").content.decode()
    settings.OIDC_CLIENT_ID = ""
    assert "dang-nhap/dinh-danh/" not in client.get("/dang-nhap/").content.decode()
    assert client.get("/dang-nhap/dinh-danh/").status_code == 404
    assert client.get("/dang-nhap/dinh-danh/ve/").status_code == 404


def test_explicit_endpoints_work_without_discovery(client, settings, provider):
    settings.OIDC_DISCOVERY = False
    settings.OIDC_AUTHORIZATION_ENDPOINT = f"{provider.issuer}/authorize"
    settings.OIDC_TOKEN_ENDPOINT = f"{provider.issuer}/token"
    settings.OIDC_USERINFO_ENDPOINT = f"{provider.issuer}/userinfo"
    settings.OIDC_JWKS_URI = f"{provider.issuer}/jwks"
    _callback(client, _consent(_start(client)))
    assert _signed_in(client).person.personal_id == PID


def test_provider_refuses_unknown_client_and_unregistered_redirect(provider):
    base = f"{provider.issuer}/authorize"
    common = {"response_type": "code", "scope": "openid", "code_challenge": "x" * 43, "code_challenge_method": "S256"}
    assert (
        requests.get(base, params={**common, "client_id": "nobody", "redirect_uri": CALLBACK}, timeout=10).status_code
        == 400
    )
    bad_redirect = {**common, "client_id": "motcua-test", "redirect_uri": "https://evil.example/cb"}
    assert requests.get(base, params=bad_redirect, timeout=10).status_code == 400


def test_identity_dataclass_writes_the_portal_claim_names():
    assert Identity(PID, NAME, BIRTH).claims() == {"SoDinhDanh": PID, "HoVaTen": NAME, "NgaySinh": BIRTH}
