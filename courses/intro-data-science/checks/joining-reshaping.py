"""Practice checks and quizzes for unit joining-reshaping (Joining and reshaping tables).

Each check calls the learner's function on small tables written out here (not the
Gapminder or Iowa data of the notebook), compares with expected results and names what
is wrong. The graded tests use yet other tables. Worked solutions open once the unit is
mastered. Public: shipped as-is to students and the grader.
"""

import pandas as pd

from mastery_nb.checks import Checks, fail

checks = Checks(unit="joining-reshaping")

MASTERED = "after_mastery"


def _call(fn, *args):
    """Call ``fn`` on copies of the DataFrame arguments; fail when it changed them."""
    tables = [a if isinstance(a, list) else [a] for a in args]
    copies = [[t.copy() if isinstance(t, pd.DataFrame) else t for t in group] for group in tables]
    got = fn(*[c if isinstance(a, list) else c[0] for a, c in zip(args, copies, strict=True)])
    call = f"{getattr(fn, '__name__', 'function')}(...)"
    for before, after in zip(tables, copies, strict=True):
        for b, a in zip(before, after, strict=True):
            if isinstance(b, pd.DataFrame) and not b.equals(a):
                fail(f"`{call}` changed a table it was given; build a new one instead")
    if got is None:
        fail(f"`{call}` returned None: `return` the result")
    return got, call


def _frame(got, call):
    if not isinstance(got, pd.DataFrame):
        fail(f"`{call}` returned a {type(got).__name__}; it should return a DataFrame")


# -- merge-tables ---------------------------------------------------------------------

SALES = pd.DataFrame({"country": ["Mali", "Iraq", "Cuba"], "units": [3, 5, 2]})
REGIONS = pd.DataFrame({"country": ["Cuba", "Mali", "Oman"], "continent": ["Americas", "Africa", "Asia"]})


@checks.question(
    "add-continent",
    objective="merge-tables",
    hints=[
        "`values.merge(countries, on=\"country\")` keeps only the countries found in both.",
        "`how=\"left\"` keeps every row of `values`.",
    ],
    solution="def add_continent(values, countries):\n    return values.merge(countries, on=\"country\", how=\"left\")",
    show_solution=MASTERED,
)
def add_continent(ns):
    got, call = _call(ns["add_continent"], SALES, REGIONS)
    _frame(got, call)
    if len(got) == 2:
        fail(f"`{call}` lost the country without a continent: an inner merge drops it; keep every row with `how=\"left\"`")
    if len(got) == 4:
        fail(f"`{call}` added a row for a country that has no value; keep the rows of `values` only")
    if got["country"].tolist() != ["Mali", "Iraq", "Cuba"] or got["units"].tolist() != [3, 5, 2]:
        fail(f"`{call}` changed the rows of `values` or their order")
    continent = got["continent"].tolist()
    if continent[0] != "Africa" or continent[2] != "Americas" or not pd.isna(continent[1]):
        fail(f"`{call}` gave the continents {continent}")


@checks.question(
    "unmatched",
    objective="merge-tables",
    hints=[
        "`left[key].isin(right[key])` is True where a key has a partner; `~` flips it.",
        "Take the different values (`.unique()`) of the rows without a partner and `sorted(...)` them.",
    ],
    solution=(
        "def unmatched(left, right, key):\n    lost = left[~left[key].isin(right[key])]\n"
        "    return sorted(lost[key].unique())"
    ),
    show_solution=MASTERED,
)
def unmatched(ns):
    got, call = _call(ns["unmatched"], SALES, REGIONS, "country")
    if isinstance(got, (pd.DataFrame, pd.Series)):
        fail(f"`{call}` returned a {type(got).__name__}; return a sorted list of key values")
    if list(got) == ["Oman"]:
        fail(f"`{call}` returned the right table's keys without a partner; the left table's are wanted")
    if list(got) == ["Cuba", "Mali"]:
        fail(f"`{call}` returned the keys that *have* a partner")
    if list(got) != ["Iraq"]:
        fail(f"`{call}` returned {list(got)}, not ['Iraq']")


@checks.question(
    "join-report",
    objective="merge-tables",
    hints=[
        "`merged = left.merge(right, on=key, how=\"outer\", indicator=True)`",
        "`counts = merged[\"_merge\"].value_counts()`; then one entry per kind, `int(counts.get(kind, 0))`.",
    ],
    solution=(
        "def join_report(left, right, key):\n"
        "    merged = left.merge(right, on=key, how=\"outer\", indicator=True)\n"
        "    counts = merged[\"_merge\"].value_counts()\n"
        "    return {kind: int(counts.get(kind, 0)) for kind in [\"both\", \"left_only\", \"right_only\"]}"
    ),
    show_solution=MASTERED,
)
def join_report(ns):
    got, call = _call(ns["join_report"], SALES, REGIONS, "country")
    if not isinstance(got, dict):
        fail(f"`{call}` returned a {type(got).__name__}; return a dictionary")
    expected = {"both": 2, "left_only": 1, "right_only": 1}
    if {kind: got.get(kind, 0) for kind in expected} != expected:
        fail(f"`{call}` returned {got}, not {expected}")
    twice = pd.DataFrame({"country": ["Cuba", "Cuba"], "store": ["a", "b"]})
    got, call = _call(ns["join_report"], SALES, twice, "country")
    expected = {"both": 2, "left_only": 2, "right_only": 0}
    if {kind: got.get(kind, 0) for kind in expected} != expected:
        fail(f"`{call}` with Cuba twice on the right returned {got}: count the rows of the merge, not the keys")


