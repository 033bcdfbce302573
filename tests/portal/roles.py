"""One user per role over one commune (and a second commune that none of them covers), for the
navigation and browser tests: receptionist, specialist, leader, cashier, report handler, outreach
team member, commune manager, citizen."""

from dataclasses import dataclass

from motcua.core.models import Role, User
from motcua.outreach.models import OutreachTeam, TeamMember
from tests.factories import (
    AgencyFactory,
    CitizenUserFactory,
    CommuneFactory,
    HamletFactory,
    OfficeFactory,
    OfficerFactory,
    PersonFactory,
    ProvinceFactory,
    grant,
)

PASSWORD = "Mk-thu-nghiem-2026"
ROLE_KEYS = (
    "receptionist",
    "specialist",
    "leader",
    "cashier",
    "report_handler",
    "outreach_member",
    "manager",
    "citizen",
)

# The navigation each role gets (URL names): the public items, and the features the role may use.
EVERYONE = {"catalog:index", "dossiers:lookup", "fieldreports:map", "core:account"}
OFFICER = {"core:workspace", "dossiers:queue"}
EXPECTED = {
    "receptionist": OFFICER | {"broadcasts:list", "dossiers:desk_intake", "payments:desk"},
    "specialist": OFFICER | {"broadcasts:list"},
    "leader": OFFICER
    | {
        "broadcasts:list",
        "signing:certificates",
        "ratings:stats",
        "outreach:households",
        "outreach_progress:home",
    },
    "cashier": OFFICER | {"payments:desk"},
    "report_handler": OFFICER | {"fieldreports:queue"},
    "outreach_member": OFFICER | {"outreach:home", "outreach:households", "outreach_progress:home"},
    "manager": OFFICER
    | {
        "broadcasts:list",
        "fieldreports:queue",
        "ratings:stats",
        "outreach:households",
        "outreach_progress:home",
        "assistant:review",
    },
    "citizen": {"dossiers:my_list", "dossiers:inbox"},
}


@dataclass
class RoleWorld:
    commune: object
    other_commune: object
    agency: object
    users: dict[str, User]


def role_world() -> RoleWorld:
    province = ProvinceFactory()
    commune = CommuneFactory(parent=province, name="Xã Tân Thành")
    other = CommuneFactory(parent=province, name="Xã Lý Văn Lâm")
    HamletFactory(unit=commune, name="Ấp 1")
    agency = AgencyFactory(unit=commune, name="UBND xã Tân Thành")
    OfficeFactory(agency=agency, name="Bộ phận một cửa xã Tân Thành")
    users: dict[str, User] = {}
    for key in ("receptionist", "specialist", "leader", "cashier", "report_handler"):
        user = OfficerFactory(username=f"{key}_tt", first_name=key)
        grant(user, key, agency=agency)
        users[key] = user
    member = OfficerFactory(username="tocnscd_tt", first_name="member")
    grant(member, Role.OUTREACH_MEMBER, unit=commune)
    team = OutreachTeam.objects.create(unit=commune, name="Tổ CNSCĐ xã Tân Thành")
    TeamMember.objects.create(team=team, user=member, full_name="Tổ viên", affiliation="youth_union")
    users["outreach_member"] = member
    manager = OfficerFactory(username="manager_tt", first_name="manager")
    grant(manager, Role.MANAGER, unit=commune)
    users["manager"] = manager
    users["citizen"] = CitizenUserFactory(person=PersonFactory(unit=commune, full_name="Trần Thị Mai"))
    return RoleWorld(commune, other, agency, users)
