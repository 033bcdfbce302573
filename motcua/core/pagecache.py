"""This process's copy of public pages rendered for visitors, for pages that are a function of one data
snapshot (the catalog pages: the catalog as its search index last saw it), or of rows read for it.

Rendering a Django template costs several times the rest of a public request. A page whose content
depends only on the address, the language and a snapshot of public data is rendered once per snapshot
and process: the owner of the snapshot holds a `PageCache` and drops it with the snapshot, so no entry
outlives the data it shows. A page that reads its own rows names them in `version` (a fingerprint of
what was read, the date): the query still runs, the rendering does not.

Only visitors are served from it: a request carrying a session or messages cookie (a signed-in user,
or a notice waiting to be shown) renders as usual, and so does any page whose rendering set a cookie or
used the CSRF token. Middleware still runs on every answer (security headers, language), since only
what the view returns is kept.
"""

from __future__ import annotations

import re
import secrets
import threading
from collections import OrderedDict
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation

# Enough for every field page and the popular searches; a page is a few kilobytes to some tens.
DEFAULT_SIZE = 256
_MESSAGES_COOKIE = "messages"


def visitor(request: HttpRequest) -> bool:
    """A request that may be answered from a kept page: a GET or HEAD without session or messages cookie."""
    return _visitor(request)


def _keepable(request: HttpRequest, response: HttpResponse) -> bool:
    """An answer that holds nothing of this client: no cookie set, CSRF token not used."""
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
    )


def _visitor(request: HttpRequest) -> bool:
    cookies = request.COOKIES
    return (
        request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in cookies
        and getattr(settings, "MESSAGES_COOKIE_NAME", _MESSAGES_COOKIE) not in cookies
    )


class PageCache:
    """A bounded least-recently-used store of rendered pages, keyed by address, language and htmx headers."""

    def __init__(self, size: int = DEFAULT_SIZE):
        self.size = size
        self._pages: OrderedDict[tuple, tuple[int, list[tuple[str, str]], bytes]] = OrderedDict()
        self._lock = threading.Lock()

    def page(self, request: HttpRequest, build: Callable[[], HttpResponse], *, version: object = None) -> HttpResponse:
        """The page `build()` renders for this request, rendered once per process while it is kept.
        `version` (hashable) is whatever else the page depends on: the date, a fingerprint of its rows."""
        if not _visitor(request):
            return build()
        key = (
            version,
            request.path,
            request.META.get("QUERY_STRING", ""),
            translation.get_language(),
            request.headers.get("HX-Request"),
            request.headers.get("HX-History-Restore-Request"),
        )
        with self._lock:
            kept = self._pages.get(key)
            if kept is not None:
                self._pages.move_to_end(key)
        if kept is not None:
            status, headers, content = kept
            response = HttpResponse(content, status=status)
            for name, value in headers:
                response[name] = value
            return response
        response = build()
        if _keepable(request, response):
            with self._lock:
                self._pages[key] = (response.status_code, list(response.items()), response.content)
                while len(self._pages) > self.size:
                    self._pages.popitem(last=False)
        return response

    def clear(self) -> None:
        with self._lock:
            self._pages.clear()


class ShellCache:
    """Pages that differ from one another only in a few places ("slots"), such as a search page whose
    query and result rows change with every new search while the rest (base template, form, filters)
    does not. The page is rendered once per `key` with a marker in each slot, cut at the markers, and
    each answer joins the pieces with that request's slot values, given already escaped as the
    template would have. Markers are letters and digits (escaping leaves them as they are) drawn at
    random per process, so no query can forge one. Visitors only, as `PageCache`; the owner keeps one
    per data snapshot and drops it with the snapshot."""

    def __init__(self, slots: tuple[str, ...], size: int = DEFAULT_SIZE):
        token = secrets.token_hex(12)
        self.markers = {name: f"slot{token}{name}" for name in slots}
        self._names = {marker.encode(): name for name, marker in self.markers.items()}
        self._split = re.compile(b"(" + b"|".join(re.escape(m) for m in self._names) + b")")
        self.size = size
        self._shells: OrderedDict[tuple, tuple[int, list[tuple[str, str]], list[bytes | str]]] = OrderedDict()
        self._lock = threading.Lock()

    def page(
        self,
        request: HttpRequest,
        key: tuple,
        *,
        shell: Callable[[dict[str, str]], HttpResponse],
        fill: dict[str, str],
        full: Callable[[], HttpResponse],
    ) -> HttpResponse:
        """`shell(markers)` renders the page with `markers[name]` as each slot's value; the answer is
        that page with `fill[name]` in each slot. `full()` renders the page itself for a request that
        is not a visitor's, or when the shell could not be kept (it set a cookie, used the CSRF token)."""
        if not _visitor(request):
            return full()
        key = (key, translation.get_language())
        with self._lock:
            kept = self._shells.get(key)
            if kept is not None:
                self._shells.move_to_end(key)
        if kept is None:
            response = shell(self.markers)
            if not _keepable(request, response):
                return full()
            # Every other piece is a slot's name: the split keeps the markers it cut at.
            pieces = [
                self._names[piece] if i % 2 else piece for i, piece in enumerate(self._split.split(response.content))
            ]
            kept = (response.status_code, list(response.items()), pieces)
            with self._lock:
                self._shells[key] = kept
                while len(self._shells) > self.size:
                    self._shells.popitem(last=False)
        status, headers, pieces = kept
        values = {name: value.encode() for name, value in fill.items()}
        response = HttpResponse(b"".join(values[p] if isinstance(p, str) else p for p in pieces), status=status)
        for name, value in headers:
            response[name] = value
        return response
