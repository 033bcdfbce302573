"""motcua settings: one module, read from the environment (MOTCUA_* and DATABASE_URL).

Development defaults are safe to run on a laptop; `MOTCUA_DEBUG=0` with a real
`MOTCUA_SECRET_KEY` and `MOTCUA_ALLOWED_HOSTS` gives production settings that pass
`manage.py check --deploy`.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from .env import default_allowed_hosts, env_bool, env_int, env_list, env_str, secret_from_file, served_base_url

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(env_str("VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DEBUG", True)
# The local demo (`make run`, `make dev`): outside services are the local fakes that `manage.py serve`
# starts, payments go to the sandbox, the site is plain HTTP on this machine. Never in production.
DEMO = env_bool("DEMO", False)
# Where `manage.py serve` listens (`make run` passes HOST and PORT); links default to this address.
SERVE_HOST = env_str("HOST", "127.0.0.1")
SERVE_PORT = env_int("PORT", 8000)
_DEV_KEY = "dev-only-insecure-key-change-me-0123456789-abcdefghijklmnopqrstuvwxyz"
# A key file is generated once and then kept (the demo keeps it in var/, so signing bundles and
# sessions survive a restart); an explicit MOTCUA_SECRET_KEY always wins.
SECRET_KEY_FILE = env_str("SECRET_KEY_FILE", str(VAR_DIR / "secret_key") if DEMO else "")
SECRET_KEY = env_str("SECRET_KEY", "") or (secret_from_file(Path(SECRET_KEY_FILE)) if SECRET_KEY_FILE else "")
SECRET_KEY = SECRET_KEY or (_DEV_KEY if DEBUG else "")
if not SECRET_KEY:
    raise ImproperlyConfigured("MOTCUA_SECRET_KEY (or MOTCUA_SECRET_KEY_FILE) is required when MOTCUA_DEBUG is off")
# Where the site is reachable from outside: used in QR codes, SMS, PDFs and printed links. By
# default the address `manage.py serve` actually serves.
PUBLIC_BASE_URL = env_str("PUBLIC_BASE_URL", served_base_url(SERVE_HOST, SERVE_PORT)).rstrip("/")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", default_allowed_hosts(SERVE_HOST, PUBLIC_BASE_URL))
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

# Encrypts the PKCS#12 bundles held for signing (a key is derived from it with HKDF). Changing it
# makes stored bundles unreadable, so set it once in production; by default it follows SECRET_KEY.
SIGNING_KEY = env_str("SIGNING_KEY", "") or f"motcua-signing:{SECRET_KEY}"
# The province this installation serves (vietnam-provinces code; 96 is Cà Mau since 2025).
PROVINCE_CODE = env_int("PROVINCE_CODE", 96)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "motcua.core",
    "motcua.catalog",
    "motcua.dossiers",
    "motcua.notifications",
    "motcua.outreach",
    "motcua.payments",
    "motcua.signing",
    "motcua.fieldreports",
    "motcua.ratings",
    "motcua.documents",
    "motcua.queue",
    "motcua.appointments",
    "motcua.assistant",
    "motcua.nationalsync",
    "motcua.serviceindex",
    "motcua.verification",
    "motcua.ops",
    "motcua.portal",
    "motcua.demo",
    "motcua.fakes",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, so its refusals still get the headers above; it runs before any view reads input.
    "motcua.core.middleware.RequestGuardMiddleware",
]

ROOT_URLCONF = "motcua.urls"
WSGI_APPLICATION = "motcua.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "motcua" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "motcua.core.context_processors.site",
            ],
        },
    },
]

# SQLite (WAL) by default: one command to try it. PostgreSQL through DATABASE_URL.
_default_sqlite = f"sqlite:///{VAR_DIR / 'motcua.sqlite3'}"
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", _default_sqlite), conn_max_age=env_int("DB_CONN_MAX_AGE", 60)
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    if "DATABASE_URL" not in os.environ:
        VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;",
            "transaction_mode": "IMMEDIATE",
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "core.User"
AUTHENTICATION_BACKENDS = ["motcua.core.auth.IdentifierBackend"]
LOGIN_URL = "/dang-nhap/"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "core:home"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Price of one SMS segment in đồng, for cost estimates (brandname routes charge per segment).
SMS_SEGMENT_PRICE = env_int("SMS_SEGMENT_PRICE", 800)

# Notifications: which provider carries each channel (console = JSON lines in var/outbox.log).
# The demo sends SMS and Zalo over HTTP to the local fake gateways `manage.py serve` starts on
# PORT+1 and PORT+2, and keeps e-mail as files in var/mail.
SMS_PROVIDER = env_str("SMS_PROVIDER", "http" if DEMO else "console")  # console | http
ZALO_PROVIDER = env_str("ZALO_PROVIDER", "http" if DEMO else "console")  # console | http
EMAIL_PROVIDER = env_str("EMAIL_PROVIDER", "django")  # console | django (EMAIL_BACKEND decides)
if DEMO:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = VAR_DIR / "mail"
_DEMO_SMS_URL = f"http://127.0.0.1:{SERVE_PORT + 1}/MainService.svc/json/SendMultipleMessage_V4_post_json/"
NOTIFY_OUTBOX_LOG = env_str("NOTIFY_OUTBOX_LOG", str(VAR_DIR / "outbox.log"))
# Brandname SMS gateway (JSON over HTTPS); the callback secret signs its delivery receipts.
SMS_GATEWAY_URL = env_str(
    "SMS_GATEWAY_URL",
    _DEMO_SMS_URL if DEMO else "http://127.0.0.1:8025/MainService.svc/json/SendMultipleMessage_V4_post_json/",
)
SMS_API_KEY = env_str("SMS_API_KEY", "")
SMS_SECRET_KEY = env_str("SMS_SECRET_KEY", "")
SMS_BRANDNAME = env_str("SMS_BRANDNAME", "UBND CAMAU")
SMS_TYPE = env_str("SMS_TYPE", "2")
SMS_UNACCENTED = env_bool("SMS_UNACCENTED", True)
# Known development values only under DEBUG or the demo: in production an unset secret refuses every callback.
SMS_CALLBACK_SECRET = env_str("SMS_CALLBACK_SECRET", "dev-sms-callback-secret" if DEBUG or DEMO else "")
# Zalo Official Account, ZNS template messages.
ZALO_API_URL = env_str(
    "ZALO_API_URL", f"http://127.0.0.1:{SERVE_PORT + 2}" if DEMO else "https://business.openapi.zalo.me"
).rstrip("/")
ZALO_ACCESS_TOKEN = env_str("ZALO_ACCESS_TOKEN", "")
ZALO_CALLBACK_SECRET = env_str("ZALO_CALLBACK_SECRET", "dev-zalo-callback-secret" if DEBUG or DEMO else "")
# The automated switchboard (tổng đài 1900) webhook: shared HMAC secret, clock skew allowed, call state kept,
# the number "0" transfers to (docs/switchboard.md).
SWITCHBOARD_SECRET = env_str("SWITCHBOARD_SECRET", "dev-switchboard-secret" if DEBUG or DEMO else "")
SWITCHBOARD_MAX_SKEW_SECONDS = env_int("SWITCHBOARD_MAX_SKEW_SECONDS", 300)
SWITCHBOARD_CALL_TTL_SECONDS = env_int("SWITCHBOARD_CALL_TTL_SECONDS", 1800)
SWITCHBOARD_HOTLINE = env_str("SWITCHBOARD_HOTLINE", "02903836000")
# Zalo OA messages to followers (the assistant's replies) and its webhook: the app id and OA secret key sign events.
ZALO_OA_API_URL = env_str("ZALO_OA_API_URL", f"{ZALO_API_URL}/v3.0/oa" if DEMO else "https://openapi.zalo.me/v3.0/oa")
ZALO_APP_ID = env_str("ZALO_APP_ID", "dev-zalo-app" if DEBUG or DEMO else "")
ZALO_OA_SECRET_KEY = env_str("ZALO_OA_SECRET_KEY", "dev-zalo-oa-secret" if DEBUG or DEMO else "")
# National public-service portal synchronisation (docs/national-sync.md). Messages are always
# queued; the sender only sends while enabled. The demo points at the local fake.
NATIONAL_SYNC_ENABLED = env_bool("NATIONAL_SYNC_ENABLED", DEMO)
NATIONAL_SYNC_URL = env_str("NATIONAL_SYNC_URL", f"http://127.0.0.1:{SERVE_PORT + 6}" if DEMO else "").rstrip("/")
NATIONAL_SYNC_USERNAME = env_str("NATIONAL_SYNC_USERNAME", "motcua-demo" if DEMO else "")
NATIONAL_SYNC_PASSWORD = env_str("NATIONAL_SYNC_PASSWORD", "motcua-demo" if DEMO else "")
NATIONAL_SYNC_TIMEOUT = env_int("NATIONAL_SYNC_TIMEOUT", 15)
NATIONAL_SYNC_BACKOFF_SECONDS = env_int("NATIONAL_SYNC_BACKOFF_SECONDS", 30)
NATIONAL_SYNC_BACKOFF_MAX_SECONDS = env_int("NATIONAL_SYNC_BACKOFF_MAX_SECONDS", 3600)
NATIONAL_SYNC_STALE_SECONDS = env_int("NATIONAL_SYNC_STALE_SECONDS", 300)
# National document axis (EDXML exchange, docs/document-exchange.md); the demo points at the local fake.
DOCUMENT_AXIS_URL = env_str("DOCUMENT_AXIS_URL", f"http://127.0.0.1:{SERVE_PORT + 7}" if DEMO else "").rstrip("/")
DOCUMENT_AXIS_TOKEN = env_str("DOCUMENT_AXIS_TOKEN", "")
# Delivery: attempts before a temporary failure becomes permanent, backoff, stale claims, rates.
NOTIFY_MAX_ATTEMPTS = env_int("NOTIFY_MAX_ATTEMPTS", 6)
NOTIFY_BACKOFF_SECONDS = env_int("NOTIFY_BACKOFF_SECONDS", 30)
NOTIFY_BACKOFF_MAX_SECONDS = env_int("NOTIFY_BACKOFF_MAX_SECONDS", 3600)
NOTIFY_STALE_SECONDS = env_int("NOTIFY_STALE_SECONDS", 300)
NOTIFY_HTTP_TIMEOUT = env_int("NOTIFY_HTTP_TIMEOUT", 10)
NOTIFY_RATE_SMS = env_int("NOTIFY_RATE_SMS", 20)  # messages per second, per worker
NOTIFY_RATE_ZALO = env_int("NOTIFY_RATE_ZALO", 20)
NOTIFY_RATE_EMAIL = env_int("NOTIFY_RATE_EMAIL", 10)
NOTIFY_QUIET_START_HOUR = env_int("NOTIFY_QUIET_START_HOUR", 21)
NOTIFY_QUIET_END_HOUR = env_int("NOTIFY_QUIET_END_HOUR", 7)

# Failed sign-ins per identifier before a temporary lock-out, and how long it lasts.
LOGIN_MAX_FAILURES = env_int("LOGIN_MAX_FAILURES", 5)
LOGIN_LOCKOUT_MINUTES = env_int("LOGIN_LOCKOUT_MINUTES", 15)
# One-time codes (claiming records, phone change, password reset): lifetime, wrong tries allowed
# per code, wait before another code to the same address, codes per address in 24 hours.
OTP_TTL_SECONDS = env_int("OTP_TTL_SECONDS", 300)
OTP_MAX_ATTEMPTS = env_int("OTP_MAX_ATTEMPTS", 5)
OTP_RESEND_SECONDS = env_int("OTP_RESEND_SECONDS", 60)
OTP_DAILY_CAP = env_int("OTP_DAILY_CAP", 10)
# Failed sign-ins from one client address (and from its /24 or /64 range) within the window before each
# further attempt must wait a doubling delay, up to LOGIN_DELAY_MAX_SECONDS (motcua/core/services/signin_limits.py).
LOGIN_ADDRESS_MAX_FAILURES = env_int("LOGIN_ADDRESS_MAX_FAILURES", 20)
LOGIN_RANGE_MAX_FAILURES = env_int("LOGIN_RANGE_MAX_FAILURES", 100)
LOGIN_ADDRESS_WINDOW_MINUTES = env_int("LOGIN_ADDRESS_WINDOW_MINUTES", 60)
LOGIN_DELAY_MAX_SECONDS = env_int("LOGIN_DELAY_MAX_SECONDS", 900)
# Reverse proxies (IPs or CIDR blocks) whose X-Forwarded-For is believed; empty: REMOTE_ADDR is the client.
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES", [])
# Officers must add a TOTP code when this is on (per-user opt-in is always possible).
OFFICER_TOTP_REQUIRED = env_bool("OFFICER_TOTP_REQUIRED", False)
# Households a community-team member aims to visit in a day (the workspace shows today's count against it).
OUTREACH_DAILY_VISIT_TARGET = env_int("OUTREACH_DAILY_VISIT_TARGET", 10)

LANGUAGE_CODE = "vi"
# Vietnamese only: there is no English translation (no .po files), so English is not offered; a
# browser asking for it gets the Vietnamese pages, marked lang="vi" and with Vietnamese number formats.
LANGUAGES = [("vi", "Tiếng Việt")]
LOCALE_PATHS = [BASE_DIR / "motcua" / "locale"]
# dd/mm/yyyy and 24-hour times for `{{ value|date }}` and plain `{{ datetime }}` (motcua/settings/formats/vi).
FORMAT_MODULE_PATH = ["motcua.settings.formats"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [
    ("vendor/htmx", BASE_DIR / "node_modules" / "htmx.org" / "dist"),
    ("vendor/leaflet", BASE_DIR / "node_modules" / "leaflet" / "dist"),
]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
# Largest file a citizen or officer may upload to a dossier (PDF, JPEG, PNG), in megabytes.
UPLOAD_MAX_MB = env_int("UPLOAD_MAX_MB", 10)
# Largest image (width x height) decoded from any upload; a small PNG can hold a huge picture.
MAX_IMAGE_PIXELS = env_int("MAX_IMAGE_PIXELS", 40_000_000)
# Field reports sent without an account: at most this many per hour per phone, per client address,
# and per Open311 client (an app relaying many citizens from one server).
FIELDREPORT_ANON_PER_PHONE_HOUR = env_int("FIELDREPORT_ANON_PER_PHONE_HOUR", 5)
FIELDREPORT_ANON_PER_ADDRESS_HOUR = env_int("FIELDREPORT_ANON_PER_ADDRESS_HOUR", 20)
FIELDREPORT_OPEN311_PER_CLIENT_HOUR = env_int("FIELDREPORT_OPEN311_PER_CLIENT_HOUR", 300)
# How long one display-board event stream holds a web thread before the browser reconnects (docs/board.md).
QUEUE_BOARD_STREAM_SECONDS = env_int("QUEUE_BOARD_STREAM_SECONDS", 300)
# E-receipts: build (and sign) the PDF when the receipt is issued. Off for bulk statement imports and
# benchmarks: the PDF is then built the first time someone opens it.
RECEIPT_PDF_ON_ISSUE = env_bool("RECEIPT_PDF_ON_ISSUE", True)
# The assistant: the hotline it gives for questions outside its scope, and how long a conversation
# keeps its context (last procedure, pending question) without a new message.
ASSISTANT_HOTLINE = env_str("ASSISTANT_HOTLINE", "1022")
ASSISTANT_IDLE_MINUTES = env_int("ASSISTANT_IDLE_MINUTES", 30)
# Field-report maps: the tile server (Leaflet URL template) and its attribution; nothing from a CDN.
MAP_TILE_URL = env_str("MAP_TILE_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png")
MAP_TILE_ATTRIBUTION = env_str("MAP_TILE_ATTRIBUTION", "&copy; OpenStreetMap contributors")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG

# The cache carries state every web process must share: sign-in and lookup throttles, the TOTP
# reuse block, upload throttles, and the calendar's version token (an override edited in one process
# must reach the others). So the default is the database (`manage.py createcachetable`, run by
# `make run`); "locmem" is for a single process only.
CACHE_BACKEND = env_str("CACHE", "database")
if CACHE_BACKEND not in ("database", "locmem"):
    raise ImproperlyConfigured("MOTCUA_CACHE must be 'database' or 'locmem'.")
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "motcua_cache",
    }
    if CACHE_BACKEND == "database"
    else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "motcua"}
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"mask_personal": {"()": "motcua.core.logging.MaskPersonalDataFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["mask_personal"],
        }
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    # WeasyPrint narrates every PDF at INFO; only its problems matter.
    "loggers": {"weasyprint": {"level": "WARNING"}, "fontTools": {"level": "WARNING"}},
}

# Security: strict in production, relaxed only where DEBUG needs plain HTTP on localhost.
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG:
    # The demo is plain HTTP on this machine: no redirect to HTTPS, cookies that travel over HTTP.
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEMO)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = not DEMO
    CSRF_COOKIE_SECURE = not DEMO
    SECURE_HSTS_SECONDS = env_int("HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("HSTS_PRELOAD", True)

# Payment channels. The gateway speaks VNPAY 2.1.0; "sandbox" is the local imitation served under
# /thanh-toan/kenh/sandbox/ (or at MOTCUA_PAYMENT_GATEWAY_URL when set), for development and demos.
PAYMENT_GATEWAY = env_str("PAYMENT_GATEWAY", "sandbox" if DEBUG or DEMO else "vnpay")  # sandbox | vnpay
PAYMENT_GATEWAY_URL = env_str(
    "PAYMENT_GATEWAY_URL", "" if PAYMENT_GATEWAY == "sandbox" else "https://sandbox.vnpayment.vn/paymentv2/vpcpay.html"
)
PAYMENT_TMN_CODE = env_str("PAYMENT_TMN_CODE", "MOTCUA01")
PAYMENT_HASH_SECRET = env_str("PAYMENT_HASH_SECRET", "dev-payment-hash-secret" if DEBUG or DEMO else "")
# Shared secret of the bank's balance-change notifications (HMAC-SHA256 of the body, X-Signature).
BANK_WEBHOOK_SECRET = env_str("BANK_WEBHOOK_SECRET", "dev-bank-webhook-secret" if DEBUG or DEMO else "")

# National sign-in (VNeID through the national public-service portal): standard OpenID Connect.
# Off unless a client id and an issuer (or explicit endpoints) are set. With discovery on, the
# endpoints and keys come from <issuer>/.well-known/openid-configuration; explicit ones override it.
# The demo points it at the local imitation `manage.py serve` starts on PORT+3 (fake_oidc_provider).
OIDC_ISSUER = env_str("OIDC_ISSUER", f"http://127.0.0.1:{SERVE_PORT + 3}" if DEMO else "").rstrip("/")
OIDC_DISCOVERY = env_bool("OIDC_DISCOVERY", True)
OIDC_CLIENT_ID = env_str("OIDC_CLIENT_ID", "motcua-demo" if DEMO else "")
OIDC_CLIENT_SECRET = env_str("OIDC_CLIENT_SECRET", "motcua-demo-secret" if DEMO else "")
OIDC_AUTHORIZATION_ENDPOINT = env_str("OIDC_AUTHORIZATION_ENDPOINT", "")
OIDC_TOKEN_ENDPOINT = env_str("OIDC_TOKEN_ENDPOINT", "")
OIDC_USERINFO_ENDPOINT = env_str("OIDC_USERINFO_ENDPOINT", "")
OIDC_JWKS_URI = env_str("OIDC_JWKS_URI", "")
OIDC_SCOPE = env_str("OIDC_SCOPE", "openid")
OIDC_TOKEN_AUTH_METHOD = env_str("OIDC_TOKEN_AUTH_METHOD", "client_secret_basic")
# Space-separated assurance levels asked for and accepted (the `acr` claim must be one of them).
OIDC_ACR_VALUES = env_str("OIDC_ACR_VALUES", "")
OIDC_CLAIM_PERSONAL_ID = env_str("OIDC_CLAIM_PERSONAL_ID", "SoDinhDanh")
OIDC_CLAIM_FULL_NAME = env_str("OIDC_CLAIM_FULL_NAME", "HoVaTen")
OIDC_CLAIM_BIRTH_DATE = env_str("OIDC_CLAIM_BIRTH_DATE", "NgaySinh")
OIDC_TIMEOUT_SECONDS = env_int("OIDC_TIMEOUT_SECONDS", 10)
