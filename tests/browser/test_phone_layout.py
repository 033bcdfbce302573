"""Every role's pages on a 360x740 phone in a real browser: nothing scrolls sideways, the header
menu opens and shows the nav links, and axe-core finds nothing serious.

For each role the test reads the links of the header menu on the home page, then opens them and the
pages testers found too wide (officer dossier detail, citizen messages, officer queue, cashier desk,
province outreach progress, the visit form), with real data: a dossier with steps, households,
a broadcast, a field report, payment requests and more apology letters than fit a phone screen."""

import datetime
import json
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import pytest
from django.urls import reverse
from django.utils import timezone

from motcua.dossiers.models import ApologyLetter, Channel, Dossier, DossierStatus
from motcua.dossiers.services.workflow import dossier_receive
from motcua.notifications.models import Broadcast, BroadcastStatus, Message
from motcua.outreach.models import HouseholdMember, OutreachTeam
from motcua.outreach.services.teams import indicators_load_defaults
from tests.browser.conftest import PHONE_VIEWPORT, assert_no_serious_axe_violations, sign_in
from tests.core.access_matrix.world import build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE_WIDTH = PHONE_VIEWPORT["width"]
APOLOGY_LETTERS = 16
# A long unbroken word, the kind that pushes a phone page sideways when nothing wraps it.
LONG_WORD = "Giaykhaisinhbansaoduocchungthuctheoquydinh-0123456789"

# The page width and, when it is too wide, the deepest elements that reach past the right edge.
WIDTH_PROBE = """() => {
  const limit = document.documentElement.clientWidth;
  const wide = [];
  for (const el of document.body.querySelectorAll('*')) {
    const box = el.getBoundingClientRect();
    if (box.right > limit + 0.5 && box.width > 0 && ![...el.children].some(
        c => c.getBoundingClientRect().right > limit + 0.5)) {
      wide.push(el.tagName.toLowerCase() + (el.className && typeof el.className === 'string'
        ? '.' + el.className.trim().split(/\\s+/).join('.') : '') + ' right=' + Math.round(box.right)
        + ' "' + (el.textContent || '').trim().slice(0, 40) + '"');
    }
  }
  return {width: document.documentElement.scrollWidth, wide: wide.slice(0, 6)};
}"""


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@dataclass
class PhoneWorld:
    users: dict = field(default_factory=dict)
    pages: dict = field(default_factory=dict)


def _dossier_with_steps(world, n: int, *, agency, procedure) -> Dossier:
    records = world.records["AN"]
    person = records.person
    dossier = Dossier.objects.create(
        code=f"{agency.code}-260316-{9000 + n:04d}",
        procedure=procedure,
        procedure_snapshot={"time_limit_days": "3"},
        status=DossierStatus.REGISTERED,
        channel=Channel.ONLINE,
        applicant_person=person,
        applicant_name=f"{person.full_name} {LONG_WORD}" if n == 0 else person.full_name,
        applicant_personal_id=person.personal_id,
        applicant_phone=person.phone,
        applicant_address=f"Ấp 2, xã Tân Thành, {LONG_WORD}",
        submitted_by=records.user,
        receiving_agency=agency,
        current_agency=agency,
        submitted_at=timezone.now() - datetime.timedelta(days=3),
    )
    return dossier_receive(dossier=dossier, actor=world.actors["one_stop_officer"])


