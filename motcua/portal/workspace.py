"""An officer's workspace: one panel per role held, each count read through its app's selector.

Every figure comes from a selector that applies `motcua.core.scope` (an officer of one commune never
counts another commune's records) and links to the list page behind it, with the same filter as
query parameters. The portal only reads: no writes here.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.core import scope
from motcua.core.models import Role
from motcua.documents import selectors as document_selectors
from motcua.dossiers import selectors as dossier_selectors
from motcua.dossiers.models import DossierStatus, StepKind
from motcua.fieldreports.models import ReportStatus
from motcua.fieldreports.selectors import reports as report_selectors
from motcua.notifications.broadcasts import selectors as broadcast_selectors
from motcua.notifications.models import BroadcastStatus
from motcua.outreach.progress.selectors import progress_home_for
from motcua.outreach.selectors.area import outreach_area_for
from motcua.outreach.selectors.households import household_list_for
from motcua.outreach.selectors.teams import visit_count_mine
from motcua.payments import selectors as payment_selectors


@dataclass
class Figure:
    label: str
    count: int | str
    url: str
    # "warn" draws attention (overdue, unmatched money); "" is plain.
    tone: str = ""


@dataclass
class Panel:
    key: str
    title: str
    figures: list[Figure] = field(default_factory=list)
    links: list[tuple[str, str]] = field(default_factory=list)
    note: str = ""


def _queue_url(**params) -> str:
    return reverse("dossiers:queue") + "?" + urlencode(params)


def _queue_figure(user, label: str, now, *, tone: str = "", **params) -> Figure:
    queue = params.pop("tab")
    count = dossier_selectors.dossier_queue_count(user, queue=queue, now=now, **params)
    return Figure(label, count, _queue_url(tab=queue, **params), tone if count else "")


def _deadline_figures(user, now) -> list[Figure]:
    """The office's deadlines; shown once on a workspace, in the first panel that needs them."""
    return [
        _queue_figure(user, _("Đến hạn hôm nay"), now, tab="office", due="today"),
        _queue_figure(user, _("Sắp đến hạn (48 giờ)"), now, tab="due_soon"),
        _queue_figure(user, _("Quá hạn"), now, tab="overdue", tone="warn"),
    ]


def _receptionist(user, now) -> Panel:
    return Panel(
        "receptionist",
        _("Tiếp nhận và trả kết quả"),
        [
            _queue_figure(user, _("Hồ sơ chờ tiếp nhận"), now, tab="waiting"),
            _queue_figure(user, _("Kết quả chờ trả"), now, tab="office", status=DossierStatus.RESOLVED),
            *_deadline_figures(user, now),
        ],
        [
            (_("Tiếp nhận hồ sơ tại quầy"), reverse("dossiers:desk_intake")),
            (_("Gọi số tại quầy"), reverse("queue:desks")),
        ],
    )


def _handler(user, now, *, leader: bool, with_deadlines: bool) -> Panel:
    figures = [_queue_figure(user, _("Hồ sơ giao cho tôi"), now, tab="mine")]
    if leader:
        figures.append(_queue_figure(user, _("Chờ tôi phê duyệt, ký"), now, tab="mine", step=StepKind.APPROVE))
    if with_deadlines:
        figures += _deadline_figures(user, now)
    links = [(_("Hồ sơ của cơ quan"), _queue_url(tab="office"))]
    if leader:
        links.append((_("Chữ ký số"), reverse("signing:certificates")))
        links.append((_("Chỉ số phục vụ người dân"), reverse("serviceindex:home")))
    return Panel("leader" if leader else "specialist", _("Lãnh đạo") if leader else _("Chuyên viên"), figures, links)


def _cashier(user) -> Panel:
    to_collect = payment_selectors.desk_requests_for(user).count()
    unmatched = payment_selectors.unmatched_payments_for(user).count()
    return Panel(
        "cashier",
        _("Thu phí, lệ phí"),
        [
            Figure(_("Yêu cầu chờ thu"), to_collect, reverse("payments:desk")),
            Figure(
                _("Khoản tiền chưa xác định"),
                unmatched,
                reverse("payments:desk_unmatched"),
                "warn" if unmatched else "",
            ),
        ],
    )


def _report_handler(user) -> Panel:
    queue = reverse("fieldreports:queue")
    new = report_selectors.report_list_for(user, status=ReportStatus.SUBMITTED).count()
    overdue = report_selectors.report_list_for(user, status="open", overdue=True).count()
    return Panel(
        "report_handler",
        _("Xử lý phản ánh"),
        [
            Figure(_("Phản ánh mới cần tiếp nhận"), new, queue + "?tab=moi"),
            Figure(_("Phản ánh quá hạn"), overdue, queue + "?tab=qua-han", "warn" if overdue else ""),
        ],
    )


