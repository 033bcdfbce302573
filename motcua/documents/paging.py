"""Pages of a book: the count stops at a cap, so a broad search never counts a million rows."""

from __future__ import annotations

from functools import cached_property

from django.core.paginator import Paginator

# Past this many matches the page says "hơn 1000 văn bản" and offers the first pages only.
COUNT_CAP = 1000


class CappedPaginator(Paginator):
    """A Paginator whose count reads at most `cap` + 1 rows (COUNT over a LIMITed subquery)."""

    def __init__(self, object_list, per_page, cap: int | None = None, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.cap = COUNT_CAP if cap is None else cap

    @cached_property
    def count(self) -> int:
        # Without the ordering: counting needs no order, and PostgreSQL may then read the matches
        # straight from the full-text index instead of walking the book in order.
        return self.object_list.order_by()[: self.cap + 1].count()

    @property
    def capped(self) -> bool:
        """More rows than the cap: the count shown is "more than cap"."""
        return self.count > self.cap