def build_phone_world() -> PhoneWorld:
    indicators_load_defaults()
    world = build_world()
    an = world.records["AN"]
    agency, procedure = an.dossier.receiving_agency, an.dossier.procedure
    specialist = world.actors["specialist"]
    stepped = [_dossier_with_steps(world, n, agency=agency, procedure=procedure) for n in range(APOLOGY_LETTERS)]
    for dossier in stepped:
        ApologyLetter.objects.create(
            dossier=dossier,
            reason="Cần xác minh thêm thông tin với cơ quan khác.",
            new_due_at=timezone.now() + datetime.timedelta(days=5),
            drafted_by=specialist,
        )
    for n in range(3):
        Message.objects.create(
            person=an.person,
            channel="sms",
            recipient=an.person.phone,
            event="dossier.received",
            subject_type="dossier",
            subject_id=str(stepped[n].pk),
            body=f"Ho so {stepped[n].code} da duoc tiep nhan, hen tra ket qua. {LONG_WORD}",
            dedupe_key=f"phone:{n}",
        )
    for name in ("Nguyễn Thị Hoa", "Nguyễn Văn Nam Long Phụng"):
        HouseholdMember.objects.create(household=an.household, full_name=name, relation="Con")
    commune = an.household.unit
    a_leader = world.actors["leader"]
    team = OutreachTeam.objects.get(unit=commune)
    broadcast = Broadcast.objects.create(
        owner_unit=commune,
        title="Lịch tiêm chủng mở rộng tháng 12",
        body=f"Mời các gia đình đưa trẻ đến trạm y tế xã. {LONG_WORD}",
        status=BroadcastStatus.DRAFT,
        created_by=world.actors["one_stop_officer"],
    )
    broadcast.units.set([commune])
    sent = Broadcast.objects.create(
        owner_unit=commune,
        title="Lịch cắt điện ngày 20/12",
        body="Điện lực thông báo tạm ngừng cấp điện từ 7 giờ đến 11 giờ.",
        status=BroadcastStatus.DONE,
        created_by=world.actors["one_stop_officer"],
        decided_by=a_leader,
        recipient_count=len(world.records),
    )
    sent.units.set([commune])
    for key, records in world.records.items():
        Message.objects.create(
            person=records.person,
            channel="sms",
            recipient=records.person.phone,
            event="broadcast",
            broadcast=sent,
            body=sent.body,
            dedupe_key=f"phone:broadcast:{key}",
        )
    dossier = stepped[0]
    report = an.report
    payment = an.payment_request
    a = world.actors
    world_pages = {
        "anonymous": [
            reverse("catalog:procedure", args=[procedure.code]),
            reverse("dossiers:lookup"),
            reverse("fieldreports:detail", args=[report.code]),
            reverse("fieldreports:submit"),
            reverse("fieldreports:list"),
            reverse("fieldreports:stats"),
            reverse("verify:home"),
        ],
        "citizen": [
            reverse("dossiers:inbox"),
            reverse("dossiers:my_list"),
            reverse("dossiers:detail", args=[an.dossier.code]),
            reverse("fieldreports:my_detail", args=[report.code]),
            reverse("core:account"),
            reverse("dossiers:submit", args=[procedure.code]),
            reverse("fieldreports:mine"),
        ],
        "receptionist": [
            reverse("dossiers:queue"),
            reverse("dossiers:officer_detail", args=[dossier.code]),
            reverse("dossiers:desk_intake"),
            reverse("core:person_list"),
        ],
        "specialist": [
            reverse("dossiers:queue"),
            reverse("dossiers:queue") + "?tab=overdue",
            reverse("dossiers:officer_detail", args=[dossier.code]),
        ],
        "leader": [
            reverse("dossiers:officer_detail", args=[dossier.code]),
            reverse("broadcasts:list"),
            reverse("broadcasts:detail", args=[broadcast.pk]),
            reverse("broadcasts:detail", args=[sent.pk]),
            reverse("dossiers:stats"),
            reverse("ratings:stats"),
        ],
        "cashier": [
            reverse("payments:desk"),
            reverse("payments:desk_request", args=[payment.reference]),
            reverse("receipts:officer_list"),
            reverse("receipts:detail", args=[an.receipt.pk]),
            reverse("payments:desk_unmatched"),
            reverse("payment_channels:statements"),
        ],
        "report_handler": [
            reverse("fieldreports:queue"),
            reverse("fieldreports:officer_detail", args=[report.code]),
        ],
        "outreach_member": [
            reverse("outreach:home"),
            reverse("outreach:record") + f"?ho={an.household.pk}",
            reverse("outreach:households"),
            reverse("outreach:household", args=[an.household.pk]),
            reverse("outreach:team", args=[team.pk]),
        ],
        "manager": [
            reverse("outreach_progress:province"),
            reverse("outreach_progress:commune", args=[commune.code]),
            reverse("outreach_progress:targets", args=[commune.code]),
            reverse("broadcasts:list"),
            reverse("fieldreports:queue"),
        ],
    }
    users = {
        "anonymous": None,
        "citizen": a["citizen"],
        "receptionist": a["one_stop_officer"],
        "specialist": specialist,
        "leader": a["leader"],
        "cashier": a["cashier"],
        "report_handler": a["report_handler"],
        "outreach_member": a["team_member"],
        "manager": a["province_manager"],
    }
    return PhoneWorld(users=users, pages=world_pages)


def _nav_links(page, base: str) -> list[str]:
    hrefs = page.locator("header nav a[href]").evaluate_all("links => links.map(a => a.href)")
    paths = []
    for href in hrefs:
        parts = urlsplit(href)
        if f"{parts.scheme}://{parts.netloc}" == base and parts.path not in paths:
            paths.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return paths


