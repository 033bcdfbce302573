"""`ask`: one question in, one grounded answer out, the conversation's context kept for follow-ups.

Order of decisions: a pending question (the phone digits for a dossier code) first; then a dossier
code (status); then the FAQ (it wins over the catalog text when it matches); then the catalog
(one procedure when sure, the top three to choose from when not); follow-ups reuse the last
procedure; anything else is out of scope with the hotline.

The public lookup is called outside any transaction (its throttle counts must not roll back); the
conversation and the exchange are written together at the end, in one transaction.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from motcua.core.errors import DomainError
from motcua.core.identity import normalize_phone_or_none
from motcua.core.throttle import counter_hit
from motcua.dossiers.selectors.lookup import dossier_lookup

from .. import selectors
from ..models import AnswerSource, Channel, Conversation, Exchange
from ..understanding import understand
from . import booking_chat, compose
from .masking import mask_digits, mask_text

MAX_MESSAGE_CHARS = 1000
# Questions per client (address, or channel sender) per minute.
ASK_PER_MINUTE = 30
ASK_WINDOW_SECONDS = 60
# How many procedures a low-confidence answer offers.
CHOICES = 3
# Below this confidence a match is too weak to stand alone (a follow-up word found in some document).
WEAK_MATCH = 0.2
# A runner-up scoring at least this share of the best makes a low-confidence answer a choice.
CLOSE_RUNNER_UP = 0.75
PHONE_LAST4 = "phone_last4"
_DIGITS4 = re.compile(r"^\D{0,20}?(\d{4})\D{0,20}$")

# What the API and the channels see: follow-ups and FAQ answers are about procedures (the assistant
# answered from its knowledge), greetings are out of scope.
# A booking turn is about a service (a procedure) too: the API keeps its three intents, and says
# the booking flow is open through `choices` and `booking_code`.
PUBLIC_INTENTS = {"procedure": "procedure", "followup": "procedure", "faq": "procedure", "status": "status",
                  "booking": "procedure"}  # fmt: skip


@dataclass
class Reply:
    intent: str
    answer: str
    procedures: list[dict] = field(default_factory=list)
    conversation: str = ""
    confidence: float = 0.0
    needs: str | None = None
    source: str = ""
    # What understanding said (procedure, status, followup, greeting, out_of_scope, booking).
    understood: str = ""
    # Numbered choices of the booking flow ({"key": "1", "label": ...}); the answer lists them too.
    choices: list[dict] = field(default_factory=list)
    booking_code: str = ""


@dataclass
class _Outcome:
    understood: str
    answer: str
    source: str
    confidence: float
    procedures: list = field(default_factory=list)
    answered: bool = True
    needs: str | None = None
    context: dict = field(default_factory=dict)
    # Phone digits the citizen gave, masked in the stored text.
    digits: str | None = None
    choices: list = field(default_factory=list)
    booking: dict | None = None
    booking_code: str = ""


def _throttle(channel: str, sender: str | None, client_ip: str | None) -> None:
    key = f"assistant:{channel}:{sender or client_ip or 'unknown'}"
    hit = counter_hit(key, limit=ASK_PER_MINUTE, window_seconds=ASK_WINDOW_SECONDS)
    if not hit.allowed:
        raise DomainError(
            _("Bạn đã hỏi quá nhiều trong thời gian ngắn. Vui lòng thử lại sau %(minutes)d phút.")
            % {"minutes": hit.retry_minutes},
            code="too_many_questions",
            status=429,
        )


def _clean(message) -> str:
    text = (message if isinstance(message, str) else "").strip()
    if not text:
        raise DomainError(_("Vui lòng nhập câu hỏi."), code="message_empty", status=422)
    if len(text) > MAX_MESSAGE_CHARS:
        raise DomainError(
            _("Câu hỏi dài quá %(limit)d ký tự, vui lòng viết ngắn hơn.") % {"limit": MAX_MESSAGE_CHARS},
            code="message_too_long",
            status=422,
        )
    return text


def _public_id(conversation) -> uuid.UUID | None:
    if conversation in (None, ""):
        return None
    if isinstance(conversation, Conversation):
        return conversation.public_id
    try:
        return uuid.UUID(str(conversation))
    except ValueError:
        raise DomainError(_("Mã cuộc hội thoại không hợp lệ."), code="conversation_invalid", status=422) from None


def _status(code: str, digits: str, *, client: str, understood: str, confidence: float) -> _Outcome:
    try:
        found = dossier_lookup(code, digits, client=client)
    except DomainError as exc:
        # The lookup's own refusal, word for word; a wrong code and wrong digits read the same.
        keep = {"pending": PHONE_LAST4, "dossier_code": code} if exc.status != 429 else {}
        return _Outcome(understood, exc.message, AnswerSource.STATUS, confidence, answered=False,
                        needs=PHONE_LAST4 if keep else None, context=keep, digits=digits)  # fmt: skip
    return _Outcome(understood, compose.status_answer(found), AnswerSource.STATUS, confidence, digits=digits)


def _status_question(code: str, understanding, *, channel: str, sender: str | None, client: str) -> _Outcome:
    phone = normalize_phone_or_none(sender or "") if channel in (Channel.SMS, Channel.ZALO) else None
    if phone and selectors.dossier_phone_matches(code, phone):
        return _status(code, phone[-4:], client=client, understood="status", confidence=understanding.confidence)
    if understanding.phone_last4:
        return _status(code, understanding.phone_last4, client=client, understood="status",
                       confidence=understanding.confidence)  # fmt: skip
    return _Outcome("status", compose.ask_phone_answer(code), AnswerSource.STATUS, understanding.confidence,
                    needs=PHONE_LAST4, context={"pending": PHONE_LAST4, "dossier_code": code})  # fmt: skip


def _about_last(understanding, ids: list[int], last: int | None) -> bool:
    """A short question about a fact ("còn lệ phí bao nhiêu?") right after a procedure answer is about that
    procedure, unless it clearly names another one."""
    if not (understanding.topic and last):
        return False
    return not ids or ids[0] == last or understanding.confidence < WEAK_MATCH


def _unsure(understanding) -> bool:
    """Offer a choice when the ranking is weak and the runner-up is close to the best."""
    scores = [score for _pk, score in understanding.procedures]
    if understanding.confidence >= selectors.LOW_CONFIDENCE or len(scores) < 2:
        return False
    return understanding.confidence < WEAK_MATCH or scores[1] >= CLOSE_RUNNER_UP * scores[0]


def _procedure_question(understanding, context: dict) -> _Outcome:
    ids = [pk for pk, _score in understanding.procedures]
    last = context.get("procedure")
    if understanding.intent == "followup" or _about_last(understanding, ids, last):
        procedure = next(iter(selectors.procedures_by_ids([last])), None) if last else None
        if procedure is not None:
            return _Outcome("followup", compose.topic_answer(procedure, understanding.topic), AnswerSource.CATALOG,
                            understanding.confidence, [procedure], context={"procedure": procedure.pk})  # fmt: skip
    procedures = selectors.procedures_by_ids(ids[:CHOICES])
    if not procedures:
        return _Outcome("procedure", compose.not_understood_answer(), AnswerSource.OUT_OF_SCOPE,
                        understanding.confidence, answered=False)  # fmt: skip
    if _unsure(understanding) and len(procedures) > 1:
        return _Outcome("procedure", compose.choices_answer(procedures), AnswerSource.CATALOG,
                        understanding.confidence, procedures)  # fmt: skip
    best = procedures[0]
    text = compose.procedure_answer(best, lead=understanding.topic)
    return _Outcome("procedure", text, AnswerSource.CATALOG, understanding.confidence, procedures,
                    context={"procedure": best.pk})  # fmt: skip


def _known_person(user):
    """The signed-in citizen's person (bookings are made for it, with its phone), or None."""
    person = getattr(user, "person", None) if getattr(user, "is_authenticated", False) else None
    return person if person is not None and getattr(person, "phone", "") else None


