"""The channels' endpoints: thin, csrf-exempt (the senders sign their posts instead), JSON answers."""

from __future__ import annotations

from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from motcua.core.errors import DomainError

from . import services, sms, zalo


def _answer(receive, **kwargs) -> JsonResponse:
    try:
        received = receive(**kwargs)
    except DomainError as exc:
        return JsonResponse({"code": exc.code, "message": exc.message}, status=exc.status)
    return JsonResponse({"code": received.status, "message_id": received.message_id})


@csrf_exempt
@require_POST
def zalo_webhook(request):
    return _answer(
        services.zalo_event_receive,
        raw_body=request.body,
        signature=request.headers.get(zalo.SIGNATURE_HEADER, ""),
    )


@csrf_exempt
@require_POST
def sms_incoming(request):
    return _answer(
        services.sms_mo_receive,
        raw_body=request.body,
        signature=request.headers.get(sms.SIGNATURE_HEADER, ""),
    )
