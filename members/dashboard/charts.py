"""Server-rendered SVG charts for the managers' dashboard: no JavaScript, no CDN, no library.

Each function returns markup (a SafeString) built from numbers and escaped labels. The
SVG has `role="img"` and an accessible name; the numbers themselves are always shown
beside the chart as a table (the panel's job), so the chart is never the only source.
"""

from django.utils.html import escape
from django.utils.safestring import mark_safe

PALETTE = ("#1D4F91", "#B3541E", "#2E7D4F", "#6B3FA0", "#8A6D00", "#A4243B")
TEXT = "#1F2933"
GRID = "#D5DBE1"


def _number(value) -> str:
    if isinstance(value, float):
        return f"{value:,.3f}" if value < 1 else f"{value:,.1f}"
    return f"{value:,}"


def _text_width(text: str, size=13) -> float:
    return len(text) * size * 0.56  # an average glyph of a sans-serif face


def bar_chart(*, title: str, bars: list[tuple[str, float, str | None]], width=560, bar_height=26, label_width=None,
              unit="") -> str:
    """Horizontal bars: [(label, value, colour or None)]; longest bar = the largest value."""
    if label_width is None:
        label_width = min(max((_text_width(str(label)) for label, _v, _c in bars), default=60) + 14, 300)
    height = max(len(bars), 1) * (bar_height + 10) + 10
    biggest = max((v for _l, v, _c in bars), default=0) or 1
    room = width - label_width - 90
    parts = [f'<svg class="chart" viewBox="0 0 {width} {height}" width="100%" role="img" aria-label="{escape(title)}" '
             f'xmlns="http://www.w3.org/2000/svg" preserveAspectRatio="xMinYMin meet">']
    for i, (label, value, colour) in enumerate(bars):
        y = 10 + i * (bar_height + 10)
        length = max(room * (value / biggest), 1 if value else 0)
        fill = colour or PALETTE[0]
        parts.append(f'<text x="{label_width - 8}" y="{y + bar_height * 0.68:.1f}" text-anchor="end" font-size="13" '
                     f'fill="{TEXT}">{escape(label)}</text>')
        parts.append(f'<rect x="{label_width}" y="{y}" width="{length:.1f}" height="{bar_height}" rx="3" fill="{fill}" '
                     f'stroke="{TEXT}" stroke-opacity="0.7"/>')
        parts.append(f'<text x="{label_width + length + 6:.1f}" y="{y + bar_height * 0.68:.1f}" font-size="13" '
                     f'fill="{TEXT}">{escape(f"{value:,.1f}" if unit else _number(value))}{escape(unit)}</text>')
    parts.append("</svg>")
    return mark_safe("".join(parts))


def column_chart(*, title: str, categories: list[str], series: list[tuple[str, list[float]]], width=560,
                 height=240) -> str:
    """Grouped vertical columns: one group per category, one column per series, with a legend."""
    left, bottom, top = 48, 40, 28
    plot_w, plot_h = width - left - 10, height - bottom - top
    biggest = max((v for _n, values in series for v in values), default=0) or 1
    group = plot_w / max(len(categories), 1)
    column = group * 0.8 / max(len(series), 1)
    parts = [f'<svg class="chart" viewBox="0 0 {width} {height}" width="100%" role="img" aria-label="{escape(title)}" '
             f'xmlns="http://www.w3.org/2000/svg" preserveAspectRatio="xMinYMin meet">']
    for step in range(5):
        value = biggest * step / 4
        y = top + plot_h - plot_h * step / 4
        parts.append(f'<line x1="{left}" x2="{width - 10}" y1="{y:.1f}" y2="{y:.1f}" stroke="{GRID}"/>')
        parts.append(f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="11" fill="{TEXT}">'
                     f'{escape(_number(round(value, 3) if biggest < 5 else int(value)))}</text>')
    legend_x = left
    for s, (name, values) in enumerate(series):
        colour = PALETTE[s % len(PALETTE)]
        for c, value in enumerate(values):
            h = plot_h * (value / biggest)
            x = left + c * group + group * 0.1 + s * column
            parts.append(f'<rect x="{x:.1f}" y="{top + plot_h - h:.1f}" width="{column * 0.92:.1f}" height="{h:.1f}" '
                         f'fill="{colour}"><title>{escape(name)}, {escape(categories[c])}: {escape(_number(value))}</title></rect>')
        parts.append(f'<rect x="{legend_x:.0f}" y="6" width="12" height="12" fill="{colour}"/>'
                     f'<text x="{legend_x + 16:.0f}" y="16" font-size="12" fill="{TEXT}">{escape(name)}</text>')
        legend_x += 16 + _text_width(name, 12) + 18
    every = max(1, len(categories) // 8)
    for c, category in enumerate(categories):
        if c % every == 0:
            x = left + c * group + group / 2
            parts.append(f'<text x="{x:.1f}" y="{height - bottom + 16}" text-anchor="middle" font-size="11" '
                         f'fill="{TEXT}">{escape(category)}</text>')
    parts.append("</svg>")
    return mark_safe("".join(parts))
