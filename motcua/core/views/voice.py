"""Serves the offline speech (`motcua.core.voice`): call-outs for the display board, prompts for the
switchboard. No login: the URL's signature is the permission, and what is said is never personal
(ticket codes, counter numbers, menu prompts)."""

from django.http import FileResponse, Http404, HttpResponse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from motcua.core import voice


@require_GET
@cache_control(max_age=86400, public=True)
def speech(request, signature: str):
    text = voice.text_for_signature(signature, request.GET.get("t", ""))
    if text is None:
        raise Http404
    try:
        path = voice.speech_file(text)
    except voice.VoiceUnavailable:
        # The board shows the call anyway; a 503 tells the player to give up on this clip.
        return HttpResponse("voice unavailable", status=503, content_type="text/plain; charset=utf-8")
    return FileResponse(path.open("rb"), content_type="audio/wav")


@require_GET
@cache_control(max_age=86400, public=True)
def chime(request):
    return FileResponse(voice.chime_file().open("rb"), content_type="audio/wav")
