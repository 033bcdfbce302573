import datetime
import io

import pytest
from django.contrib.auth import authenticate
from django.contrib.auth.hashers import get_hasher
from django.core.management import call_command, get_commands

from motcua.core.identity import normalize_phone, validate_personal_id
from motcua.core.models import Hamlet, HamletKind, Person, Role, RoleAssignment, Sex, Unit, UnitKind, User
from motcua.demo.province import demo_hamlet_names, demo_people, demo_province_build, personal_id_for


@pytest.fixture(autouse=True)
def _fast_hasher(settings):
    # The real PBKDF2 costs ~0.4 s per demo account; the hashing itself is not under test here.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _demo_snapshot():
    people = list(
        Person.objects.filter(is_demo=True)
        .order_by("personal_id")
        .values_list(
            "personal_id", "full_name", "sex", "date_of_birth", "phone", "hamlet__name", "unit__code", "address"
        )
    )
    hamlets = sorted(Hamlet.objects.filter(is_demo=True).values_list("unit__code", "kind", "name", "code"))
    users = sorted(User.objects.values_list("username", "first_name", "last_name", "is_officer", "person__personal_id"))
    roles = sorted(RoleAssignment.objects.values_list("user__username", "role", "agency__code", "unit__code"))
    return people, hamlets, users, roles


def test_generators_are_reproducible_with_the_same_seed():
    assert demo_people(seed=5, count=50, hamlet_count=30) == demo_people(seed=5, count=50, hamlet_count=30)
    assert demo_people(seed=5, count=50, hamlet_count=30) != demo_people(seed=6, count=50, hamlet_count=30)
    assert demo_hamlet_names(seed=5, unit_code="32248", unit_kind=UnitKind.COMMUNE) == demo_hamlet_names(
        seed=5, unit_code="32248", unit_kind=UnitKind.COMMUNE
    )
    khom = demo_hamlet_names(seed=5, unit_code="32002", unit_kind=UnitKind.WARD)
    assert [name for _kind, name in khom] == [f"Khóm {i}" for i in range(1, len(khom) + 1)]
    assert {kind for kind, _name in khom} == {HamletKind.KHOM}


def test_personal_id_encodes_century_and_sex():
    assert (
        personal_id_for(place_code="096", date_of_birth=datetime.date(1985, 3, 1), sex=Sex.MALE, serial=7)
        == "096085000007"
    )
    assert (
        personal_id_for(place_code="096", date_of_birth=datetime.date(1985, 3, 1), sex=Sex.FEMALE, serial=7)
        == "096185000007"
    )
    assert (
        personal_id_for(place_code="096", date_of_birth=datetime.date(2003, 3, 1), sex=Sex.MALE, serial=7)
        == "096203000007"
    )
    assert (
        personal_id_for(place_code="096", date_of_birth=datetime.date(2003, 3, 1), sex=Sex.FEMALE, serial=7)
        == "096303000007"
    )


@pytest.mark.django_db
def test_demo_is_idempotent_and_reproducible_with_the_same_seed():
    first = demo_province_build(seed=7)
    snapshot = _demo_snapshot()
    assert len(snapshot[0]) == 200
    assert all(a.password for a in first.accounts)

    second = demo_province_build(seed=7)
    assert _demo_snapshot() == snapshot
    assert (second.units_created, second.hamlets_created, second.people_created) == (0, 0, 0)
    assert second.agencies.agencies_created == 0
    assert not second.new_accounts

    # Built again from nothing with the same seed, the demo data comes out the same.
    User.objects.all().delete()
    Person.objects.filter(is_demo=True).delete()
    Hamlet.objects.filter(is_demo=True).delete()
    demo_province_build(seed=7)
    assert _demo_snapshot() == snapshot


@pytest.mark.django_db
def test_every_role_is_present_with_the_right_scope():
    result = demo_province_build(seed=1, people=20)
    province = result.province

    assert {a.role for a in RoleAssignment.objects.all()} == set(Role.values)
    for role in (Role.ADMINISTRATOR, Role.MANAGER):
        assert RoleAssignment.objects.filter(role=role, unit=province).exists()
    admin = User.objects.get(roles__role=Role.ADMINISTRATOR)
    assert admin.is_staff and admin.is_superuser and admin.is_officer
    assert RoleAssignment.objects.filter(role=Role.RECEPTIONIST, agency__unit__code="32002").exists()
    assert RoleAssignment.objects.filter(role=Role.OUTREACH_MEMBER, unit__code="32248").exists()
    assert not User.objects.filter(is_officer=True, roles__isnull=True).exists()


