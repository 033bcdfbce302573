"""Sign-in limits that an attacker cannot dodge by re-spelling, nor turn against the account's owner.

Three counters, each reserved before the password is checked (`motcua.core.throttle`), so parallel
guesses cannot slip past a check made before the others are counted:

- the *account*: every identifier that names the same user (personal ID, phone, username) counts
  on one key, `signin:user:<pk>`; names that match no account count on their folded spelling, so
  the answer is the same either way. `LOGIN_MAX_FAILURES` failures lock it for
  `LOGIN_LOCKOUT_MINUTES`; the owner gets back in at once with a one-time code (the reset flow
  calls `login_failures_clear`), never by waiting;
- the client *address* and its *range* (/24 IPv4, /64 IPv6): after `LOGIN_ADDRESS_MAX_FAILURES`
  (range: `LOGIN_RANGE_MAX_FAILURES`) failures within `LOGIN_ADDRESS_WINDOW_MINUTES`, each further
  attempt must wait a delay that doubles, up to `LOGIN_DELAY_MAX_SECONDS`. This is what slows one
  machine spraying many names; it never locks an account.

A successful sign-in gives back its address reservations and clears the account's count. Every lock
and unlock, and the start of every address or range slow-down, is written to the audit log.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from django.conf import settings
from django.utils.translation import gettext as _

from motcua.core.auth import find_user_by_identifier, fold_identifier
from motcua.core.errors import DomainError
from motcua.core.models import User
from motcua.core.net import address_range, client_address
from motcua.core.throttle import counter_clear, counter_hit, counter_hold, counter_release
from motcua.core.transitions import audit_record


def account_key(*, user: User | None = None, identifier: str = "") -> str:
    if user is None and identifier:
        user = find_user_by_identifier(identifier)
    if user is not None:
        return f"signin:user:{user.pk}"
    return f"signin:name:{fold_identifier(identifier)}"[:200]


def _audit(*, action: str, object_type: str, object_id: str, data: dict, actor: User | None = None) -> None:
    audit_record(actor=actor, action=action, object_type=object_type, object_id=object_id[:64], data=data)


def _audit_account(action: str, key: str, data: dict, actor: User | None = None) -> None:
    if key.startswith("signin:user:"):
        _audit(action=action, object_type="user", object_id=key.rsplit(":", 1)[1], data=data, actor=actor)
    else:
        # A name that matches no account: keep a hash, not what was typed (often someone's ID or phone).
        digest = hashlib.sha256(key.encode()).hexdigest()[:16]
        _audit(action=action, object_type="signin_name", object_id=digest, data=data, actor=actor)


def locked_error(minutes: int) -> DomainError:
    return DomainError(
        _(
            "Đã đăng nhập sai quá nhiều lần. Vui lòng thử lại sau %(minutes)d phút, "
            "hoặc đặt lại mật khẩu ngay bằng mã xác thực gửi tới số điện thoại đã đăng ký (mục “Quên mật khẩu?”)."
        )
        % {"minutes": minutes},
        code="login_locked",
        status=429,
        details={"retry_after": minutes * 60},
    )


def _slow_down_error(seconds: int) -> DomainError:
    return DomainError(
        _("Có quá nhiều lần đăng nhập sai từ mạng này. Vui lòng chờ %(seconds)d giây rồi thử lại.")
        % {"seconds": seconds},
        code="login_slow_down",
        status=429,
        details={"retry_after": seconds},
    )


@dataclass
class SigninTicket:
    """The reservations one attempt holds, to be settled by `signin_succeeded` or `signin_failed`."""

    account: str
    account_count: int
    address: str
    network_keys: list[str] = field(default_factory=list)
    network_counts: list[int] = field(default_factory=list)


def _network_limits() -> list[tuple[str, int]]:
    return [("address", settings.LOGIN_ADDRESS_MAX_FAILURES), ("range", settings.LOGIN_RANGE_MAX_FAILURES)]


def signin_begin(*, request, account: str) -> SigninTicket:
    """Reserve one attempt for the client address, its range and the account; refuse when any is spent.

    Raises DomainError `login_slow_down` (429, wait N seconds) or `login_locked` (429).
    """
    address = client_address(request)
    window = settings.LOGIN_ADDRESS_WINDOW_MINUTES * 60
    ticket = SigninTicket(account=account, account_count=0, address=address)
    for (kind, limit), value in zip(_network_limits(), (address, address_range(address)), strict=True):
        if not value:
            continue
        key = f"signin:{kind}:{value}"
        hit = counter_hit(
            key, limit=limit, window_seconds=window, backoff=True, max_delay_seconds=settings.LOGIN_DELAY_MAX_SECONDS
        )
        if not hit.allowed:
            _release_networks(ticket)
            raise _slow_down_error(hit.retry_after)
        ticket.network_keys.append(key)
        ticket.network_counts.append(hit.count)
    hit = counter_hit(account, limit=settings.LOGIN_MAX_FAILURES, window_seconds=settings.LOGIN_LOCKOUT_MINUTES * 60)
    if not hit.allowed:
        # Not a password check: it counts nowhere, and the account stays locked.
        _release_networks(ticket)
        counter_release(account)
        raise locked_error(hit.retry_minutes)
    ticket.account_count = hit.count
    return ticket


def _release_networks(ticket: SigninTicket) -> None:
    limits = dict(_network_limits())
    for key in ticket.network_keys:
        counter_release(key, limit=limits[key.split(":")[1]])
    ticket.network_keys, ticket.network_counts = [], []


def signin_succeeded(ticket: SigninTicket) -> None:
    _release_networks(ticket)
    counter_clear(ticket.account)


def signin_paused(ticket: SigninTicket) -> None:
    """Password right, second factor still to come: no failure, but the account's count stays."""
    _release_networks(ticket)
    counter_release(ticket.account)


def signin_failed(ticket: SigninTicket, message: str, code: str) -> DomainError:
    """Keep the reservations as failures; lock the account on its last allowed failure. Returns the error."""
    for key, count, (kind, limit) in zip(ticket.network_keys, ticket.network_counts, _network_limits(), strict=False):
        if count == limit:
            value = key.split(":", 2)[2]
            _audit(
                action=f"signin.{kind}_slowed", object_type=f"client_{kind}", object_id=value, data={"failures": count}
            )
    if ticket.account_count >= settings.LOGIN_MAX_FAILURES:
        minutes = settings.LOGIN_LOCKOUT_MINUTES
        counter_hold(ticket.account, seconds=minutes * 60)
        _audit_account(
            "account.locked",
            ticket.account,
            {"failures": ticket.account_count, "minutes": minutes, "client": ticket.address},
        )
        return locked_error(minutes)
    return DomainError(message, code=code, status=401)


def login_failures_clear(*, user: User, actor: User | None = None, reason: str = "") -> bool:
    """Lift the account's sign-in lock and forget its failures (the owner proved themselves another way,
    e.g. a one-time code or a password reset). Returns True when there was something to clear."""
    had = counter_clear(account_key(user=user))
    if had:
        _audit_account(
            "account.unlocked", account_key(user=user), {"failures": had, "reason": reason}, actor=actor or user
        )
    return bool(had)
