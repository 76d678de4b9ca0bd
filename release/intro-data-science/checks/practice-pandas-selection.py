"""Checked practice of the correctives and challenges of unit pandas-selection.

Used by ``resources/pandas-selection/*.ipynb`` (``load_checks("practice-pandas-selection")``).
Practice only: nothing here is graded, and worked solutions (whole functions, so the
content tests can run them) open after a few checks.
"""

import pandas as pd

from mastery_nb.checks import Checks, fail

checks = Checks(unit="practice-pandas-selection")

AFTER_TWO = "after_attempts:2"

SHOP = pd.DataFrame(
    {"item": ["tea", "jam", "oats", "figs", "salt"], "price": [3.5, 2.0, 2.0, 6.25, 0.8]},
    index=[101, 102, 103, 104, 105],
)


def _result(fn, name, frame, *args):
    copy = frame.copy()
    got = fn(copy, *args)
    call = f"{name}(df, {', '.join(repr(a) for a in args)})"
    if not copy.equals(frame):
        fail(f"`{call}` changed its input; return a new table instead")
    if got is None:
        fail(f"`{call}` returned None: replace `None` with your computation")
    return got, call


def _expect_rows(got, call, labels, columns=None):
    if not isinstance(got, pd.DataFrame):
        fail(f"`{call}` returned a {type(got).__name__}; it should return a DataFrame")
    if got.index.tolist() != labels:
        fail(f"`{call}` returned the rows {got.index.tolist()}, not {labels}")
    if columns is not None and list(got.columns) != columns:
        fail(f"`{call}` returned the columns {list(got.columns)}, not {columns}")


@checks.question(
    "describe-size",
    objective="load-inspect",
    hints=["`rows, cols = df.shape`", "`f\"{rows} rows, {cols} columns\"`"],
    solution=(
        "def describe_size(df):\n    rows, cols = df.shape\n"
        "    return f\"{rows} rows, {cols} columns\""
    ),
    show_solution=AFTER_TWO,
)
def describe_size(ns):
    got, call = _result(ns["describe_size"], "describe_size", SHOP)
    if got != "5 rows, 2 columns":
        fail(f"`{call}` returned {got!r}, not '5 rows, 2 columns'")


@checks.question(
    "text-columns",
    objective="load-inspect",
    hints=["`df.select_dtypes(exclude=\"number\")`", "`list(....columns)`"],
    solution=(
        "def text_columns(df):\n    return list(df.select_dtypes(exclude=\"number\").columns)"
    ),
    show_solution=AFTER_TWO,
)
def text_columns(ns):
    frame = pd.DataFrame({"a": [1], "b": ["x"], "c": [0.5], "d": ["y"]})
    got, call = _result(ns["text_columns"], "text_columns", frame)
    if list(got) != ["b", "d"]:
        fail(f"`{call}` returned {list(got)}, not ['b', 'd']")


@checks.question(
    "first-report",
    objective="load-inspect",
    hints=[
        "`rows, cols = df.shape`; `list(df.select_dtypes(\"number\").columns)`.",
        "`int(df.isna().sum().sum())` counts every missing cell.",
    ],
    solution=(
        "def first_report(df):\n    rows, cols = df.shape\n    return {\n"
        "        \"rows\": rows,\n        \"columns\": cols,\n"
        "        \"numeric\": list(df.select_dtypes(\"number\").columns),\n"
        "        \"missing\": int(df.isna().sum().sum()),\n    }"
    ),
    show_solution=AFTER_TWO,
)
def first_report(ns):
    frame = pd.DataFrame({"k": ["a", None, "c"], "v": [1.0, None, None], "w": [4, 5, 6]})
    got, call = _result(ns["first_report"], "first_report", frame)
    expected = {"rows": 3, "columns": 3, "numeric": ["v", "w"], "missing": 3}
    if not isinstance(got, dict):
        fail(f"`{call}` returned a {type(got).__name__}; return a dictionary")
    for key, value in expected.items():
        if key not in got:
            fail(f"`{call}` has no key {key!r}")
        if (list(got[key]) if key == "numeric" else got[key]) != value:
            fail(f"`{call}`[{key!r}] is {got[key]!r}, not {value!r}")


