"""Zalo Official Account webhook: the signature and the events the assistant reads.

Zalo signs every event it posts to the webhook with the header
    X-ZEvent-Signature: mac=<hex sha256(app id + raw body + the body's "timestamp" + OA secret key)>
a plain SHA-256 over the concatenation (not an HMAC). The app id and the OA secret key are ours
(settings), never read from the body, so a forged body cannot choose them. The timestamp is the
body's own "timestamp" field (milliseconds since the epoch, sent as a string), exactly as written.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass

from motcua.core.shortcuts import id_param

SIGNATURE_HEADER = "X-ZEvent-Signature"
# Event names: a follower's text, following and unfollowing the OA. Others are acknowledged and ignored.
USER_SEND_TEXT = "user_send_text"
FOLLOW = "follow"
UNFOLLOW = "unfollow"


def event_signature(raw: bytes, timestamp: str, *, app_id: str, oa_secret_key: str) -> str:
    """The hex digest Zalo puts after "mac=" for this body."""
    return hashlib.sha256(app_id.encode() + raw + timestamp.encode() + oa_secret_key.encode()).hexdigest()


def signature_valid(raw: bytes, header: str, timestamp: str, *, app_id: str, oa_secret_key: str) -> bool:
    """Whether `header` signs `raw`; "mac=" prefix optional, case-insensitive hex, constant-time compare.

    An unset app id or secret refuses everything: a webhook must never run unauthenticated.
    """
    given = (header or "").strip()
    if given[:4].lower() == "mac=":
        given = given[4:].strip()
    if not app_id or not oa_secret_key or not given or not timestamp:
        return False
    expected = event_signature(raw, timestamp, app_id=app_id, oa_secret_key=oa_secret_key)
    return hmac.compare_digest(expected, given.lower())


@dataclass(frozen=True)
class ZaloEvent:
    name: str
    user_id: str  # the person as this OA sees them (sender of a text, the follower of a follow)
    text: str
    msg_id: str
    timestamp_ms: int | None


def _id(value) -> str:
    return str(value.get("id") or "").strip()[:64] if isinstance(value, dict) else ""


def timestamp_of(payload: dict) -> str:
    """The body's timestamp as it was written (JSON number or string), '' when absent."""
    value = payload.get("timestamp")
    if value is None or isinstance(value, bool | dict | list):
        return ""
    return str(value).strip()


def event_parse(payload: dict) -> ZaloEvent:
    """The parts of an event the assistant uses; unknown shapes give empty fields, never an error."""
    name = str(payload.get("event_name") or "")[:64]
    stamp = timestamp_of(payload)
    timestamp_ms = id_param(stamp)  # milliseconds: 13 digits; anything else is no time at all
    message = payload.get("message") if isinstance(payload.get("message"), dict) else {}
    if name in (FOLLOW, UNFOLLOW):
        user_id = _id(payload.get("follower")) or _id(payload.get("sender"))
    else:
        user_id = _id(payload.get("sender"))
    text = message.get("text") if isinstance(message.get("text"), str) else ""
    return ZaloEvent(
        name=name,
        user_id=user_id,
        text=text,
        msg_id=str(message.get("msg_id") or "")[:64],
        timestamp_ms=timestamp_ms,
    )
