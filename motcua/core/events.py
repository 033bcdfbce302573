"""Published events: how a lower app tells higher apps what happened without importing them.

The layers point one way (docs/architecture.md): core ← catalog ← dossiers ← payments, ratings,
outreach, signing, …. When something in a lower app concerns a higher one (a dossier's fees were
requested, its result was returned, an assisted intake was done), the lower app *publishes* a
topic and the higher app *subscribes* to it from its `AppConfig.ready`:

    # motcua/payments/apps.py
    def ready(self):
        from motcua.core import events
        events.subscribe("dossier.request_fees", payment_request_for_dossier)

    # motcua/dossiers/services/workflow.py
    events.publish("dossier.request_fees", ctx=ctx)

Handlers run synchronously, in the order they subscribed, inside the publisher's transaction: a
handler that raises undoes the publisher's whole action. `publish` returns the handlers' return
values (a handler may answer, e.g. with a number of records it moved).

Topic names are `<app>.<what happened>`; every topic is listed in `TOPICS` with the keyword
arguments its handlers receive, so a reader finds them all in one place and a typo fails loudly.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Handler = Callable[..., Any]

# topic -> what the handlers are given (documentation, and the check against typos).
TOPICS: dict[str, str] = {}

_HANDLERS: dict[str, list[Handler]] = {}


def topic_declare(name: str, payload: str) -> str:
    """Declare a topic (at import time of the module that publishes it); returns the name."""
    TOPICS.setdefault(name, payload)
    return name


def subscribe(topic: str, handler: Handler) -> None:
    """Call `handler(**payload)` whenever `topic` is published. Subscribing twice is a no-op."""
    handlers = _HANDLERS.setdefault(topic, [])
    if handler not in handlers:
        handlers.append(handler)


def unsubscribe(topic: str, handler: Handler) -> None:
    """Remove a handler (tests that subscribe their own)."""
    handlers = _HANDLERS.get(topic, [])
    if handler in handlers:
        handlers.remove(handler)


def subscribers(topic: str) -> list[Handler]:
    return list(_HANDLERS.get(topic, ()))


def publish(topic: str, **payload: Any) -> list[Any]:
    """Run every handler of `topic` now, in the caller's transaction; returns their results."""
    if topic not in TOPICS:
        raise LookupError(f"undeclared event topic {topic!r}: declare it with events.topic_declare")
    return [handler(**payload) for handler in list(_HANDLERS.get(topic, ()))]
