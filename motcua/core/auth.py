"""Sign-in by personal ID, phone number or username, with the same password."""

from django.contrib.auth.backends import ModelBackend
from django.db.models import Q

from motcua.core.identity import normalize_phone_or_none
from motcua.core.models import User


def find_user_by_identifier(identifier: str) -> User | None:
    """The account a sign-in identifier names: username, 12-digit personal ID, or phone."""
    identifier = (identifier or "").strip()
    if not identifier:
        return None
    condition = Q(username__iexact=identifier)
    if identifier.isdigit() and len(identifier) == 12:
        condition |= Q(person__personal_id=identifier)
    phone = normalize_phone_or_none(identifier)
    if phone:
        condition |= Q(person__phone=phone, is_officer=False)
    matches = list(User.objects.filter(condition).select_related("person")[:2])
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
