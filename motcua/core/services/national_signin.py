"""Sign-in with the national electronic identity (VNeID, through the national public-service portal).

The portal's single sign-on is standard OpenID Connect: authorization code with PKCE, `scope=openid`,
an assurance level in `acr_values`. authlib does the protocol (state, nonce, PKCE, discovery, the ID
token's signature and claims); this module only maps the verified identity to a person. A person
signed in this way is proven, so the account is linked to the existing person record at once.

Everything is configured by environment (see `motcua/settings/__init__.py`, `MOTCUA_OIDC_*`).
The user-info claim names default to the portal's (`SoDinhDanh`, `HoVaTen`, `NgaySinh`) and fall back
to the standard ones (`name`, `birthdate`).
"""

import datetime
import logging
import secrets

import requests
from authlib.integrations.base_client.errors import OAuthError
from authlib.integrations.django_client import OAuth
from django.conf import settings
from django.contrib.auth import login
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from joserfc.errors import JoseError

from motcua.core.errors import DomainError
from motcua.core.identity import validate_personal_id
from motcua.core.models import Person, PersonProof, User
from motcua.core.services.links import PROVEN_METHODS, account_link_person_proven, account_take_id_as_username
from motcua.core.services.signin_limits import login_failures_clear
from motcua.core.transitions import audit_record

log = logging.getLogger(__name__)

CLIENT_NAME = "national"
NEXT_KEY = "motcua_national_next"
_clients: dict[tuple, object] = {}


def national_signin_enabled() -> bool:
    return bool(settings.OIDC_CLIENT_ID and (settings.OIDC_ISSUER or settings.OIDC_AUTHORIZATION_ENDPOINT))


def _config_key() -> tuple:
    return tuple(
        getattr(settings, name)
        for name in (
            "OIDC_ISSUER",
            "OIDC_DISCOVERY",
            "OIDC_CLIENT_ID",
            "OIDC_CLIENT_SECRET",
            "OIDC_AUTHORIZATION_ENDPOINT",
            "OIDC_TOKEN_ENDPOINT",
            "OIDC_USERINFO_ENDPOINT",
            "OIDC_JWKS_URI",
            "OIDC_SCOPE",
            "OIDC_TOKEN_AUTH_METHOD",
        )
    )


def _client():
    """The authlib client for the configured provider; rebuilt when the settings change."""
    key = _config_key()
    client = _clients.get(key)
    if client is None:
        metadata = {
            name: value
            for name, value in {
                "issuer": settings.OIDC_ISSUER,
                "authorization_endpoint": settings.OIDC_AUTHORIZATION_ENDPOINT,
                "token_endpoint": settings.OIDC_TOKEN_ENDPOINT,
                "userinfo_endpoint": settings.OIDC_USERINFO_ENDPOINT,
                "jwks_uri": settings.OIDC_JWKS_URI,
            }.items()
            if value
        }
        discovery = None
        if settings.OIDC_DISCOVERY and settings.OIDC_ISSUER:
            discovery = settings.OIDC_ISSUER.rstrip("/") + "/.well-known/openid-configuration"
        registry = OAuth()
        client = registry.register(
            CLIENT_NAME,
            client_id=settings.OIDC_CLIENT_ID,
            client_secret=settings.OIDC_CLIENT_SECRET,
            server_metadata_url=discovery,
            client_kwargs={
                "scope": settings.OIDC_SCOPE,
                "code_challenge_method": "S256",
                "token_endpoint_auth_method": settings.OIDC_TOKEN_AUTH_METHOD,
                "default_timeout": settings.OIDC_TIMEOUT_SECONDS,
            },
            **metadata,
        )
        _clients.clear()
        _clients[key] = client
    return client


def _failed(reason: str) -> DomainError:
    log.warning("national sign-in refused: %s", reason)
    return DomainError(
        _("Không đăng nhập được bằng tài khoản định danh điện tử. Vui lòng thử lại hoặc dùng cách đăng nhập khác."),
        code="national_signin_failed",
        status=400,
    )


def national_signin_start(*, request, redirect_uri: str, next_url: str | None = None):
    """The redirect to the provider's authorization endpoint (state, nonce and PKCE kept in the session)."""
    if not national_signin_enabled():
        raise DomainError(_("Chưa bật đăng nhập bằng định danh điện tử."), code="national_signin_disabled", status=404)
    extra = {"acr_values": settings.OIDC_ACR_VALUES} if settings.OIDC_ACR_VALUES else {}
    if next_url:
        request.session[NEXT_KEY] = next_url
    try:
        return _client().authorize_redirect(request, redirect_uri, **extra)
    except (requests.RequestException, OAuthError, RuntimeError, ValueError) as exc:
        raise _failed(f"start: {exc!r}") from exc


