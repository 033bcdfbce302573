"""The switchboard simulator: a phone keypad in the browser that talks to the real webhook.

Officers only (it is a tool for demos, training and tests, not something citizens use). The page
cannot hold the provider's secret, so it asks `simulator_sign` to sign each request body, then
POSTs that body with the same headers the provider sends to /api/v1/switchboard/webhook: every
simulated press goes through the real signature check, parser and state machine. Only call ids
starting with "sim-" are signed, so the simulator can never speak for a real call.
"""

from __future__ import annotations

import json
import secrets

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from motcua.core.decorators import officer_required

from . import wire

SIMULATED_PREFIX = "sim-"


@officer_required
def simulator(request):
    return render(
        request,
        "appointments/switchboard/simulator.html",
        {
            "webhook_url": reverse("api:switchboard_webhook"),
            "sign_url": reverse("switchboard:simulator_sign"),
            "call_id": f"{SIMULATED_PREFIX}{secrets.token_hex(6)}",
            "caller": request.GET.get("caller", "0912345678")[:20],
        },
    )


@officer_required
@require_POST
def simulator_sign(request):
    """{timestamp, signature} for the body sent, as the provider would compute them."""
    raw = request.body
    try:
        call_id = json.loads(raw.decode("utf-8")).get("call_id", "")
    except (UnicodeDecodeError, ValueError, AttributeError):
        call_id = ""
    if not isinstance(call_id, str) or not call_id.startswith(SIMULATED_PREFIX):
        return JsonResponse(
            {"code": "not_simulated", "message": _("Chỉ ký cho cuộc gọi mô phỏng (mã bắt đầu bằng “sim-”).")},
            status=400,
        )
    timestamp = str(int(timezone.now().timestamp()))
    return JsonResponse({"timestamp": timestamp, "signature": wire.sign(settings.SWITCHBOARD_SECRET, timestamp, raw)})


app_name = "switchboard"
urlpatterns = [
    path("mo-phong/", simulator, name="simulator"),
    path("mo-phong/ky/", simulator_sign, name="simulator_sign"),
]
