"""Reading what a learner's plot shows, for practice checks of plotting exercises.

A plotting exercise asks for a function that draws on a matplotlib Axes and returns it;
its check calls that function on a table and reads the Axes' artists (bars, lines, dots,
tick labels, legend), never pixels, so colours and sizes stay the learner's choice::

    from mastery_nb.checks.plots import bar_heights, closing_figures, returned_axes

    @checks.question("bar-of-counts", objective="bar-line-charts")
    @closing_figures
    def bar_of_counts(ns):
        ax = returned_axes(ns["bar_of_counts"](table, "island"), "bar_of_counts")
        if bar_heights(ax) != [168.0, 124.0, 52.0]:
            fail("...")

Needs matplotlib (the ``sample`` extra); imported only by checks files that use it.
Graded hidden tests read the Axes with matplotlib's own API instead: this module lives
in the learner's kernel, where their code could replace its functions.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes

from mastery_nb.checks.runner import fail

__all__ = [
    "bar_heights",
    "closing_figures",
    "dot_positions",
    "legend_texts",
    "level_lines",
    "line_heights",
    "returned_axes",
    "tick_labels",
]

_Check = TypeVar("_Check", bound=Callable[..., Any])


def closing_figures(check: _Check) -> _Check:
    """Close the figures ``check`` opened, so checking never piles plots into the notebook.

    Figures that were open before (the learner's own) stay open.
    """

    @functools.wraps(check)
    def run(*args: Any, **kwargs: Any) -> Any:
        before = set(plt.get_fignums())
        try:
            return check(*args, **kwargs)
        finally:
            for number in set(plt.get_fignums()) - before:
                plt.close(number)

    return run  # type: ignore[return-value]


def returned_axes(value: object, name: str) -> Axes:
    """``value`` if the learner's function ``name`` returned an Axes; otherwise fail saying so."""
    if value is None:
        fail(f"`{name}` returned None: draw on an Axes and end the function with `return ax`")
    if not isinstance(value, Axes):
        fail(f"`{name}` returned a {type(value).__name__}; return the Axes you drew on (`ax`)")
    assert isinstance(value, Axes)
    return value


def bar_heights(ax: Axes) -> list[float]:
    """The heights of the bars (and histogram bars), in drawing order."""
    return [float(p.get_height()) for p in ax.patches if hasattr(p, "get_height")]


def tick_labels(ax: Axes) -> list[str]:
    """The texts under the x axis (category names of bars and boxes)."""
    return [t.get_text() for t in ax.get_xticklabels()]


def line_heights(ax: Axes) -> list[list[float]]:
    """The y values of every line of two points or more, one list per line."""
    heights = [np.asarray(line.get_ydata(), float) for line in ax.lines]
    return [[float(v) for v in ys] for ys in heights if len(ys) > 1]


def level_lines(ax: Axes) -> list[float]:
    """The heights of horizontal two-point lines: a box plot's medians and whisker caps."""
    levels = []
    for line in ax.lines:
        ys = np.asarray(line.get_ydata(), float)
        if len(ys) == 2 and ys[0] == ys[1]:
            levels.append(float(ys[0]))
    return levels


def dot_positions(ax: Axes) -> np.ndarray[Any, np.dtype[np.float64]]:
    """Every scatter dot as an (x, y) row, all scatter calls stacked in drawing order."""
    found = [np.asarray(c.get_offsets(), float) for c in ax.collections]
    found = [dots for dots in found if len(dots)]
    return np.vstack(found) if found else np.empty((0, 2))


def legend_texts(ax: Axes) -> list[str]:
    """The legend's entries, or ``[]`` when the Axes has no legend."""
    legend = ax.get_legend()
    return [t.get_text() for t in legend.get_texts()] if legend else []
