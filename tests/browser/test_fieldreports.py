"""Field reports in a real browser: a citizen files from a phone-sized page (map tap, real JPEG),
sees it in "my reports"; an officer accepts and answers it; the public page shows the answer; the
public map passes axe. Map tiles point at a local URL that answers 404: the pages must not care."""

import io
import random
from types import SimpleNamespace

import pytest
from PIL import Image

from motcua.core.models import Role
from motcua.fieldreports.models import FieldReport, ReportCategory, ReportStatus
from motcua.fieldreports.selectors.map import POINT_LIMIT as SELECT_POINT_LIMIT
from motcua.fieldreports.services.mapcells import mapcells_rebuild
from motcua.fieldreports.services.setup import categories_load, service_area_load
from tests.browser.conftest import assert_no_serious_axe_violations, sign_in
from tests.factories import (
    AgencyFactory,
    CitizenUserFactory,
    CommuneFactory,
    FieldReportFactory,
    OfficerFactory,
    ProvinceFactory,
    grant,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def world(settings, tmp_path, live_server):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MAP_TILE_URL = f"{live_server.url}/static/khong-co-ban-do/{{z}}/{{x}}/{{y}}.png"
    province = ProvinceFactory()
    area = service_area_load(province=province)
    categories_load()
    commune = CommuneFactory(parent=province, name="Phường An Xuyên")
    agency = AgencyFactory(unit=commune)
    handler = OfficerFactory(first_name="Lan", last_name="Nguyễn")
    grant(handler, Role.REPORT_HANDLER, agency=agency)
    citizen = CitizenUserFactory(person__unit=commune)
    return SimpleNamespace(area=area, commune=commune, agency=agency, handler=handler, citizen=citizen)


def _jpeg(tmp_path):
    buf = io.BytesIO()
    Image.new("RGB", (120, 90), (90, 140, 60)).save(buf, "JPEG", quality=80)
    path = tmp_path / "hien-truong.jpg"
    path.write_bytes(buf.getvalue())
    return path


def test_citizen_files_officer_answers_public_sees(page, desk_page, live_server, world, tmp_path):
    sign_in(page, live_server, world.citizen)
    page.goto(f"{live_server.url}/phan-anh/")
    page.wait_for_selector("#fr-picker.leaflet-container")
    assert_no_serious_axe_violations(page)
    page.locator("details.fr-cat-box:has(input[value='rac-thai']) summary").click()
    page.locator("label.fr-cat:has(input[value='rac-thai'])").click()
    page.fill("#id_description", "Rác thải ùn ứ trước cổng chợ nhiều ngày.")
    page.wait_for_selector("#fr-picker.leaflet-container")
    page.locator("#fr-picker").click()  # tap the middle of the map: the province centre
    assert page.input_value("#id_lat") and page.input_value("#id_lon")
    page.select_option("#id_unit", str(world.commune.pk))
    page.set_input_files("#id_photos", str(_jpeg(tmp_path)))
    page.get_by_role("button", name="Gửi phản ánh").click()
    page.wait_for_load_state()
    report = FieldReport.objects.get()
    assert report.code in page.locator("main").inner_text()
    assert report.media.count() == 1 and report.unit == world.commune
    page.goto(f"{live_server.url}/phan-anh/cua-toi/")
    assert report.code in page.locator("main").inner_text()

    sign_in(desk_page, live_server, world.handler)
    desk_page.goto(f"{live_server.url}/phan-anh/xu-ly/")
    desk_page.get_by_role("link", name=report.code, exact=False).click()
    desk_page.get_by_role("button", name="Tiếp nhận").click()
    desk_page.wait_for_load_state()
    desk_page.fill("#answer-text", "Đã thu gom toàn bộ rác, nhắc nhở các hộ kinh doanh.")
    desk_page.select_option("#answer-outcome", "resolved")
    desk_page.set_input_files("#answer-photos", str(_jpeg(tmp_path)))
    desk_page.get_by_role("button", name="Gửi trả lời").click()
    desk_page.wait_for_load_state()
    report.refresh_from_db()
    assert report.status == ReportStatus.ANSWERED

    page.goto(f"{live_server.url}/phan-anh/{report.code}/")
    text = page.locator("main").inner_text()
    assert "Đã thu gom toàn bộ rác" in text
    assert world.citizen.person.full_name not in text
    page.wait_for_selector("#fr-place.leaflet-container")
    assert_no_serious_axe_violations(page)


def test_public_map_draws_clusters_and_passes_axe(page, live_server, world, tmp_path):
    rng = random.Random(7)
    category = ReportCategory.objects.get(code="rac-thai")
    FieldReport.objects.bulk_create(
        [
            FieldReportFactory.build(
                code=f"PA-990101-{i:05d}",
                category=category,
                unit=world.commune,
                agency=world.agency,
                lat=9.18 + rng.uniform(-0.2, 0.2),
                lon=105.15 + rng.uniform(-0.2, 0.2),
            )
            for i in range(SELECT_POINT_LIMIT + 50)
        ]
    )
    mapcells_rebuild()
    page.goto(f"{live_server.url}/phan-anh/ban-do/")
    page.wait_for_selector("#fr-map.leaflet-container")
    page.wait_for_selector(".fr-cluster")
    assert f"{SELECT_POINT_LIMIT + 50} phản ánh" in page.locator("#fr-map-status").inner_text()
    assert_no_serious_axe_violations(page)


def test_citizen_follows_a_nearby_report_instead_of_filing(page, live_server, world):
    from motcua.fieldreports.services.submit import report_submit

    existing = report_submit(
        category=ReportCategory.objects.get(code="rac-thai"),
        description="Rác ứ đọng ở bến xe.",
        lat=9.1769,
        lon=105.1524,
        unit=world.commune,
        reporter=CitizenUserFactory(person__unit=world.commune),
    )
    assert existing.reviewed
    sign_in(page, live_server, world.citizen)
    page.goto(f"{live_server.url}/phan-anh/")
    page.locator("details.fr-cat-box:has(input[value='rac-thai']) summary").click()
    page.locator("label.fr-cat:has(input[value='rac-thai'])").click()
    page.fill("#id_lat", "9.17692")
    page.fill("#id_lon", "105.15241")
    page.press("#id_lon", "Tab")
    follow = page.locator("#fr-nearby").get_by_role("button", name="Theo dõi phản ánh này")
    follow.click()
    page.wait_for_selector("#fr-nearby .msg-success")
    assert existing.code in page.locator("#fr-nearby").inner_text()
    assert existing.followers.filter(user=world.citizen).exists()
    assert FieldReport.objects.count() == 1
