"""No page of appointments, queue, assistant, serviceindex, nationalsync or documents answers a 5xx to a
hostile query string.

Every URL pattern of those apps is taken from the URLconf (a new page is covered without editing this
file), its path converters filled once with rows made here and once with ids and codes that do not
exist, and requested with GET by each kind of visitor with every query parameter the app reads (the
names are read from the app's source, plus the usual ones) set to each hostile value. A refusal (400,
403, 404, 405, 422, a redirect to sign in, the page with its Vietnamese message) is fine; a 5xx is
not. Overflow shows only on PostgreSQL: run this on both databases.
"""

from __future__ import annotations

import datetime
import re
from pathlib import Path

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from motcua.appointments import services as appointments
from motcua.appointments.models import BookingChannel, BookingPolicy
from motcua.assistant.models import Exchange
from motcua.assistant.services import ask
from motcua.assistant.services.review import faq_entry_save
from motcua.core import calendar
from motcua.core.models import Counter, Role
from motcua.documents.services import outgoing_draft, register_incoming
from motcua.queue.board import feed as board_feed
from motcua.queue.models import ServiceGroup, TicketChannel
from motcua.queue.services import issue_ticket
from motcua.serviceindex.measures import MEASURES
from tests.factories import (
    AgencyFactory,
    CitizenUserFactory,
    CommuneFactory,
    OfficeFactory,
    OfficerFactory,
    PersonFactory,
    ProvinceFactory,
    UserFactory,
    grant,
)

pytestmark = pytest.mark.django_db

APPS = ("appointments", "queue", "assistant", "serviceindex", "nationalsync", "documents")
PACKAGE = Path(__file__).resolve().parents[2] / "motcua"
# The names the brief lists, read by one app or another; each app adds the names its own code reads.
KNOWN_NAMES = ("page", "tu", "nam", "year", "thang", "ky", "agency", "commune", "status", "q")
_READ_NAME = re.compile(r"""(?:GET|POST|params|query|data)(?:\.get|\.getlist)?[(\[]\s*["']([a-z_]{1,30})["']""")
HOSTILE = (
    "²",  # a digit to str.isdigit(), not to int()
    "٣",  # an Arabic-Indic digit: int() takes it, a database column may not
    "99999999999999999999999",  # beyond any integer column (the request guard's refusal)
    "999999999999999999",  # 18 digits: a BIGINT, but not an INTEGER, SMALLINT, year or date
    "-1",
    "",
    "x" * 3000,
    "a\x00b",  # NUL: PostgreSQL refuses it in text
)
ONE_AT_A_TIME = ("²", "999999999999999999", "x" * 3000)
JUNK_INT = "999999999999999999"
JUNK_TEXT = "khong-co"
MONDAY = datetime.date(2026, 12, 7)


def _patterns():
    """(route, pattern) for every URL pattern whose view lives in one of APPS."""

    def walk(patterns, prefix):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern))
            elif isinstance(pattern, URLPattern):
                yield prefix + str(pattern.pattern), pattern

    for route, pattern in walk(get_resolver().url_patterns, ""):
        app = next((a for a in APPS if pattern.lookup_str.startswith(f"motcua.{a}.")), None)
        if app is not None:
            yield app, route, pattern


def _names_read(app: str) -> tuple[str, ...]:
    found = set(KNOWN_NAMES)
    for source in (PACKAGE / app).rglob("*.py"):
        found.update(_READ_NAME.findall(source.read_text(encoding="utf-8")))
    return tuple(sorted(found))


_CONVERTER = re.compile(r"<(?:(\w+):)?(\w+)>")


def _url(route: str, values: dict[str, str], *, junk: bool) -> str:
    def fill(match):
        kind, name = match.group(1) or "str", match.group(2)
        if junk:
            return JUNK_INT if kind == "int" else JUNK_TEXT
        return str(values.get(name, JUNK_INT if kind == "int" else JUNK_TEXT))

    return "/" + _CONVERTER.sub(fill, route)


@pytest.fixture(autouse=True)
def _environment(settings, tmp_path, monkeypatch):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "media"
    moment = datetime.datetime.combine(MONDAY, datetime.time(8), calendar.local_tz())
    monkeypatch.setattr("django.utils.timezone.now", lambda: moment)
    # The board's event stream polls in the request thread (no background thread in a test).
    board_feed.set_feed(board_feed.CallFeed(threaded=False))
    yield
    board_feed.set_feed(None)


