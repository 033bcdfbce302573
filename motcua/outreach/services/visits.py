"""Writes for the community digital teams: visits (help given), achievements, teams, campaigns.

`visit_record` is the one write path for visits and indicator achievements: the page, the API,
the offline queue and the dossier intake all come through it. The phone's `client_uuid` is the
idempotency key, so an entry resent after a dropped connection is stored and counted once.
Households (import and editing) live in `households.py`, teams and campaigns in `teams.py`.
Audit rows carry ids and counts only: household names, IDs and phones never go into the audit
trail or logs.
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.core import scope
from motcua.core.errors import DomainError, NotFound
from motcua.core.images import image_opened
from motcua.core.models import Role, User
from motcua.core.transitions import audit_record
from motcua.dossiers.models import Channel

from ..models import (
    Campaign,
    Household,
    HouseholdMember,
    Indicator,
    IndicatorAchievement,
    IndicatorScope,
    Visit,
)
from ..progress.services import progress_record
from ..selectors.households import household_achievements, household_get_for, household_list_for
from ..selectors.teams import campaign_active_for, team_for_household

PHOTO_MAX_BYTES = 8 * 1024 * 1024
_PHOTO_FORMATS = {"JPEG": ".jpg", "PNG": ".png", "WEBP": ".webp"}
# uuid5 namespace for visits derived from dossiers: the same dossier always gives the same key.
DOSSIER_VISIT_NAMESPACE = uuid.UUID("6f1c9a52-3c1e-4f3e-9b7a-0d4b1c2e7a10")


@dataclass(frozen=True)
class AchievementIn:
    """One ticked box: an indicator for a household member, or for the household (member None)."""

    indicator: str
    member: int | None = None


def _checked_photo(photo) -> ContentFile | None:
    """The photo as a stored-file body if it is a real JPEG, PNG or WebP image; refused otherwise."""
    if not photo:
        return None
    size = getattr(photo, "size", None)
    if size is not None and size > PHOTO_MAX_BYTES:
        raise DomainError(_("Ảnh quá lớn (tối đa 8 MB)."), code="photo_too_large", status=413)
    data = photo.read() if hasattr(photo, "read") else bytes(photo)
    if len(data) > PHOTO_MAX_BYTES:
        raise DomainError(_("Ảnh quá lớn (tối đa 8 MB)."), code="photo_too_large", status=413)
    from PIL import UnidentifiedImageError

    try:
        with image_opened(data) as image:
            image.verify()
            kind = image.format
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        kind = None
    if kind not in _PHOTO_FORMATS:
        raise DomainError(_("Ảnh phải là tệp JPEG, PNG hoặc WebP."), code="photo_invalid", status=415)
    return ContentFile(data, name=f"photo{_PHOTO_FORMATS[kind]}")


def _clean_achievements(
    household: Household, achievements: Iterable[AchievementIn], member_ids: set[int]
) -> list[tuple[int | None, Indicator]]:
    wanted = list(achievements)
    codes = {a.indicator for a in wanted}
    indicators = {i.code: i for i in Indicator.objects.filter(code__in=codes, is_active=True)}
    cleaned: dict[tuple[int | None, int], tuple[int | None, Indicator]] = {}
    for item in wanted:
        indicator = indicators.get(item.indicator)
        if indicator is None:
            raise DomainError(
                _("Chỉ tiêu “%(code)s” không tồn tại hoặc đã ngừng dùng.") % {"code": item.indicator},
                code="indicator_not_found",
                status=422,
            )
        if indicator.business_only and not household.is_business:
            raise DomainError(
                _("Chỉ tiêu “%(name)s” chỉ áp dụng cho hộ kinh doanh.") % {"name": indicator.name},
                code="indicator_business_only",
                status=422,
            )
        member = item.member
        if indicator.applies_to == IndicatorScope.HOUSEHOLD:
            member = None
        elif member is None or member not in member_ids:
            raise DomainError(
                _("Chỉ tiêu “%(name)s” tính cho từng người: hãy chọn một thành viên của hộ.")
                % {"name": indicator.name},
                code="indicator_member_required",
                status=422,
            )
        cleaned[(member, indicator.pk)] = (member, indicator)
    return list(cleaned.values())


def _replayed(client_uuid: uuid.UUID, actor: User | None) -> Visit | None:
    existing = Visit.objects.filter(client_uuid=client_uuid).first()
    if existing is None:
        return None
    if actor is not None and existing.member_id not in (None, actor.pk):
        # Someone else's key: do not hand their visit back, and do not store a second one.
        raise DomainError(
            _("Mã lượt ghi nhận đã được dùng cho một lượt khác."), code="client_uuid_conflict", status=409
        )
    return existing


def _parse_uuid(value) -> uuid.UUID:
    try:
        return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
    except (TypeError, ValueError, AttributeError):
        raise DomainError(_("Mã lượt ghi nhận (client_uuid) không hợp lệ."), code="invalid_client_uuid", status=422)


def _clean_visited_at(visited_at: datetime.datetime | None) -> datetime.datetime:
    now = timezone.now()
    if visited_at is None:
        return now
    if timezone.is_naive(visited_at):
        visited_at = timezone.make_aware(visited_at)
    # A phone's clock may run ahead; an entry cannot be from the future.
    return min(visited_at, now)


def _campaign_for(actor: User, household: Household, campaign_id: int | None, day: datetime.date) -> Campaign | None:
    if not campaign_id:
        return None
    campaign = campaign_active_for(actor, household=household, day=day).filter(pk=campaign_id).first()
    if campaign is None:
        raise DomainError(
            _("Đợt ra quân không tồn tại, không còn diễn ra hoặc tổ không tham gia."),
            code="campaign_not_active",
            status=422,
        )
    return campaign


def _store_achievements(
    *, household: Household, visit: Visit, actor: User | None, wanted: list[tuple[int | None, Indicator]]
) -> list[IndicatorAchievement]:
    existing = household_achievements(household)
    created = []
    for member_id, indicator in wanted:
        if (member_id, indicator.pk) in existing:
            continue
        try:
            with transaction.atomic():
                created.append(
                    IndicatorAchievement.objects.create(
                        household=household,
                        member_id=member_id,
                        indicator=indicator,
                        achieved_at=visit.visited_at,
                        visit=visit,
                        recorded_by=actor,
                    )
                )
        except IntegrityError:
            # Recorded a moment ago by a teammate's phone: achieved once is achieved.
            continue
    return created


def visit_record(
    *,
    actor: User,
    household_id: int,
    client_uuid: uuid.UUID | str,
    helped_member_ids: Iterable[int] = (),
    achievements: Iterable[AchievementIn] = (),
    note: str = "",
    photo=None,
    campaign_id: int | None = None,
    visited_at: datetime.datetime | None = None,
) -> tuple[Visit, bool]:
    """Record help given to a household. Returns (visit, created).

    Sending the same `client_uuid` again returns the first visit unchanged (created False),
    whatever else the resend carries: the phone may resend an entry it already delivered."""
    key = _parse_uuid(client_uuid)
    existing = _replayed(key, actor)
    if existing is not None:
        return existing, False
    household = household_get_for(actor, household_id)
    member_ids = {m.pk for m in household.members.all()}
    helped = {int(m) for m in helped_member_ids}
    if helped - member_ids:
        raise DomainError(_("Người được hỗ trợ không thuộc hộ này."), code="member_not_in_household", status=422)
    wanted = _clean_achievements(household, achievements, member_ids)
    note = (note or "").strip()
    if len(note) > 2000:
        raise DomainError(_("Ghi chú quá dài (tối đa 2000 ký tự)."), code="note_too_long", status=422)
    photo_file = _checked_photo(photo)
    when = _clean_visited_at(visited_at)
    campaign = _campaign_for(actor, household, campaign_id, timezone.localdate(when))
    team = team_for_household(actor, household)
    try:
        with transaction.atomic():
            visit = Visit(
                household=household,
                team=team,
                member=actor,
                visited_at=when,
                note=note,
                client_uuid=key,
                campaign=campaign,
            )
            if photo_file is not None:
                visit.photo.save(photo_file.name, photo_file, save=False)
            visit.save()
            # Whoever got help on the visit counts as helped, ticked or not, if an indicator names them.
            helped |= {m for m, _i in wanted if m is not None}
            if helped:
                visit.helped_members.set(helped)
            created = _store_achievements(household=household, visit=visit, actor=actor, wanted=wanted)
            audit_record(
                actor=actor,
                action="outreach.visit_recorded",
                object_type="outreach_visit",
                object_id=visit.pk,
                data={"household": household.pk, "helped": len(helped), "achievements": len(created)},
            )
            progress_record(visit=visit, achievements=created)
    except IntegrityError:
        if photo_file is not None and visit.photo:
            visit.photo.storage.delete(visit.photo.name)
        # The same entry raced in from a second request: hand back what the first one stored.
        existing = _replayed(key, actor)
        if existing is None:
            raise
        return existing, False
    return visit, True


def visit_photo_attach(*, actor: User, client_uuid: uuid.UUID | str, photo) -> Visit:
    """Attach a photo to a visit the actor recorded (the app sends it after the visit, when the
    connection allows). A visit that already has a photo keeps it: a resend changes nothing."""
    key = _parse_uuid(client_uuid)
    photo_file = _checked_photo(photo)
    if photo_file is None:
        raise DomainError(_("Chưa chọn ảnh."), code="photo_required", status=422)
    with transaction.atomic():
        visit = Visit.objects.select_for_update().filter(client_uuid=key, member=actor).first()
        if visit is None or visit.household_id not in set(
            household_list_for(actor).filter(pk=visit.household_id).values_list("pk", flat=True)
        ):
            raise NotFound(code="visit_not_found")
        if not visit.photo:
            visit.photo.save(photo_file.name, photo_file, save=False)
            visit.save(update_fields=["photo", "updated_at"])
            audit_record(
                actor=actor, action="outreach.visit_photo_added", object_type="outreach_visit", object_id=visit.pk
            )
    return visit


def _household_of_applicant(dossier) -> Household | None:
    person_id = dossier.applicant_person_id
    personal_id = dossier.applicant_personal_id or None
    household = None
    if person_id:
        household = (
            Household.objects.filter(head_id=person_id).first()
            or Household.objects.filter(members__person_id=person_id).first()
        )
    if household is None and personal_id:
        household = (
            Household.objects.filter(head_personal_id=personal_id).first()
            or Household.objects.filter(members__personal_id=personal_id).first()
        )
    return household


def visit_record_from_dossier(*, dossier) -> Visit | None:
    """An assisted dossier submitted by a team member counts as help given to the applicant's
    household: one visit per dossier, however often this is called. None when it does not apply
    (not assisted, submitter not a team member, applicant in no household)."""
    if dossier.channel != Channel.ASSISTED or dossier.submitted_by_id is None:
        return None
    existing = Visit.objects.filter(dossier=dossier).first()
    if existing is not None:
        return existing
    actor = dossier.submitted_by
    if not scope.has_role(actor, [Role.OUTREACH_MEMBER]):
        return None
    household = _household_of_applicant(dossier)
    if household is None:
        return None
    member = None
    if dossier.applicant_person_id:
        member = HouseholdMember.objects.filter(household=household, person_id=dossier.applicant_person_id).first()
    if member is None and dossier.applicant_personal_id:
        member = HouseholdMember.objects.filter(household=household, personal_id=dossier.applicant_personal_id).first()
    key = uuid.uuid5(DOSSIER_VISIT_NAMESPACE, f"dossier:{dossier.pk}")
    try:
        with transaction.atomic():
            visit = Visit.objects.create(
                household=household,
                team=team_for_household(actor, household),
                member=actor,
                visited_at=dossier.submitted_at or timezone.now(),
                note=_("Nộp hồ sơ thay cho công dân, mã %(code)s.") % {"code": dossier.code or dossier.pk},
                client_uuid=key,
                dossier=dossier,
            )
            if member is not None:
                visit.helped_members.add(member)
            audit_record(
                actor=actor,
                action="outreach.visit_from_dossier",
                object_type="outreach_visit",
                object_id=visit.pk,
                data={"household": household.pk, "dossier": dossier.pk},
            )
            progress_record(visit=visit, achievements=[])
    except IntegrityError:
        return Visit.objects.filter(dossier=dossier).first()
    return visit
