"""Ratings: tokens, validation, rollups, the rate and the trigger on return_result."""

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from motcua.core.errors import DomainError, NotFound
from motcua.core.models import Role
from motcua.notifications.models import Message
from motcua.ratings import selectors, services
from motcua.ratings.models import Rating, RatingChannel, RatingInvitation, RatingRollup
from tests.factories import CitizenUserFactory, PersonFactory

pytestmark = pytest.mark.django_db


def _token(dossier) -> str:
    """A fresh token for `dossier` (the one sent by SMS is only in the message)."""
    _invitation, token = services.invitation_create(dossier=dossier)
    return token


def _totals(dimension: str, key: int) -> tuple[int, int, int, int]:
    rows = RatingRollup.objects.filter(dimension=dimension, key=key)
    return tuple(
        sum(getattr(r, f) for r in rows) for f in ("very_satisfied", "satisfied", "acceptable", "not_satisfied")
    )


def test_only_the_hash_is_stored_and_the_token_finds_the_invitation(return_dossier):
    dossier = return_dossier()
    invitation, token = services.invitation_create(dossier=dossier)
    assert token and token not in invitation.token_hash and len(invitation.token_hash) == 64
    assert services.invitation_for_token(token).pk == invitation.pk
    assert RatingInvitation.objects.filter(dossier=dossier).count() == 1


def test_token_is_single_use_and_rollups_count_once(return_dossier, receptionist_a, agency_a):
    dossier = return_dossier()
    token = _token(dossier)
    rating = services.rating_submit(token=token, level=4, reason_codes=["dung-hen"], comment="Tốt", channel="sms")
    assert rating.officer == receptionist_a and rating.agency == agency_a and rating.procedure == dossier.procedure
    assert rating.unit_id == agency_a.unit_id and rating.counter is None
    assert [r.code for r in rating.reasons.all()] == ["dung-hen"]
    assert RatingInvitation.objects.get(dossier=dossier).used_at is not None
    with pytest.raises(DomainError) as err:
        services.rating_submit(token=token, level=1, reason_codes=[], comment="", channel="sms")
    assert err.value.code == "rating_already_done" and "đã được đánh giá" in err.value.message
    # The portal cannot rate it again either.
    with pytest.raises(DomainError) as err:
        services.rating_submit(dossier=dossier, actor=dossier.submitted_by, level=1, channel="portal")
    assert err.value.code == "rating_already_done"
    assert Rating.objects.count() == 1
    assert _totals("agency", agency_a.pk) == (1, 0, 0, 0)
    assert _totals("officer", receptionist_a.pk) == (1, 0, 0, 0)


def test_expired_and_unknown_tokens(return_dossier):
    dossier = return_dossier()
    invitation, token = services.invitation_create(dossier=dossier)
    RatingInvitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - datetime.timedelta(minutes=1))
    with pytest.raises(DomainError) as err:
        services.rating_submit(token=token, level=4, channel="sms")
    assert err.value.code == "rating_token_expired" and err.value.status == 410
    with pytest.raises(NotFound) as err:
        services.rating_submit(token="khong-co-that", level=4, channel="sms")
    assert err.value.code == "rating_token_invalid"
    assert not Rating.objects.exists() and not RatingRollup.objects.exists()


@pytest.mark.parametrize(
    ("level", "codes", "code"),
    [
        (1, ["dung-hen"], "rating_reasons_invalid"),  # positive reason with "not satisfied"
        (4, ["tre-hen"], "rating_reasons_invalid"),  # negative reason with "very satisfied"
        (2, ["huong-dan-tan-tinh"], "rating_reasons_invalid"),  # acceptable counts with the negatives
        (3, ["khong-co-ly-do-nay"], "rating_reasons_invalid"),
        (5, [], "rating_level_invalid"),
        ("abc", [], "rating_level_invalid"),
    ],
)
def test_reasons_and_levels_are_validated_and_nothing_is_saved(return_dossier, level, codes, code):
    dossier = return_dossier()
    token = _token(dossier)
    with pytest.raises(DomainError) as err:
        services.rating_submit(token=token, level=level, reason_codes=codes, channel="sms")
    assert err.value.code == code and err.value.status == 422
    assert not Rating.objects.exists()
    assert RatingInvitation.objects.get(dossier=dossier).used_at is None