def _open_menu_shows_links(page) -> None:
    menu = page.locator("header details.site-menu")
    summary = menu.locator("summary")
    links = page.locator("header nav a[href]")
    assert summary.is_visible(), "the menu button shows on a phone"
    assert not links.first.is_visible(), "the nav is folded away on a phone until asked for"
    summary.focus()
    page.keyboard.press("Enter")
    assert menu.evaluate("d => d.open")
    for n in range(links.count()):
        assert links.nth(n).is_visible(), f"nav link {n} shows once the menu is open"
    summary.click()
    assert not menu.evaluate("d => d.open")


ROLES = (
    "anonymous",
    "citizen",
    "receptionist",
    "specialist",
    "leader",
    "cashier",
    "report_handler",
    "outreach_member",
    "manager",
)


def test_every_role_s_pages_fit_a_phone(page, live_server):
    world = build_phone_world()
    too_wide, failed, crawled, axe_failures = {}, {}, {}, []
    for role in ROLES:
        page.context.clear_cookies()
        user = world.users[role]
        if user is not None:
            sign_in(page, live_server, user)
        page.goto("/")
        _open_menu_shows_links(page)
        urls = ["/", *_nav_links(page, live_server.url)]
        urls += [u for u in world.pages[role] if u not in urls]
        crawled[role] = urls
        for url in urls:
            response = page.goto(url)
            if not response.ok:
                failed[f"{role} {url}"] = response.status
                continue
            probe = page.evaluate(WIDTH_PROBE)
            if probe["width"] > PHONE_WIDTH:
                too_wide[f"{role} {url}"] = probe
            try:
                assert_no_serious_axe_violations(page)
            except AssertionError as exc:
                axe_failures.append(f"{role}: {exc}")
    assert not failed, f"pages that did not open: {failed}"
    assert not too_wide, f"pages wider than {PHONE_WIDTH}px: {json.dumps(too_wide, ensure_ascii=False)}"
    assert not axe_failures, "\n".join(axe_failures)
    # Each signed-in role reached its own desks from the menu, not just the public pages.
    assert "/ho-so/can-bo/" in crawled["specialist"] and "/thanh-toan/thu-ngan/" in crawled["cashier"]
    assert all(len(urls) >= 3 for urls in crawled.values())


def test_apology_letters_fold_into_one_box_after_the_queue(page, live_server):
    world = build_phone_world()
    sign_in(page, live_server, world.users["specialist"])
    page.goto(reverse("dossiers:queue"))
    box = page.locator("details.apology-drafts")
    assert box.count() == 1
    assert f"({APOLOGY_LETTERS})" in box.locator("summary").inner_text()
    assert not box.evaluate("d => d.open")
    assert not box.get_by_role("link").first.is_visible()
    # The queue comes first: the box starts below the queue table.
    table_bottom = page.locator("table.queue").evaluate("t => t.getBoundingClientRect().bottom")
    assert box.evaluate("d => d.getBoundingClientRect().top") >= table_bottom
    box.locator("summary").click()
    assert box.get_by_role("link").count() == APOLOGY_LETTERS
    assert box.get_by_role("link").first.is_visible()


def test_visit_grid_says_it_scrolls(page, live_server):
    world = build_phone_world()
    sign_in(page, live_server, world.users["outreach_member"])
    page.goto(world.pages["outreach_member"][1])
    grid = page.locator(".table-scroll:has(table.tick-grid)")
    assert grid.count() == 1
    assert grid.evaluate("g => g.scrollWidth > g.clientWidth"), "seven indicators do not fit a phone"
    # Keyboard users can scroll it (it is focusable and named) and everyone is told it scrolls.
    assert grid.get_attribute("tabindex") == "0"
    assert grid.get_attribute("role") == "region"
    assert grid.get_attribute("aria-label") or grid.get_attribute("aria-labelledby")
    assert page.locator(".scroll-cue").first.is_visible()


def test_desktop_shows_the_whole_nav_row(desk_page, live_server):
    world = build_phone_world()
    sign_in(desk_page, live_server, world.users["receptionist"])
    desk_page.goto("/")
    assert not desk_page.locator("header details.site-menu summary").is_visible()
    links = desk_page.locator("header nav a[href]")
    assert links.count() >= 3
    for n in range(links.count()):
        assert links.nth(n).is_visible()