checks.numeric(
    "left-join-rows",
    objective="merge-tables",
    prompt="142 countries (one row each) merged with how='left' with a table listing 120 of them once: how many rows?",
    answer=142,
    tolerance=0,
    hints=["A left merge keeps every row of the left table; each has at most one partner."],
)

checks.numeric(
    "duplicate-key",
    objective="merge-tables",
    prompt="Norway is once in the left table and twice in the right one. How many Norway rows after the merge?",
    answer=2,
    tolerance=0,
    hints=["Every left row is paired with every matching right row."],
)

# -- concatenate ----------------------------------------------------------------------


@checks.question(
    "stack",
    objective="concatenate",
    hints=["`pd.concat(tables)` stacks a list of tables.", "`ignore_index=True` numbers the rows afresh."],
    solution="def stack(tables):\n    return pd.concat(tables, ignore_index=True)",
    show_solution=MASTERED,
)
def stack(ns):
    parts = [pd.DataFrame({"n": [1, 2]}), pd.DataFrame({"n": [3, 4]})]
    got, call = _call(ns["stack"], parts)
    _frame(got, call)
    if got.shape == (2, 2):
        fail(f"`{call}` put the tables side by side; stack them on top of each other (rows)")
    if got["n"].tolist() != [1, 2, 3, 4]:
        fail(f"`{call}` gave the values {got['n'].tolist()}, not [1, 2, 3, 4]")
    if got.index.tolist() != [0, 1, 2, 3]:
        fail(f"`{call}` kept the old labels {got.index.tolist()}; number the rows afresh")


@checks.question(
    "stack-labelled",
    objective="concatenate",
    hints=[
        "`table.assign(**{column: label})` returns a copy with a new column named by the variable `column`.",
        "Do it for each pair of `zip(tables, labels)`, then `pd.concat(..., ignore_index=True)`.",
    ],
    solution=(
        "def stack_labelled(tables, labels, column):\n"
        "    labelled = [table.assign(**{column: label}) for table, label in zip(tables, labels)]\n"
        "    return pd.concat(labelled, ignore_index=True)"
    ),
    show_solution=MASTERED,
)
def stack_labelled(ns):
    parts = [pd.DataFrame({"t": [4.0]}), pd.DataFrame({"t": [6.5, 7.0]})]
    got, call = _call(ns["stack_labelled"], parts, ["may", "june"], "when")
    _frame(got, call)
    if "when" not in got.columns:
        fail(f"`{call}` has no column named 'when'; name the new column by the parameter `column`")
    if got["when"].tolist() != ["may", "june", "june"] or got["t"].tolist() != [4.0, 6.5, 7.0]:
        fail(f"`{call}` gave the labels {got['when'].tolist()}; each row should carry its table's label")
    if got.index.tolist() != [0, 1, 2]:
        fail(f"`{call}` kept the old labels; number the rows afresh")


@checks.question(
    "stack-checked",
    objective="concatenate",
    hints=[
        "Compare `set(table.columns)` of each table with the first table's.",
        "`raise ValueError(\"...\")` when they differ; otherwise `pd.concat(tables, ignore_index=True)`.",
    ],
    solution=(
        "def stack_checked(tables):\n    expected = set(tables[0].columns)\n"
        "    for table in tables[1:]:\n        if set(table.columns) != expected:\n"
        "            raise ValueError(f\"columns differ: {sorted(table.columns)} vs {sorted(expected)}\")\n"
        "    return pd.concat(tables, ignore_index=True)"
    ),
    show_solution=MASTERED,
)
def stack_checked(ns):
    fn = ns["stack_checked"]
    one = pd.DataFrame({"x": [1], "y": [2]})
    got, call = _call(fn, [one, pd.DataFrame({"y": [4], "x": [3]})])
    _frame(got, call)
    if got["x"].tolist() != [1, 3] or got.index.tolist() != [0, 1]:
        fail(f"`{call}` on two tables with the same columns in another order gave {got.to_dict('list')}")
    try:
        fn([one, pd.DataFrame({"x": [5], "z": [6]})])
    except ValueError:
        return
    fail("`stack_checked` stacked tables with different columns; raise a ValueError instead")


