"""The reproducible demo province: units, hamlets, agencies, officers of every role, citizens.

Everything generated comes from `random.Random` seeded with the demo seed, so the same seed
gives the same hamlets, people and accounts on any machine. Only passwords are random
(`secrets`): a password derivable from a public seed would be a published password. They are
shown once, when an account is created.
"""

from __future__ import annotations

import datetime
import random
import secrets
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth.hashers import PBKDF2PasswordHasher, get_hasher, make_password
from django.db import transaction

from motcua.catalog.models import Field
from motcua.core.identity import normalize_phone_or_none
from motcua.core.models import (
    COMMUNE_KINDS,
    Agency,
    Counter,
    Hamlet,
    HamletKind,
    OneStopOffice,
    Person,
    Role,
    RoleAssignment,
    Sex,
    Unit,
    UnitKind,
    User,
)
from motcua.core.selectors.units import communes_of
from motcua.core.services.agencies import (
    COMMUNE_COMMITTEE_GROUP,
    AgencySetupResult,
    agencies_setup_province,
    agency_code,
)
from motcua.core.services.units import hamlet_bulk_ensure, unit_load_province
from motcua.core.text import fold
from motcua.demo import province_data as demo_data

DEFAULT_SEED = 96
DEFAULT_PEOPLE = 200
DEFAULT_CITIZEN_ACCOUNTS = 5
DEMO_HASH_ITERATIONS = 60_000
# Communes that get a full officer team: Phường An Xuyên (centre of the old Cà Mau city) and
# Xã Đất Mũi (the southern tip). Other provinces take their first ward and first commune.
DEMO_COMMUNES = {96: ["32002", "32248"]}
_PASSWORD_ALPHABET = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"

# (username pattern, role, scope); scope is "province", "centre", "justice", "committee" or "commune".
_PROVINCE_OFFICERS = [
    ("quantri", Role.ADMINISTRATOR, "province"),
    ("quanly.tinh", Role.MANAGER, "province"),
    ("tiepnhan.tinh", Role.RECEPTIONIST, "centre"),
    ("thungan.tinh", Role.CASHIER, "centre"),
    ("chuyenvien.stp", Role.SPECIALIST, "justice"),
    ("lanhdao.stp", Role.LEADER, "justice"),
]
_COMMUNE_OFFICERS = [
    ("tiepnhan.{slug}", Role.RECEPTIONIST, "committee"),
    ("chuyenvien.{slug}", Role.SPECIALIST, "committee"),
    ("lanhdao.{slug}", Role.LEADER, "committee"),
    ("thungan.{slug}", Role.CASHIER, "committee"),
    ("phananh.{slug}", Role.REPORT_HANDLER, "committee"),
    ("tocnscd.{slug}", Role.OUTREACH_MEMBER, "commune"),
    ("quanly.{slug}", Role.MANAGER, "commune"),
]


@dataclass
class DemoAccount:
    username: str
    full_name: str
    role: str
    scope: str
    # Set only when the account was created by this run.
    password: str | None = None


@dataclass
class DemoResult:
    province: Unit
    seed: int
    units_created: int = 0
    hamlets_created: int = 0
    agencies: AgencySetupResult = field(default_factory=AgencySetupResult)
    people_created: int = 0
    accounts: list[DemoAccount] = field(default_factory=list)

    @property
    def new_accounts(self) -> list[DemoAccount]:
        return [a for a in self.accounts if a.password]


# --- Pure generators (no database): the same seed gives the same output ----------------------


def demo_phone(rng: random.Random) -> str:
    """A mobile number libphonenumber accepts. Two draws from `rng` whatever happens, so seeded data
    stays the same elsewhere; a number in an unallocated block (0890…) gets its fourth digit moved."""
    prefix = rng.choice(demo_data.MOBILE_PREFIXES)
    rest = f"{rng.randint(0, 9_999_999):07d}"
    for shift in range(10):
        candidate = prefix + str((int(rest[0]) + shift) % 10) + rest[1:]
        if normalize_phone_or_none(candidate) == candidate:
            return candidate
    return prefix + rest


