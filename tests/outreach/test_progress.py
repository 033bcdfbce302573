"""Progress rollups: recorded incrementally through visit_record, equal to a rebuild; targets."""

import datetime
import io
import uuid
from decimal import Decimal

import pytest
from django.utils import timezone

from motcua.core.errors import DomainError, PermissionDenied
from motcua.core.models import AuditEvent, Role
from motcua.outreach.models import (
    Household,
    HouseholdMember,
    Indicator,
    OutreachTeam,
    ProgressDaily,
    ProgressMonthly,
    ProgressTotal,
    TeamMember,
)
from motcua.outreach.models.progress import VISIT_ROW
from motcua.outreach.progress.selectors import progress_commune, progress_province
from motcua.outreach.progress.services import progress_households_recount, progress_rebuild, target_set
from motcua.outreach.services.teams import indicators_load_defaults
from motcua.outreach.services.visits import AchievementIn, visit_record
from tests.factories import CommuneFactory, HamletFactory, OfficerFactory, ProvinceFactory, UserFactory, grant

TZ = timezone.get_current_timezone()


def at(day: int, hour: int = 9, month: int = 10) -> datetime.datetime:
    return datetime.datetime(2026, month, day, hour, tzinfo=TZ)


class World:
    """Two communes; A has hamlets H1 (team T1) and H2 (covered by the commune team T2)."""

    def __init__(self):
        indicators_load_defaults()
        self.province = ProvinceFactory()
        self.a = CommuneFactory(parent=self.province, name="Phường An Xuyên")
        self.b = CommuneFactory(parent=self.province, name="Xã Tân Thành")
        self.h1 = HamletFactory(unit=self.a, name="Khóm 1")
        self.h2 = HamletFactory(unit=self.a, name="Khóm 2")
        self.h3 = HamletFactory(unit=self.b, name="Ấp Cái Nai")
        self.t1 = self.team(self.a, "Tổ khóm 1", [self.h1])
        self.t2 = self.team(self.a, "Tổ phường", [])
        self.tb = self.team(self.b, "Tổ xã Tân Thành", [])
        self.m1, self.m2, self.mb = UserFactory(), UserFactory(), UserFactory()
        for user, team in ((self.m1, self.t1), (self.m2, self.t2), (self.mb, self.tb)):
            TeamMember.objects.create(team=team, user=user, full_name=user.username)
        self.households = {
            name: self.household(unit, hamlet, name)
            for name, unit, hamlet in (
                ("h1a", self.a, self.h1),
                ("h1b", self.a, self.h1),
                ("h1c", self.a, self.h1),
                ("h2a", self.a, self.h2),
                ("h2b", self.a, self.h2),
                ("b1", self.b, self.h3),
                ("b2", self.b, self.h3),
            )
        }
        for unit in (self.a, self.b):
            progress_households_recount(unit=unit)

    @staticmethod
    def team(unit, name, hamlets):
        team = OutreachTeam.objects.create(unit=unit, name=name)
        team.hamlets.set(hamlets)
        return team

    @staticmethod
    def household(unit, hamlet, name):
        household = Household.objects.create(unit=unit, hamlet=hamlet, head_name=f"Chủ hộ {name}", address=f"Số {name}")
        for n in range(2):
            HouseholdMember.objects.create(household=household, full_name=f"{name} người {n}", is_head=n == 0)
        return household

    def member(self, name, n=0) -> int:
        return self.households[name].members.order_by("id")[n].pk

    def visit(self, actor, name, when, *, helped=(), achieved=()):
        visit, created = visit_record(
            actor=actor,
            household_id=self.households[name].pk,
            client_uuid=uuid.uuid4(),
            helped_member_ids=[self.member(name, n) for n in helped],
            achievements=[
                AchievementIn(indicator=code, member=None if n is None else self.member(name, n))
                for code, n in achieved
            ],
            visited_at=when,
        )
        assert created
        return visit


@pytest.fixture
def world(db):
    return World()