def test_matching_reasons_are_accepted(return_dossier):
    rating = services.rating_submit(
        token=_token(return_dossier()), level=2, reason_codes=["tre-hen", "di-lai-nhieu-lan"], channel="zalo"
    )
    assert sorted(r.code for r in rating.reasons.all()) == ["di-lai-nhieu-lan", "tre-hen"]
    with pytest.raises(DomainError) as err:
        services.rating_submit(token="x", level=4, channel="fax")
    assert err.value.code == "rating_channel_invalid"


def test_rollups_per_dimension_and_month(return_dossier, receptionist_a, receptionist_b, agency_a, agency_b, counter_a):
    d1, d2, d3 = return_dossier(), return_dossier(), return_dossier("b")
    services.rating_submit(token=_token(d1), level=4, channel="sms")
    services.rating_submit(dossier=d2, desk_counter=counter_a, level=1, reason_codes=["tre-hen"], channel="desk")
    services.rating_submit(token=_token(d3), level=3, channel="sms")
    assert _totals("agency", agency_a.pk) == (1, 0, 0, 1)
    assert _totals("agency", agency_b.pk) == (0, 1, 0, 0)
    assert _totals("unit", agency_a.unit_id) == (1, 0, 0, 1)
    assert _totals("officer", receptionist_a.pk) == (1, 0, 0, 1)
    assert _totals("officer", receptionist_b.pk) == (0, 1, 0, 0)
    assert _totals("counter", counter_a.pk) == (0, 0, 0, 1)
    assert _totals("procedure", d1.procedure_id) == (1, 1, 0, 1)
    month = services.month_of(timezone.now())
    assert set(RatingRollup.objects.values_list("month", flat=True)) == {month}
    assert set(RatingRollup.objects.values_list("subject", flat=True)) == {"dossier"}
    # One row per dimension value and month, however many ratings.
    assert RatingRollup.objects.filter(dimension="agency", key=agency_a.pk).count() == 1


def test_rollups_split_by_month(return_dossier, agency_a):
    march = datetime.datetime(2026, 3, 31, 23, 30, tzinfo=services.TZ)
    services.rating_submit(token=_token(return_dossier()), level=4, channel="sms", now=march)
    services.rating_submit(
        token=_token(return_dossier()), level=2, channel="sms", now=march + datetime.timedelta(hours=1)
    )
    months = dict(
        RatingRollup.objects.filter(dimension="agency", key=agency_a.pk).values_list("month", "very_satisfied")
    )
    assert months == {datetime.date(2026, 3, 1): 1, datetime.date(2026, 4, 1): 0}


def test_satisfaction_rate_definition(return_dossier, agency_a):
    assert selectors.rate_of(very_satisfied=0) is None
    assert str(selectors.rate_of(very_satisfied=5, satisfied=2, acceptable=1, not_satisfied=2)) == "80.00"
    assert str(selectors.rate_of(very_satisfied=1, satisfied=1, acceptable=0, not_satisfied=1)) == "66.67"
    for level in (4, 3, 2, 1):
        services.rating_submit(token=_token(return_dossier()), level=level, channel="sms")
    figures = selectors.satisfaction_rate(dimension="agency", key=agency_a.pk)
    assert (figures["total"], str(figures["rate"]), str(figures["strict_rate"])) == (4, "75.00", "50.00")
    assert selectors.satisfaction_rate(dimension="agency", key=agency_a.pk + 999)["rate"] is None


def test_return_result_creates_the_invitation_and_the_sms_carries_the_link(return_dossier, citizen, settings):
    settings.PUBLIC_BASE_URL = "https://dichvucong.camau.gov.vn"
    call_command("load_message_templates", verbosity=0)
    dossier = return_dossier()
    invitation = RatingInvitation.objects.get(dossier=dossier)
    assert invitation.used_at is None and invitation.expires_at > timezone.now() + datetime.timedelta(days=29)
    sms = Message.objects.get(event="dossier.returned", channel="sms")
    assert sms.recipient.endswith(citizen.person.phone[-9:])
    link = sms.body.split("https://dichvucong.camau.gov.vn/danh-gia/")[1]
    token = link.rstrip("/").split("/")[0]
    assert services.invitation_for_token(token).pk == invitation.pk
    assert sms.segments <= 2
    # The link works: rating through it uses the invitation created by the workflow.
    services.rating_submit(token=token, level=4, channel="sms")
    assert RatingInvitation.objects.get(dossier=dossier).used_at is not None