@pytest.mark.django_db
def test_demo_people_have_valid_ids_and_phones_and_live_in_demo_hamlets():
    demo_province_build(seed=3)

    people = list(Person.objects.select_related("hamlet", "unit"))
    assert len(people) == 200
    for person in people:
        assert person.is_demo
        assert (
            validate_personal_id(person.personal_id, date_of_birth=person.date_of_birth, sex=person.sex)
            == person.personal_id
        )
        assert person.personal_id.startswith("096")
        assert normalize_phone(person.phone) == person.phone
        assert person.hamlet.is_demo
        assert person.hamlet.unit_id == person.unit_id
        assert person.unit.parent.code == "96"
        assert person.id_issued_on >= person.date_of_birth
        assert person.hamlet.name in person.address
    assert len({p.phone for p in people}) == 200
    assert {p.sex for p in people} == {Sex.MALE, Sex.FEMALE}
    assert any(p.date_of_birth.year >= 2000 for p in people)

    wards = Hamlet.objects.filter(unit__kind=UnitKind.WARD)
    communes = Hamlet.objects.filter(unit__kind=UnitKind.COMMUNE)
    assert wards.exists() and not wards.exclude(kind=HamletKind.KHOM).exists()
    assert all(name.startswith("Khóm ") for name in wards.values_list("name", flat=True))
    assert communes.exists() and all(name.startswith("Ấp ") for name in communes.values_list("name", flat=True))
    assert not Unit.objects.filter(parent__code="96", parent__era="2025", hamlets__isnull=True).exists()


@pytest.mark.django_db
def test_citizens_sign_in_with_their_personal_id():
    result = demo_province_build(seed=2, people=30, citizen_accounts=3)

    citizens = [a for a in result.accounts if a.role == "Công dân"]
    assert len(citizens) == 3
    for account in citizens:
        user = authenticate(username=account.username, password=account.password)
        assert user is not None
        assert user.person.personal_id == account.username
        assert not user.is_officer
    officer = next(a for a in result.accounts if a.username == "tiepnhan.anxuyen")
    assert authenticate(username="tiepnhan.anxuyen", password=officer.password).is_officer


@pytest.mark.django_db
def test_imported_hamlets_are_kept_and_demo_skips_that_unit():
    from motcua.core.services.units import hamlet_import, unit_load_province

    unit_load_province(code=96)
    hamlet_import(source="32248,ấp,Ấp Mũi,\n")

    demo_province_build(seed=4, people=10)

    assert list(Hamlet.objects.filter(unit__code="32248").values_list("name", "is_demo")) == [("Ấp Mũi", False)]


@pytest.mark.django_db
def test_command_prints_accounts_the_first_time_only():
    out = io.StringIO()
    call_command("load_demo_province", "--seed", "11", stdout=out, stderr=io.StringIO())
    text = out.getvalue()
    assert "http://127.0.0.1:8000/" in text
    assert "/quan-tri/" in text
    assert "quantri" in text
    assert "Mật khẩu" in text
    for name in ("load_catalog", "load_calendar_overrides"):
        # Loaders of other apps run when installed, else are skipped with a note.
        assert (f"Bỏ qua {name}" in text) == (name not in get_commands())

    again = io.StringIO()
    call_command("load_demo_province", "--seed", "11", stdout=again, stderr=io.StringIO())
    assert "đã có từ lần chạy trước" in again.getvalue()
    assert "Mật khẩu" not in again.getvalue()


@pytest.mark.django_db
def test_demo_passwords_are_rehashed_at_full_strength_on_first_sign_in(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    result = demo_province_build(seed=8, people=5, citizen_accounts=1)
    account = next(a for a in result.accounts if a.username == "quantri")
    user = User.objects.get(username="quantri")
    assert get_hasher().must_update(user.password)

    assert authenticate(username="quantri", password=account.password) == user

    user.refresh_from_db()
    assert not get_hasher().must_update(user.password)