def snapshot(unit):
    def rows(model, keys):
        out = {}
        for row in model.objects.filter(unit=unit).values():
            counters = tuple(
                row[f] for f in ("visits", "households_reached", "people_helped", "achievements", "households_achieved")
            )
            extra = (row["households"],) if "households" in row else ()
            if any(counters) or any(extra):
                out[tuple(row[k] for k in keys)] = counters + extra
        return out

    return (
        rows(ProgressMonthly, ("hamlet_id", "team_key", "indicator_key", "month")),
        rows(ProgressDaily, ("indicator_key", "day")),
        rows(ProgressTotal, ("indicator_key",)),
    )


def total(unit, indicator_key=VISIT_ROW):
    return ProgressTotal.objects.get(unit=unit, indicator_key=indicator_key)


@pytest.mark.django_db
def test_a_second_visit_counts_as_a_visit_but_not_a_second_household(world):
    world.visit(world.m1, "h1a", at(1), helped=[0], achieved=[("dvc_account", 0)])
    world.visit(world.m1, "h1a", at(2), helped=[0, 1], achieved=[("dvc_account", 1), ("citizen_app", 0)])
    row = total(world.a)
    assert (row.visits, row.households_reached, row.people_helped, row.households) == (2, 1, 2, 5)
    dvc = total(world.a, Indicator.objects.get(code="dvc_account").pk)
    # Two people got an account, one household counts once.
    assert (dvc.achievements, dvc.households_achieved) == (2, 1)


@pytest.mark.django_db
def test_a_late_offline_entry_that_happened_first_takes_the_credit(world):
    world.visit(world.m2, "h1a", at(5))
    t2_before = ProgressMonthly.objects.get(unit=world.a, team_key=world.t2.pk, indicator_key=VISIT_ROW)
    assert t2_before.households_reached == 1
    # Team 1's phone was offline on the 3rd; its entry arrives after team 2's.
    world.visit(world.m1, "h1a", at(3))
    by_team = {r.team_key: r.households_reached for r in ProgressMonthly.objects.filter(unit=world.a, indicator_key=0)}
    assert by_team == {world.t1.pk: 1, world.t2.pk: 0}
    assert total(world.a).households_reached == 1


@pytest.mark.django_db
def test_incremental_rollups_equal_a_rebuild(world):
    world.visit(world.m1, "h1a", at(1), helped=[0], achieved=[("dvc_account", 0), ("zalo_group", None)])
    world.visit(world.m2, "h1a", at(20, month=11), helped=[1], achieved=[("dvc_account", 1), ("cashless", 1)])
    world.visit(world.m2, "h2a", at(3), helped=[0, 1], achieved=[("citizen_app", 0), ("citizen_app", 1)])
    world.visit(world.m1, "h1b", at(4), achieved=[("sim_owner", 0)])
    world.visit(world.m2, "h1b", at(2), helped=[0])  # late entry, earlier than the one above
    world.visit(world.m2, "h2b", at(28, hour=23, month=9))  # near a month's end, local time
    world.visit(world.mb, "b1", at(6), achieved=[("dvc_account", 0)])
    incremental = snapshot(world.a)
    other = snapshot(world.b)
    progress_rebuild(unit=world.a)
    assert snapshot(world.a) == incremental
    assert snapshot(world.b) == other
    # People helped: both of h1a, both of h2a, and h1b's head (named by an achievement).
    assert incremental[2][(VISIT_ROW,)] == (6, 4, 5, 0, 0, 5)


@pytest.mark.django_db
def test_a_resent_entry_is_counted_once(world):
    key = uuid.uuid4()
    for _ in range(2):
        visit_record(actor=world.m1, household_id=world.households["h1a"].pk, client_uuid=key, visited_at=at(1))
    assert total(world.a).visits == 1


