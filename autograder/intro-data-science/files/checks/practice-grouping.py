"""Checked practice of the correctives and challenges of unit grouping.

Used by ``resources/grouping/*.ipynb`` (``load_checks("practice-grouping")``).
Practice only: nothing here is graded, and worked solutions (whole functions, so the
content tests can run them) open after a few checks.
"""

import pandas as pd

from mastery_nb.checks import Checks, fail

checks = Checks(unit="practice-grouping")

AFTER_TWO = "after_attempts:2"

FRUIT = pd.DataFrame({
    "stall": ["kim", "lou", "kim", "lou", "kim", "max"],
    "fruit": ["fig", "fig", "kiwi", "fig", "kiwi", "kiwi"],
    "kg": [2.0, 5.0, 8.0, 1.0, 4.0, 3.0],
})


def _run(fn, name, frame, *args):
    copy = frame.copy()
    got = fn(copy, *args)
    if not copy.equals(frame):
        fail(f"`{name}(...)` changed its input; return a new result instead")
    if got is None:
        fail(f"`{name}(...)` returned None: replace `None` with your computation")
    return got


def _series(got, name, expected):
    if not isinstance(got, pd.Series) or dict(got) != expected:
        shown = dict(got) if isinstance(got, pd.Series) else got
        fail(f"`{name}(...)` returned {shown!r}, not {expected!r}")


@checks.question(
    "median-per",
    objective="group-aggregate",
    hints=["`df.groupby(group)[column].median()`"],
    solution="def median_per(df, group, column):\n    return df.groupby(group)[column].median()",
    show_solution=AFTER_TWO,
)
def median_per(ns):
    got = _run(ns["median_per"], "median_per", FRUIT, "stall", "kg")
    _series(got, "median_per", {"kim": 4.0, "lou": 3.0, "max": 3.0})


@checks.question(
    "range-per",
    objective="group-aggregate",
    hints=["`piles = df.groupby(group)[column]`", "`piles.max() - piles.min()`"],
    solution=(
        "def range_per(df, group, column):\n    piles = df.groupby(group)[column]\n"
        "    return piles.max() - piles.min()"
    ),
    show_solution=AFTER_TWO,
)
def range_per(ns):
    got = _run(ns["range_per"], "range_per", FRUIT, "stall", "kg")
    _series(got, "range_per", {"kim": 6.0, "lou": 4.0, "max": 0.0})


@checks.question(
    "share-of-total",
    objective="group-aggregate",
    hints=["`sums = df.groupby(group)[column].sum()`", "`(sums / sums.sum() * 100).round(1)`"],
    solution=(
        "def share_of_total(df, group, column):\n    sums = df.groupby(group)[column].sum()\n"
        "    return (sums / sums.sum() * 100).round(1)"
    ),
    show_solution=AFTER_TWO,
)
def share_of_total(ns):
    got = _run(ns["share_of_total"], "share_of_total", FRUIT, "fruit", "kg")
    _series(got, "share_of_total", {"fig": 34.8, "kiwi": 65.2})


@checks.question(
    "count-pairs",
    objective="group-several",
    hints=["`df.groupby([first, second]).size()`", "`.to_dict()` has (first, second) tuples as keys."],
    solution="def count_pairs(df, first, second):\n    return df.groupby([first, second]).size().to_dict()",
    show_solution=AFTER_TWO,
)
def count_pairs(ns):
    got = _run(ns["count_pairs"], "count_pairs", FRUIT, "stall", "fruit")
    expected = {("kim", "fig"): 1, ("kim", "kiwi"): 2, ("lou", "fig"): 2, ("max", "kiwi"): 1}
    if not isinstance(got, dict) or got != expected:
        fail(f"`count_pairs(...)` returned {got!r}, not {expected!r}")


