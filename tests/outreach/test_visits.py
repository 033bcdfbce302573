"""Recording help: a visit with who was helped and what was achieved, exactly once per client
UUID; an assisted dossier counting as help once; campaigns; refusals that leave nothing behind."""

import datetime
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from motcua.core.errors import DomainError, NotFound
from motcua.core.models import AuditEvent, Person
from motcua.dossiers.services import intake
from motcua.outreach.models import IndicatorAchievement, Visit
from motcua.outreach.services import teams as services_teams
from motcua.outreach.services import visits as services
from tests.factories import AgencyFactory, OfficeFactory, ProcedureFactory
from tests.outreach import helpers

area = helpers.area

pytestmark = pytest.mark.django_db

A = services.AchievementIn


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def _members(household):
    return list(household.members.order_by("-is_head", "id"))


def test_a_visit_records_helped_members_and_achievements_once(area):
    head, daughter, _son = _members(area.household_a1)
    key = uuid.uuid4()
    kwargs = dict(
        actor=area.member_a,
        household_id=area.household_a1.pk,
        client_uuid=key,
        helped_member_ids=[head.pk],
        achievements=[A("dvc_account", daughter.pk), A("vneid_level2", head.pk), A("zalo_group")],
        note="Cài app",
    )
    visit, created = services.visit_record(**kwargs)
    assert created and visit.team == area.team_a and visit.member == area.member_a
    assert set(visit.helped_members.values_list("pk", flat=True)) == {head.pk, daughter.pk}
    assert set(IndicatorAchievement.objects.values_list("member_id", "indicator__code")) == {
        (daughter.pk, "dvc_account"),
        (head.pk, "vneid_level2"),
        (None, "zalo_group"),
    }
    # The phone resends the same entry (its answer was lost): same visit, nothing counted twice.
    again, created_again = services.visit_record(**kwargs)
    assert (again.pk, created_again) == (visit.pk, False)
    assert Visit.objects.count() == 1 and IndicatorAchievement.objects.count() == 3
    assert AuditEvent.objects.filter(action="outreach.visit_recorded").count() == 1
    # Personal data stays out of the audit trail.
    assert "Bình" not in str(AuditEvent.objects.get(action="outreach.visit_recorded").data)


def test_an_indicator_already_achieved_is_not_counted_again(area):
    head = _members(area.household_a1)[0]
    services.visit_record(
        actor=area.member_a,
        household_id=area.household_a1.pk,
        client_uuid=uuid.uuid4(),
        achievements=[A("cashless", head.pk)],
    )
    second, created = services.visit_record(
        actor=area.member_a,
        household_id=area.household_a1.pk,
        client_uuid=uuid.uuid4(),
        achievements=[A("cashless", head.pk)],
    )
    assert created and Visit.objects.count() == 2
    assert IndicatorAchievement.objects.filter(indicator__code="cashless").count() == 1
    assert not second.achievements.exists()


@pytest.mark.parametrize(
    ("achievement", "code"),
    [
        (A("no_such_indicator", None), "indicator_not_found"),
        (A("dvc_account", None), "indicator_member_required"),
        (A("ecommerce_seller"), "indicator_business_only"),
    ],
)
def test_bad_ticks_are_refused_and_nothing_is_written(area, achievement, code):
    with pytest.raises(DomainError) as caught:
        services.visit_record(
            actor=area.member_a, household_id=area.household_a1.pk, client_uuid=uuid.uuid4(), achievements=[achievement]
        )
    assert caught.value.code == code and caught.value.status == 422
    assert not Visit.objects.exists() and not IndicatorAchievement.objects.exists()


def test_business_indicator_counts_for_a_business_household(area):
    visit, _ = services.visit_record(
        actor=area.member_h2,
        household_id=area.household_a2.pk,
        client_uuid=uuid.uuid4(),
        achievements=[A("ecommerce_seller")],
    )
    assert visit.team == area.team_h2
    assert visit.achievements.get().member is None


def test_someone_elses_uuid_or_household_is_refused(area):
    key = uuid.uuid4()
    services.visit_record(actor=area.member_a, household_id=area.household_a1.pk, client_uuid=key)
    with pytest.raises(DomainError) as caught:
        services.visit_record(actor=area.member_b, household_id=area.household_b.pk, client_uuid=key)
    assert caught.value.code == "client_uuid_conflict"
    with pytest.raises(NotFound):
        services.visit_record(actor=area.member_b, household_id=area.household_a1.pk, client_uuid=uuid.uuid4())
    with pytest.raises(DomainError):
        services.visit_record(actor=area.member_a, household_id=area.household_a1.pk, client_uuid="not-a-uuid")
    with pytest.raises(DomainError) as caught:
        services.visit_record(
            actor=area.member_a,
            household_id=area.household_a1.pk,
            client_uuid=uuid.uuid4(),
            helped_member_ids=[_members(area.household_b)[0].pk],
        )
    assert caught.value.code == "member_not_in_household"
    assert Visit.objects.count() == 1


