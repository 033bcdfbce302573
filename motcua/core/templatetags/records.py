"""Filters for reading records the same way everywhere: `{% load records %}`.

- `{{ user|display_name }}`: "Nguyễn Hoàng Hải" (family, middle, given), else the username;
- `{{ report|coordinates }}` or `{{ lat|coordinates:lon }}`: "9.17690, 105.15240".
"""

from django import template

from motcua.core.text import display_name as _display_name
from motcua.core.text import format_coordinates

register = template.Library()


@register.filter
def display_name(user) -> str:
    return _display_name(user) if user else ""


@register.filter
def coordinates(value, lon=None) -> str:
    """A record with `lat` and `lon`, or a latitude given the longitude as argument."""
    if lon is None and hasattr(value, "lat"):
        return format_coordinates(getattr(value, "lat", None), getattr(value, "lon", None))
    return format_coordinates(value, lon)
