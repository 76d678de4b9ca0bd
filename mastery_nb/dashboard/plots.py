"""Drawings for the dashboard: inline SVG made on the server (no script, no library).

Each function returns an ``<svg>`` element sized by CSS (``width: 100%``), with a
``<title>`` per mark (the number behind it, shown on hover and read by screen readers)
and ``role="img"`` with a label saying what it shows. Colours are CSS classes, so the
page's stylesheet (light or dark) decides them; every text is escaped.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from mastery_nb.documents import Bin

__all__ = ["histogram", "score_bar", "share_bar", "stacked_bar"]


def _label(text: str) -> str:
    return escape(text, quote=True)


def histogram(bins: Sequence[Bin], *, label: str, unit: str, width: int = 320) -> str:
    """Vertical bars, one per bin, with counts above and bin labels below."""
    height, top, bottom = 120, 16, 20
    total = sum(b.count for b in bins)
    if not bins:
        return ""
    peak = max((b.count for b in bins), default=0) or 1
    step = width / len(bins)
    bar = step * 0.72
    marks = []
    for index, item in enumerate(bins):
        x = index * step + (step - bar) / 2
        h = (height - top - bottom) * item.count / peak
        y = height - bottom - h
        share = f" ({item.count * 100 / total:.0f}%)" if total else ""
        marks.append(
            f"<g><title>{_label(f'{item.label} {unit}: {item.count} learners{share}')}</title>"
            f'<rect class="bar" x="{x:.1f}" y="{y:.1f}" width="{bar:.1f}" height="{max(h, 0.5):.1f}"/>'
            f'<text class="count" x="{x + bar / 2:.1f}" y="{y - 3:.1f}">{item.count}</text>'
            f'<text class="tick" x="{x + bar / 2:.1f}" y="{height - 5}">{escape(item.label)}</text></g>'
        )
    return (
        f'<svg class="plot histogram" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{_label(label)}">'
        f'<line class="axis" x1="0" y1="{height - bottom}" x2="{width}" y2="{height - bottom}"/>'
        + "".join(marks)
        + "</svg>"
    )


def stacked_bar(parts: Sequence[tuple[str, str, int]], *, label: str, width: int = 480) -> str:
    """One horizontal bar split into ``(css class, name, count)`` parts."""
    total = sum(n for _, _, n in parts)
    height = 22
    x = 0.0
    marks = []
    for css, name, count in parts:
        if not count:
            continue
        w = width * count / total
        marks.append(
            f"<g><title>{_label(f'{name}: {count} of {total}')}</title>"
            f'<rect class="{css}" x="{x:.1f}" y="0" width="{w:.1f}" height="{height}"/>'
            + (
                f'<text class="inbar {css}" x="{x + w / 2:.1f}" y="15">{count}</text>'
                if w > 22
                else ""
            )
            + "</g>"
        )
        x += w
    if not marks:
        marks.append(f'<rect class="empty" x="0" y="0" width="{width}" height="{height}"/>')
    return (
        f'<svg class="plot stacked" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{_label(label)}">' + "".join(marks) + "</svg>"
    )


def share_bar(part: int, whole: int, *, css: str = "fail", label: str, width: int = 120) -> str:
    """A small bar: ``part`` of ``whole`` filled."""
    height = 10
    filled = width * part / whole if whole else 0.0
    share = f"{part * 100 / whole:.0f}%" if whole else "no data"
    return (
        f'<svg class="plot share" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{_label(f"{label}: {part} of {whole} ({share})")}">'
        f'<rect class="track" x="0" y="0" width="{width}" height="{height}" rx="3"/>'
        f'<rect class="{css}" x="0" y="0" width="{filled:.1f}" height="{height}" rx="3"/>'
        "</svg>"
    )


def score_bar(
    score: float, threshold: float, *, mastered: bool, label: str, width: int = 90
) -> str:
    """A score from 0 to 1 with a tick at the threshold it must reach."""
    height = 10
    filled = width * max(0.0, min(1.0, score))
    tick = width * max(0.0, min(1.0, threshold))
    return (
        f'<svg class="plot share score" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{_label(f"{label}: {score:.0%}, needs {threshold:.0%}")}">'
        f'<rect class="track" x="0" y="1" width="{width}" height="{height - 2}" rx="3"/>'
        f'<rect class="{"pass" if mastered else "fail"}" x="0" y="1" width="{filled:.1f}" '
        f'height="{height - 2}" rx="3"/>'
        f'<rect class="tick" x="{max(0.0, tick - 1):.1f}" y="0" width="2" height="{height}"/>'
        "</svg>"
    )