def demo_hamlet_names(*, seed: int, unit_code: str, unit_kind: str) -> list[tuple[str, str]]:
    """(kind, name) of the generated hamlets of one unit: "Khóm 1..n" for wards; for communes
    either "Ấp 1..n" or named ấp."""
    rng = random.Random(f"motcua-demo:{seed}:hamlets:{unit_code}")
    if unit_kind == UnitKind.WARD:
        return [(HamletKind.KHOM, f"Khóm {i}") for i in range(1, rng.randint(4, 9) + 1)]
    count = rng.randint(5, 10)
    if rng.random() < 0.5:
        return [(HamletKind.AP, f"Ấp {i}") for i in range(1, count + 1)]
    return [(HamletKind.AP, f"Ấp {name}") for name in rng.sample(demo_data.HAMLET_NAMES, count)]


def _full_name(rng: random.Random, sex: str) -> tuple[str, str, str]:
    surnames, weights = zip(*demo_data.SURNAMES, strict=True)
    surname = rng.choices(surnames, weights=weights)[0]
    if sex == Sex.MALE:
        return surname, rng.choice(demo_data.MIDDLE_MALE), rng.choice(demo_data.GIVEN_MALE)
    return surname, rng.choice(demo_data.MIDDLE_FEMALE), rng.choice(demo_data.GIVEN_FEMALE)


def _random_date(rng: random.Random, start: datetime.date, end: datetime.date) -> datetime.date:
    return start + datetime.timedelta(days=rng.randint(0, (end - start).days))


