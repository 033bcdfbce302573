"""Pages: the conversation page `/tro-ly/` (the chat box's no-script path), the officers' review of
questions and the FAQ editor."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from motcua.appointments.views.public import remember as remember_booking
from motcua.core.errors import DomainError, NotFound, PermissionDenied
from motcua.core.net import client_address
from motcua.core.shortcuts import id_param, run_and_tell

from . import selectors, services
from .forms import FaqForm
from .services import compose

SESSION_KEY = "assistant_conversation"


# The chat box is on every public page, including the catalog pages kept rendered for visitors
# (core.pagecache), which a CSRF token would stop caching and would give everyone a cookie. The form
# is therefore exempt: a forged post can only add a question to the visitor's own conversation, and
# the questions are throttled like the API's (which takes no token either).
@csrf_exempt
@require_http_methods(["GET", "POST"])
def chat_view(request):
    context, status = {"max_chars": services.MAX_MESSAGE_CHARS}, 200
    if request.method == "POST":
        message = request.POST.get("message", "")
        try:
            reply = services.ask(
                message,
                conversation=request.session.get(SESSION_KEY),
                client_ip=client_address(request),
                user=request.user,
                request=request,
            )
        except DomainError as exc:
            context.update(error=exc.message, message=message[: services.MAX_MESSAGE_CHARS + 1])
            status = exc.status
        else:
            request.session[SESSION_KEY] = reply.conversation
            if reply.booking_code:
                # This browser made the booking: its page opens here as after the booking pages.
                remember_booking(request, reply.booking_code)
            return redirect(f"{request.path}#cuoi")
    exchanges = selectors.conversation_exchanges(
        request.session.get(SESSION_KEY), idle_minutes=settings.ASSISTANT_IDLE_MINUTES
    )
    procedures = {p.pk: p for p in selectors.procedures_by_ids(list({pk for x in exchanges for pk in x.procedure_ids}))}
    for exchange in exchanges:
        exchange.links = [compose.procedure_links(procedures[pk]) for pk in exchange.procedure_ids if pk in procedures]
    context["exchanges"] = exchanges
    return render(request, "assistant/chat.html", context, status=status)


def _reviewer(view):
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not selectors.may_review(request.user):
            raise DjangoPermissionDenied
        try:
            return view(request, *args, **kwargs)
        except NotFound:
            raise Http404 from None
        except PermissionDenied:
            raise DjangoPermissionDenied from None

    wrapped.__name__ = view.__name__
    return wrapped


@_reviewer
def review_view(request):
    show = "all" if request.GET.get("xem") == "tat-ca" else "open"
    rows = list(selectors.review_queue(request.user, show=show)[:100])
    ids = {pk for row in rows for pk in row.procedure_ids[:3]}
    procedures = {p.pk: p for p in selectors.procedures_by_ids(list(ids))}
    for row in rows:
        row.suggested = [procedures[pk] for pk in row.procedure_ids[:3] if pk in procedures]
    return render(request, "assistant/review.html", {"rows": rows, "show": show})


@_reviewer
@require_POST
def review_keywords_view(request, exchange_id: int):
    exchange = selectors.exchange_for_review(request.user, exchange_id)
    run_and_tell(
        request,
        lambda: services.procedure_keywords_add(
            actor=request.user,
            procedure_code=request.POST.get("procedure", ""),
            words=request.POST.get("words", ""),
            exchange=exchange,
        ),
        lambda p: _("Đã thêm từ khóa cho thủ tục “%(name)s”.") % {"name": p.name},
    )
    return redirect("assistant:review")


@_reviewer
@require_POST
def review_done_view(request, exchange_id: int):
    exchange = selectors.exchange_for_review(request.user, exchange_id)
    services.exchange_mark_reviewed(actor=request.user, exchange=exchange)
    return redirect("assistant:review")


@_reviewer
def faq_list_view(request):
    return render(request, "assistant/faq_list.html", {"entries": selectors.faq_list_for(request.user)})


@_reviewer
@require_http_methods(["GET", "POST"])
def faq_edit_view(request, entry_id: int | None = None):
    entry = selectors.faq_get_for(request.user, entry_id) if entry_id else None
    source = None
    if entry is None and (source_id := id_param(request.GET.get("tu"))) is not None:
        source = selectors.exchange_for_review(request.user, source_id)
    initial = {}
    if source is not None:
        initial.update(question=source.text, keywords=source.folded)
        first = selectors.procedures_by_ids(source.procedure_ids[:1])
        if first:
            initial["procedure_code"] = first[0].code
    form = FaqForm(request.POST or None, instance=entry, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        saved = run_and_tell(
            request,
            lambda: services.faq_entry_save(
                actor=request.user,
                entry=entry,
                question=data["question"],
                answer=data["answer"],
                procedure=data["procedure_code"],
                keywords=data["keywords"],
                valid_from=data["valid_from"],
                valid_until=data["valid_until"],
                is_active=data["is_active"],
                from_exchange=source,
            ),
            _("Đã lưu câu hỏi thường gặp."),
        )
        if saved is not None:
            return redirect("assistant:faq_list")
    return render(request, "assistant/faq_form.html", {"form": form, "entry": entry, "source": source})


urlpatterns = [
    path("", chat_view, name="chat"),
    path("cau-hoi/", review_view, name="review"),
    path("cau-hoi/<int:exchange_id>/tu-khoa/", review_keywords_view, name="review_keywords"),
    path("cau-hoi/<int:exchange_id>/da-xem/", review_done_view, name="review_done"),
    path("cau-hoi-thuong-gap/", faq_list_view, name="faq_list"),
    path("cau-hoi-thuong-gap/moi/", faq_edit_view, name="faq_new"),
    path("cau-hoi-thuong-gap/<int:entry_id>/", faq_edit_view, name="faq_edit"),
]
