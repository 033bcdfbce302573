"""The one-page visit recorder (works offline with our small script, and without any script as a
plain form), the home page, team pages and the service worker."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from motcua.core.errors import DomainError
from motcua.core.shortcuts import found_or_404, id_param

from ..selectors.households import household_achievements, household_get_for, household_list_for
from ..selectors.teams import campaign_active_for, team_get_for, team_list_for, visit_list_mine
from ..services import visits as services
from .common import households_required, indicator_grid, outreach_required

QUEUE_HEADER = "X-Outreach-Queue"


@outreach_required
def home_view(request):
    area = request.outreach_area
    context = {
        "teams": team_list_for(request.user)[:20],
        "recent": visit_list_mine(request.user, limit=10),
        "sees_households": area.sees_households,
        "can_import": area.everything or bool(area.unit_ids),
    }
    return render(request, "outreach/home.html", context)


def _achievements_from(post) -> list[services.AchievementIn]:
    items = []
    for value in post.getlist("a"):
        code, _sep, member = value.partition(":")
        if not code:
            continue
        items.append(services.AchievementIn(indicator=code, member=id_param(member)))
    return items


def _record_post(request):
    post = request.POST
    try:
        helped = [pk for pk in map(id_param, post.getlist("helped")) if pk is not None]
        visit, created = services.visit_record(
            actor=request.user,
            household_id=post.get("household", ""),
            client_uuid=post.get("client_uuid", ""),
            helped_member_ids=helped,
            achievements=_achievements_from(post),
            note=post.get("note", ""),
            photo=request.FILES.get("photo"),
            campaign_id=id_param(post.get("campaign")),
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
        household = found_or_404(household_get_for, request.user, household_id)
        person, rows, whole = indicator_grid(household, household_achievements(household))
        context.update(
            household=household,
            person_indicators=person,
            rows=rows,
            household_indicators=whole,
            campaigns=campaign_active_for(request.user, household=household),
        )
    elif q:
        context["results"] = household_list_for(request.user, q=q)[:20]
    return render(request, "outreach/record.html", context)


@outreach_required
def team_detail_view(request, pk: int):
    team = found_or_404(team_get_for, request.user, pk)
    return render(request, "outreach/team_detail.html", {"team": team})


def service_worker_view(request):
    """The service worker must be served from the scope it controls (/cong-nghe-so/)."""
    response = render(request, "outreach/sw.js", content_type="application/javascript")
    response["Cache-Control"] = "no-cache"
    return response
