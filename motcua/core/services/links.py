"""Linking a citizen account to a person record, only on proof that the account holder is that person.

Name, ID number and birth date are printed on the card and so prove nothing. Proofs, weakest
first: self-declared at registration (a new ID nobody held), a code sent to the phone on record,
an officer checking the chip card at the desk, national sign-in. A proof at least as strong as
the current holder's moves the record to the new account and switches the old one off, so an
unproven first claimant never blocks the owner.
"""

from django.db import transaction
from django.utils.translation import gettext as _

from motcua.core.errors import DomainError
from motcua.core.models import Person, PersonProof, User
from motcua.core.transitions import audit_record

_STRENGTH = {"": 0, PersonProof.SELF_DECLARED: 0, PersonProof.CODE: 1, PersonProof.DESK: 2, PersonProof.NATIONAL: 2}
PROVEN_METHODS = (PersonProof.CODE, PersonProof.DESK, PersonProof.NATIONAL)


def _audit(*, actor: User | None, action: str, user: User, data: dict) -> None:
    audit_record(actor=actor, action=action, obj=user, data=data)


def account_link_person_proven(*, user: User, person: Person, method: str, actor: User | None = None) -> User:
    """Link `user` to `person` after `method` proved it (code, desk or national sign-in).

    Call inside the transaction that checked the proof. Returns the linked user. Raises
    DomainError `proof_invalid` for an unknown method, `officer_account` for an officer,
    `account_linked_elsewhere` (409) when the account already belongs to another person and
    `person_held` (409) when a more strongly proven account holds the person.
    """
    if method not in PROVEN_METHODS:
        raise DomainError(_("Cách xác minh không hợp lệ."), code="proof_invalid", status=422)
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        person = Person.objects.select_for_update().get(pk=person.pk)
        if user.is_officer:
            raise DomainError(
                _("Tài khoản cán bộ không liên kết với hồ sơ công dân theo cách này."), code="officer_account"
            )
        if user.person_id and user.person_id != person.pk:
            raise DomainError(
                _("Tài khoản này đã gắn với một công dân khác."), code="account_linked_elsewhere", status=409
            )
        holder = User.objects.select_for_update().filter(person=person).exclude(pk=user.pk).first()
        if holder is not None and _STRENGTH[method] < _STRENGTH.get(holder.person_proof, 0):
            raise DomainError(
                _("Hồ sơ này đã gắn với một tài khoản đã được xác minh. Vui lòng liên hệ bộ phận một cửa."),
                code="person_held",
                status=409,
            )
        detached = None
        if holder is not None:
            # The old holder loses the record and is switched off; its name frees the ID for sign-in.
            holder.person, holder.person_proof, holder.is_active = None, "", False
            holder.username = f"tach{holder.pk}"
            holder.save(update_fields=["person", "person_proof", "is_active", "username"])
            detached = holder.pk
            _audit(
                actor=actor or user,
                action="account.person_unlinked",
                user=holder,
                data={"person_id": person.pk, "replaced_by": user.pk, "method": method},
            )
        if _STRENGTH[method] >= _STRENGTH.get(user.person_proof, 0) or user.person_id != person.pk:
            user.person, user.person_proof = person, method
            user.save(update_fields=["person", "person_proof"])
        _audit(
            actor=actor or user,
            action="account.person_linked",
            user=user,
            data={"person_id": person.pk, "method": method, "detached_user_id": detached},
        )
    return user


def account_take_id_as_username(*, user: User, personal_id: str) -> User:
    """After a proven link the account signs in by the ID number, unless another account still holds
    that name (an unlinked one that merely typed it; a detached holder has given it up)."""
    if user.username != personal_id and not User.objects.filter(username=personal_id).exists():
        user.username = personal_id
        user.save(update_fields=["username"])
    return user