def test_a_photo_is_checked_by_content(area, media):
    photo = SimpleUploadedFile("anh.jpg", helpers.image_bytes(), content_type="image/jpeg")
    visit, _ = services.visit_record(
        actor=area.member_a, household_id=area.household_a1.pk, client_uuid=uuid.uuid4(), photo=photo
    )
    assert visit.photo.name.endswith(".jpg") and "Bình" not in visit.photo.name
    fake = SimpleUploadedFile("anh.jpg", b"%PDF-1.4 not an image", content_type="image/jpeg")
    with pytest.raises(DomainError) as caught:
        services.visit_record(
            actor=area.member_a, household_id=area.household_a1.pk, client_uuid=uuid.uuid4(), photo=fake
        )
    assert caught.value.code == "photo_invalid" and Visit.objects.count() == 1


def test_visits_are_tagged_to_an_active_campaign_of_the_team(area):
    today = timezone.localdate()
    running = services_teams.campaign_create(
        actor=area.leader_a,
        unit=area.commune_a,
        name="Ra quân cuối tuần",
        starts_on=today - datetime.timedelta(days=1),
        ends_on=today,
        teams=[area.team_a],
        area_note="Đường Lý Thường Kiệt",
    )
    over = services_teams.campaign_create(
        actor=area.leader_a,
        unit=area.commune_a,
        name="Đợt cũ",
        starts_on=today - datetime.timedelta(days=30),
        ends_on=today - datetime.timedelta(days=20),
        teams=[area.team_a],
    )
    visit, _ = services.visit_record(
        actor=area.member_a, household_id=area.household_a1.pk, client_uuid=uuid.uuid4(), campaign_id=running.pk
    )
    assert visit.campaign == running
    with pytest.raises(DomainError) as caught:
        services.visit_record(
            actor=area.member_a, household_id=area.household_a1.pk, client_uuid=uuid.uuid4(), campaign_id=over.pk
        )
    assert caught.value.code == "campaign_not_active"
    with pytest.raises(DomainError):
        services_teams.campaign_create(
            actor=area.leader_a,
            unit=area.commune_a,
            name="Sai ngày",
            starts_on=today,
            ends_on=today - datetime.timedelta(days=1),
        )


def test_a_future_time_from_a_phone_clock_is_clamped(area):
    later = timezone.now() + datetime.timedelta(days=3)
    visit, _ = services.visit_record(
        actor=area.member_a, household_id=area.household_a1.pk, client_uuid=uuid.uuid4(), visited_at=later
    )
    assert visit.visited_at <= timezone.now()


# --- the page (no script: a plain form post) -------------------------------------------------


def test_the_record_page_posts_without_script_and_a_double_post_counts_once(area, client):
    client.force_login(area.member_a)
    head = _members(area.household_a1)[0]
    page = client.get(reverse("outreach:record"), {"q": "binh"})
    assert "Nguyễn Văn Bình" in page.content.decode()
    form = client.get(reverse("outreach:record"), {"ho": area.household_a1.pk})
    key = form.context["client_uuid"]
    data = {
        "household": area.household_a1.pk,
        "client_uuid": key,
        "helped": [head.pk],
        "a": [f"dvc_account:{head.pk}", "zalo_group:"],
        "note": "",
    }
    first = client.post(reverse("outreach:record"), data)
    assert first.status_code == 302
    second = client.post(reverse("outreach:record"), data)
    assert second.status_code == 302
    assert Visit.objects.count() == 1 and IndicatorAchievement.objects.count() == 2
    queued = client.post(reverse("outreach:record"), data, headers={"X-Outreach-Queue": "1"})
    assert queued.status_code == 200 and queued.json()["created"] is False
    refused = client.post(
        reverse("outreach:record"),
        {**data, "client_uuid": str(uuid.uuid4()), "a": ["x:"]},
        headers={"X-Outreach-Queue": "1"},
    )
    assert refused.status_code == 422 and refused.json()["code"] == "indicator_not_found"


# --- an assisted dossier counts as help given --------------------------------------------------


@pytest.fixture
def assisted(area, media):
    person = Person.objects.create(
        personal_id="096085000777",
        full_name="Nguyễn Văn Bình",
        unit=area.commune_a,
        hamlet=area.hamlet_a1,
        phone="0912345678",
    )
    area.household_a1.head = person
    area.household_a1.save(update_fields=["head"])
    agency = AgencyFactory(unit=area.commune_a)
    OfficeFactory(agency=agency)
    procedure = ProcedureFactory()
    return person, procedure


def _assist(actor, person, procedure, key):
    consent = intake.Consent(text="Đồng ý cho tổ CNSCĐ nộp thay", how="verbal")
    dossier, _ = intake.dossier_draft_create(
        actor=actor, procedure=procedure, person=person, consent=consent, idempotency_key=key
    )
    return intake.dossier_submit(actor=actor, dossier=dossier)


def test_an_assisted_dossier_by_a_member_counts_as_help_once(area, assisted):
    person, procedure = assisted
    dossier = _assist(area.member_a, person, procedure, "k1")
    assert dossier.channel == "assisted" and dossier.code
    visit = Visit.objects.get()
    assert (visit.dossier, visit.household, visit.member, visit.team) == (
        dossier,
        area.household_a1,
        area.member_a,
        area.team_a,
    )
    # Submitting again, and calling the service again, changes nothing.
    intake.dossier_submit(actor=area.member_a, dossier=dossier)
    assert services.visit_record_from_dossier(dossier=dossier) == visit
    assert Visit.objects.count() == 1


def test_an_assisted_dossier_by_a_plain_officer_is_not_team_help(area, assisted):
    person, procedure = assisted
    _assist(area.leader_a, person, procedure, "k2")
    assert not Visit.objects.exists()