def test_without_templates_the_default_text_carries_the_link(return_dossier):
    dossier = return_dossier()
    sms = Message.objects.get(event="dossier.returned", channel="sms")
    assert "/danh-gia/" in sms.body
    assert RatingInvitation.objects.filter(dossier=dossier).exists()


def test_citizen_rates_own_dossier_but_not_someone_elses(return_dossier, citizen, commune_a):
    dossier = return_dossier()
    stranger = CitizenUserFactory(person=PersonFactory(unit=commune_a))
    with pytest.raises(NotFound):
        services.rating_submit(dossier=dossier, actor=stranger, level=4, channel="portal")
    with pytest.raises(NotFound):
        services.rating_submit(dossier=dossier, actor=None, level=4, channel="portal")
    rating = services.rating_submit(dossier=dossier, actor=citizen, level=3, channel=RatingChannel.PORTAL)
    assert rating.channel == "portal"
    # The portal rating uses up the SMS invitation as well.
    assert RatingInvitation.objects.get(dossier=dossier).used_at is not None


def test_a_dossier_not_yet_returned_cannot_be_rated(make_received_dossier, citizen):
    dossier = make_received_dossier()
    with pytest.raises(DomainError) as err:
        services.rating_submit(dossier=dossier, actor=citizen, level=4, channel="portal")
    assert err.value.code == "rating_not_returned"


def test_stats_are_scoped_to_the_readers_units(return_dossier, manager_a, manager_b, receptionist_a, receptionist_b):
    services.rating_submit(token=_token(return_dossier()), level=4, channel="sms")
    services.rating_submit(token=_token(return_dossier("b")), level=1, channel="sms")
    officers_a = {row["key"] for row in selectors.stats_table(manager_a, dimension="officer")}
    officers_b = {row["key"] for row in selectors.stats_table(manager_b, dimension="officer")}
    assert officers_a == {receptionist_a.pk} and officers_b == {receptionist_b.pk}
    assert selectors.stats_table(manager_a, dimension="procedure") == []  # mixes communes: province only
    assert selectors.satisfaction_rate(manager_a, dimension="agency")["total"] == 1
    assert selectors.satisfaction_rate(dimension="agency")["total"] == 2


def test_stats_readers_only(receptionist_a, citizen, specialist_a):
    for user in (receptionist_a, citizen, specialist_a):
        with pytest.raises(NotFound):
            selectors.stats_scope_for(user)


def test_province_manager_sees_everything(return_dossier, province):
    from tests.factories import OfficerFactory, grant

    boss = OfficerFactory()
    grant(boss, Role.MANAGER, unit=province)
    services.rating_submit(token=_token(return_dossier()), level=4, channel="sms")
    services.rating_submit(token=_token(return_dossier("b")), level=2, channel="sms")
    assert len(selectors.stats_table(boss, dimension="officer")) == 2
    assert len(selectors.stats_table(boss, dimension="procedure")) == 1


def test_counter_recorded_at_return_is_counted_for_sms_ratings(return_dossier, counter_a, office_b):
    dossier = return_dossier(counter=counter_a)
    rating = services.rating_submit(token=_token(dossier), level=4, channel="sms")
    assert rating.counter_id == counter_a.pk
    assert _totals("counter", counter_a.pk) == (1, 0, 0, 0)


def test_a_counter_of_another_agency_is_refused_at_return(return_dossier, office_b):
    from motcua.core.errors import DomainError
    from motcua.core.models import Counter

    other = Counter.objects.create(office=office_b, number=9, name="Quầy B")
    with pytest.raises(DomainError) as exc:
        return_dossier(counter=other)
    assert exc.value.code == "counter_invalid"
