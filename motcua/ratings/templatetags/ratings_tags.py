"""Rating pieces other apps' pages show: `{% load ratings_tags %}{% rating_level_choices as levels %}`."""

from django import template

from motcua.ratings.models import RatingLevel

register = template.Library()


@register.simple_tag
def rating_level_choices() -> list[tuple[int, str]]:
    """The satisfaction levels, best first, as (value, label) for a form's radio buttons."""
    return sorted(RatingLevel.choices, reverse=True)
