"""Small charts drawn on the server as inline SVG: readable without JavaScript, printed with the page,
and described for screen readers (`role="img"`, or `"group"` when its bars are links; a `<title>` and `<desc>` for the chart, a `<title>`
on every bar). Pages show the same numbers in a table next to each chart; a chart is never the only
place a figure is written.

Only what the managers' pages need: horizontal bars (a ranking) and vertical grouped bars (months).
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

# Colours distinguishable in greyscale and by the common colour-vision deficiencies.
PALETTE = ("#1f5fa8", "#e08a00", "#5a9e3a", "#b03a48")
_ids = itertools.count(1)


@dataclass(frozen=True)
class Bar:
    label: str
    value: float | int | None
    href: str = ""


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[float | int | None]


def _number(value, suffix: str) -> str:
    if value is None:
        return "–"
    if isinstance(value, float) and not value.is_integer():
        text = f"{value:.1f}".replace(".", ",")
    else:
        text = f"{int(value):,}".replace(",", ".")
    return f"{text}{suffix}"


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _open(width: int, height: int, title: str, description: str, *, links: bool = False) -> tuple[list[str], str]:
    # An image's content is presentational: a chart whose bars are links is a group of them instead.
    uid, role = f"chart{next(_ids)}", "group" if links else "img"
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="{role}" viewBox="0 0 {width} {height}" '
        f'width="100%" preserveAspectRatio="xMinYMin meet" aria-labelledby="{uid}-t {uid}-d">',
        f'<title id="{uid}-t">{escape(title)}</title>',
        f'<desc id="{uid}-d">{escape(description)}</desc>',
    ]
    return parts, uid


def bar_chart(
    bars: Sequence[Bar],
    *,
    title: str,
    description: str = "",
    suffix: str = "",
    max_value: float | None = None,
    label_width: int = 180,
    width: int = 480,
) -> SafeString:
    """Horizontal bars, one per row, labelled on the left and valued on the right; a bar with an
    `href` links to what it counts. Rows without a value (None) show a dash and no bar."""
    row_height, top = 24, 6
    height = top * 2 + row_height * max(len(bars), 1)
    peak = max_value or max((bar.value or 0 for bar in bars), default=0) or 1
    plot = width - label_width - 60
    parts, _uid = _open(width, height, title, description, links=any(bar.href for bar in bars))
    parts.append('<g font-size="12" font-family="sans-serif">')
    for index, bar in enumerate(bars):
        y = top + index * row_height
        length = 0 if bar.value is None else max(1.0, plot * bar.value / peak) if bar.value else 0
        value_text = _number(bar.value, suffix)
        tip = f"{bar.label}: {value_text}"
        rect = (
            f'<rect x="{label_width}" y="{y + 4}" width="{length:.1f}" height="{row_height - 8}" fill="{PALETTE[0]}">'
            f"<title>{escape(tip)}</title></rect>"
        )
        if bar.href:
            rect = f'<a href="{escape(bar.href)}" aria-label="{escape(tip)}">{rect}</a>'
        parts.append(
            f'<text x="{label_width - 6}" y="{y + row_height / 2 + 4:.0f}" text-anchor="end">'
            f"{escape(_short(bar.label, 28))}</text>{rect}"
            f'<text x="{label_width + length + 4:.1f}" y="{y + row_height / 2 + 4:.0f}">{escape(value_text)}</text>'
        )
    parts.append("</g></svg>")
    return mark_safe("".join(parts))


def column_chart(
    categories: Sequence[str],
    series: Sequence[Series],
    *,
    title: str,
    description: str = "",
    suffix: str = "",
    max_value: float | None = None,
    width: int = 480,
    height: int = 200,
) -> SafeString:
    """Vertical bars grouped by category (months, left to right), one colour per series, a legend above."""
    left, right, top, bottom = 40, 8, 26, 24
    plot_w, plot_h = width - left - right, height - top - bottom
    peak = max_value or max((v or 0 for s in series for v in s.values), default=0) or 1
    group = plot_w / max(len(categories), 1)
    bar_w = max(2.0, (group - 6) / max(len(series), 1))
    parts, _uid = _open(width, height, title, description)
    parts.append('<g font-size="11" font-family="sans-serif">')
    for index, item in enumerate(series):
        x = left + index * 130
        parts.append(
            f'<rect x="{x}" y="6" width="12" height="12" fill="{PALETTE[index % len(PALETTE)]}"/>'
            f'<text x="{x + 16}" y="16">{escape(item.name)}</text>'
        )
    base_y = top + plot_h
    parts.append(
        f'<line x1="{left}" y1="{base_y}" x2="{width - right}" y2="{base_y}" stroke="#666"/>'
        f'<text x="{left - 4}" y="{top + 8}" text-anchor="end">{escape(_number(peak, suffix))}</text>'
        f'<text x="{left - 4}" y="{base_y}" text-anchor="end">0</text>'
    )
    for c_index, category in enumerate(categories):
        gx = left + c_index * group + 3
        for s_index, item in enumerate(series):
            value = item.values[c_index] if c_index < len(item.values) else None
            h = 0 if not value else plot_h * value / peak
            tip = f"{item.name} {category}: {_number(value, suffix)}"
            parts.append(
                f'<rect x="{gx + s_index * bar_w:.1f}" y="{base_y - h:.1f}" width="{bar_w - 1:.1f}" height="{h:.1f}" '
                f'fill="{PALETTE[s_index % len(PALETTE)]}"><title>{escape(tip)}</title></rect>'
            )
        parts.append(
            f'<text x="{gx + (group - 6) / 2:.1f}" y="{height - 8}" text-anchor="middle">{escape(category)}</text>'
        )
    parts.append("</g></svg>")
    return mark_safe("".join(parts))