checks.single_choice(
    "concat-index",
    objective="concatenate",
    prompt="`a` has the index 0, 1, 2 and `b` the index 0, 1. The index of `pd.concat([a, b])`?",
    options=["0, 1, 2, 0, 1", "0, 1, 2, 3, 4", "0, 1, 2", "an error: the labels repeat"],
    answer="0, 1, 2, 0, 1",
    hints=["Without `ignore_index=True`, each row keeps its label."],
)

checks.single_choice(
    "concat-names",
    objective="concatenate",
    prompt="`a` has columns year, value; `b` has year, amount. What does `pd.concat([a, b])` give?",
    options=[
        "three columns (year, value, amount), with NaN where a table had no such column",
        "two columns: amount is stacked under value",
        "an error: the columns differ",
        "only the year column",
    ],
    answer="three columns (year, value, amount), with NaN where a table had no such column",
    hints=["concat lines columns up by name."],
)

# -- reshape-tables -------------------------------------------------------------------

MARKS = pd.DataFrame({
    "pupil": ["ida", "ida", "leo", "leo"],
    "subject": ["art", "math", "art", "math"],
    "mark": [5, 3, 4, 6],
})


@checks.question(
    "to-wide",
    objective="reshape-tables",
    hints=["`df.pivot(index=index, columns=columns, values=values)`"],
    solution="def to_wide(df, index, columns, values):\n    return df.pivot(index=index, columns=columns, values=values)",
    show_solution=MASTERED,
)
def to_wide(ns):
    got, call = _call(ns["to_wide"], MARKS, "pupil", "subject", "mark")
    _frame(got, call)
    if sorted(got.columns) == ["ida", "leo"]:
        fail(f"`{call}` has the pupils as columns; `columns=` names the column whose values become columns")
    if got.shape != (2, 2) or sorted(got.columns) != ["art", "math"]:
        fail(f"`{call}` has the shape {got.shape} and columns {list(got.columns)}")
    if got.loc["ida", "math"] != 3 or got.loc["leo", "art"] != 4:
        fail(f"`{call}` put the marks in the wrong cells")


@checks.question(
    "to-long",
    objective="reshape-tables",
    hints=["`wide.melt(id_vars=id_column, var_name=var_name, value_name=value_name)`"],
    solution=(
        "def to_long(wide, id_column, var_name, value_name):\n"
        "    return wide.melt(id_vars=id_column, var_name=var_name, value_name=value_name)"
    ),
    show_solution=MASTERED,
)
def to_long(ns):
    wide = pd.DataFrame({"pupil": ["ida", "leo"], "art": [5, 4], "math": [3, 6]})
    got, call = _call(ns["to_long"], wide, "pupil", "subject", "mark")
    _frame(got, call)
    if sorted(got.columns) != ["mark", "pupil", "subject"]:
        fail(f"`{call}` has the columns {list(got.columns)}; name them with `var_name` and `value_name`")
    rows = sorted(zip(got["pupil"], got["subject"], got["mark"]))
    if rows != sorted(zip(MARKS["pupil"], MARKS["subject"], MARKS["mark"])):
        fail(f"`{call}` gave the rows {rows}")


@checks.question(
    "share-table",
    objective="reshape-tables",
    hints=[
        "First `wide = df.pivot(index=index, columns=columns, values=values)`.",
        "`wide.div(wide.sum(axis=1), axis=0) * 100`, then `.round(1)`.",
    ],
    solution=(
        "def share_table(df, index, columns, values):\n"
        "    wide = df.pivot(index=index, columns=columns, values=values)\n"
        "    return (wide.div(wide.sum(axis=1), axis=0) * 100).round(1)"
    ),
    show_solution=MASTERED,
)
def share_table(ns):
    got, call = _call(ns["share_table"], MARKS, "pupil", "subject", "mark")
    _frame(got, call)
    if got.shape != (2, 2):
        fail(f"`{call}` has the shape {got.shape}; pivot to one row per pupil first")
    if got.loc["ida", "art"] == 55.6:
        fail(f"`{call}` divided by each column's total; divide each row by its own total")
    if got.loc["ida", "art"] != 62.5 or got.loc["leo", "math"] != 60.0:
        fail(f"`{call}` gave {got.round(1).to_dict()}; each row should add up to 100")


checks.single_choice(
    "pivot-shape",
    objective="reshape-tables",
    prompt="51 rows, 17 years × 3 sources: the shape of `pivot(index=\"year\", columns=\"source\", ...)`?",
    options=["(17, 3)", "(3, 17)", "(51, 3)", "(17, 51)"],
    answer="(17, 3)",
    hints=["One row per value of `index`, one column per value of `columns`."],
)

checks.numeric(
    "melt-rows",
    objective="reshape-tables",
    prompt="142 rows, columns `country` + 12 years: how many rows after `melt(id_vars=\"country\")`?",
    answer=1704,
    tolerance=0,
    hints=["Each country gives one row per year column."],
)