@checks.question(
    "five-number",
    objective="group-several",
    hints=["`df.groupby(group)[column].agg([\"min\", \"median\", \"max\"])`"],
    solution=(
        "def five_number(df, group, column):\n"
        "    return df.groupby(group)[column].agg([\"min\", \"median\", \"max\"])"
    ),
    show_solution=AFTER_TWO,
)
def five_number(ns):
    got = _run(ns["five_number"], "five_number", FRUIT, "fruit", "kg")
    if not isinstance(got, pd.DataFrame) or list(got.columns) != ["min", "median", "max"]:
        fail("`five_number(...)` should return a DataFrame with the columns min, median, max")
    if got.loc["fig"].tolist() != [1.0, 2.0, 5.0] or got.loc["kiwi"].tolist() != [3.0, 4.0, 8.0]:
        fail(f"`five_number(...)` gave {got.to_dict('index')}")


@checks.question(
    "report-table",
    objective="group-several",
    hints=[
        "`df.groupby(group).agg(n=(column, \"count\"), mean=(column, \"mean\"), sd=(column, \"std\"))`",
        "`.round(2)` then `.sort_values(\"mean\", ascending=False)`",
    ],
    solution=(
        "def report_table(df, group, column):\n"
        "    table = df.groupby(group).agg(n=(column, \"count\"), mean=(column, \"mean\"), sd=(column, \"std\"))\n"
        "    return table.round(2).sort_values(\"mean\", ascending=False)"
    ),
    show_solution=AFTER_TWO,
)
def report_table(ns):
    got = _run(ns["report_table"], "report_table", FRUIT, "stall", "kg")
    if not isinstance(got, pd.DataFrame) or list(got.columns) != ["n", "mean", "sd"]:
        fail("`report_table(...)` should return a DataFrame with the columns n, mean, sd")
    if list(got.index) != ["kim", "lou", "max"]:
        fail(f"`report_table(...)` has the rows in the order {list(got.index)}; highest mean first")
    if got.loc["kim"].tolist() != [3, 4.67, 3.06] or got.loc["lou", "sd"] != 2.83:
        fail(f"`report_table(...)` gave {got.to_dict('index')}")


@checks.question(
    "median-gap",
    objective="compare-groups",
    hints=["`medians = df.groupby(group)[column].median()`", "`medians[a] - medians[b]`"],
    solution=(
        "def median_gap(df, group, column, a, b):\n    medians = df.groupby(group)[column].median()\n"
        "    return float(medians[a] - medians[b])"
    ),
    show_solution=AFTER_TWO,
)
def median_gap(ns):
    got = _run(ns["median_gap"], "median_gap", FRUIT, "stall", "kg", "kim", "lou")
    if got != 1.0:
        fail(f"`median_gap(FRUIT, 'stall', 'kg', 'kim', 'lou')` returned {got!r}, not 1.0")


@checks.question(
    "spread-per-group",
    objective="compare-groups",
    hints=["`df.groupby(group)[column].std().round(1)`"],
    solution="def spread_per_group(df, group, column):\n    return df.groupby(group)[column].std().round(1)",
    show_solution=AFTER_TWO,
)
def spread_per_group(ns):
    got = _run(ns["spread_per_group"], "spread_per_group", FRUIT, "fruit", "kg")
    _series(got, "spread_per_group", {"fig": 2.1, "kiwi": 2.6})


@checks.question(
    "gap-within",
    objective="compare-groups",
    hints=[
        "Loop over `df[within].unique()` and keep the rows of each value.",
        "Inside, `means = part.groupby(group)[column].mean()` and `round(float(means[a] - means[b]), 1)`.",
    ],
    solution=(
        "def gap_within(df, group, column, within, a, b):\n    gaps = {}\n"
        "    for value in df[within].unique():\n        part = df[df[within] == value]\n"
        "        means = part.groupby(group)[column].mean()\n"
        "        gaps[value] = round(float(means[a] - means[b]), 1)\n    return gaps"
    ),
    show_solution=AFTER_TWO,
)
def gap_within(ns):
    frame = pd.DataFrame({
        "ward": ["w1", "w1", "w1", "w2", "w2", "w2"],
        "team": ["p", "q", "q", "p", "p", "q"],
        "score": [8.0, 6.0, 7.0, 2.0, 3.0, 1.0],
    })
    got = _run(ns["gap_within"], "gap_within", frame, "team", "score", "ward", "p", "q")
    if got != {"w1": 1.5, "w2": 1.5}:
        fail(f"`gap_within(...)` returned {got!r}, not {{'w1': 1.5, 'w2': 1.5}}")
