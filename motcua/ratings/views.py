"""Rating pages: by token (no login), the citizen's own dossier, the desk tablet, and statistics.

The forms are plain HTML (radio buttons styled as four big buttons, checkboxes for reasons) so
they work on a cheap phone without JS. The desk tablet is paired to a counter once by an officer:
the pairing lives in a signed cookie (counter, officer), no login stays on the tablet.
"""

from __future__ import annotations

import datetime

from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from motcua.core.errors import DomainError, NotFound
from motcua.core.models import Counter
from motcua.core.selectors import user_scope_units
from motcua.dossiers.models import Dossier

from . import selectors, services
from .models import RatingChannel, RatingLevel

DESK_COOKIE = "motcua_desk"
DESK_SALT = "motcua.ratings.desk"
DESK_MAX_AGE = 400 * 24 * 3600  # browsers cap cookies at 400 days
LEVEL_ICONS = {4: "😄", 3: "🙂", 2: "😐", 1: "☹️"}
CLOSED_CODES = {"rating_already_done", "rating_token_expired", "rating_token_invalid"}


def _levels():
    return [(value, label, LEVEL_ICONS[value]) for value, label in RatingLevel.choices]


def _form_context(*, error: str = "", values=None) -> dict:
    reasons = selectors.reasons_active()
    values = values or {}
    return {
        "levels": _levels(),
        "positive_reasons": [r for r in reasons if r.positive],
        "negative_reasons": [r for r in reasons if not r.positive],
        "error": error,
        "chosen_level": str(values.get("level", "")),
        "chosen_reasons": set(values.get("reasons", [])),
        "comment": values.get("comment", ""),
    }


def _posted(request) -> dict:
    return {
        "level": request.POST.get("level", ""),
        "reasons": request.POST.getlist("reasons"),
        "comment": request.POST.get("comment", ""),
    }


# --- by token ------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def token_view(request, token: str):
    try:
        invitation = services.invitation_for_token(token)
    except DomainError as exc:
        return render(request, "ratings/closed.html", {"message": exc.message, "code": exc.code}, status=200)
    subject = invitation.dossier or invitation.field_report
    context = {"subject": subject, "dossier": invitation.dossier, "action": request.path}
    if request.method == "POST":
        values = _posted(request)
        channel = RatingChannel.ZALO if request.GET.get("kenh") == "zalo" else RatingChannel.SMS
        try:
            services.rating_submit(
                token=token,
                level=values["level"],
                reason_codes=values["reasons"],
                comment=values["comment"],
                channel=channel,
            )
        except DomainError as exc:
            if exc.code in CLOSED_CODES:
                return render(request, "ratings/closed.html", {"message": exc.message, "code": exc.code})
            return render(
                request, "ratings/rate.html", {**context, **_form_context(error=exc.message, values=values)}, status=422
            )
        return redirect("ratings:thanks")
    return render(request, "ratings/rate.html", {**context, **_form_context()})


def thanks_view(request):
    return render(request, "ratings/thanks.html")


# --- the citizen's own dossier (portal) ----------------------------------------------------------


@require_http_methods(["GET", "POST"])
def dossier_view(request, code: str):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    dossier = Dossier.objects.select_related("procedure").filter(code=code).first()
    if dossier is None or not services.may_rate_dossier(request.user, dossier):
        raise Http404
    context = {"subject": dossier, "dossier": dossier, "action": request.path}
    if hasattr(dossier, "rating"):
        return render(request, "ratings/closed.html", {"message": _("Ông/bà đã đánh giá hồ sơ này. Xin cảm ơn!")})
    if request.method == "POST":
        values = _posted(request)
        try:
            services.rating_submit(
                dossier=dossier,
                actor=request.user,
                level=values["level"],
                reason_codes=values["reasons"],
                comment=values["comment"],
                channel=RatingChannel.PORTAL,
            )
        except DomainError as exc:
            if exc.code in CLOSED_CODES or exc.code == "rating_not_returned":
                return render(request, "ratings/closed.html", {"message": exc.message, "code": exc.code})
            return render(
                request, "ratings/rate.html", {**context, **_form_context(error=exc.message, values=values)}, status=422
            )
        return redirect("ratings:thanks")
    return render(request, "ratings/rate.html", {**context, **_form_context()})


# --- the desk tablet -----------------------------------------------------------------------------


