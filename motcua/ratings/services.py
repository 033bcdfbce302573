"""Writes for satisfaction ratings: invitations (single-use tokens) and the rating itself.

One rating per dossier (or field report). Whatever the channel (SMS/Zalo link, portal, desk
tablet), `rating_submit` locks the subject row, then the invitation row, checks nothing was rated
yet, writes the rating, marks the invitation used and adds one to every rollup row the rating
counts in, all in one transaction: a second submission waits on the lock, then sees the rating
and gets `rating_already_done`; the rollups are never counted twice.

Who and what a rating is about is copied at rating time:
- officer: the actor of the dossier's `return_result` event (for a field report: its assignee);
- counter: `counter` in that event's data when the desk recorded it, else the desk tablet's
  counter when rated there, else none;
- procedure, agency (receiving), unit (the agency's unit; a field report's own unit).
"""

from __future__ import annotations

import datetime
import hashlib
import secrets
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.core.errors import DomainError, NotFound
from motcua.core.models import Counter
from motcua.core.transitions import audit_record
from motcua.dossiers.models import Dossier, DossierEvent, DossierStatus
from motcua.dossiers.services.workflow import is_applicant
from motcua.fieldreports.models import FieldReport
from motcua.fieldreports.models import ReportStatus as FieldReportStatus

from .models import Rating, RatingChannel, RatingInvitation, RatingLevel, RatingReason, RatingRollup

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
DEFAULT_TTL_DAYS = 30
MAX_COMMENT = 1000
MAX_REASONS = 10
LEVEL_FIELDS = {
    RatingLevel.VERY_SATISFIED: "very_satisfied",
    RatingLevel.SATISFIED: "satisfied",
    RatingLevel.ACCEPTABLE: "acceptable",
    RatingLevel.NOT_SATISFIED: "not_satisfied",
}


def token_hash(token: str) -> str:
    return hashlib.sha256((token or "").encode()).hexdigest()


def rating_url(token: str) -> str:
    """The absolute link that goes into the SMS/Zalo message."""
    return settings.PUBLIC_BASE_URL + reverse("ratings:token", args=[token])


def invitation_create(*, dossier=None, field_report=None, ttl_days: int = DEFAULT_TTL_DAYS, now=None):
    """A fresh single-use token for the subject; returns (invitation, raw_token).

    Only the sha256 is stored. Asking again for the same subject (a lost SMS) replaces the
    token, unless the citizen already rated: then the used invitation is returned with no token.
    """
    if (dossier is None) == (field_report is None):
        raise DomainError(_("Lời mời đánh giá phải gắn với đúng một hồ sơ hoặc một phản ánh."), code="rating_subject")
    now = now or timezone.now()
    # 16 random bytes: unguessable, and short enough to keep the SMS in as few segments as possible.
    token = secrets.token_urlsafe(16)
    subject = {"dossier": dossier} if dossier is not None else {"field_report": field_report}
    with transaction.atomic():
        invitation = RatingInvitation.objects.select_for_update().filter(**subject).first()
        if invitation is not None and invitation.used_at:
            return invitation, ""
        expires = now + datetime.timedelta(days=ttl_days)
        if invitation is None:
            invitation = RatingInvitation.objects.create(**subject, token_hash=token_hash(token), expires_at=expires)
        else:
            invitation.token_hash, invitation.expires_at = token_hash(token), expires
            invitation.save(update_fields=["token_hash", "expires_at", "updated_at"])
    return invitation, token


def invitation_for_token(token: str, *, now=None) -> RatingInvitation:
    """The invitation behind `token` if it can still be used; DomainError with the reason otherwise."""
    invitation = (
        RatingInvitation.objects.select_related("dossier__procedure", "dossier__receiving_agency", "field_report")
        .filter(token_hash=token_hash(token))
        .first()
    )
    if invitation is None:
        raise NotFound(_("Đường dẫn đánh giá không đúng hoặc đã bị thay thế."), code="rating_token_invalid")
    _check_usable(invitation, now or timezone.now())
    return invitation


def _check_usable(invitation: RatingInvitation, now) -> None:
    if invitation.used_at:
        raise DomainError(
            _("Hồ sơ này đã được đánh giá. Cảm ơn ông/bà đã góp ý, mỗi hồ sơ chỉ đánh giá một lần."),
            code="rating_already_done",
            status=409,
        )
    if invitation.expires_at <= now:
        raise DomainError(
            _("Đường dẫn đánh giá đã hết hạn. Ông/bà có thể đánh giá trên Cổng dịch vụ công hoặc tại bộ phận một cửa."),
            code="rating_token_expired",
            status=410,
        )


# --- validation ----------------------------------------------------------------------------------


def _level(level) -> int:
    try:
        value = int(level)
    except (TypeError, ValueError):
        value = 0
    if value not in RatingLevel.values:
        raise DomainError(_("Vui lòng chọn một mức độ hài lòng."), code="rating_level_invalid", status=422)
    return value


