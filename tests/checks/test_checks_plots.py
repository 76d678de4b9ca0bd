"""``mastery_nb.checks.plots``: what a check reads from a learner's matplotlib Axes.

Real figures drawn with the Agg backend: the helpers must read the bars, lines, dots,
labels and legend that matplotlib actually made, and close only the figures a check
opened.
"""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest

from mastery_nb.checks.plots import (
    bar_heights,
    closing_figures,
    dot_positions,
    legend_texts,
    level_lines,
    line_heights,
    returned_axes,
    tick_labels,
)
from mastery_nb.checks.runner import CheckFailed


def test_closing_figures_closes_only_what_the_check_opened() -> None:
    learners = plt.figure()

    @closing_figures
    def check(ns: dict[str, int]) -> int:
        plt.subplots()
        plt.subplots()
        return ns["x"]

    try:
        assert check({"x": 3}) == 3
        assert plt.get_fignums() == [learners.number]
        with pytest.raises(KeyError):
            check({})  # the figures are closed when the check raises, too
        assert plt.get_fignums() == [learners.number]
    finally:
        plt.close("all")


def test_returned_axes_names_what_the_function_returned_instead() -> None:
    fig, ax = plt.subplots()
    try:
        assert returned_axes(ax, "draw") is ax
        with pytest.raises(CheckFailed, match=r"`draw` returned None: .*return ax"):
            returned_axes(None, "draw")
        with pytest.raises(CheckFailed, match=r"`draw` returned a Figure; return the Axes"):
            returned_axes(fig, "draw")
    finally:
        plt.close(fig)


def test_bars_lines_dots_boxes_and_legend_are_read_from_the_axes() -> None:
    fig, (bars, lines, dots, boxes) = plt.subplots(1, 4)
    try:
        bars.bar(["b", "a", "c"], [3, 1, 2])
        lines.plot([1, 2, 3], [5.0, 4.0, 6.5], label="high")
        lines.plot([1, 2, 3], [1, 2, 3], label="low")
        lines.plot([2], [9])  # a single point is no line
        lines.legend()
        dots.scatter([1, 2], [3, 4])
        dots.scatter([5], [6])
        boxes.boxplot([[1, 2, 3, 4, 10], [5, 6, 7]], tick_labels=["x", "y"])

        assert bar_heights(bars) == [3.0, 1.0, 2.0]
        assert tick_labels(bars) == ["b", "a", "c"]
        assert line_heights(lines) == [[5.0, 4.0, 6.5], [1.0, 2.0, 3.0]]
        assert legend_texts(lines) == ["high", "low"]
        assert legend_texts(bars) == []
        assert np.array_equal(dot_positions(dots), [[1, 3], [2, 4], [5, 6]])
        assert dot_positions(bars).shape == (0, 2)
        assert tick_labels(boxes) == ["x", "y"]
        assert {3.0, 6.0} <= set(level_lines(boxes))  # the medians
    finally:
        plt.close(fig)