def _claims(request) -> dict:
    client = _client()
    try:
        token = client.authorize_access_token(request)
    except (OAuthError, JoseError, requests.RequestException, RuntimeError, ValueError, KeyError) as exc:
        raise _failed(f"token: {exc!r}") from exc
    id_claims = token.get("userinfo")
    if not id_claims:
        # No ID token, or none bound to our nonce: an OpenID provider must send one.
        raise _failed("no verified id_token")
    claims = dict(id_claims)
    if client.load_server_metadata().get("userinfo_endpoint"):
        try:
            info = dict(client.userinfo(token=token))
        except (OAuthError, requests.RequestException, ValueError) as exc:
            raise _failed(f"userinfo: {exc!r}") from exc
        if info.get("sub") != claims.get("sub"):
            raise _failed("userinfo sub differs from id_token sub")
        claims = {**info, **claims}
    return claims


def _claim(claims: dict, names: tuple[str, ...]) -> str:
    for name in names:
        value = claims.get(name)
        if value not in (None, ""):
            return str(value).strip()
    return ""


def _parse_birth_date(value: str) -> datetime.date | None:
    for fmt in ("%Y-%m-%d", "%d/%m/%Y", "%d%m%Y", "%d-%m-%Y"):
        try:
            return datetime.datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    return None


def national_identity_from_claims(claims: dict) -> dict:
    """The verified personal ID, name and birth date; refuses claims we cannot trust or use."""
    allowed_acr = [v for v in settings.OIDC_ACR_VALUES.split() if v]
    if allowed_acr and claims.get("acr") not in allowed_acr:
        raise _failed(f"acr {claims.get('acr')!r} not in {allowed_acr}")
    raw_id = _claim(claims, (settings.OIDC_CLAIM_PERSONAL_ID,))
    birth = _parse_birth_date(_claim(claims, (settings.OIDC_CLAIM_BIRTH_DATE, "birthdate")))
    try:
        personal_id = validate_personal_id(raw_id, date_of_birth=birth)
    except ValidationError as exc:
        raise _failed(f"personal id: {exc.code}") from exc
    name = " ".join(_claim(claims, (settings.OIDC_CLAIM_FULL_NAME, "name")).split())
    if not name:
        raise _failed("no name claim")
    return {"personal_id": personal_id, "full_name": name[:120], "date_of_birth": birth}


@transaction.atomic
def national_signin_account(*, identity: dict, current_user: User | None = None) -> User:
    """The account for a proven national identity: the person's own account, linking or creating it.

    National sign-in is the strongest proof (`PersonProof.NATIONAL`), so the link goes through
    `account_link_person_proven` like every other proof:
    - the person's account that was already proven (code, desk, national) is the one signed in;
    - a citizen signed in with an account of no other person is linked (they just proved it);
    - otherwise a new account is made, and a merely self-declared holder of the record (anyone can
      type an ID into the registration form) loses it: it is not handed an account whose password
      somebody else may know.
    Officer accounts never sign in this way: they keep their password and second factor.
    """
    person = Person.objects.select_for_update().filter(personal_id=identity["personal_id"]).first()
    if person is None:
        person = Person.objects.create(
            personal_id=identity["personal_id"],
            full_name=identity["full_name"],
            date_of_birth=identity["date_of_birth"],
        )
    elif person.date_of_birth is None and identity["date_of_birth"]:
        person.date_of_birth = identity["date_of_birth"]
        person.save(update_fields=["date_of_birth", "updated_at"])
    holder = User.objects.select_for_update().filter(person=person).first()
    if holder is not None and (holder.is_officer or not holder.is_active):
        raise _failed("the person's account is an officer's or switched off")
    current = None
    if current_user is not None and current_user.is_authenticated and not current_user.is_officer:
        current = current_user
    if current is not None and current.person_id not in (None, person.pk):
        raise _failed("signed-in account belongs to another person")
    if current is not None:
        user = current
    elif holder is not None and holder.person_proof in PROVEN_METHODS:
        user = holder
    else:
        user = User(username=f"vneid-{secrets.token_hex(6)}", first_name=person.full_name)
        user.set_unusable_password()
        user.save()
    try:
        user = account_link_person_proven(user=user, person=person, method=PersonProof.NATIONAL)
    except DomainError as exc:
        raise _failed(f"link: {exc.code}") from exc
    return account_take_id_as_username(user=user, personal_id=person.personal_id)


def national_signin_complete(*, request) -> User:
    """Finish the sign-in from the provider's redirect: verify, map, link and log in."""
    identity = national_identity_from_claims(_claims(request))
    current = request.user if getattr(request, "user", None) and request.user.is_authenticated else None
    user = national_signin_account(identity=identity, current_user=current)
    # The strongest proof there is: a password lock set by someone guessing does not hold the owner back.
    login_failures_clear(user=user, reason="national_signin")
    login(request, user, backend="motcua.core.auth.IdentifierBackend")
    audit_record(actor=user, action="account.login", obj=user, data={"method": "national_signin"})
    return user