def _reasons(level: int, codes) -> list[RatingReason]:
    codes = [str(c).strip() for c in (codes or []) if str(c).strip()]
    codes = list(dict.fromkeys(codes))
    if len(codes) > MAX_REASONS:
        raise DomainError(_("Chọn quá nhiều lý do."), code="rating_reasons_invalid", status=422)
    if not codes:
        return []
    reasons = list(RatingReason.objects.filter(code__in=codes, is_active=True))
    unknown = sorted(set(codes) - {r.code for r in reasons})
    if unknown:
        raise DomainError(
            _("Lý do không có trong danh mục: %(codes)s.") % {"codes": ", ".join(c[:40] for c in unknown)},
            code="rating_reasons_invalid",
            status=422,
        )
    positive = level >= RatingLevel.SATISFIED
    wrong = [r for r in reasons if r.positive != positive]
    if wrong:
        message = (
            _("Khi hài lòng, chỉ chọn các lý do tích cực.")
            if positive
            else _("Khi chưa hài lòng, chỉ chọn các lý do chưa tốt.")
        )
        raise DomainError(message, code="rating_reasons_invalid", status=422)
    return reasons


def _comment(comment) -> str:
    text = ("" if comment is None else str(comment)).strip()
    if len(text) > MAX_COMMENT:
        raise DomainError(
            _("Góp ý quá dài (tối đa %(n)s ký tự).") % {"n": MAX_COMMENT}, code="rating_comment_too_long", status=422
        )
    return text


# --- who and what the rating is about ------------------------------------------------------------


def _dossier_facts(dossier, desk_counter: Counter | None) -> dict:
    event = DossierEvent.objects.filter(dossier=dossier, action="return_result").order_by("-id").first()
    counter_id = None
    if event is not None and str((event.data or {}).get("counter", "")).isdecimal():
        counter_id = Counter.objects.filter(pk=int(event.data["counter"])).values_list("pk", flat=True).first()
    if counter_id is None and desk_counter is not None:
        counter_id = desk_counter.pk
    agency = dossier.receiving_agency
    return {
        "officer_id": event.actor_id if event else None,
        "counter_id": counter_id,
        "procedure_id": dossier.procedure_id,
        "agency_id": agency.pk,
        "unit_id": agency.unit_id,
    }


def _report_facts(report) -> dict:
    return {
        "officer_id": report.assignee_id,
        "counter_id": None,
        "procedure_id": None,
        "agency_id": report.agency_id,
        "unit_id": report.unit_id,
    }


def may_rate_dossier(actor, dossier) -> bool:
    return is_applicant(actor, dossier)


def _is_reporter(actor, report) -> bool:
    return bool(getattr(actor, "is_authenticated", False) and report.reporter_id and report.reporter_id == actor.pk)


# --- rollups -------------------------------------------------------------------------------------


def month_of(moment: datetime.datetime) -> datetime.date:
    return timezone.localtime(moment, TZ).date().replace(day=1)


def _rollups_add(rating: Rating, subject: str) -> None:
    field = LEVEL_FIELDS[RatingLevel(rating.level)]
    month = month_of(rating.rated_at)
    keys = {
        RatingRollup.Dimension.OFFICER: rating.officer_id,
        RatingRollup.Dimension.COUNTER: rating.counter_id,
        RatingRollup.Dimension.PROCEDURE: rating.procedure_id,
        RatingRollup.Dimension.AGENCY: rating.agency_id,
        RatingRollup.Dimension.UNIT: rating.unit_id,
    }
    for dimension, key in keys.items():
        if key is None:
            continue
        # get_or_create retries the read if a concurrent rating created the row first; the F()
        # increment is then done by the database, so two ratings never overwrite each other.
        row, _created = RatingRollup.objects.get_or_create(dimension=dimension, key=key, month=month, subject=subject)
        RatingRollup.objects.filter(pk=row.pk).update(**{field: F(field) + 1})


# --- the rating ----------------------------------------------------------------------------------