def personal_id_for(*, place_code: str, date_of_birth: datetime.date, sex: str, serial: int) -> str:
    """A 12-digit personal ID: place (3), century-and-sex (1), birth year (2), serial (6).

    The century-and-sex digit is 0/1 for men/women born 1900–1999, 2/3 for 2000–2099.
    """
    century_digit = 2 * ((date_of_birth.year - 1900) // 100) + (0 if sex == Sex.MALE else 1)
    return f"{place_code}{century_digit}{date_of_birth.year % 100:02d}{serial:06d}"


@dataclass(frozen=True)
class DemoPerson:
    personal_id: str
    full_name: str
    sex: str
    date_of_birth: datetime.date
    phone: str
    id_issued_on: datetime.date
    hamlet_index: int


def demo_people(*, seed: int, count: int, hamlet_count: int, place_code: str = "096") -> list[DemoPerson]:
    """Fictitious adult citizens, each placed in one of `hamlet_count` hamlets (by index)."""
    rng = random.Random(f"motcua-demo:{seed}:people")
    people: list[DemoPerson] = []
    ids: set[str] = set()
    phones: set[str] = set()
    while len(people) < count:
        sex = rng.choice([Sex.MALE, Sex.FEMALE])
        surname, middle, given = _full_name(rng, sex)
        dob = _random_date(rng, datetime.date(1945, 1, 1), datetime.date(2007, 6, 30))
        personal_id = personal_id_for(place_code=place_code, date_of_birth=dob, sex=sex, serial=rng.randint(1, 999_999))
        phone = demo_phone(rng)
        # Chip cards were issued from 2021; never before the holder turned 14.
        earliest = max(datetime.date(2021, 1, 1), dob.replace(year=dob.year + 14, day=min(dob.day, 28)))
        issued = _random_date(rng, earliest, datetime.date(2025, 6, 30))
        hamlet_index = rng.randrange(hamlet_count) if hamlet_count else -1
        if personal_id in ids or phone in phones:
            continue
        ids.add(personal_id)
        phones.add(phone)
        people.append(DemoPerson(personal_id, f"{surname} {middle} {given}", sex, dob, phone, issued, hamlet_index))
    return people


def _password() -> str:
    return "-".join("".join(secrets.choice(_PASSWORD_ALPHABET) for _ in range(4)) for _ in range(3))


def _slug(unit: Unit) -> str:
    folded = fold(unit.name)
    for prefix in ("phuong ", "xa ", "dac khu "):
        folded = folded.removeprefix(prefix)
    return folded.replace(" ", "")


# --- Building the province in the database --------------------------------------------------


def _demo_hamlets(province: Unit, seed: int) -> int:
    communes = list(communes_of(province).filter(kind__in=COMMUNE_KINDS))
    # A unit with any hamlet (imported or from an earlier run) keeps the ones it has.
    with_hamlets = set(Hamlet.objects.filter(unit__in=communes).values_list("unit_id", flat=True).distinct())
    planned = [
        Hamlet(unit=unit, kind=kind, name=name, code=f"{unit.code}-{i:02d}", is_demo=True)
        for unit in communes
        if unit.pk not in with_hamlets
        for i, (kind, name) in enumerate(demo_hamlet_names(seed=seed, unit_code=unit.code, unit_kind=unit.kind), 1)
    ]
    return hamlet_bulk_ensure(hamlets=planned)


def _assign_counter_fields() -> None:
    """Share the catalog's fields among the counters of each office that has none set yet."""
    fields = list(Field.objects.order_by("order", "slug"))
    if not fields:
        return
    counters = list(Counter.objects.filter(fields__isnull=True).order_by("office_id", "number"))
    by_office: dict[int, list[Counter]] = {}
    for counter in counters:
        by_office.setdefault(counter.office_id, []).append(counter)
    through = Counter.fields.through
    links = [
        through(counter_id=office_counters[i % len(office_counters)].pk, field_id=f.pk)
        for office_counters in by_office.values()
        for i, f in enumerate(fields)
    ]
    through.objects.bulk_create(links, batch_size=500)


def _fill_office_phones(seed: int) -> None:
    """Demo desks get a made-up landline in Cà Mau's area code (0290), printed on the forms."""
    for office in OneStopOffice.objects.filter(phone="").order_by("pk"):
        rng = random.Random(f"motcua-demo:{seed}:office:{office.pk}")
        office.phone = "0290 3" + "".join(str(rng.randint(0, 9)) for _ in range(6))
        office.save(update_fields=["phone", "updated_at"])


def _officer_plan(province: Unit, seed: int) -> list[tuple[str, str, dict, str, tuple[str, str]]]:
    """(username, role, scope kwargs for RoleAssignment, scope label, (last name, first name))."""
    centre = Agency.objects.get(code=agency_code(province_code=province.code, group=1))
    justice = Agency.objects.get(code=agency_code(province_code=province.code, group=2))
    communes = list(communes_of(province))
    wanted = DEMO_COMMUNES.get(int(province.code))
    if wanted:
        chosen = [c for c in communes if c.code in wanted]
    else:
        chosen = [c for c in communes if c.kind == UnitKind.WARD][:1] + [
            c for c in communes if c.kind == UnitKind.COMMUNE
        ][:1]
    plan = []
    scopes = {
        "province": ({"unit": province}, province.name),
        "centre": ({"agency": centre}, centre.short_name),
        "justice": ({"agency": justice}, justice.name),
    }
    for username, role, scope in _PROVINCE_OFFICERS:
        plan.append((username, role, *scopes[scope]))
    for commune in chosen:
        committee = Agency.objects.get(
            code=agency_code(province_code=province.code, group=COMMUNE_COMMITTEE_GROUP, unit_code=commune.code)
        )
        commune_scopes = {
            "committee": ({"agency": committee}, committee.name),
            "commune": ({"unit": commune}, commune.name),
        }
        for pattern, role, scope in _COMMUNE_OFFICERS:
            plan.append((pattern.format(slug=_slug(commune)), role, *commune_scopes[scope]))
    named = []
    for username, role, scope_kwargs, label in plan:
        rng = random.Random(f"motcua-demo:{seed}:officer:{username}")
        sex = rng.choice([Sex.MALE, Sex.FEMALE])
        surname, middle, given = _full_name(rng, sex)
        named.append((username, role, scope_kwargs, label, (f"{surname} {middle}", given)))
    return named


def _hash_all(passwords: list[str]) -> list[str]:
    """Hash demo passwords with a lighter PBKDF2 work factor when PBKDF2 is the configured hasher.

    The first run would otherwise spend most of its time hashing (~0.4 s per account). The
    passwords are random (about 70 bits), so the lighter factor does not make them guessable,
    and Django re-hashes them at full strength at the first sign-in (`must_update`).
    """
    hasher = get_hasher()
    if isinstance(hasher, PBKDF2PasswordHasher):
        hasher = type(hasher)()
        hasher.iterations = min(hasher.iterations, DEMO_HASH_ITERATIONS)
    return [make_password(password, hasher=hasher) for password in passwords]


def _ensure_officers(province: Unit, seed: int) -> list[DemoAccount]:
    plan = _officer_plan(province, seed)
    existing = {u.username: u for u in User.objects.filter(username__in=[p[0] for p in plan])}
    missing = sorted({p[0] for p in plan} - set(existing))
    passwords = {username: _password() for username in missing}
    hashes = dict(zip(missing, _hash_all([passwords[u] for u in missing]), strict=True))
    accounts = []
    for username, role, scope_kwargs, label, (last_name, first_name) in plan:
        user = existing.get(username)
        if user is None:
            is_admin = role == Role.ADMINISTRATOR
            user = User.objects.create(
                username=username,
                password=hashes[username],
                first_name=first_name,
                last_name=last_name,
                is_officer=True,
                is_staff=is_admin,
                is_superuser=is_admin,
            )
            existing[username] = user
        RoleAssignment.objects.get_or_create(user=user, role=role, **scope_kwargs)
        accounts.append(
            DemoAccount(username, f"{last_name} {first_name}", str(Role(role).label), label, passwords.get(username))
        )
    return accounts


def _ensure_people(province: Unit, seed: int, count: int, citizen_accounts: int) -> tuple[int, list[DemoAccount]]:
    hamlets = list(
        Hamlet.objects.filter(unit__parent=province, is_demo=True)
        .select_related("unit")
        .order_by("unit__code", "code", "name")
    )
    generated = demo_people(seed=seed, count=count, hamlet_count=len(hamlets), place_code=f"0{int(province.code):02d}")
    existing = set(
        Person.objects.filter(personal_id__in=[p.personal_id for p in generated]).values_list("personal_id", flat=True)
    )
    new_people = []
    for p in generated:
        if p.personal_id in existing:
            continue
        hamlet = hamlets[p.hamlet_index] if p.hamlet_index >= 0 else None
        unit = hamlet.unit if hamlet else None
        address = ", ".join(x for x in (hamlet and hamlet.name, unit and unit.name, province.name) if x)
        new_people.append(
            Person(
                personal_id=p.personal_id,
                full_name=p.full_name,
                full_name_folded=fold(p.full_name),
                sex=p.sex,
                date_of_birth=p.date_of_birth,
                phone=p.phone,
                address=address,
                unit=unit,
                hamlet=hamlet,
                id_issued_on=p.id_issued_on,
                is_demo=True,
            )
        )
    Person.objects.bulk_create(new_people, batch_size=500)

    account_people = generated[:citizen_accounts]
    persons = {p.personal_id: p for p in Person.objects.filter(personal_id__in=[a.personal_id for a in account_people])}
    users = set(
        User.objects.filter(username__in=[a.personal_id for a in account_people]).values_list("username", flat=True)
    )
    missing = [p for p in account_people if p.personal_id not in users and persons[p.personal_id].is_demo]
    passwords = {p.personal_id: _password() for p in missing}
    hashes = dict(zip(passwords, _hash_all(list(passwords.values())), strict=True))
    accounts = []
    for p in account_people:
        person = persons[p.personal_id]
        if p.personal_id in hashes:
            surname, _sep, given = p.full_name.rpartition(" ")
            User.objects.create(
                username=p.personal_id,
                password=hashes[p.personal_id],
                person=person,
                first_name=given,
                last_name=surname,
            )
        accounts.append(
            DemoAccount(
                p.personal_id,
                p.full_name,
                "Công dân",
                person.unit.name if person.unit else "",
                passwords.get(p.personal_id),
            )
        )
    return len(new_people), accounts


def demo_province_build(
    *,
    seed: int = DEFAULT_SEED,
    province_code: int | str | None = None,
    people: int = DEFAULT_PEOPLE,
    citizen_accounts: int = DEFAULT_CITIZEN_ACCOUNTS,
) -> DemoResult:
    """Build (or complete) the demo province. Safe to run again: nothing is duplicated and
    existing accounts keep their passwords."""
    code = settings.PROVINCE_CODE if province_code is None else province_code
    loaded = unit_load_province(code=code)
    province = loaded.province
    result = DemoResult(province=province, seed=seed, units_created=loaded.created)
    with transaction.atomic():
        result.hamlets_created = _demo_hamlets(province, seed)
        result.agencies = agencies_setup_province(province=province)
        _assign_counter_fields()
        _fill_office_phones(seed)
        result.accounts = _ensure_officers(province, seed)
        result.people_created, citizens = _ensure_people(province, seed, people, citizen_accounts)
        result.accounts += citizens
    return result


__all__ = [
    "DEFAULT_SEED",
    "DemoAccount",
    "DemoPerson",
    "DemoResult",
    "demo_hamlet_names",
    "demo_people",
    "demo_province_build",
    "personal_id_for",
]
