"""Checked practice of the correctives and challenges of unit joining-reshaping.

Used by ``resources/joining-reshaping/*.ipynb`` (``load_checks("practice-joining-reshaping")``).
Practice only: nothing here is graded, and worked solutions (whole functions, so the
content tests can run them) open after a few checks.
"""

import pandas as pd

from mastery_nb.checks import Checks, fail

checks = Checks(unit="practice-joining-reshaping")

AFTER_TWO = "after_attempts:2"


def _run(fn, name, *args):
    got = fn(*[a.copy() if isinstance(a, pd.DataFrame) else a for a in args])
    if got is None:
        fail(f"`{name}(...)` returned None: replace `None` with your computation")
    return got


def _frame(got, name):
    if not isinstance(got, pd.DataFrame):
        fail(f"`{name}(...)` returned a {type(got).__name__}; it should return a DataFrame")


@checks.question(
    "with-prices",
    objective="merge-tables",
    hints=["`orders.merge(prices, on=\"item\", how=\"left\")`"],
    solution="def with_prices(orders, prices):\n    return orders.merge(prices, on=\"item\", how=\"left\")",
    show_solution=AFTER_TWO,
)
def with_prices(ns):
    orders = pd.DataFrame({"item": ["pen", "ink", "pad"], "qty": [2, 1, 5]})
    prices = pd.DataFrame({"item": ["pad", "pen"], "price": [1.5, 0.8]})
    got = _run(ns["with_prices"], "with_prices", orders, prices)
    _frame(got, "with_prices")
    if got["item"].tolist() != ["pen", "ink", "pad"]:
        fail(f"`with_prices(...)` has the items {got['item'].tolist()}: keep every order, in order")
    price = got["price"].tolist()
    if price[0] != 0.8 or price[2] != 1.5 or not pd.isna(price[1]):
        fail(f"`with_prices(...)` gave the prices {price}")


@checks.question(
    "inner-rows",
    objective="merge-tables",
    hints=["`len(left.merge(right, on=key))`"],
    solution="def inner_rows(left, right, key):\n    return len(left.merge(right, on=key))",
    show_solution=AFTER_TWO,
)
def inner_rows(ns):
    left = pd.DataFrame({"k": ["a", "b", "c"]})
    right = pd.DataFrame({"k": ["a", "a", "c", "d"]})
    got = _run(ns["inner_rows"], "inner_rows", left, right, "k")
    if got != 3:
        fail(f"`inner_rows(...)` returned {got!r}; 'a' matches twice and 'b' not at all")


@checks.question(
    "join-two-keys",
    objective="merge-tables",
    hints=[
        "`left.merge(right, on=[\"country\", \"year\"], how=\"left\")`",
        "With `indicator=True`, keep the rows whose `_merge` is `\"left_only\"` and zip their two key columns.",
    ],
    solution=(
        "def join_two_keys(left, right):\n"
        "    return left.merge(right, on=[\"country\", \"year\"], how=\"left\")\n\n\n"
        "def lost_pairs(left, right):\n"
        "    merged = left.merge(right, on=[\"country\", \"year\"], how=\"left\", indicator=True)\n"
        "    lost = merged[merged[\"_merge\"] == \"left_only\"]\n"
        "    return sorted(zip(lost[\"country\"], lost[\"year\"]))"
    ),
    show_solution=AFTER_TWO,
)
def join_two_keys(ns):
    left = pd.DataFrame({"country": ["Togo", "Togo", "Iran"], "year": [1990, 2000, 1990], "a": [1, 2, 3]})
    right = pd.DataFrame({"country": ["Togo", "Iran"], "year": [2000, 1990], "b": [9, 8]})
    got = _run(ns["join_two_keys"], "join_two_keys", left, right)
    _frame(got, "join_two_keys")
    if len(got) != 3 or got["a"].tolist() != [1, 2, 3]:
        fail(f"`join_two_keys(...)` has {len(got)} rows; keep every row of `left`, in order")
    b = got["b"].tolist()
    if not (pd.isna(b[0]) and b[1] == 9 and b[2] == 8):
        fail(f"`join_two_keys(...)` gave b = {b}: match on country *and* year")
    lost = _run(ns["lost_pairs"], "lost_pairs", left, right)
    if [tuple(p) for p in lost] != [("Togo", 1990)]:
        fail(f"`lost_pairs(...)` returned {lost!r}, not [('Togo', 1990)]")


@checks.question(
    "best-sellers",
    objective="concatenate",
    hints=["`pd.concat(tables)` stacks them.", "then `.sort_values(\"cups\", ascending=False, ignore_index=True)`"],
    solution=(
        "import pandas as pd\n\n\ndef best_sellers(tables):\n"
        "    return pd.concat(tables).sort_values(\"cups\", ascending=False, ignore_index=True)"
    ),
    show_solution=AFTER_TWO,
)
def best_sellers(ns):
    parts = [pd.DataFrame({"drink": ["tea", "cola"], "cups": [4, 9]}, index=[3, 4]), pd.DataFrame({"drink": ["soda"], "cups": [6]}, index=[3])]
    got = _run(ns["best_sellers"], "best_sellers", parts)
    _frame(got, "best_sellers")
    if got["drink"].tolist() != ["cola", "soda", "tea"] or got.index.tolist() != [0, 1, 2]:
        fail(f"`best_sellers(...)` gave {got['drink'].tolist()} with the index {got.index.tolist()}")


