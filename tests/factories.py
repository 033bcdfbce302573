"""factory_boy factories shared by every app's tests."""

import datetime

import factory
from factory.django import DjangoModelFactory

from motcua.catalog.models import FeeItem, Field, Procedure, RequiredDocument
from motcua.core.models import (
    Agency,
    AgencyKind,
    Era,
    Hamlet,
    OneStopOffice,
    Person,
    Role,
    RoleAssignment,
    Unit,
    UnitKind,
    User,
)


class ProvinceFactory(DjangoModelFactory):
    class Meta:
        model = Unit
        django_get_or_create = ("era", "code")

    era = Era.CURRENT
    code = "96"
    name = "Tỉnh Cà Mau"
    kind = UnitKind.PROVINCE


class CommuneFactory(DjangoModelFactory):
    class Meta:
        model = Unit

    era = Era.CURRENT
    code = factory.Sequence(lambda n: f"{32000 + n:05d}")
    name = factory.Sequence(lambda n: f"Xã Thử Nghiệm {n}")
    kind = UnitKind.COMMUNE
    parent = factory.SubFactory(ProvinceFactory)


class HamletFactory(DjangoModelFactory):
    class Meta:
        model = Hamlet

    unit = factory.SubFactory(CommuneFactory)
    name = factory.Sequence(lambda n: f"Ấp {n}")


class AgencyFactory(DjangoModelFactory):
    class Meta:
        model = Agency

    code = factory.Sequence(lambda n: f"000.{n // 100:02d}.{n % 100:02d}.H12")
    name = factory.LazyAttribute(lambda o: f"UBND {o.unit.name}")
    kind = AgencyKind.COMMUNE_COMMITTEE
    unit = factory.SubFactory(CommuneFactory)


class OfficeFactory(DjangoModelFactory):
    class Meta:
        model = OneStopOffice

    agency = factory.SubFactory(AgencyFactory)
    name = factory.LazyAttribute(lambda o: f"Bộ phận một cửa {o.agency.name}")


def _personal_id(n: int) -> str:
    # Place code 096 (Cà Mau), century-and-sex digit 0 (male, 1900s), born 1985, serial.
    return f"096085{n:06d}"


class PersonFactory(DjangoModelFactory):
    class Meta:
        model = Person

    personal_id = factory.Sequence(_personal_id)
    full_name = factory.Sequence(lambda n: f"Nguyễn Văn Thử {n}")
    date_of_birth = datetime.date(1985, 6, 15)
    sex = "M"
    phone = factory.Sequence(lambda n: f"09{n:08d}")
    unit = factory.SubFactory(CommuneFactory)


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.PostGenerationMethodCall("set_password", "Mk-thu-nghiem-2026")

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class CitizenUserFactory(UserFactory):
    person = factory.SubFactory(PersonFactory)
    username = factory.LazyAttribute(lambda o: o.person.personal_id)


class OfficerFactory(UserFactory):
    is_officer = True


def grant(user: User, role: str, *, agency: Agency | None = None, unit: Unit | None = None) -> RoleAssignment:
    return RoleAssignment.objects.create(user=user, role=role, agency=agency, unit=unit)


class FieldFactory(DjangoModelFactory):
    class Meta:
        model = Field
        django_get_or_create = ("slug",)

    slug = "ho-tich"
    name = "Hộ tịch"


class ProcedureFactory(DjangoModelFactory):
    class Meta:
        model = Procedure

    code = factory.Sequence(lambda n: f"9.{n:06d}")
    key = factory.Sequence(lambda n: f"thu-tuc-{n}")
    name = factory.Sequence(lambda n: f"Thủ tục thử nghiệm {n}")
    field = factory.SubFactory(FieldFactory)
    level = "commune"
    agency_kind = AgencyKind.COMMUNE_COMMITTEE
    time_limit_days = 3
    online_level = "full"
    result_type = "Giấy xác nhận"
    applicants = "Công dân Việt Nam"
    valid_from = datetime.date(2025, 7, 1)


class RequiredDocumentFactory(DjangoModelFactory):
    class Meta:
        model = RequiredDocument

    procedure = factory.SubFactory(ProcedureFactory)
    order = factory.Sequence(lambda n: n)
    name = factory.Sequence(lambda n: f"Giấy tờ thử nghiệm {n}")


class FeeItemFactory(DjangoModelFactory):
    class Meta:
        model = FeeItem

    procedure = factory.SubFactory(ProcedureFactory)
    order = factory.Sequence(lambda n: n)
    name = "Lệ phí"
    amount = 0


__all__ = [
    "AgencyFactory", "CitizenUserFactory", "CommuneFactory", "FeeItemFactory", "FieldFactory", "HamletFactory",
    "OfficeFactory", "OfficerFactory", "PersonFactory", "ProcedureFactory", "ProvinceFactory",
    "RequiredDocumentFactory", "Role", "UserFactory", "grant",
]


# --- field reports ---
# Plain ORM rows for bulk/setup needs (map, lists, benchmarks); a real submission goes through
# motcua.fieldreports.services.submit.report_submit (see tests/fieldreports/conftest.py).
from django.utils import timezone  # noqa: E402

from motcua.fieldreports.models import FieldReport, ReportCategory  # noqa: E402


class ReportCategoryFactory(DjangoModelFactory):
    class Meta:
        model = ReportCategory
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"linh-vuc-{n}")
    name = factory.Sequence(lambda n: f"Lĩnh vực thử nghiệm {n}")
    deadline_days = 5


class FieldReportFactory(DjangoModelFactory):
    """A public (reviewed) submitted report; pass `unit` and `agency` of the same commune."""

    class Meta:
        model = FieldReport

    code = factory.Sequence(lambda n: f"PA-260101-{n:05d}")
    category = factory.SubFactory(ReportCategoryFactory)
    title = factory.Sequence(lambda n: f"Phản ánh thử nghiệm {n}")
    description = "Đèn đường hỏng nhiều ngày."
    lat = 9.1769
    lon = 105.1524
    unit = factory.SubFactory(CommuneFactory)
    agency = factory.LazyAttribute(lambda o: AgencyFactory(unit=o.unit))
    submitted_at = factory.LazyFunction(timezone.now)
    reviewed = True


__all__ += ["FieldReportFactory", "ReportCategoryFactory"]
