"""Small helpers for pages (views) of every app."""

from django.http import Http404

from .errors import NotFound


def found_or_404(select, /, *args, **kwargs):
    """`select(*args, **kwargs)` for a page: a selector's `NotFound` (missing, or outside what the user may
    see: the same answer for both, so an address reveals nothing) is the page's 404."""
    try:
        return select(*args, **kwargs)
    except NotFound:
        raise Http404 from None
