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

import threading
from collections import OrderedDict
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation

# Enough for every field page and the popular searches; a page is a few kilobytes to some tens.
DEFAULT_SIZE = 256
_MESSAGES_COOKIE = "messages"


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
        if (
            response.status_code == 200
            and not response.streaming
            and not response.cookies
            and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        ):
            with self._lock:
                self._pages[key] = (response.status_code, list(response.items()), response.content)
                while len(self._pages) > self.size:
                    self._pages.popitem(last=False)
        return response

    def clear(self) -> None:
        with self._lock:
            self._pages.clear()
