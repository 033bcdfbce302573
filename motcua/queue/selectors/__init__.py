"""Reads of the queue, each checking who may see (see access.py)."""

from .access import desk_counters, desk_offices, managed_offices
from .estimates import standing, waiting_summary
from .ordering import in_calling_order

__all__ = ["desk_counters", "desk_offices", "in_calling_order", "managed_offices", "standing", "waiting_summary"]
