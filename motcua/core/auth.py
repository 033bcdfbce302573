"""Sign-in by personal ID, phone number or username, with the same password."""

import re

from django.contrib.auth.backends import ModelBackend
from django.db.models import Q

from motcua.core.identity import normalize_phone_or_none
from motcua.core.models import User

_SPACES = re.compile(r"\s+")


def fold_identifier(identifier: str) -> str:
    """One spelling per account name: '+84 912 345 678' and '0912345678' are the same key.

    Lock-out counts failures under this key, so an attacker cannot dodge it by re-spelling.
    """
    stripped = (identifier or "").strip()
    compact = _SPACES.sub("", stripped)
    if compact.isdigit() and len(compact) == 12:
        return compact
    phone = normalize_phone_or_none(stripped)
    if phone:
        return phone
    return stripped.lower()[:150]


def find_user_by_identifier(identifier: str) -> User | None:
    """The account a sign-in identifier names: username, 12-digit personal ID, or phone."""
    raw = (identifier or "").strip()
    if not raw:
        return None
    key = fold_identifier(raw)
    condition = Q(username__iexact=raw)
    if key.isdigit() and len(key) == 12:
        condition |= Q(username=key) | Q(person__personal_id=key)
    phone = normalize_phone_or_none(raw)
    if phone:
        # Officers share office phones; only citizens sign in by phone.
        condition |= Q(person__phone=phone, is_officer=False)
    matches = list(User.objects.filter(condition).select_related("person").distinct()[:2])
    # A phone shared by two citizen accounts is ambiguous: refuse rather than guess.
    return matches[0] if len(matches) == 1 else None


class IdentifierBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        user = find_user_by_identifier(username or kwargs.get("identifier") or "")
        if user is None:
            # Spend the same time as a real check so that timing does not reveal accounts.
            User().set_password(password or "")
            return None
        if user.check_password(password or "") and self.user_can_authenticate(user):
            return user
        return None
