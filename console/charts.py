"""Charts drawn on the server as inline SVG (no JavaScript library, nothing from the internet).

Colours are SVG presentation attributes, not `style=`, so the console's CSP allows them. Every
chart has a <title> and a table beside it on the page, for screen readers and for print.
"""
from dataclasses import dataclass

from markupsafe import Markup, escape

WIDTH, HEIGHT = 640, 240
LEFT, RIGHT, TOP, BOTTOM = 48, 12, 16, 40
COLOURS = ("#c0392b", "#2471a3", "#1e8449", "#b9770e")


@dataclass(frozen=True)
class Series:
    name: str
    values: list  # numbers or None (a gap)


def _scale(series: list[Series]) -> float:
    top = max([v for s in series for v in s.values if v is not None] or [0])
    if top <= 0:
        return 1.0
    step = 10 ** (len(str(int(top))) - 1)
    return float(((top // step) + 1) * step)


def _frame(title: str, top: float, labels: list[str]) -> list[str]:
    plot_h = HEIGHT - TOP - BOTTOM
    parts = [f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
             f'xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>']
    for i in range(5):
        y = TOP + plot_h * i / 4
        value = top * (4 - i) / 4
        text = f"{value:.0f}" if top >= 4 else f"{value:.1f}"
        parts.append(f'<line x1="{LEFT}" y1="{y:.1f}" x2="{WIDTH - RIGHT}" y2="{y:.1f}" '
                     f'stroke="#ddd" stroke-width="1"/>')
        parts.append(f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="11" '
                     f'fill="#555">{text}</text>')
    every = max(1, len(labels) // 8)
    for i, label in enumerate(labels):
        if i % every == 0 or i == len(labels) - 1:
            x = _x(i, len(labels))
            parts.append(f'<text x="{x:.1f}" y="{HEIGHT - BOTTOM + 16}" text-anchor="middle" '
                         f'font-size="11" fill="#555">{escape(label)}</text>')
    return parts


def _x(i: int, n: int) -> float:
    width = WIDTH - LEFT - RIGHT
    return LEFT + (width * (i + 0.5) / n if n else 0)


def _y(value: float, top: float) -> float:
    return TOP + (HEIGHT - TOP - BOTTOM) * (1 - value / top)


def _legend(series: list[Series]) -> list[str]:
    parts = []
    for k, s in enumerate(series):
        x = LEFT + k * 150
        colour = COLOURS[k % len(COLOURS)]
        parts.append(f'<rect x="{x}" y="{HEIGHT - 14}" width="12" height="8" fill="{colour}"/>')
        parts.append(f'<text x="{x + 16}" y="{HEIGHT - 6}" font-size="11" fill="#333">'
                     f'{escape(s.name)}</text>')
    return parts


def line_chart(title: str, labels: list[str], series: list[Series]) -> Markup:
    """Lines over the periods; a None value breaks its line."""
    top = _scale(series)
    parts = _frame(title, top, labels)
    for k, s in enumerate(series):
        colour, runs, run = COLOURS[k % len(COLOURS)], [], []
        for i, value in enumerate(s.values):
            if value is None:
                runs, run = runs + ([run] if run else []), []
                continue
            run.append(f"{_x(i, len(labels)):.1f},{_y(value, top):.1f}")
        runs += [run] if run else []
        for points in runs:
            if len(points) == 1:
                x, y = points[0].split(",")
                parts.append(f'<circle cx="{x}" cy="{y}" r="3" fill="{colour}"/>')
            else:
                parts.append(f'<polyline points="{" ".join(points)}" fill="none" '
                             f'stroke="{colour}" stroke-width="2"/>')
    return Markup("".join(parts + _legend(series) + ["</svg>"]))


def bar_chart(title: str, labels: list[str], series: list[Series]) -> Markup:
    """Grouped bars, one group per label (e.g. per community)."""
    top = _scale(series)
    parts = _frame(title, top, labels)
    n, groups = len(series), len(labels)
    slot = (WIDTH - LEFT - RIGHT) / max(groups, 1)
    bar = slot * 0.8 / max(n, 1)
    for k, s in enumerate(series):
        colour = COLOURS[k % len(COLOURS)]
        for i, value in enumerate(s.values):
            if not value:
                continue
            x = LEFT + slot * i + slot * 0.1 + bar * k
            y = _y(value, top)
            parts.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar:.1f}" '
                         f'height="{HEIGHT - BOTTOM - y:.1f}" fill="{colour}">'
                         f'<title>{escape(labels[i])} {escape(s.name)}：{value}</title></rect>')
    return Markup("".join(parts + _legend(series) + ["</svg>"]))