def _booking(text: str, understanding, context: dict, *, channel: str, sender: str | None, user, request) -> _Outcome:
    """A turn of the booking flow (services.booking_chat), started or continued."""
    person = _known_person(user)
    known = person.phone if person is not None else None
    if not known and channel in (Channel.SMS, Channel.ZALO):
        known = normalize_phone_or_none(sender or "")
    state = context.get("booking")
    if state:
        turn = booking_chat.step(text, understanding.folded, state, known_phone=known, person=person, user=user,
                                 request=request)  # fmt: skip
    else:
        unit = (
            getattr(getattr(user, "person", None), "unit_id", None)
            if getattr(user, "is_authenticated", False)
            else None
        )
        named = [pk for pk, _score in understanding.procedures]
        turn = booking_chat.start(procedure_id=named[0] if named else context.get("procedure"), unit_id=unit)
    # A one-time code typed in the chat is not kept in the stored question.
    code = re.sub(r"\D", "", text) if state and state.get("step") == "otp" else None
    named = [] if state else selectors.procedures_by_ids([pk for pk, _score in understanding.procedures][:CHOICES])
    return _Outcome("booking", turn.answer, AnswerSource.BOOKING, 1.0 if state else understanding.confidence,
                    named, choices=turn.choices, booking=turn.state, booking_code=turn.booking_code,
                    digits=code or None)  # fmt: skip