def rating_submit(
    *,
    token: str | None = None,
    dossier=None,
    field_report=None,
    actor=None,
    level,
    reason_codes=None,
    comment: str = "",
    channel: str = RatingChannel.SMS,
    desk_counter: Counter | None = None,
    now: datetime.datetime | None = None,
) -> Rating:
    """Record the citizen's rating; returns it.

    Ways in: `token` (the SMS/Zalo link, no login); `dossier` + `actor` the applicant (portal);
    `field_report` + `actor` the reporter (when they confirm the answer); `dossier` +
    `desk_counter` (the paired desk tablet: the view has checked the device cookie and that this
    dossier was just returned there). Errors: rating_token_invalid (404), rating_already_done
    (409), rating_token_expired (410), rating_level_invalid / rating_reasons_invalid /
    rating_comment_too_long (422), dossier_not_found (404, not the actor's dossier),
    rating_not_returned (409, the result is not returned yet).
    """
    now = now or timezone.now()
    level = _level(level)
    reasons = _reasons(level, reason_codes)
    comment = _comment(comment)
    if channel not in RatingChannel.values:
        raise DomainError(_("Kênh đánh giá không hợp lệ."), code="rating_channel_invalid", status=422)
    with transaction.atomic():
        invitation = None
        if token:
            found = (
                RatingInvitation.objects.filter(token_hash=token_hash(token))
                .values_list("dossier_id", "field_report_id")
                .first()
            )
            if found is None:
                raise NotFound(_("Đường dẫn đánh giá không đúng hoặc đã bị thay thế."), code="rating_token_invalid")
            dossier_id, report_id = found
        elif dossier is not None:
            dossier_id, report_id = dossier.pk, None
        elif field_report is not None:
            dossier_id, report_id = None, field_report.pk
        else:
            raise DomainError(_("Thiếu hồ sơ cần đánh giá."), code="rating_subject", status=422)
        # Lock the subject first (then its invitation) so every channel queues on the same row.
        if dossier_id:
            subject = Dossier.objects.select_for_update().select_related("receiving_agency").get(pk=dossier_id)
            subject_name = "dossier"
        else:
            subject = FieldReport.objects.select_for_update().get(pk=report_id)
            subject_name = "field_report"
        invitation = RatingInvitation.objects.select_for_update().filter(**{subject_name: subject}).first()
        if token:
            if invitation is None or invitation.token_hash != token_hash(token):
                raise NotFound(_("Đường dẫn đánh giá không đúng hoặc đã bị thay thế."), code="rating_token_invalid")
            if Rating.objects.filter(**{subject_name: subject}).exists():
                invitation.used_at = invitation.used_at or now
            _check_usable(invitation, now)
        elif desk_counter is None:
            allowed = may_rate_dossier(actor, subject) if dossier_id else _is_reporter(actor, subject)
            if not allowed:
                raise NotFound(code="dossier_not_found" if dossier_id else "field_report_not_found")
        if dossier_id and subject.status != DossierStatus.RETURNED:
            raise DomainError(
                _("Hồ sơ chưa trả kết quả nên chưa thể đánh giá."), code="rating_not_returned", status=409
            )
        if Rating.objects.filter(**{subject_name: subject}).exists():
            raise DomainError(
                _("Hồ sơ này đã được đánh giá. Cảm ơn ông/bà đã góp ý, mỗi hồ sơ chỉ đánh giá một lần."),
                code="rating_already_done",
                status=409,
            )
        facts = _dossier_facts(subject, desk_counter) if dossier_id else _report_facts(subject)
        try:
            with transaction.atomic():
                rating = Rating.objects.create(
                    **{subject_name: subject},
                    level=level,
                    comment=comment,
                    channel=channel,
                    rated_at=now,
                    **facts,
                )
        except IntegrityError:  # a rating written outside these locks (should not happen): same answer
            raise DomainError(
                _("Hồ sơ này đã được đánh giá. Cảm ơn ông/bà đã góp ý, mỗi hồ sơ chỉ đánh giá một lần."),
                code="rating_already_done",
                status=409,
            )
        if reasons:
            rating.reasons.set(reasons)
        if invitation is not None and not invitation.used_at:
            invitation.used_at = now
            invitation.save(update_fields=["used_at", "updated_at"])
        _rollups_add(rating, subject_name)
        audit_record(
            actor=actor if getattr(actor, "is_authenticated", False) else None,
            action="rating.submit",
            object_type=subject_name,
            object_id=subject.pk,
            data={"level": level, "channel": channel},
        )
    return rating


def field_report_rate(*, report, actor, level, reason_codes=(), comment: str = "") -> Rating:
    """The reporter's rating of a field report's answer, once the report is closed.

    Subscribed to `fieldreport.rated` (the reporter rates from the report's page) and, when the
    confirmation carries a level, to `fieldreport.confirmed`; runs in the field report's transaction.
    """
    if report.reporter_id != getattr(actor, "pk", None):
        raise NotFound(code="report_not_found")
    if report.status != FieldReportStatus.CLOSED:
        raise DomainError(_("Chỉ đánh giá sau khi đã xác nhận hoàn thành."), code="rating_not_closed", status=409)
    # From API JSON: one code may come as a bare string (not to be split into letters); a number or an
    # object is not a list of codes.
    if isinstance(reason_codes, str):
        reason_codes = [reason_codes]
    if not isinstance(reason_codes, list | tuple | set | None):
        raise DomainError(_("Danh sách lý do không hợp lệ."), code="rating_reasons_invalid", status=422)
    return rating_submit(
        field_report=report,
        actor=actor,
        level=level,
        reason_codes=list(reason_codes or []),
        comment=comment,
        channel=RatingChannel.PORTAL,
    )


def field_report_confirmed(*, report, actor, level=None, reason_codes=(), comment: str = "") -> Rating | None:
    """Confirm and rate together: a confirmation that carries a level is also the rating."""
    if level in (None, ""):
        return None
    return field_report_rate(report=report, actor=actor, level=level, reason_codes=reason_codes, comment=comment)


def returned_invitation(dossier) -> str:
    """Called by the `return_result` action: a new invitation; returns the rating link ("" if none).

    A dossier without a citizen to write to (no applicant person) still gets an invitation so it
    can be rated at the desk or in the portal.
    """
    _invitation, token = invitation_create(dossier=dossier)
    return rating_url(token) if token else ""