@pytest.mark.django_db
def test_commune_figures_rank_hamlets_and_teams(world):
    leader = OfficerFactory()
    grant(leader, Role.LEADER, unit=world.a)
    world.visit(world.m1, "h1a", at(1), achieved=[("dvc_account", 0)])
    world.visit(world.m1, "h1b", at(1), achieved=[("citizen_app", 0), ("cashless", 0)])
    world.visit(world.m2, "h2a", at(2))
    world.visit(world.m2, "h2b", at(2))
    world.visit(world.m2, "h1c", at(2))
    data = progress_commune(leader, code=world.a.code, today=datetime.date(2026, 10, 31))
    assert (data["teams"], data["members"], data["households"], data["reached"]) == (2, 2, 5, 5)
    assert data["reached_share"] == 100.0
    # Both hamlets are complete; Khóm 1 has more households reached, so it ranks first.
    assert [(r["rank"], r["hamlet"].name, r["reached"], r["share"]) for r in data["hamlets"]] == [
        (1, "Khóm 1", 3, 100.0),
        (2, "Khóm 2", 2, 100.0),
    ]
    assert [(r["team"].name, r["reached"]) for r in data["team_ranking"]] == [("Tổ phường", 3), ("Tổ khóm 1", 2)]
    assert data["headline"] == {"accounts_created": 1, "apps_installed": 1, "payment_accounts": 1}
    assert [p["visits"] for p in data["trend"]][-1] == 5
    assert data["trend"][-1]["share"] == 100.0


@pytest.mark.django_db
def test_share_of_plan_for_share_and_count_targets(world):
    leader = OfficerFactory()
    grant(leader, Role.LEADER, unit=world.a)
    world.visit(world.m1, "h1a", at(1), achieved=[("dvc_account", 0)])
    world.visit(world.m1, "h1b", at(1))
    end = datetime.date(2026, 12, 31)
    target_set(actor=leader, unit=world.a, ends_on=end, value="80", kind="share")  # 80% of 5 = 4 households
    dvc = Indicator.objects.get(code="dvc_account")
    target_set(actor=leader, unit=world.a, ends_on=end, value=2, kind="count", indicator=dvc)
    data = progress_commune(leader, code=world.a.code, today=datetime.date(2026, 10, 31))
    rows = {(r["target"].indicator_id, r["planned"], r["achieved"], r["share_of_plan"]) for r in data["targets"]}
    assert rows == {(None, 4, 2, 50.0), (dvc.pk, 2, 1, 50.0)}
    # Setting the same target again replaces it.
    target_set(actor=leader, unit=world.a, ends_on=end, value="40", kind="share")
    data = progress_commune(leader, code=world.a.code, today=datetime.date(2026, 10, 31))
    assert [r["share_of_plan"] for r in data["targets"] if r["target"].indicator_id is None] == [100.0]
    assert AuditEvent.objects.filter(action="outreach_target_set").count() == 3


@pytest.mark.django_db
def test_a_target_with_a_start_date_counts_only_that_period(world):
    leader = OfficerFactory()
    grant(leader, Role.LEADER, unit=world.a)
    world.visit(world.m1, "h1a", at(1, month=9))
    world.visit(world.m1, "h1b", at(5, month=10))
    target_set(
        actor=leader,
        unit=world.a,
        starts_on=datetime.date(2026, 10, 1),
        ends_on=datetime.date(2026, 10, 31),
        value=4,
        kind="count",
    )
    data = progress_commune(leader, code=world.a.code, today=datetime.date(2026, 11, 10))
    (row,) = data["targets"]
    assert (row["achieved"], row["planned"], row["share_of_plan"], row["overdue"]) == (1, 4, 25.0, True)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "kind,value,code",
    [
        ("share", "120", "invalid_target_value"),
        ("count", "2.5", "invalid_target_value"),
        ("count", "abc", "invalid_target_value"),
        ("count", "-3", "invalid_target_value"),
        ("weird", "3", "invalid_target_kind"),
    ],
)
def test_bad_targets_are_refused(world, kind, value, code):
    leader = OfficerFactory()
    grant(leader, Role.LEADER, unit=world.a)
    with pytest.raises(DomainError) as exc:
        target_set(actor=leader, unit=world.a, ends_on=datetime.date(2026, 12, 31), value=value, kind=kind)
    assert exc.value.code == code


@pytest.mark.django_db
def test_only_leaders_and_managers_of_the_unit_set_targets(world):
    other_leader = OfficerFactory()
    grant(other_leader, Role.LEADER, unit=world.b)
    for actor in (world.m1, other_leader):
        with pytest.raises(PermissionDenied):
            target_set(actor=actor, unit=world.a, ends_on=datetime.date(2026, 12, 31), value=50)
    provincial = OfficerFactory()
    grant(provincial, Role.MANAGER, unit=world.province)
    target = target_set(actor=provincial, unit=world.a, ends_on=datetime.date(2026, 12, 31), value=50)
    assert target.value == Decimal("50.00")


