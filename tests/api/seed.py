"""A small, realistic world for the API fuzzers: a province with two communes, a procedure with
documents and a fee, a citizen with a dossier and a field report, and officers of each desk role.

Fuzzed requests then reach rows that exist (ids 1..n, real codes) as well as ones that do not."""

from dataclasses import dataclass

from motcua.catalog.models import FeeItem, RequiredDocument
from motcua.core.models import Role, User
from motcua.dossiers.models import Channel, Dossier, DossierStatus
from tests.factories import (
    AgencyFactory,
    CitizenUserFactory,
    CommuneFactory,
    FieldReportFactory,
    OfficeFactory,
    OfficerFactory,
    PersonFactory,
    ProcedureFactory,
    ProvinceFactory,
    ReportCategoryFactory,
    grant,
)


@dataclass
class FuzzWorld:
    citizen: User
    officer: User
    dossier: Dossier


def seed_world() -> FuzzWorld:
    province = ProvinceFactory()
    commune = CommuneFactory(parent=province, name="Xã Tân Thành")
    CommuneFactory(parent=province, name="Xã Lý Văn Lâm")
    agency = AgencyFactory(unit=commune, name="UBND xã Tân Thành", code="000.00.31.H12")
    office = OfficeFactory(agency=agency)
    procedure = ProcedureFactory(code="1.001193", name="Đăng ký khai sinh", time_limit_days=3)
    RequiredDocument.objects.create(procedure=procedure, order=1, name="Tờ khai đăng ký khai sinh")
    FeeItem.objects.create(procedure=procedure, order=1, name="Lệ phí đăng ký", amount=8000)
    citizen = CitizenUserFactory(
        person=PersonFactory(unit=commune, full_name="Trần Thị Mai", address="Ấp 2, xã Tân Thành")
    )
    officer = OfficerFactory(username="fuzz_officer")
    for role in (Role.RECEPTIONIST, Role.SPECIALIST, Role.LEADER, Role.CASHIER):
        grant(officer, role, agency=agency)
    person = citizen.person
    dossier = Dossier.objects.create(
        procedure=procedure,
        procedure_snapshot={"time_limit_days": "3"},
        status=DossierStatus.REGISTERED,
        channel=Channel.ONLINE,
        applicant_person=person,
        applicant_name=person.full_name,
        applicant_personal_id=person.personal_id,
        applicant_phone=person.phone,
        applicant_address=person.address,
        submitted_by=citizen,
        receiving_agency=agency,
        office=office,
        current_agency=agency,
        code=f"{agency.code}-260316-0001",
    )
    category = ReportCategoryFactory(code="den-duong", name="Đèn đường")
    FieldReportFactory(category=category, unit=commune, agency=agency, reporter=citizen)
    return FuzzWorld(citizen=citizen, officer=officer, dossier=dossier)
