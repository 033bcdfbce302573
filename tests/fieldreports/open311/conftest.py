"""A small province for the Open311 tests: two communes, a category group with two services, reports."""

import datetime
from dataclasses import dataclass, field

import pytest
from django.utils import timezone

from motcua.core.models import UnitKind
from motcua.fieldreports.models import FieldReport, ReportCategory, ReportStatus, ServiceArea
from motcua.fieldreports.open311.clients import open311_client_create
from tests.factories import AgencyFactory, CommuneFactory, ProvinceFactory

# Roughly Cà Mau: a box is enough to tell inside from outside here.
AREA = {
    "type": "Polygon",
    "coordinates": [[[104.70, 8.55], [105.90, 8.55], [105.90, 9.65], [104.70, 9.65], [104.70, 8.55]]],
}
INSIDE = (9.1769, 105.1524)
OUTSIDE = (10.7769, 106.7009)  # Hồ Chí Minh City

SECRET_EMAIL = "bi.mat@example.vn"
SECRET_PHONE = "0912345678"
SECRET_NAME = "Trần Thị Bí Mật"

WASTE_ATTRIBUTES = [
    {
        "code": "muc_do",
        "label": "Mức độ",
        "datatype": "singlevaluelist",
        "required": True,
        "values": [{"key": "nhe", "name": "Nhẹ"}, {"key": "nang", "name": "Nghiêm trọng"}],
    },
    {"code": "ghi_chu", "label": "Ghi chú thêm", "datatype": "string", "required": False},
]


@dataclass
class World:
    province: object
    commune: object
    other_commune: object
    agency: object
    group: ReportCategory
    waste: ReportCategory
    water: ReportCategory
    retired: ReportCategory
    api_key: str
    client: object
    reports: dict = field(default_factory=dict)


def make_report(world: World, name: str, *, category=None, unit=None, days_ago: float = 1, **extra) -> FieldReport:
    seq = len(world.reports) + 1
    values = {
        "code": f"PA-261120-{seq:04d}",
        "category": category or world.waste,
        "title": f"Phản ánh {name}",
        "description": f"Rác thải tồn đọng {name}",
        "lat": INSIDE[0] + seq / 1000,
        "lon": INSIDE[1],
        "unit": unit or world.commune,
        "address": f"Ấp {seq}, {world.commune.name}",
        "agency": world.agency,
        "submitted_at": timezone.now() - datetime.timedelta(days=days_ago),
        "reviewed": True,
        "reporter_name": SECRET_NAME,
        "reporter_phone": SECRET_PHONE,
        "reporter_email": SECRET_EMAIL,
        **extra,
    }
    report = FieldReport.objects.create(**values)
    world.reports[name] = report
    return report


@pytest.fixture
def world(db) -> World:
    province = ProvinceFactory()
    commune = CommuneFactory(name="Xã Tân Thành", parent=province)
    other = CommuneFactory(name="Phường An Xuyên", kind=UnitKind.WARD, parent=province)
    agency = AgencyFactory(unit=commune)
    AgencyFactory(unit=other)
    ServiceArea.objects.create(unit=province, geometry=AREA, center_lat=INSIDE[0], center_lon=INSIDE[1])
    group = ReportCategory.objects.create(code="moi-truong", name="Môi trường", order=1)
    waste = ReportCategory.objects.create(
        code="rac-thai",
        name="Rác thải",
        parent=group,
        description="Rác thải không đúng nơi quy định",
        keywords="rác, vệ sinh",
        attributes=WASTE_ATTRIBUTES,
        order=1,
        deadline_days=5,
    )
    water = ReportCategory.objects.create(code="o-nhiem-nuoc", name="Ô nhiễm nguồn nước", parent=group, order=2)
    retired = ReportCategory.objects.create(code="cu", name="Lĩnh vực cũ", parent=group, is_active=False)
    client, api_key = open311_client_create(name="Ứng dụng thử nghiệm")
    w = World(province, commune, other, agency, group, waste, water, retired, api_key, client)
    make_report(w, "open", days_ago=2)
    make_report(
        w,
        "answered",
        category=water,
        days_ago=10,
        status=ReportStatus.ANSWERED,
        answer="Đã nạo vét kênh.",
        answered_at=timezone.now() - datetime.timedelta(days=3),
    )
    make_report(w, "hidden", days_ago=1, hidden=True, hidden_reason="Lộ thông tin cá nhân")
    make_report(w, "unreviewed", days_ago=1, reviewed=False)
    make_report(w, "old", days_ago=120)
    return w