@pytest.mark.django_db
def test_province_ranks_communes_from_the_totals(world):
    manager = OfficerFactory()
    grant(manager, Role.MANAGER, unit=world.province)
    world.visit(world.m1, "h1a", at(1))
    world.visit(world.mb, "b1", at(1), achieved=[("dvc_account", 0)])
    data = progress_province(manager, code=world.province.code, today=datetime.date(2026, 10, 31))
    assert [(r["rank"], r["unit"].pk, r["reached"], r["households"], r["share"]) for r in data["communes"]] == [
        (1, world.b.pk, 1, 2, 50.0),
        (2, world.a.pk, 1, 5, 20.0),
    ]
    assert (data["households"], data["reached"], data["teams"], data["members"]) == (7, 2, 3, 3)
    assert data["headline"]["accounts_created"] == 1


@pytest.mark.django_db
def test_a_campaign_target_counts_the_campaign_visits_only(world):
    from motcua.outreach.models import Campaign

    leader = OfficerFactory()
    grant(leader, Role.LEADER, unit=world.a)
    campaign = Campaign.objects.create(
        unit=world.a,
        name="Khu dân cư điện tử khóm 1",
        starts_on=datetime.date(2026, 10, 1),
        ends_on=datetime.date(2026, 10, 2),
    )
    campaign.teams.set([world.t1])
    world.visit(world.m1, "h1c", at(20, month=9))  # before the campaign
    for name in ("h1a", "h1b"):
        visit_record(
            actor=world.m1,
            household_id=world.households[name].pk,
            client_uuid=uuid.uuid4(),
            visited_at=at(1),
            campaign_id=campaign.pk,
            achievements=[AchievementIn(indicator="dvc_account", member=world.member(name))],
        )
    dvc = Indicator.objects.get(code="dvc_account")
    target_set(actor=leader, unit=world.a, ends_on=campaign.ends_on, value=3, kind="count", campaign=campaign)
    target_set(actor=leader, unit=world.a, ends_on=campaign.ends_on, value=100, campaign=campaign, indicator=dvc)
    data = progress_commune(leader, code=world.a.code, today=datetime.date(2026, 10, 31))
    rows = {(r["target"].indicator_id, r["achieved"], r["planned"]) for r in data["targets"]}
    assert rows == {(None, 2, 3), (dvc.pk, 2, 5)}


@pytest.mark.django_db
def test_the_rebuild_command_repairs_damaged_rollups(world):
    from django.core.management import call_command

    world.visit(world.m1, "h1a", at(1), achieved=[("dvc_account", 0)])
    good = snapshot(world.a)
    ProgressTotal.objects.filter(unit=world.a).update(visits=99, households=0)
    ProgressMonthly.objects.filter(unit=world.a).delete()
    call_command("outreach_progress_rebuild", world.a.code, stdout=io.StringIO())
    assert snapshot(world.a) == good


@pytest.mark.django_db
def test_an_administrator_sets_a_target_in_the_admin(world, client):
    from django.urls import reverse

    admin_user = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(admin_user)
    response = client.post(
        reverse("admin:outreach_target_add"),
        {
            "unit": world.a.pk,
            "indicator": "",
            "campaign": "",
            "kind": "share",
            "value": "85",
            "starts_on": "",
            "ends_on": "2026-12-31",
            "note": "",
        },
    )
    assert response.status_code == 302
    target = world.a.outreach_targets.get()
    assert (target.value, target.created_by) == (Decimal("85.00"), admin_user)
    assert AuditEvent.objects.filter(action="outreach_target_set", object_id=str(target.pk)).exists()
    bad = client.post(
        reverse("admin:outreach_target_add"),
        {"unit": world.a.pk, "kind": "share", "value": "150", "ends_on": "2026-12-31"},
    )
    assert bad.status_code == 200 and world.a.outreach_targets.count() == 1
