# ruff: noqa: F811  (fixtures imported from the dossier tests are used as parameters)
"""Fixtures for the assistant: a small catalog with real procedure names, documents and fees, and the
dossier world of tests/dossiers for status questions.

- `catalog`: {"birth", "marriage", "residence", "household"} -> Procedure (birth has two documents and
  an 8.000 đ fee, marriage is free, household business is province level and partly online).
- `manager`: an officer holding the manager role (reviews questions, edits the FAQ).
"""

import pytest

from motcua.catalog.models import FeeItem, RequiredDocument
from motcua.catalog.search import search_index_invalidate
from motcua.core.models import AgencyKind, Role
from tests.dossiers.conftest import (  # noqa: F401  (fixtures)
    _fast_passwords,
    agency_a,
    agency_b,
    citizen,
    commune_a,
    commune_b,
    make_dossier,
    office_a,
    office_b,
    procedure,
    province,
)
from tests.factories import FieldFactory, OfficerFactory, ProcedureFactory, grant


@pytest.fixture(autouse=True)
def _fresh_search_index(settings):
    settings.CATALOG_SEARCH_CHECK_SECONDS = 0
    search_index_invalidate()
    yield
    search_index_invalidate()


@pytest.fixture
def catalog(db):
    civil = FieldFactory(slug="ho-tich", name="Hộ tịch")
    business = FieldFactory(slug="kinh-doanh", name="Thành lập và hoạt động của hộ kinh doanh")
    birth = ProcedureFactory(
        code="1.001193", key="khai-sinh", name="Thủ tục đăng ký khai sinh", field=civil,
        keywords="làm giấy khai sinh, khai sinh cho con", time_limit_days=0, on_the_spot=True,
    )  # fmt: skip
    RequiredDocument.objects.create(procedure=birth, order=1, name="Tờ khai đăng ký khai sinh")
    RequiredDocument.objects.create(procedure=birth, order=2, name="Giấy chứng sinh")
    RequiredDocument.objects.create(procedure=birth, order=3, name="Giấy tờ chứng minh nơi cư trú", is_required=False)
    FeeItem.objects.create(procedure=birth, order=1, name="Lệ phí đăng ký khai sinh", amount=8000)
    marriage = ProcedureFactory(
        code="1.000894", key="ket-hon", name="Thủ tục đăng ký kết hôn", field=civil,
        keywords="làm giấy kết hôn, đăng ký cưới", time_limit_days=5,
    )  # fmt: skip
    RequiredDocument.objects.create(procedure=marriage, order=1, name="Tờ khai đăng ký kết hôn")
    death = ProcedureFactory(
        code="1.000656", key="khai-tu", name="Thủ tục đăng ký khai tử", field=civil, time_limit_days=1
    )
    household = ProcedureFactory(
        code="2.000720", key="ho-kinh-doanh", name="Đăng ký thành lập hộ kinh doanh", field=business,
        level="province", agency_kind=AgencyKind.DEPARTMENT, online_level="partial", time_limit_days=3, agency_note="Phòng Tài chính - Kế hoạch",
    )  # fmt: skip
    return {"birth": birth, "marriage": marriage, "death": death, "household": household}


@pytest.fixture
def manager(commune_a):
    user = OfficerFactory(username="assistant_manager", first_name="Quản lý")
    grant(user, Role.MANAGER, unit=commune_a)
    return user