def _outreach(user, area) -> Panel:
    figures = []
    if area.sees_households:
        figures.append(Figure(_("Hộ trong địa bàn"), household_list_for(user).count(), reverse("outreach:households")))
    target = settings.OUTREACH_DAILY_VISIT_TARGET
    today = visit_count_mine(user)
    figures.append(Figure(_("Lượt hỗ trợ hôm nay / mục tiêu"), f"{today}/{target}", reverse("outreach:home")))
    links = [(_("Ghi nhận lượt hỗ trợ"), reverse("outreach:record"))]
    if progress_home_for(user) is not None:
        links.append((_("Tiến độ chuyển đổi số"), reverse("outreach_progress:home")))
    return Panel("outreach", _("Tổ công nghệ số cộng đồng"), figures, links)


def _manager(user, now) -> Panel:
    figures = dossier_selectors.dossier_month_figures(user, now=now)
    stats = reverse("dossiers:stats")
    percent = figures["on_time_percent"]
    overdue = dossier_selectors.dossier_queue_count(user, queue="overdue", now=now)
    month = timezone.localtime(now)
    return Panel(
        "manager",
        _("Quản lý"),
        [
            Figure(_("Giải quyết đúng hạn trong tháng"), "–" if percent is None else f"{percent}%", stats),
            Figure(_("Hồ sơ quá hạn"), overdue, _queue_url(tab="overdue"), "warn" if overdue else ""),
            Figure(_("Hồ sơ tiếp nhận tháng %(m)s") % {"m": month.strftime("%m/%Y")}, figures["received"], stats),
        ],
        [
            (_("Thống kê"), stats),
            (_("Chỉ số phục vụ người dân"), reverse("serviceindex:home")),
            (_("Đánh giá hài lòng"), reverse("ratings:stats")),
            (_("Xếp hàng, gọi số"), reverse("queue:figures")),
        ],
    )


def workspace_panels(user, *, now: datetime.datetime | None = None) -> list[Panel]:
    """The panels of this officer's workspace, in the order of the roles' daily work."""
    now = now or timezone.now()
    roles = scope.role_names(user)
    panels: list[Panel] = []
    if Role.RECEPTIONIST in roles:
        panels.append(_receptionist(user, now))
    # A leader's panel holds everything a specialist's does: someone holding both sees it once.
    if roles & {Role.LEADER, Role.SPECIALIST}:
        leader = Role.LEADER in roles
        panels.append(_handler(user, now, leader=leader, with_deadlines=Role.RECEPTIONIST not in roles))
    if Role.CASHIER in roles:
        panels.append(_cashier(user))
    if Role.REPORT_HANDLER in roles:
        panels.append(_report_handler(user))
    area = outreach_area_for(user)
    if area.team_ids:
        panels.append(_outreach(user, area))
    if Role.MANAGER in roles:
        panels.append(_manager(user, now))
    if roles & broadcast_selectors.AUTHOR_ROLES:
        panels.append(_broadcasts(user, leader=Role.LEADER in roles))
    documents = _documents(user, now, leader=Role.LEADER in roles)
    if documents is not None:
        panels.append(documents)
    return panels


def _documents(user, now, *, leader: bool) -> Panel | None:
    """Incoming documents assigned to this officer (and, for leaders, those awaiting instruction)."""
    mine = document_selectors.my_assignments(user)
    assigned = mine.count()
    waiting = document_selectors.awaiting_leader(user).count() if leader else 0
    if not assigned and not waiting:
        return None
    overdue = mine.filter(handling_due__lt=now).count()
    work = reverse("documents:my_work")
    figures = [
        Figure(_("Văn bản được giao xử lý"), assigned, work),
        Figure(_("Văn bản quá hạn xử lý"), overdue, work, "warn" if overdue else ""),
    ]
    if leader:
        figures.append(
            Figure(_("Văn bản chờ cho ý kiến"), waiting, reverse("documents:incoming_list") + "?status=registered")
        )
    return Panel("documents", _("Văn bản đến"), figures, [(_("Sổ văn bản đến"), reverse("documents:incoming_list"))])


def _broadcasts(user, *, leader: bool) -> Panel:
    listing = reverse("broadcasts:list")
    mine = broadcast_selectors.broadcast_list_for(user)
    figures = [
        Figure(
            _("Thông báo nháp"),
            mine.filter(status=BroadcastStatus.DRAFT).count(),
            listing + "?" + urlencode({"trang-thai": BroadcastStatus.DRAFT}),
        )
    ]
    if leader:
        waiting = mine.filter(status=BroadcastStatus.SUBMITTED).count()
        figures.append(
            Figure(
                _("Thông báo chờ duyệt"),
                waiting,
                listing + "?" + urlencode({"trang-thai": BroadcastStatus.SUBMITTED}),
                "warn" if waiting else "",
            )
        )
    return Panel(
        "broadcasts",
        _("Thông báo diện rộng"),
        figures,
        [(_("Soạn thông báo"), reverse("broadcasts:new"))],
    )
