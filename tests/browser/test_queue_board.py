"""The display board in Chromium: the counter's desk page calls a ticket in one page and the board,
open in another, shows it without a reload and fetches the call-out audio; the network drops, a call is made meanwhile, and the board
catches up when the network is back (the last state stays on screen in between)."""

import pytest
from playwright.sync_api import expect

from motcua.core.models import Counter, Role
from motcua.queue.board import feed as board_feed
from motcua.queue.models import ServiceGroup
from motcua.queue.services import issue_ticket
from tests.browser.conftest import assert_no_serious_axe_violations, sign_in
from tests.factories import AgencyFactory, CommuneFactory, OfficeFactory, OfficerFactory, grant

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def threaded_feed():
    feed = board_feed.CallFeed()
    board_feed.set_feed(feed)
    yield feed
    feed.stop()
    board_feed.feed().stop()  # the one the test put in its place
    board_feed.set_feed(None)


@pytest.fixture
def context_overrides():
    return {"viewport": {"width": 1366, "height": 768}, "is_mobile": False, "has_touch": False}


def test_the_board_shows_each_call_live_and_catches_up_after_a_drop(
    page, desk_page, live_server, threaded_feed, settings, tmp_path
):
    settings.VOICE_CACHE_DIR = tmp_path / "voice"
    settings.QUEUE_BOARD_STREAM_SECONDS = 2  # streams end and reconnect many times during the test
    office = OfficeFactory(agency=AgencyFactory(unit=CommuneFactory(name="Xã An Thạnh")))
    counter3 = Counter.objects.create(office=office, number=3, name="Quầy 3")
    counter4 = Counter.objects.create(office=office, number=4, name="Quầy 4")
    group = ServiceGroup.objects.create(office=office, code="ho-tich", name="Hộ tịch", prefix="A")
    group.counters.set([counter3, counter4])
    officer = OfficerFactory(username="desk")
    grant(officer, Role.RECEPTIONIST, agency=office.agency)
    for _ in range(2):
        issue_ticket(group=group, channel="kiosk")

    audio = []
    page.on("request", lambda request: audio.append(request.url) if "/am-thanh/" in request.url else None)
    page.goto(f"/xep-hang/bang/{office.pk}/")
    expect(page.locator("body")).to_have_attribute("data-online", "1")
    expect(page.locator("#board-groups")).to_contain_text("2")
    assert_no_serious_axe_violations(page)
    # Browsers hold audio back until someone clicks; the board asks once.
    sound = page.get_by_role("button", name="Bật âm thanh")
    if sound.is_visible():
        sound.click()
    expect(page.locator("body")).to_have_attribute("data-sound", "on")
    page.evaluate("window.notReloaded = true")

    sign_in(desk_page, live_server, officer)
    desk_page.goto(f"/xep-hang/quay/{counter3.pk}/")
    desk_page.get_by_role("button", name="Gọi số tiếp theo").click()
    expect(desk_page.get_by_test_id("current-code")).to_have_text("A001")
    expect(page.locator("#board-call")).to_have_text("A001 → quầy 3")
    expect(page.locator("#board-counters")).to_contain_text("A001")
    expect(page.locator("#board-recent li").first).to_have_text("A001 → quầy 3")
    expect(page.locator("#board-groups")).to_contain_text("1")
    page.wait_for_function("() => performance.getEntriesByType('resource').some(e => e.name.includes('.wav?t='))")
    assert any("t=M%E1%BB%9Di+s%E1%BB%91+A001" in url for url in audio)  # "Mời số A001 ..."

    # The link drops: the server's stream ends (as on a restart) and reconnects fail for a while.
    # Counter 4 calls meanwhile. The board keeps what it shows and says it is offline.
    page.route("**/su-kien/**", lambda route: route.abort("internetdisconnected"))
    threaded_feed.stop()
    expect(page.locator("#board-status")).to_be_visible(timeout=10000)
    board_feed.set_feed(board_feed.CallFeed())
    desk_page.goto(f"/xep-hang/quay/{counter4.pk}/")
    desk_page.get_by_role("button", name="Gọi số tiếp theo").click()
    expect(desk_page.get_by_test_id("current-code")).to_have_text("A002")
    expect(page.locator("#board-call")).to_have_text("A001 → quầy 3")
    expect(page.locator("#board-counters")).to_contain_text("A001")
    # Back: the browser reconnects with Last-Event-ID and gets the call it missed, without a reload.
    page.unroute("**/su-kien/**")
    expect(page.locator("#board-call")).to_have_text("A002 → quầy 4", timeout=20000)
    expect(page.locator("#board-status")).to_be_hidden()
    expect(page.locator("#board-recent li")).to_have_count(2)
    expect(page.locator("#board-counters")).to_contain_text("A002")
    assert page.evaluate("window.notReloaded") is True
