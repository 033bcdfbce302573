"""A local OpenID Connect provider standing in for the national public-service portal's sign-on.

It speaks the real protocol, so the client under test is the production code path: discovery,
a JWKS with a fresh RSA key, the authorization endpoint (a consent page where the tester picks
or types the identity the real portal would have verified through VNeID), the token endpoint
(client authentication, single-use codes, redirect URI and PKCE S256 checks), RS256-signed ID
tokens carrying the nonce, and the user-info endpoint with the portal's claim names.

Used by the tests (in a thread) and by `make run` (`manage.py fake_oidc_provider`) so a newcomer
can press the button. Knobs under `misbehave` let tests play a provider that lies.
"""

import base64
import hashlib
import html
import json
import secrets
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlsplit

from joserfc import jwt
from joserfc.jwk import RSAKey

from motcua.fakes.base import write_reply

CODE_SECONDS = 60
TOKEN_SECONDS = 300


@dataclass
class Identity:
    personal_id: str
    full_name: str
    birth_date: str  # DD/MM/YYYY, as the portal writes it

    def claims(self) -> dict:
        return {"SoDinhDanh": self.personal_id, "HoVaTen": self.full_name, "NgaySinh": self.birth_date}


@dataclass
class ProviderState:
    issuer: str
    client_id: str
    client_secret: str
    redirect_uris: list[str]
    acr: str = "muc2"
    identities: list[Identity] = field(default_factory=list)
    key: RSAKey = field(default_factory=lambda: RSAKey.generate_key(2048, parameters={"kid": secrets.token_hex(6)}))
    codes: dict = field(default_factory=dict)
    tokens: dict = field(default_factory=dict)
    # Test knobs: {"nonce": "...", "iss": "...", "aud": "...", "exp_offset": -3600, "sign_key": RSAKey,
    # "userinfo_sub": "...", "skip_pkce_check": True}
    misbehave: dict = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def subject(self, personal_id: str) -> str:
        # A pairwise subject: stable for this client, not the ID number itself.
        return hashlib.sha256(f"{self.client_id}:{personal_id}".encode()).hexdigest()[:32]

    def metadata(self) -> dict:
        return {
            "issuer": self.issuer,
            "authorization_endpoint": f"{self.issuer}/authorize",
            "token_endpoint": f"{self.issuer}/token",
            "userinfo_endpoint": f"{self.issuer}/userinfo",
            "jwks_uri": f"{self.issuer}/jwks",
            "response_types_supported": ["code"],
            "grant_types_supported": ["authorization_code"],
            "subject_types_supported": ["pairwise"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "scopes_supported": ["openid"],
            "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
            "code_challenge_methods_supported": ["S256"],
            "acr_values_supported": [self.acr],
            "claims_supported": [
                "sub",
                "iss",
                "aud",
                "exp",
                "iat",
                "nonce",
                "acr",
                "SoDinhDanh",
                "HoVaTen",
                "NgaySinh",
            ],
        }


def _s256(verifier: str) -> str:
    return base64.urlsafe_b64encode(hashlib.sha256(verifier.encode("ascii")).digest()).rstrip(b"=").decode()


class _Handler(BaseHTTPRequestHandler):
    server_version = "FakeNationalSSO/1.0"
    state: ProviderState  # set on the subclass made per server

    def log_message(self, format, *args):
        pass

    # --- plumbing ---------------------------------------------------------------------------

    def _send(self, status: int, body: bytes, content_type: str, headers: dict | None = None):
        write_reply(self, status, body, content_type, {"Cache-Control": "no-store", **(headers or {})})

    def _json(self, status: int, payload: dict, headers: dict | None = None):
        self._send(status, json.dumps(payload, ensure_ascii=False).encode(), "application/json", headers)

    def _error(self, status: int, error: str, description: str = ""):
        self._json(status, {"error": error, "error_description": description})

    def _form(self) -> dict:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length).decode("utf-8", "replace") if length else ""
        return {k: v[0] for k, v in parse_qs(raw, keep_blank_values=True).items()}

    def _redirect(self, location: str):
        self._send(302, b"", "text/plain", {"Location": location})

    # --- routes -----------------------------------------------------------------------------

    def do_GET(self):
        url = urlsplit(self.path)
        query = {k: v[0] for k, v in parse_qs(url.query, keep_blank_values=True).items()}
        if url.path == "/.well-known/openid-configuration":
            return self._json(200, self.state.metadata())
        if url.path == "/jwks":
            return self._json(200, {"keys": [self.state.key.as_dict(private=False) | {"use": "sig", "alg": "RS256"}]})
        if url.path == "/authorize":
            return self._authorize_page(query)
        if url.path == "/userinfo":
            return self._userinfo()
        return self._error(404, "not_found")

    def do_POST(self):
        url = urlsplit(self.path)
        if url.path == "/authorize":
            return self._authorize_decide(self._form())
        if url.path == "/token":
            return self._token(self._form())
        return self._error(404, "not_found")

    # --- authorization endpoint -----------------------------------------------------------

    def _check_request(self, params: dict) -> str | None:
        state = self.state
        if params.get("client_id") != state.client_id:
            return "unknown client_id"
        if not any(
            params.get("redirect_uri", "") == uri
            or uri.endswith("*")
            and params.get("redirect_uri", "").startswith(uri[:-1])
            for uri in state.redirect_uris
        ):
            return "redirect_uri not registered"
        return None

    def _authorize_page(self, params: dict):
        problem = self._check_request(params)
        if problem:
            # Never redirect to an unverified redirect URI: show the error here.
            return self._send(400, f"<h1>400</h1><p>{html.escape(problem)}</p>".encode(), "text/html; charset=utf-8")
        back = params["redirect_uri"]
        refusal = None
        if params.get("response_type") != "code":
            refusal = ("unsupported_response_type", "")
        elif "openid" not in params.get("scope", "").split():
            refusal = ("invalid_scope", "openid is required")
        elif params.get("code_challenge_method") != "S256" or not params.get("code_challenge"):
            refusal = ("invalid_request", "PKCE S256 is required")
        if refusal:
            query = {"error": refusal[0], "error_description": refusal[1], "state": params.get("state", "")}
            return self._redirect(f"{back}{'&' if '?' in back else '?'}{urlencode(query)}")
        hidden = "".join(
            f'<input type="hidden" name="{html.escape(k)}" value="{html.escape(v)}">'
            for k, v in params.items()
            if k
            in ("client_id", "redirect_uri", "state", "nonce", "code_challenge", "code_challenge_method", "acr_values")
        )
        first = self.state.identities[0] if self.state.identities else Identity("", "", "")
        choices = "".join(
            f'<li><button type="submit" name="pick" value="{i}">{html.escape(p.full_name)} – '
            f"{html.escape(p.personal_id)}</button></li>"
            for i, p in enumerate(self.state.identities)
        )
        page = f"""<!doctype html><html lang="vi"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>Đăng nhập VNeID (mô phỏng)</title>
<style>body{{font-family:sans-serif;max-width:30rem;margin:1rem auto;padding:0 1rem}}label{{display:block;margin:.5rem 0}}
input{{width:100%;padding:.5rem;font:inherit}}button{{padding:.6rem 1rem;font:inherit;margin:.25rem 0}}</style></head>
<body><main><h1>Cổng dịch vụ công quốc gia</h1>
<p><strong>Máy chủ mô phỏng để thử nghiệm</strong>: không phải hệ thống thật, không kiểm tra danh tính.</p>
<form method="post" action="/authorize">{hidden}
{f"<p>Chọn công dân mẫu:</p><ul>{choices}</ul>" if choices else ""}
<p>Hoặc nhập danh tính đã xác thực qua VNeID:</p>
<label>Số định danh cá nhân <input name="SoDinhDanh" value="{html.escape(first.personal_id)}" inputmode="numeric"></label>
<label>Họ và tên <input name="HoVaTen" value="{html.escape(first.full_name)}"></label>
<label>Ngày sinh (dd/mm/yyyy) <input name="NgaySinh" value="{html.escape(first.birth_date)}"></label>
<button type="submit" name="decision" value="allow">Đồng ý chia sẻ và đăng nhập</button>
<button type="submit" name="decision" value="deny">Từ chối</button>
</form></main></body></html>"""
        return self._send(200, page.encode(), "text/html; charset=utf-8")

    def _authorize_decide(self, form: dict):
        problem = self._check_request(form)
        if problem:
            return self._send(400, html.escape(problem).encode(), "text/plain; charset=utf-8")
        back = form["redirect_uri"]
        sep = "&" if "?" in back else "?"
        if form.get("decision") == "deny":
            return self._redirect(f"{back}{sep}{urlencode({'error': 'access_denied', 'state': form.get('state', '')})}")
        if form.get("pick", "").isdecimal() and int(form["pick"]) < len(self.state.identities):
            identity = self.state.identities[int(form["pick"])]
        else:
            identity = Identity(form.get("SoDinhDanh", ""), form.get("HoVaTen", ""), form.get("NgaySinh", ""))
        code = secrets.token_urlsafe(24)
        with self.state.lock:
            self.state.codes[code] = {
                "identity": identity,
                "redirect_uri": back,
                "nonce": form.get("nonce"),
                "code_challenge": form.get("code_challenge"),
                "expires": time.time() + CODE_SECONDS,
            }
        return self._redirect(f"{back}{sep}{urlencode({'code': code, 'state': form.get('state', '')})}")

    # --- token endpoint ---------------------------------------------------------------------

    def _client_authenticated(self, form: dict) -> bool:
        header = self.headers.get("Authorization", "")
        if header.startswith("Basic "):
            try:
                client_id, _, secret = base64.b64decode(header[6:]).decode().partition(":")
            except (ValueError, UnicodeDecodeError):
                return False
        else:
            client_id, secret = form.get("client_id", ""), form.get("client_secret", "")
        return secrets.compare_digest(client_id, self.state.client_id) and secrets.compare_digest(
            secret, self.state.client_secret
        )

    def _token(self, form: dict):
        state, bad = self.state, self.state.misbehave
        if not self._client_authenticated(form):
            return self._json(401, {"error": "invalid_client"}, {"WWW-Authenticate": 'Basic realm="token"'})
        if form.get("grant_type") != "authorization_code":
            return self._error(400, "unsupported_grant_type")
        with state.lock:
            grant = state.codes.pop(form.get("code", ""), None)  # single use
        if grant is None or grant["expires"] < time.time():
            return self._error(400, "invalid_grant", "unknown, used or expired code")
        if form.get("redirect_uri") != grant["redirect_uri"]:
            return self._error(400, "invalid_grant", "redirect_uri mismatch")
        if not bad.get("skip_pkce_check") and _s256(form.get("code_verifier", "")) != grant["code_challenge"]:
            return self._error(400, "invalid_grant", "PKCE verification failed")
        identity: Identity = grant["identity"]
        now = int(time.time())
        claims = {
            "iss": bad.get("iss", state.issuer),
            "sub": state.subject(identity.personal_id),
            "aud": bad.get("aud", state.client_id),
            "iat": now,
            "auth_time": now,
            "exp": now + TOKEN_SECONDS + bad.get("exp_offset", 0),
            "acr": bad.get("acr", state.acr),
            **identity.claims(),
        }
        nonce = bad.get("nonce", grant["nonce"])
        if nonce:
            claims["nonce"] = nonce
        key = bad.get("sign_key", state.key)
        id_token = jwt.encode({"alg": "RS256", "kid": key.kid}, claims, key)
        access_token = secrets.token_urlsafe(32)
        with state.lock:
            state.tokens[access_token] = (identity, time.time() + TOKEN_SECONDS)
        return self._json(
            200,
            {"access_token": access_token, "token_type": "Bearer", "expires_in": TOKEN_SECONDS, "id_token": id_token},
        )

    # --- user-info endpoint -----------------------------------------------------------------

    def _userinfo(self):
        header = self.headers.get("Authorization", "")
        token = header[7:] if header.startswith("Bearer ") else ""
        with self.state.lock:
            entry = self.state.tokens.get(token)
        if entry is None or entry[1] < time.time():
            return self._json(401, {"error": "invalid_token"}, {"WWW-Authenticate": 'Bearer error="invalid_token"'})
        identity = entry[0]
        sub = self.state.misbehave.get("userinfo_sub", self.state.subject(identity.personal_id))
        return self._json(200, {"sub": sub, **identity.claims()})


class FakeOIDCProvider:
    """Serve the provider on host:port in a background thread (port 0 picks a free one)."""

    def __init__(
        self,
        *,
        host="127.0.0.1",
        port=0,
        client_id="motcua",
        client_secret="motcua-secret",
        redirect_uris=("*",),
        identities=(),
        acr="muc2",
    ):
        handler = type("Handler", (_Handler,), {})
        self.httpd = ThreadingHTTPServer((host, port), handler)
        self.httpd.daemon_threads = True
        actual = self.httpd.server_address[1]
        self.state = ProviderState(
            issuer=f"http://{host}:{actual}",
            client_id=client_id,
            client_secret=client_secret,
            redirect_uris=list(redirect_uris),
            identities=list(identities),
            acr=acr,
        )
        handler.state = self.state
        self.thread = threading.Thread(target=self.httpd.serve_forever, name="fake-oidc", daemon=True)

    @property
    def issuer(self) -> str:
        return self.state.issuer

    def start(self) -> "FakeOIDCProvider":
        self.thread.start()
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def serve_forever(self) -> None:
        self.httpd.serve_forever()
