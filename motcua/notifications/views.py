"""Citizen pages: the broadcast opt-out. (A citizen's messages, portal and channels, are on the one
inbox page, `dossiers:inbox`; /thong-bao/cua-toi/ redirects there.)"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from . import selectors
from .services.preferences import broadcast_opt_out_set


@login_required
@require_http_methods(["GET", "POST"])
def opt_out_view(request):
    person = request.user.person
    if person is None:
        messages.error(request, _("Tài khoản chưa gắn với công dân nào."))
        return redirect("core:home")
    if request.method == "POST":
        opt_out = request.POST.get("opt_out") == "1"
        broadcast_opt_out_set(person=person, opt_out=opt_out, actor=request.user)
        messages.success(
            request,
            _("Đã ghi nhận: ông/bà sẽ không nhận thông báo diện rộng.")
            if opt_out
            else _("Đã ghi nhận: ông/bà sẽ nhận lại thông báo diện rộng."),
        )
        return redirect("notifications:opt_out")
    return render(request, "notifications/opt_out.html", {"opted_out": selectors.broadcast_opted_out(person)})
