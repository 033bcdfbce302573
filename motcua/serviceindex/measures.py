"""The registry of measures a sub-indicator may use (`SubIndicator.measure` is a key of MEASURES).

Each measure says how its numerator and denominator are counted and where its figures come from:

- `dossier`: counted over dossiers by receiving agency and month of `basis` (received_at or
  resolved_at, in Vietnam time), kept in `IndexRollup` (see services). `denominator(qs)` narrows
  a dossier queryset to the denominator, `numerator(qs)` the denominator to the numerator: the
  rollups, the rebuild and the drill-down lists all use these two functions, so they cannot differ.
- `catalog`: the procedures the scope's agencies carry out (by agency kind), as they stand now:
  the catalog has no history, so every period shows today's rate.
- `ratings`: the satisfaction ratings' own monthly rollup (`ratings.RatingRollup`, by agency).
- `reports`: field reports (`fieldreports.FieldReport`) by handling agency and month of their
  deadline, counted at read time (`reports_due` / `reports_answered_on_time`).
  A `weighted` dossier measure (`avg_time`) also keeps sums of per-dossier weights (`time_weights`)
  on the marks and cells, and its score's rate is the ratio of the sums.
- `unmeasured`: our data cannot count it yet ("chưa đo được"); excluded from the score.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from motcua.catalog.models import FeeItem, OnlineLevel, Procedure, RequiredDocument
from motcua.dossiers.models import Channel, DocumentKind, Dossier, DossierDocument
from motcua.fieldreports.models import FieldReport, ReportStatus
from motcua.payments.models import Payment, PaymentMethod, PaymentRequest, PaymentStatus
from motcua.ratings.models import RatingLevel
from motcua.signing.models import SignedDocument

from . import sync_adapter

DOSSIER, CATALOG, RATINGS, REPORTS, UNMEASURED = "dossier", "catalog", "ratings", "reports", "unmeasured"
ONLINE_METHODS = (PaymentMethod.BANK_TRANSFER, PaymentMethod.GATEWAY)
SATISFIED_LEVELS = (RatingLevel.VERY_SATISFIED, RatingLevel.SATISFIED)


@dataclass(frozen=True)
class Measure:
    code: str
    label: str
    kind: str
    basis: str = ""  # dossier measures: the datetime field whose month the dossier counts in
    denominator: Callable[[QuerySet], QuerySet] | None = None
    numerator: Callable[[QuerySet], QuerySet] | None = None
    numerator_label: str = ""
    denominator_label: str = ""
    # Weighted dossier measures: the score's rate is (sum of `weight_numerator`) / (sum of
    # `weight_denominator`) over the cell's dossiers (`time_weights`), not a count of dossiers; the
    # counted numerator/denominator still say which dossiers are behind it (drill-down).
    weighted: bool = False


def _resolved(qs: QuerySet[Dossier]) -> QuerySet[Dossier]:
    return qs.filter(resolved_at__isnull=False)


def _received(qs: QuerySet[Dossier]) -> QuerySet[Dossier]:
    return qs.filter(received_at__isnull=False)


def _on_time(qs):
    return qs.exclude(finished_late=True)


def _online(qs):
    return qs.filter(channel=Channel.ONLINE)


def _finished_with_limit(qs):
    # Finished (resolved, and so also returned) with a time limit to compare against.
    return qs.filter(resolved_at__isnull=False, received_at__isnull=False, due_at__isnull=False)


def _within_limit(qs):
    return qs.filter(resolved_at__lte=F("due_at"))


def time_weights(clock_started_at, received_at, due_at, resolved_at) -> tuple[int, int]:
    """(allowed, used) minutes of one finished dossier, both from the start of its clock (or its
    reception): allowed up to its due date, used up to its resolution. Elapsed time, not working
    time: the due date already skips days off and is pushed by pauses, so both sides count the same
    calendar and the ratio compares like with like. (0, 0) when a date is missing."""
    start = clock_started_at or received_at
    if start is None or due_at is None or resolved_at is None:
        return 0, 0
    allowed = max(0, int((due_at - start).total_seconds() // 60))
    used = max(0, int((resolved_at - start).total_seconds() // 60))
    return allowed, used


def _with_paid_fees(qs):
    return _received(qs).filter(Exists(PaymentRequest.objects.filter(dossier_id=OuterRef("pk"), paid_at__isnull=False)))


def _paid_online(qs):
    return qs.filter(
        Exists(
            Payment.objects.filter(
                request__dossier_id=OuterRef("pk"), status=PaymentStatus.SUCCEEDED, method__in=ONLINE_METHODS
            )
        )
    )


def _signed_result(qs):
    return qs.filter(Exists(SignedDocument.objects.filter(dossier_id=OuterRef("pk"), kind=SignedDocument.Kind.RESULT)))


def _digitised(qs):
    # At least one of the applicant's papers (an input or a supplement; not a result, not a form the
    # system drew up) was digitised: scanned at the desk or uploaded and marked so (`is_digitised`).
    papers = DossierDocument.objects.filter(
        dossier_id=OuterRef("pk"), is_digitised=True, kind__in=(DocumentKind.INPUT, DocumentKind.SUPPLEMENT)
    )
    return qs.filter(Exists(papers))


def _reusing(qs):
    # At least one document attached by reusing a stored one (`DossierDocument.reused_from`): the
    # applicant's digitised papers or an earlier result, instead of a new upload or paper copy.
    return qs.filter(Exists(DossierDocument.objects.filter(dossier_id=OuterRef("pk"), reused_from__isnull=False)))


def reports_due(qs: QuerySet[FieldReport], now) -> QuerySet[FieldReport]:
    """Field reports whose handling deadline counts: not refused or merged into another, with a
    deadline, and either answered or past the deadline at `now` (a report still within its time is
    not counted yet, answered or late)."""
    return (
        qs.filter(due_at__isnull=False)
        .exclude(status__in=(ReportStatus.REFUSED, ReportStatus.MERGED))
        .filter(Q(answered_at__isnull=False) | Q(due_at__lt=now))
    )


ANSWERED_ON_TIME = Q(answered_at__isnull=False, answered_at__lte=F("due_at"))


def reports_answered_on_time(qs: QuerySet[FieldReport]) -> QuerySet[FieldReport]:
    return qs.filter(ANSWERED_ON_TIME)


def _active_procedures(qs: QuerySet[Procedure]) -> QuerySet[Procedure]:
    return qs.filter(is_active=True)


def _published_complete(qs):
    # Complete: its documents, legal basis, result and time limit (or "on the spot") are published.
    has_documents = Exists(RequiredDocument.objects.filter(procedure_id=OuterRef("pk")))
    limit = Q(time_limit_days__isnull=False) | Q(on_the_spot=True)
    return qs.filter(has_documents, limit).exclude(legal_basis=[]).exclude(result_type="")


def _full_online(qs):
    return qs.filter(online_level=OnlineLevel.FULL)


def _fee_bearing(qs):
    return _active_procedures(qs).filter(Exists(FeeItem.objects.filter(procedure_id=OuterRef("pk"), amount__gt=0)))


def _payable_online(qs):
    return qs.exclude(online_level=OnlineLevel.NONE)


MEASURES: dict[str, Measure] = {
    m.code: m
    for m in (
        Measure(
            "published_complete", _("Thủ tục được công khai đầy đủ"), CATALOG,
            denominator=_active_procedures, numerator=_published_complete,
            numerator_label=_("Thủ tục công khai đầy đủ"), denominator_label=_("Thủ tục đang áp dụng"),
        ),
        Measure(
            "synced", _("Hồ sơ đồng bộ lên Cổng DVC quốc gia"), DOSSIER, "received_at",
            denominator=_received, numerator=sync_adapter.synced,
            numerator_label=_("Hồ sơ đã đồng bộ"), denominator_label=_("Hồ sơ tiếp nhận"),
        ),
        Measure(
            "on_time", _("Hồ sơ giải quyết đúng hạn"), DOSSIER, "resolved_at",
            denominator=_resolved, numerator=_on_time,
            numerator_label=_("Hồ sơ giải quyết đúng hạn"), denominator_label=_("Hồ sơ đã giải quyết"),
        ),
        Measure(
            "avg_time", _("Thời gian giải quyết bình quân so với quy định"), DOSSIER, "resolved_at",
            denominator=_finished_with_limit, numerator=_within_limit,
            numerator_label=_("Hồ sơ xong trong thời hạn"), denominator_label=_("Hồ sơ đã giải quyết có thời hạn"),
            weighted=True,
        ),
        Measure(
            "online_procedures", _("Thủ tục cung cấp dịch vụ công trực tuyến toàn trình"), CATALOG,
            denominator=_active_procedures, numerator=_full_online,
            numerator_label=_("Thủ tục trực tuyến toàn trình"), denominator_label=_("Thủ tục đang áp dụng"),
        ),
        Measure(
            "online_submitted", _("Hồ sơ nộp trực tuyến"), DOSSIER, "received_at",
            denominator=_received, numerator=_online,
            numerator_label=_("Hồ sơ nộp trực tuyến"), denominator_label=_("Hồ sơ tiếp nhận"),
        ),
        Measure(
            "fee_payable_online", _("Thủ tục có phí, lệ phí thanh toán trực tuyến được"), CATALOG,
            denominator=_fee_bearing, numerator=_payable_online,
            numerator_label=_("Thủ tục có thu, nộp được trực tuyến"), denominator_label=_("Thủ tục có phí, lệ phí"),
        ),
        Measure(
            "paid_online", _("Hồ sơ nộp phí, lệ phí trực tuyến"), DOSSIER, "received_at",
            denominator=_with_paid_fees, numerator=_paid_online,
            numerator_label=_("Hồ sơ đã nộp phí trực tuyến"), denominator_label=_("Hồ sơ đã nộp đủ phí, lệ phí"),
        ),
        Measure(
            "satisfaction", _("Mức độ hài lòng"), RATINGS,
            numerator_label=_("Đánh giá hài lòng, rất hài lòng"), denominator_label=_("Lượt đánh giá"),
        ),
        Measure(
            "reports_on_time", _("Phản ánh, kiến nghị được trả lời đúng hạn"), REPORTS,
            numerator_label=_("Phản ánh trả lời đúng hạn"), denominator_label=_("Phản ánh đến hạn trả lời"),
        ),
        Measure(
            "digitised_components", _("Hồ sơ có thành phần được số hóa"), DOSSIER, "received_at",
            denominator=_received, numerator=_digitised,
            numerator_label=_("Hồ sơ có giấy tờ đã số hóa"), denominator_label=_("Hồ sơ tiếp nhận"),
        ),
        Measure(
            "signed_results", _("Kết quả giải quyết được cấp bản điện tử (ký số)"), DOSSIER, "resolved_at",
            denominator=_resolved, numerator=_signed_result,
            numerator_label=_("Hồ sơ có kết quả ký số"), denominator_label=_("Hồ sơ đã giải quyết"),
        ),
        Measure(
            "data_reuse", _("Dữ liệu số hóa được tái sử dụng"), DOSSIER, "received_at",
            denominator=_received, numerator=_reusing,
            numerator_label=_("Hồ sơ dùng lại giấy tờ đã số hóa"), denominator_label=_("Hồ sơ tiếp nhận"),
        ),
    )
}  # fmt: skip

DOSSIER_MEASURES = [m for m in MEASURES.values() if m.kind == DOSSIER]
WEIGHTED_MEASURES = [m.code for m in DOSSIER_MEASURES if m.weighted]


def measure_choices() -> list[tuple[str, str]]:
    return [(code, str(m.label)) for code, m in MEASURES.items()]