@checks.question(
    "add-row",
    objective="concatenate",
    hints=["`pd.concat([table, pd.DataFrame([row])], ignore_index=True)`"],
    solution=(
        "import pandas as pd\n\n\ndef add_row(table, row):\n"
        "    return pd.concat([table, pd.DataFrame([row])], ignore_index=True)"
    ),
    show_solution=AFTER_TWO,
)
def add_row(ns):
    table = pd.DataFrame({"drink": ["tea"], "cups": [3]}, index=[7])
    got = _run(ns["add_row"], "add_row", table, {"drink": "soda", "cups": 1})
    _frame(got, "add_row")
    if got["drink"].tolist() != ["tea", "soda"] or got["cups"].tolist() != [3, 1]:
        fail(f"`add_row(...)` gave {got.to_dict('list')}")
    if got.index.tolist() != [0, 1]:
        fail(f"`add_row(...)` has the index {got.index.tolist()}; number the rows afresh")


@checks.question(
    "stack-common",
    objective="concatenate",
    hints=[
        "`pd.concat(tables, join=\"inner\", ignore_index=True)`",
        "`result[sorted(result.columns)]` puts the columns in alphabetical order.",
    ],
    solution=(
        "import pandas as pd\n\n\ndef stack_common(tables):\n"
        "    result = pd.concat(tables, join=\"inner\", ignore_index=True)\n"
        "    return result[sorted(result.columns)]"
    ),
    show_solution=AFTER_TWO,
)
def stack_common(ns):
    parts = [
        pd.DataFrame({"z": [1], "a": [2], "x": [0]}),
        pd.DataFrame({"a": [3], "z": [4], "y": [0]}),
    ]
    got = _run(ns["stack_common"], "stack_common", parts)
    _frame(got, "stack_common")
    if list(got.columns) != ["a", "z"]:
        fail(f"`stack_common(...)` has the columns {list(got.columns)}, not ['a', 'z']")
    if got["a"].tolist() != [2, 3] or got.index.tolist() != [0, 1]:
        fail(f"`stack_common(...)` gave {got.to_dict('list')}")


MARKS_WIDE = pd.DataFrame({"student": ["max", "noa"], "quiz": [7, 9], "exam": [55, 71]})


@checks.question(
    "long-marks",
    objective="reshape-tables",
    hints=["`wide.melt(id_vars=\"student\", var_name=\"test\", value_name=\"mark\")`"],
    solution=(
        "def long_marks(wide):\n"
        "    return wide.melt(id_vars=\"student\", var_name=\"test\", value_name=\"mark\")"
    ),
    show_solution=AFTER_TWO,
)
def long_marks(ns):
    got = _run(ns["long_marks"], "long_marks", MARKS_WIDE)
    _frame(got, "long_marks")
    if sorted(got.columns) != ["mark", "student", "test"]:
        fail(f"`long_marks(...)` has the columns {list(got.columns)}")
    rows = sorted(zip(got["student"], got["test"], got["mark"]))
    if rows != [("max", "exam", 55), ("max", "quiz", 7), ("noa", "exam", 71), ("noa", "quiz", 9)]:
        fail(f"`long_marks(...)` gave the rows {rows}")


@checks.question(
    "wide-marks",
    objective="reshape-tables",
    hints=["`long.pivot(index=\"student\", columns=\"test\", values=\"mark\")`"],
    solution=(
        "def wide_marks(long):\n"
        "    return long.pivot(index=\"student\", columns=\"test\", values=\"mark\")"
    ),
    show_solution=AFTER_TWO,
)
def wide_marks(ns):
    long = pd.DataFrame({"student": ["max", "max", "noa"], "test": ["quiz", "exam", "quiz"], "mark": [7, 55, 9]})
    got = _run(ns["wide_marks"], "wide_marks", long)
    _frame(got, "wide_marks")
    if sorted(got.columns) != ["exam", "quiz"] or sorted(got.index) != ["max", "noa"]:
        fail(f"`wide_marks(...)` has rows {list(got.index)} and columns {list(got.columns)}")
    if got.loc["max", "exam"] != 55 or got.loc["noa", "quiz"] != 9 or not pd.isna(got.loc["noa", "exam"]):
        fail("`wide_marks(...)` put the marks in the wrong cells")


@checks.question(
    "change-since-first",
    objective="reshape-tables",
    hints=[
        "`wide = long.pivot(index=row_key, columns=column_key, values=value_column).sort_index()`",
        "`wide - wide.iloc[0]` subtracts the first row from every row.",
    ],
    solution=(
        "def change_since_first(long, row_key, column_key, value_column):\n"
        "    wide = long.pivot(index=row_key, columns=column_key, values=value_column).sort_index()\n"
        "    return wide - wide.iloc[0]"
    ),
    show_solution=AFTER_TWO,
)
def change_since_first(ns):
    long = pd.DataFrame({
        "yr": [2002, 2001, 2002, 2001, 2003, 2003],
        "src": ["sun", "sun", "coal", "coal", "sun", "coal"],
        "gwh": [5, 2, 40, 50, 9, 35],
    })
    got = _run(ns["change_since_first"], "change_since_first", long, "yr", "src", "gwh")
    _frame(got, "change_since_first")
    if got.index.tolist() != [2001, 2002, 2003]:
        fail(f"`change_since_first(...)` has the rows {got.index.tolist()}; sort by the index")
    if got["sun"].tolist() != [0, 3, 7] or got["coal"].tolist() != [0, -10, -15]:
        fail(f"`change_since_first(...)` gave {got.to_dict('list')}")