@checks.question(
    "pick",
    objective="select-loc-iloc",
    hints=["`df.loc[labels, columns]` with two lists."],
    solution="def pick(df, labels, columns):\n    return df.loc[labels, columns]",
    show_solution=AFTER_TWO,
)
def pick(ns):
    got, call = _result(ns["pick"], "pick", SHOP, [104, 101], ["price"])
    _expect_rows(got, call, [104, 101], ["price"])


@checks.question(
    "middle-row",
    objective="select-loc-iloc",
    hints=["By place: `df.iloc[len(df) // 2]`."],
    solution="def middle_row(df):\n    return df.iloc[len(df) // 2]",
    show_solution=AFTER_TWO,
)
def middle_row(ns):
    got, call = _result(ns["middle_row"], "middle_row", SHOP)
    if not isinstance(got, pd.Series):
        fail(f"`{call}` returned a {type(got).__name__}; one row is a Series")
    if got.name != 103:
        fail(f"`{call}` returned the row labelled {got.name!r}; place 2 is labelled 103")


@checks.question(
    "between-dates",
    objective="select-loc-iloc",
    hints=[
        "`series.loc[start:end]` slices a date index, both ends included.",
        "`series.groupby(series.index.year).first()` gives the first value of each year; `.tolist()`.",
    ],
    solution=(
        "def between_dates(series, start, end):\n    return series.loc[start:end]\n\n\n"
        "def yearly_first(series):\n"
        "    return series.groupby(series.index.year).first().tolist()"
    ),
    show_solution=AFTER_TWO,
)
def between_dates(ns):
    days = pd.to_datetime(["2019-12-30", "2020-01-02", "2020-02-10", "2021-03-01", "2021-07-04"])
    series = pd.Series([5, 7, 6, 9, 8], index=days)
    got = ns["between_dates"](series.copy(), "2020-01-02", "2021-03-01")
    if got is None:
        fail("`between_dates(...)` returned None: replace `None` with your computation")
    if list(got) != [7, 6, 9]:
        fail(f"`between_dates(series, '2020-01-02', '2021-03-01')` returned {list(got)}, not [7, 6, 9]")
    got = ns["yearly_first"](series.copy())
    if got is None or list(got) != [5, 7, 9]:
        fail(f"`yearly_first(series)` returned {got!r}, not [5, 7, 9]")


@checks.question(
    "cheaper-than",
    objective="filter-sort",
    hints=["`df[df[\"price\"] <= price]`"],
    solution="def cheaper_than(df, price):\n    return df[df[\"price\"] <= price]",
    show_solution=AFTER_TWO,
)
def cheaper_than(ns):
    got, call = _result(ns["cheaper_than"], "cheaper_than", SHOP, 2.0)
    _expect_rows(got, call, [102, 103, 105], ["item", "price"])


@checks.question(
    "price-list",
    objective="filter-sort",
    hints=["`df.sort_values([\"price\", \"item\"])` sorts by price, then item."],
    solution="def price_list(df):\n    return df.sort_values([\"price\", \"item\"])",
    show_solution=AFTER_TWO,
)
def price_list(ns):
    got, call = _result(ns["price_list"], "price_list", SHOP)
    _expect_rows(got, call, [105, 102, 103, 101, 104])


@checks.question(
    "top-per-group",
    objective="filter-sort",
    hints=[
        "`ordered = df.sort_values([group, column], ascending=[True, False])`",
        "`ordered.groupby(group).head(n)`",
    ],
    solution=(
        "def top_per_group(df, group, column, n):\n"
        "    ordered = df.sort_values([group, column], ascending=[True, False])\n"
        "    return ordered.groupby(group).head(n)"
    ),
    show_solution=AFTER_TWO,
)
def top_per_group(ns):
    frame = pd.DataFrame(
        {"team": ["b", "a", "b", "a", "a", "b"], "points": [4, 9, 7, 2, 5, 1]},
        index=list("uvwxyz"),
    )
    got, call = _result(ns["top_per_group"], "top_per_group", frame, "team", "points", 2)
    _expect_rows(got, call, ["v", "y", "w", "u"])
