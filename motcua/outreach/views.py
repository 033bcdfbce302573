"""Pages for the community digital teams: the one-page visit recorder (works offline with our
small script, and without any script as a plain form), households, import, teams."""

from __future__ import annotations

import uuid
from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from motcua.core.errors import DomainError, NotFound
from motcua.core.models import COMMUNE_KINDS, Unit

from . import selectors
from .models import IndicatorScope
from .services import households as household_services
from .services import visits as services

QUEUE_HEADER = "X-Outreach-Queue"


def _id_param(value: str | None) -> int | None:
    """An id typed into a query string or form; None for anything that is not one.

    isdecimal(), not isdigit(): "²" is a digit that int() refuses; the length cap keeps it in a BIGINT."""
    value = (value or "").strip()
    return int(value) if value.isdecimal() and len(value) <= 18 else None


def outreach_required(view):
    """Signed-in users with an outreach area (team, commune leader, provincial manager)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        request.outreach_area = selectors.outreach_area_for(request.user)
        area = request.outreach_area
        if not (area.everything or area.team_ids or area.aggregate_unit_ids or area.unit_ids):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


def households_required(view):
    """Pages listing households: never for aggregate-only users (provincial managers)."""

    @wraps(view)
    @outreach_required
    def wrapper(request, *args, **kwargs):
        if not request.outreach_area.sees_households:
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


@outreach_required
def home_view(request):
    area = request.outreach_area
    context = {
        "teams": selectors.team_list_for(request.user)[:20],
        "recent": selectors.visit_list_mine(request.user, limit=10),
        "sees_households": area.sees_households,
        "can_import": area.everything or bool(area.unit_ids),
    }
    return render(request, "outreach/home.html", context)


def _grid(household, achieved: set[tuple[int | None, int]]):
    """Rows of (member, [(indicator, achieved)]) for person indicators, and the household row."""
    indicators = list(selectors.indicator_list())
    person = [i for i in indicators if i.applies_to == IndicatorScope.PERSON]
    whole = [
        i
        for i in indicators
        if i.applies_to == IndicatorScope.HOUSEHOLD and (household.is_business or not i.business_only)
    ]
    rows = [(m, [(i, (m.pk, i.pk) in achieved) for i in person]) for m in household.members.all()]
    return person, rows, [(i, (None, i.pk) in achieved) for i in whole]


def _achievements_from(post) -> list[services.AchievementIn]:
    items = []
    for value in post.getlist("a"):
        code, _sep, member = value.partition(":")
        if not code:
            continue
        items.append(services.AchievementIn(indicator=code, member=_id_param(member)))
    return items


def _record_post(request):
    post = request.POST
    try:
        helped = [pk for pk in map(_id_param, post.getlist("helped")) if pk is not None]
        visit, created = services.visit_record(
            actor=request.user,
            household_id=post.get("household", ""),
            client_uuid=post.get("client_uuid", ""),
            helped_member_ids=helped,
            achievements=_achievements_from(post),
            note=post.get("note", ""),
            photo=request.FILES.get("photo"),
            campaign_id=_id_param(post.get("campaign")),
            visited_at=parse_datetime(post.get("visited_at", "") or "") if post.get("visited_at") else None,
        )
    except (DomainError, ValueError) as exc:
        return None, False, exc
    return visit, created, None


@households_required
@never_cache
def record_view(request):
    """The one mobile page: find a household, tick who was helped and what was achieved, save."""
    wants_json = request.headers.get(QUEUE_HEADER) == "1"
    if request.method == "POST":
        visit, created, error = _record_post(request)
        next_url = reverse("outreach:record")
        if error is not None:
            status = getattr(error, "status", 422)
            code = getattr(error, "code", "invalid")
            message = getattr(error, "message", _("Dữ liệu gửi lên không hợp lệ."))
            if wants_json:
                return JsonResponse({"code": code, "message": message}, status=status)
            messages.error(request, message)
            household = request.POST.get("household", "")
            return redirect(f"{next_url}?ho={household}" if household.isdigit() else next_url)
        label = visit.household.head_name
        done = _("Đã ghi nhận lượt hỗ trợ hộ %(name)s.") % {"name": label}
        if wants_json:
            return JsonResponse(
                {
                    "visit": visit.pk,
                    "client_uuid": str(visit.client_uuid),
                    "created": created,
                    "message": done,
                    "redirect": f"{next_url}?ho={visit.household_id}&ok=1",
                },
                status=201 if created else 200,
            )
        messages.success(request, done)
        return redirect(f"{next_url}?ho={visit.household_id}")
    q = request.GET.get("q", "").strip()[:100]
    context = {"q": q, "client_uuid": uuid.uuid4(), "household": None, "results": None}
    if request.GET.get("ok"):
        messages.success(request, _("Đã ghi nhận lượt hỗ trợ."))
    household_id = request.GET.get("ho", "")
    if household_id:
        try:
            household = selectors.household_get_for(request.user, household_id)
        except NotFound:
            raise Http404
        person, rows, whole = _grid(household, selectors.household_achievements(household))
        context.update(
            household=household,
            person_indicators=person,
            rows=rows,
            household_indicators=whole,
            campaigns=selectors.campaign_active_for(request.user, household=household),
        )
    elif q:
        context["results"] = selectors.household_list_for(request.user, q=q)[:20]
    return render(request, "outreach/record.html", context)


@households_required
def household_list_view(request):
    q = request.GET.get("q", "").strip()[:100]
    hamlet_id = _id_param(request.GET.get("ap"))
    households = selectors.household_list_for(request.user, q=q, hamlet_id=hamlet_id)
    page = Paginator(households, 30).get_page(request.GET.get("page"))
    return render(request, "outreach/household_list.html", {"page": page, "q": q})


def _household_action(request, household):
    action = request.POST.get("action")
    post = request.POST
    if action == "update":
        household_services.household_update(
            actor=request.user,
            household_id=household.pk,
            head_name=post.get("head_name", ""),
            address=post.get("address", ""),
            phone=post.get("phone", ""),
            member_count=_id_param(post.get("member_count")),
            is_business=bool(post.get("is_business")),
        )
        return _("Đã lưu thông tin hộ.")
    if action == "add_member":
        household_services.household_member_add(
            actor=request.user,
            household_id=household.pk,
            full_name=post.get("full_name", ""),
            personal_id=post.get("personal_id", ""),
            phone=post.get("phone", ""),
            relation=post.get("relation", ""),
        )
        return _("Đã thêm thành viên.")
    member_id = _id_param(post.get("member"))
    if action == "remove_member" and member_id is not None:
        household_services.household_member_remove(actor=request.user, household_id=household.pk, member_id=member_id)
        return _("Đã xóa thành viên khỏi hộ.")
    raise DomainError(_("Thao tác không hợp lệ."), code="invalid_action")


@households_required
def household_detail_view(request, pk: int):
    try:
        household = selectors.household_get_for(request.user, pk)
    except NotFound:
        raise Http404
    editable = selectors.household_editable_by(request.user, household)
    if request.method == "POST":
        if not editable:
            raise Http404
        try:
            messages.success(request, _household_action(request, household))
        except DomainError as exc:
            messages.error(request, exc.message)
            for field_errors in ((exc.details or {}).get("fields") or {}).values():
                for message in field_errors:
                    messages.error(request, message)
        return redirect("outreach:household", pk=household.pk)
    person, rows, whole = _grid(household, selectors.household_achievements(household))
    context = {
        "household": household,
        "editable": editable,
        "person_indicators": person,
        "rows": rows,
        "household_indicators": whole,
        "visits": household.visits.select_related("team", "member", "campaign").order_by("-visited_at")[:20],
    }
    return render(request, "outreach/household_detail.html", context)


@households_required
def household_import_view(request):
    area = request.outreach_area
    if area.everything:
        units = Unit.objects.filter(kind__in=COMMUNE_KINDS, hamlets__isnull=False)
    else:
        units = Unit.objects.filter(Q(pk__in=area.unit_ids) | Q(hamlets__pk__in=area.hamlet_ids))
    units = list(units.distinct().order_by("name_folded"))
    context = {"units": units, "report": None, "errors": None}
    if request.method == "POST":
        unit = next((u for u in units if str(u.pk) == request.POST.get("unit")), None)
        upload = request.FILES.get("file")
        if unit is None or upload is None:
            messages.error(request, _("Chọn xã, phường và tệp CSV để nhập."))
        else:
            try:
                context["report"] = household_services.household_import_csv(
                    actor=request.user, unit=unit, content=upload.read()
                )
            except DomainError as exc:
                messages.error(request, exc.message)
                context["errors"] = (exc.details or {}).get("errors") if isinstance(exc.details, dict) else None
    return render(request, "outreach/household_import.html", context)


@outreach_required
def team_detail_view(request, pk: int):
    try:
        team = selectors.team_get_for(request.user, pk)
    except NotFound:
        raise Http404
    return render(request, "outreach/team_detail.html", {"team": team})


def service_worker_view(request):
    """The service worker must be served from the scope it controls (/cong-nghe-so/)."""
    response = render(request, "outreach/sw.js", content_type="application/javascript")
    response["Cache-Control"] = "no-cache"
    return response
