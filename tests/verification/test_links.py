"""account_link_person_proven (called by national sign-in too) and the secret-message mask."""

import pytest
from django.contrib.auth.models import Permission

from motcua.core.errors import DomainError
from motcua.core.models import AuditEvent, PersonProof, Role, User
from motcua.core.services.links import account_link_person_proven
from motcua.notifications.models import SECRET_MASK, Message
from motcua.verification.services.otp import otp_issue
from tests.factories import CitizenUserFactory, OfficerFactory, PersonFactory, grant


def _bare_account(name="moi"):
    return User.objects.create_user(name, password="Mk-thu-nghiem-2026")


@pytest.mark.django_db
def test_national_sign_in_replaces_a_self_declared_holder():
    person = PersonFactory()
    squatter = CitizenUserFactory(person=person, person_proof=PersonProof.SELF_DECLARED)
    owner = _bare_account()
    linked = account_link_person_proven(user=owner, person=person, method=PersonProof.NATIONAL)
    assert linked.person == person and linked.person_proof == PersonProof.NATIONAL
    squatter.refresh_from_db()
    assert squatter.person is None and not squatter.is_active and squatter.username == f"tach{squatter.pk}"
    assert AuditEvent.objects.filter(action="account.person_linked", object_id=str(owner.pk)).exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("holder_proof", "method", "allowed"),
    [
        (PersonProof.CODE, PersonProof.CODE, True),
        (PersonProof.DESK, PersonProof.CODE, False),
        (PersonProof.NATIONAL, PersonProof.CODE, False),
        (PersonProof.DESK, PersonProof.NATIONAL, True),
        (PersonProof.NATIONAL, PersonProof.DESK, True),
        ("", PersonProof.CODE, True),
    ],
)
def test_a_weaker_proof_never_moves_a_record_from_a_stronger_holder(holder_proof, method, allowed):
    person = PersonFactory()
    holder = CitizenUserFactory(person=person, person_proof=holder_proof)
    newcomer = _bare_account()
    if allowed:
        account_link_person_proven(user=newcomer, person=person, method=method)
        holder.refresh_from_db()
        assert holder.person is None
    else:
        with pytest.raises(DomainError) as exc:
            account_link_person_proven(user=newcomer, person=person, method=method)
        assert exc.value.code == "person_held" and exc.value.status == 409
        holder.refresh_from_db()
        assert holder.person == person and holder.is_active


@pytest.mark.django_db
def test_link_refusals():
    person = PersonFactory()
    with pytest.raises(DomainError) as exc:
        account_link_person_proven(user=_bare_account(), person=person, method=PersonProof.SELF_DECLARED)
    assert exc.value.code == "proof_invalid"
    with pytest.raises(DomainError) as exc:
        account_link_person_proven(user=OfficerFactory(), person=person, method=PersonProof.NATIONAL)
    assert exc.value.code == "officer_account"
    elsewhere = CitizenUserFactory()
    with pytest.raises(DomainError) as exc:
        account_link_person_proven(user=elsewhere, person=person, method=PersonProof.NATIONAL)
    assert exc.value.code == "account_linked_elsewhere"
    assert not User.objects.filter(person=person).exists()


@pytest.mark.django_db
def test_a_proof_upgrades_the_holder_itself():
    citizen = CitizenUserFactory(person_proof=PersonProof.SELF_DECLARED)
    account_link_person_proven(user=citizen, person=citizen.person, method=PersonProof.NATIONAL)
    citizen.refresh_from_db()
    assert citizen.person_proof == PersonProof.NATIONAL and citizen.is_active


@pytest.mark.django_db
def test_a_code_message_is_masked_in_the_admin_and_the_api(client):
    otp_issue(purpose="password_reset", phone="0912345678")
    message = Message.objects.get()
    code = message.body.split("la ")[1][:6]
    admin_user = User.objects.create_superuser("quantri", password="Mk-thu-nghiem-2026")
    client.force_login(admin_user)
    page = client.get(f"/quan-tri/notifications/message/{message.pk}/change/").content.decode()
    assert SECRET_MASK in page and code not in page
    api = client.get(f"/api/v1/notifications/{message.pk}").json()
    assert api["body"] == SECRET_MASK
    # A manager who may send notices sees it masked too.
    manager = OfficerFactory()
    grant(manager, Role.MANAGER, unit=PersonFactory().unit)
    manager.user_permissions.add(*Permission.objects.filter(codename="view_message"))
    client.force_login(manager)
    response = client.get(f"/api/v1/notifications/{message.pk}")
    assert response.status_code == 200 and code not in response.content.decode()
