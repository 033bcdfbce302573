"""Small helpers for pages (views) of every app."""

from collections.abc import Callable

from django.contrib import messages
from django.http import Http404

from .errors import DomainError, NotFound


def id_param(value: str | None) -> int | None:
    """An id (or other whole number) typed into a query string or form; None for anything that is not one.

    isdecimal(), not isdigit(): "²" is a digit that int() refuses; the length cap keeps it in a BIGINT, so a
    long string of digits never reaches the database as an out-of-range integer."""
    value = (value or "").strip() if isinstance(value, str) else ""
    return int(value) if value.isdecimal() and value.isascii() and len(value) <= 18 else None


def year_param(value: str | None) -> int | None:
    """A calendar year typed into a query string or form (1..9999, what `datetime.date` takes); None otherwise."""
    year = id_param(value)
    return year if year is not None and 1 <= year <= 9999 else None


def found_or_404(select, /, *args, **kwargs):
    """`select(*args, **kwargs)` for a page: a selector's `NotFound` (missing, or outside what the user may
    see: the same answer for both, so an address reveals nothing) is the page's 404."""
    try:
        return select(*args, **kwargs)
    except NotFound:
        raise Http404 from None


def run_and_tell(request, step: Callable[[], object], success, *, missing_is_404: bool = False):
    """Run one step of a page that answers with a message (then, as a rule, a redirect): a refusal
    (`DomainError`) becomes an error message, else `success` a success message (`success(result)` when
    it is callable). With `missing_is_404`, a refusal with status 404 (gone, or outside the user's
    reach) is the page's 404 instead. Returns the step's result, or None when it was refused."""
    try:
        result = step()
    except DomainError as exc:
        if missing_is_404 and exc.status == 404:
            raise Http404 from None
        messages.error(request, exc.message)
        return None
    messages.success(request, success(result) if callable(success) else success)
    return result