def _decide(text: str, understanding, context: dict, *, channel: str, sender: str | None, client: str,
            user=None, request=None) -> _Outcome:  # fmt: skip
    if context.get("booking") or understanding.intent == "booking":
        return _booking(text, understanding, context, channel=channel, sender=sender, user=user, request=request)
    if context.get("pending") == PHONE_LAST4 and context.get("dossier_code"):
        digits = understanding.phone_last4 or (m.group(1) if (m := _DIGITS4.match(text)) else None)
        if digits:
            return _status(context["dossier_code"], digits, client=client, understood="status", confidence=1.0)
    if understanding.intent == "status" and not understanding.dossier_code:
        return _Outcome("status", compose.ask_code_answer(), AnswerSource.STATUS, understanding.confidence,
                        needs="dossier_code")  # fmt: skip
    if understanding.dossier_code:
        return _status_question(understanding.dossier_code, understanding, channel=channel, sender=sender,
                                client=client)  # fmt: skip
    faq = selectors.faq_match(understanding.folded) if understanding.folded else None
    if faq is not None and understanding.intent != "greeting":
        # Officers wrote it for questions like this one: it wins over the catalog text and over
        # "out of scope" (office hours, where to park: not procedures, but answered).
        procedures = selectors.procedures_by_ids([faq.procedure_id]) if faq.procedure_id else []
        keep = {"procedure": faq.procedure_id} if faq.procedure_id else {}
        return _Outcome("procedure" if procedures else "faq", faq.answer, AnswerSource.FAQ,
                        max(understanding.confidence, 0.9), procedures, context=keep)  # fmt: skip
    if understanding.intent in ("procedure", "followup"):
        return _procedure_question(understanding, context)
    if understanding.intent == "greeting":
        return _Outcome("greeting", compose.greeting_answer(), AnswerSource.OUT_OF_SCOPE, understanding.confidence)
    return _Outcome("out_of_scope", compose.out_of_scope_answer(), AnswerSource.OUT_OF_SCOPE,
                    understanding.confidence, answered=False)  # fmt: skip


def ask(
    message: str,
    *,
    conversation=None,
    channel: str = Channel.PORTAL,
    sender: str | None = None,
    client_ip: str | None = None,
    user=None,
    request=None,
) -> Reply:
    """Answer one question (see the module docstring). `conversation` is a Conversation, its public id,
    or None (then the sender's recent conversation on the channel, or a new one)."""
    text = _clean(message)
    public_id = _public_id(conversation)
    if channel not in Channel.values:
        raise DomainError(_("Kênh không hợp lệ."), code="channel_invalid", status=422)
    sender = (sender or "").strip()[:64] or None
    _throttle(channel, sender, client_ip)
    idle = settings.ASSISTANT_IDLE_MINUTES
    current = selectors.conversation_current(public_id=public_id, channel=channel, sender=sender, idle_minutes=idle)
    context = dict(current.context) if current else {}
    understanding = understand(text, context=context)
    client = f"{channel}:{sender}" if sender else (client_ip or "unknown")
    outcome = _decide(text, understanding, context, channel=channel, sender=sender, client=client, user=user,
                      request=request)  # fmt: skip
    given = outcome.digits or understanding.phone_last4
    with transaction.atomic():
        if current is None:
            current = Conversation.objects.create(channel=channel, sender=sender or "")
        else:
            current = Conversation.objects.select_for_update().get(pk=current.pk)
        new_context = {"procedure": outcome.context.get("procedure", context.get("procedure")),
                       "turns": int(context.get("turns", 0)) + 1}  # fmt: skip
        if outcome.context.get("pending"):
            new_context.update(pending=outcome.context["pending"], dossier_code=outcome.context["dossier_code"])
        if outcome.booking:
            new_context["booking"] = outcome.booking
        current.context = new_context
        current.save(update_fields=["context", "updated_at"])
        Exchange.objects.create(
            conversation=current,
            text=mask_digits(mask_text(text), given),
            folded=mask_digits(mask_text(understanding.folded), given),
            intent=outcome.understood,
            confidence=round(float(outcome.confidence), 4),
            procedure_ids=[p.pk for p in outcome.procedures],
            answered=outcome.answered,
            source=outcome.source,
            answer=outcome.answer,
        )
    return Reply(
        intent=PUBLIC_INTENTS.get(outcome.understood, "out_of_scope"),
        answer=outcome.answer,
        procedures=[compose.procedure_links(p) for p in outcome.procedures],
        conversation=str(current.public_id),
        confidence=round(float(outcome.confidence), 4),
        needs=outcome.needs,
        source=str(outcome.source),
        understood=outcome.understood,
        choices=outcome.choices,
        booking_code=outcome.booking_code,
    )