@pytest.fixture
def world(document_types):
    """One commune's office with a booking, a ticket, a question and answer, documents; the visitors."""
    agency = AgencyFactory(unit=CommuneFactory(parent=ProvinceFactory(), name="Phường An Xuyên"))
    office = OfficeFactory(agency=agency)
    counter = Counter.objects.create(office=office, number=1, name="Quầy 1")
    group = ServiceGroup.objects.create(office=office, code="ho-tich", name="Hộ tịch", prefix="A")
    group.counters.set([counter])
    BookingPolicy.objects.create(group=group)
    officer = OfficerFactory(person=PersonFactory(), first_name="Cán bộ")
    for role in Role.values:
        grant(officer, role, agency=agency)
    superuser = UserFactory(is_superuser=True, is_staff=True)
    booking = appointments.book(
        group=group,
        slot_start=datetime.datetime.combine(
            MONDAY + datetime.timedelta(days=1), datetime.time(8), calendar.local_tz()
        ),
        channel=BookingChannel.DESK,
        name="Lê Văn Tư",
        phone="0912345678",
        actor=officer,
    )
    ticket = issue_ticket(group=group, channel=TicketChannel.KIOSK)
    ask("làm giấy khai sinh ở đâu")
    faq = faq_entry_save(actor=superuser, question="Làm khai sinh ở đâu?", answer="Tại bộ phận một cửa.")
    incoming = register_incoming(
        agency=agency, actor=officer, sender_name="Sở Tư pháp", summary="Về việc chứng thực", doc_type="CV"
    )
    outgoing = outgoing_draft(agency=agency, actor=officer, doc_type="QĐ", title="Về việc khen thưởng")
    values = {
        "office_id": office.pk,
        "group_id": group.pk,
        "counter_id": counter.pk,
        "code": booking.code,
        "token": ticket.follow_token,
        "exchange_id": Exchange.objects.latest("id").pk,
        "entry_id": faq.pk,
        "by": "agency",
        "key": agency.pk,
        "measure": next(iter(MEASURES)),
        "side": "tu-so",
        "name": "cong-khai",
        "fmt": "xlsx",
        "kind": "den",
        "action": "nhan",
    }
    return {"values": values, "incoming": incoming, "outgoing": outgoing, "officer": officer, "superuser": superuser}


def _clients(world) -> dict[str, Client]:
    clients = {"anonymous": Client(raise_request_exception=False)}
    for role, user in (
        ("citizen", CitizenUserFactory()),
        ("officer", world["officer"]),
        ("superuser", world["superuser"]),
    ):
        clients[role] = Client(raise_request_exception=False)
        clients[role].force_login(user)
    return clients


def _values_for(route: str, world) -> dict:
    values = dict(world["values"])
    if route.startswith("van-ban/den/"):
        values["pk"] = world["incoming"].pk
    elif route.startswith("van-ban/di/"):
        values["pk"] = world["outgoing"].pk
    return values


def _failure(response, role: str, url: str, query: dict) -> str | None:
    if response.status_code < 500:
        return None
    exc = getattr(response, "exc_info", None)
    values = {v[:12] + "…" if len(v) > 12 else v for v in query.values()}
    shown = f"every name = {values.pop()!r}" if len(query) > 1 else {k: v[:12] for k, v in query.items()}
    return f"{response.status_code} {role} GET {url} {shown!r}: {exc[1]!r}" if exc else f"{response.status_code} {url}"


@pytest.mark.parametrize("app", APPS)
def test_no_page_answers_a_5xx_to_hostile_query_strings(app, world):
    clients = _clients(world)
    names = _names_read(app)
    routes = [route for found, route, _pattern in _patterns() if found == app]
    assert routes, f"no URL pattern found for {app}"
    failures: list[str] = []

    def get(role, url, query):
        failures.append(_failure(clients[role].get(url, query), role, url, query))

    for route in routes:
        url = _url(route, _values_for(route, world), junk=False)
        # Every visitor, every name at once: the plain page, then each hostile value.
        for role in clients:
            for value in (None, *HOSTILE):
                get(role, url, {} if value is None else dict.fromkeys(names, value))
        # One name at a time, so a name refused early cannot hide another's failure; the values that
        # reach a view (the request guard refuses NUL and 19+ digits before any view runs).
        for name in names:
            for value in ONE_AT_A_TIME:
                get("superuser", url, {name: value})
        # Rows that do not exist, for whoever may see the most.
        junk = _url(route, {}, junk=True)
        for value in (None, *HOSTILE):
            get("superuser", junk, {} if value is None else dict.fromkeys(names, value))
    failures = [f for f in failures if f]
    assert not failures, f"{len(failures)} answers were 5xx:\n" + "\n".join(failures[:40])
