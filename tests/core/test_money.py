"""One money format everywhere: "1.800.000 đ". Negative amounts are refused, not printed."""

from decimal import Decimal

import pytest
from django.template import Context, Template

from motcua.core.text import format_vnd


@pytest.mark.parametrize("amount, text", [
    (0, "0 đ"),
    (999, "999 đ"),
    (1_000, "1.000 đ"),
    (1_800_000, "1.800.000 đ"),
    (999_999_999_999_999, "999.999.999.999.999 đ"),
    (Decimal("25000"), "25.000 đ"),
])
def test_format_vnd(amount, text):
    assert format_vnd(amount) == text


@pytest.mark.parametrize("amount", [-1, -1_000, True, 1.5, Decimal("1000.5"), "1000", None])
def test_format_vnd_refuses_what_is_not_a_whole_non_negative_amount(amount):
    with pytest.raises(ValueError):
        format_vnd(amount)


@pytest.mark.parametrize("value, text", [
    (1_800_000, "1.800.000 đ"), ("8000", "8.000 đ"), (0, "0 đ"), (None, ""), ("", ""), (-5, ""), ("abc", ""),
])
def test_template_filter_never_breaks_a_page(value, text):
    rendered = Template("{% load money %}{{ value|vnd }}").render(Context({"value": value}))
    assert rendered == text