def _desk_pairing(request, counter: Counter) -> int | None:
    """The officer id the tablet was paired with for this counter, or None."""
    value = request.get_signed_cookie(DESK_COOKIE, default="", salt=DESK_SALT, max_age=DESK_MAX_AGE)
    counter_id, _sep, officer_id = (value or "").partition(":")
    if counter_id != str(counter.pk) or not officer_id.isdecimal():
        return None
    return int(officer_id)


def _may_pair(user, counter: Counter) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser:
        return True
    return bool(user.is_officer and counter.office.agency.unit_id in user_scope_units(user))


@require_http_methods(["GET", "POST"])
def desk_view(request, counter_id: int):
    counter = get_object_or_404(Counter.objects.select_related("office__agency"), pk=counter_id, is_active=True)
    officer_id = _desk_pairing(request, counter)
    base = {"counter": counter, "levels": _levels()}
    if request.method == "POST" and request.POST.get("pair"):
        if not _may_pair(request.user, counter):
            raise Http404
        response = redirect("ratings:desk", counter_id=counter.pk)
        value = f"{counter.pk}:{request.user.pk}"
        response.set_signed_cookie(
            DESK_COOKIE,
            value,
            salt=DESK_SALT,
            max_age=DESK_MAX_AGE,
            httponly=True,
            samesite="Lax",
            secure=request.is_secure(),
        )
        return response
    if officer_id is None:
        return render(request, "ratings/desk_pair.html", {**base, "may_pair": _may_pair(request.user, counter)})
    dossier = selectors.desk_dossier(counter, officer_id)
    if request.method == "POST":
        values = _posted(request)
        if dossier is None or str(dossier.pk) != request.POST.get("dossier"):
            return redirect("ratings:desk", counter_id=counter.pk)
        try:
            services.rating_submit(
                dossier=dossier,
                desk_counter=counter,
                level=values["level"],
                reason_codes=values["reasons"],
                comment=values["comment"],
                channel=RatingChannel.DESK,
            )
        except DomainError as exc:
            if exc.code in CLOSED_CODES:
                return redirect("ratings:desk", counter_id=counter.pk)
            context = {**base, **_form_context(error=exc.message, values=values), "dossier": dossier}
            return render(request, "ratings/desk.html", context, status=422)
        return render(request, "ratings/desk_thanks.html", base)
    if dossier is None:
        return render(request, "ratings/desk_idle.html", base)
    return render(request, "ratings/desk.html", {**base, **_form_context(), "dossier": dossier})


# --- statistics ----------------------------------------------------------------------------------


def _month(value: str) -> datetime.date | None:
    try:
        return datetime.datetime.strptime(value or "", "%Y-%m").date()
    except ValueError:
        return None


DIMENSION_TITLES = {
    "officer": _("Theo cán bộ trả kết quả"),
    "counter": _("Theo quầy"),
    "procedure": _("Theo thủ tục"),
    "agency": _("Theo cơ quan"),
    "unit": _("Theo địa bàn"),
}


def stats_view(request):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    since, until = _month(request.GET.get("tu")), _month(request.GET.get("den"))
    subject = "field_report" if request.GET.get("doi_tuong") == "phan-anh" else "dossier"
    try:
        scope = selectors.stats_scope_for(request.user)
        since, until = selectors.month_range(since, until)
        tables = [
            (
                dimension,
                DIMENSION_TITLES[dimension],
                selectors.stats_table(
                    request.user, dimension=dimension, since=since, until=until, subject=subject, scope=scope
                ),
            )
            for dimension in ("agency", "unit", "counter", "officer", "procedure")
            if dimension != "procedure" or scope.sees_procedures
        ]
        months = selectors.stats_by_month(request.user, since=since, until=until, subject=subject, scope=scope)
    except NotFound:
        raise Http404
    overall = selectors.Figures()
    for row in months:
        overall.add(row)
    context = {
        "tables": tables,
        "months": months,
        "overall": overall.as_dict(),
        "since": since,
        "until": until,
        "subject": subject,
    }
    return render(request, "ratings/stats.html", context)


urlpatterns = [
    path("thong-ke/", stats_view, name="stats"),
    path("cam-on/", thanks_view, name="thanks"),
    path("quay/<int:counter_id>/", desk_view, name="desk"),
    path("ho-so/<str:code>/", dossier_view, name="dossier"),
    path("<str:token>/", token_view, name="token"),
]
