"""Practice checks and quizzes for unit pandas-selection (Selecting data with pandas).

Each check calls the learner's function on small tables written out here (not the
penguins of the notebook), compares with expected results and names what is wrong. The
graded tests use yet other tables. Worked solutions open once the unit is mastered.
Public: shipped as-is to students and the grader.
"""

import io

import pandas as pd

from mastery_nb.checks import Checks, fail

checks = Checks(unit="pandas-selection")

MASTERED = "after_mastery"


def _call(fn, frame, *args):
    """Call ``fn`` on a copy of ``frame``; fail when it changed it or returned None."""
    copy = frame.copy()
    got = fn(copy, *args)
    call = f"{getattr(fn, '__name__', 'function')}(df, {', '.join(repr(a) for a in args)})"
    if not copy.equals(frame):
        fail(f"`{call}` changed the DataFrame it was given; return a new one instead")
    if got is None:
        fail(f"`{call}` returned None: `return` the result")
    return got, call


def _rows(got, call, labels, columns=None):
    """``got`` must be a DataFrame holding exactly the rows ``labels`` (in order)."""
    if not isinstance(got, pd.DataFrame):
        fail(f"`{call}` returned a {type(got).__name__}; it should return a DataFrame")
    if got.index.tolist() != labels:
        fail(f"`{call}` returned the rows labelled {got.index.tolist()}, not {labels}")
    if columns is not None and list(got.columns) != columns:
        fail(f"`{call}` returned the columns {list(got.columns)}, not {columns}")


BIRDS = pd.DataFrame(
    {
        "species": ["Adelie", "Gentoo", "Adelie", "Chinstrap", "Gentoo", "Adelie"],
        "island": ["Dream", "Biscoe", "Biscoe", "Dream", "Biscoe", "Torgersen"],
        "body_mass_g": [3400.0, 5200.0, 3900.0, 3700.0, 4800.0, None],
        "sex": ["female", "male", "male", "female", "female", "male"],
    },
    index=[7, 3, 11, 0, 5, 9],
)

# -- load-inspect ---------------------------------------------------------------------


@checks.question(
    "load-and-shape",
    objective="load-inspect",
    hints=[
        "`pd.read_csv(path)` reads the file into a DataFrame.",
        "A DataFrame's `.shape` is the tuple (rows, columns).",
    ],
    solution="def load_and_shape(path):\n    table = pd.read_csv(path)\n    return table.shape",
    show_solution=MASTERED,
)
def load_and_shape(ns):
    fn = ns["load_and_shape"]
    got = fn(io.StringIO("city,temp,rain\nOslo,4,1.2\nLima,19,0\n"))
    call = "load_and_shape(<a file with 2 rows and 3 columns>)"
    if isinstance(got, pd.DataFrame):
        fail(f"`{call}` returned the DataFrame; return its size as a tuple")
    if got is None:
        fail(f"`{call}` returned None: `return` the result")
    if not isinstance(got, tuple):
        fail(f"`{call}` returned a {type(got).__name__}; return a tuple (rows, columns)")
    if got == (3, 2):
        fail(f"`{call}` returned {got}: rows first, then columns")
    if got != (2, 3):
        fail(f"`{call}` returned {got}, not (2, 3)")


@checks.question(
    "numeric-columns",
    objective="load-inspect",
    hints=[
        "`df.select_dtypes(\"number\")` keeps only the number columns.",
        "`list(....columns)` gives their names.",
    ],
    solution=(
        "def numeric_columns(df):\n    return list(df.select_dtypes(\"number\").columns)"
    ),
    show_solution=MASTERED,
)
def numeric_columns(ns):
    got, call = _call(ns["numeric_columns"], BIRDS)
    if isinstance(got, pd.DataFrame):
        fail(f"`{call}` returned a DataFrame; return the column names as a list")
    names = list(got)
    if "species" in names:
        fail(f"`{call}` includes text columns; keep the ones whose type is a number")
    if names != ["body_mass_g"]:
        fail(f"`{call}` returned {names}, not ['body_mass_g']")
    frame = pd.DataFrame({"n": [1], "name": ["x"], "f": [2.5]})
    got, call = _call(ns["numeric_columns"], frame)
    if list(got) != ["n", "f"]:
        fail(f"`{call}` returned {list(got)}, not ['n', 'f']")


@checks.question(
    "count-each",
    objective="load-inspect",
    hints=[
        "`df[column].value_counts()` counts each value.",
        "`.to_dict()` turns that Series into a dictionary.",
    ],
    solution="def count_each(df, column):\n    return df[column].value_counts().to_dict()",
    show_solution=MASTERED,
)
def count_each(ns):
    got, call = _call(ns["count_each"], BIRDS, "island")
    if isinstance(got, pd.Series):
        fail(f"`{call}` returned a Series; turn it into a dictionary with `.to_dict()`")
    if not isinstance(got, dict):
        fail(f"`{call}` returned a {type(got).__name__}; return a dictionary")
    if got != {"Dream": 2, "Biscoe": 3, "Torgersen": 1}:
        fail(f"`{call}` returned {got}; count the rows of each value of the column")


checks.single_choice(
    "row-count",
    objective="load-inspect",
    prompt="Which expression gives the number of rows of `penguins`?",
    options=["len(penguins)", "penguins.shape[1]", "penguins.size", "len(penguins.columns)"],
    answer="len(penguins)",
    hints=["`.shape` is (rows, columns); `.size` counts every cell."],
)

checks.multiple_choice(
    "number-columns",
    objective="load-inspect",
    prompt="Which of these columns of `penguins` hold numbers?",
    options=["species", "bill_length_mm", "body_mass_g", "sex", "year"],
    answer=["bill_length_mm", "body_mass_g", "year"],
    hints=["Numbers show as int64 or float64 in `penguins.dtypes`."],
)

# -- select-loc-iloc ------------------------------------------------------------------


@checks.question(
    "value-at",
    objective="select-loc-iloc",
    hints=["By label: `df.loc[label, column]`."],
    solution="def value_at(df, label, column):\n    return df.loc[label, column]",
    show_solution=MASTERED,
)
def value_at(ns):
    got, call = _call(ns["value_at"], BIRDS, 3, "species")
    if got == "Chinstrap":
        fail(f"`{call}` used 3 as a position; the row *labelled* 3 is wanted (`loc`)")
    if got != "Gentoo":
        fail(f"`{call}` returned {got!r}, not 'Gentoo'")
    got, call = _call(ns["value_at"], BIRDS, 0, "body_mass_g")
    if got != 3700.0:
        fail(f"`{call}` returned {got!r}, not 3700.0")


@checks.question(
    "corner",
    objective="select-loc-iloc",
    hints=[
        "By position: `df.iloc[:n_rows, :n_cols]`.",
        "Negative positions count from the end: `df.iloc[-n:]`.",
    ],
    solution=(
        "def corner(df, n_rows, n_cols):\n    return df.iloc[:n_rows, :n_cols]\n\n\n"
        "def last_rows(df, n):\n    return df.iloc[-n:]"
    ),
    show_solution=MASTERED,
)
def corner(ns):
    got, call = _call(ns["corner"], BIRDS, 2, 3)
    if isinstance(got, pd.DataFrame) and got.index.tolist() == [0, 3]:
        fail(f"`{call}` selected by label; by position, the first rows are those at the top")
    _rows(got, call, [7, 3], ["species", "island", "body_mass_g"])
    got, call = _call(ns["last_rows"], BIRDS, 2)
    _rows(got, call, [5, 9], list(BIRDS.columns))


@checks.question(
    "block",
    objective="select-loc-iloc",
    hints=[
        "By label, rows and columns together: `df.loc[first:last, columns]`.",
        "A label slice includes its end.",
    ],
    solution="def block(df, first, last, columns):\n    return df.loc[first:last, columns]",
    show_solution=MASTERED,
)
def block(ns):
    got, call = _call(ns["block"], BIRDS, 3, 5, ["sex"])
    if isinstance(got, pd.DataFrame) and got.index.tolist() == [3, 11, 0]:
        fail(f"`{call}` left out the row labelled 5: a label slice includes its end")
    _rows(got, call, [3, 11, 0, 5], ["sex"])


checks.numeric(
    "loc-slice-rows",
    objective="select-loc-iloc",
    prompt="With the index 0, 1, 2, ..., how many rows does `penguins.loc[10:20]` have?",
    answer=11,
    tolerance=0,
    hints=["A label slice includes both ends."],
)

checks.single_choice(
    "lightest-row",
    objective="select-loc-iloc",
    prompt='After `light = penguins.sort_values("body_mass_g")`, which is the lightest penguin\'s row?',
    options=["light.iloc[0]", "light.loc[0]", "penguins.iloc[0]", "light.head(0)"],
    answer="light.iloc[0]",
    hints=["Sorting moves rows but keeps their labels; the lightest is now at position 0."],
)

# -- filter-sort ----------------------------------------------------------------------


@checks.question(
    "heavier-than",
    objective="filter-sort",
    hints=["A mask on the column: `df[\"body_mass_g\"] > grams`.", "`df[mask]` keeps those rows."],
    solution="def heavier_than(df, grams):\n    return df[df[\"body_mass_g\"] > grams]",
    show_solution=MASTERED,
)
def heavier_than(ns):
    got, call = _call(ns["heavier_than"], BIRDS, 3700)
    if isinstance(got, pd.Series):
        fail(f"`{call}` returned a Series (the mask or a column); use the mask to keep rows: `df[mask]`")
    if isinstance(got, pd.DataFrame) and got.index.tolist() == [3, 11, 0, 5]:
        fail(f"`{call}` kept the penguin of exactly 3700 g; *greater than* means `>`")
    _rows(got, call, [3, 11, 5], list(BIRDS.columns))


@checks.question(
    "conditions",
    objective="filter-sort",
    hints=[
        "Two conditions: `(df[\"species\"] == species) & (df[\"island\"] == island)`.",
        "One of a list: `df[\"island\"].isin(islands)`.",
    ],
    solution=(
        "def of_species_on(df, species, island):\n"
        "    return df[(df[\"species\"] == species) & (df[\"island\"] == island)]\n\n\n"
        "def on_islands(df, islands):\n    return df[df[\"island\"].isin(islands)]"
    ),
    show_solution=MASTERED,
)
def conditions(ns):
    got, call = _call(ns["of_species_on"], BIRDS, "Adelie", "Biscoe")
    if isinstance(got, pd.DataFrame) and got.index.tolist() == [7, 3, 11, 5, 9]:
        fail(f"`{call}` kept rows that meet *either* condition; use `&` for both")
    _rows(got, call, [11])
    got, call = _call(ns["on_islands"], BIRDS, ["Dream", "Torgersen"])
    _rows(got, call, [7, 0, 9])


@checks.question(
    "sorting",
    objective="filter-sort",
    hints=[
        "`df.sort_values(\"body_mass_g\", ascending=False).head(n)`",
        "Sort by a list of columns with a list of directions: `ascending=[True, False]`.",
    ],
    solution=(
        "def heaviest(df, n):\n    return df.sort_values(\"body_mass_g\", ascending=False).head(n)\n\n\n"
        "def by_species_then_mass(df):\n"
        "    return df.sort_values([\"species\", \"body_mass_g\"], ascending=[True, False])"
    ),
    show_solution=MASTERED,
)
def sorting(ns):
    got, call = _call(ns["heaviest"], BIRDS, 2)
    if isinstance(got, pd.DataFrame) and got.index.tolist() == [7, 0]:
        fail(f"`{call}` returned the lightest; sort with `ascending=False`")
    _rows(got, call, [3, 5])
    got, call = _call(ns["by_species_then_mass"], BIRDS)
    if isinstance(got, pd.DataFrame) and got.index.tolist() == [7, 11, 9, 0, 5, 3]:
        fail(f"`{call}`: within a species, the heaviest should come first")
    _rows(got, call, [11, 7, 9, 0, 3, 5])


checks.single_choice(
    "sort-returns",
    objective="filter-sort",
    prompt='After `penguins.sort_values("body_mass_g")` on its own line, what is `penguins`?',
    options=[
        "unchanged: sort_values returns a new, sorted DataFrame",
        "sorted by body mass",
        "empty",
        "sorted, and its index renumbered 0, 1, 2, ...",
    ],
    answer="unchanged: sort_values returns a new, sorted DataFrame",
    hints=["Did anything assign the result to a name?"],
)

checks.single_choice(
    "missing-last",
    objective="filter-sort",
    prompt='Where are the two penguins with no body mass after `sort_values("body_mass_g", ascending=False)`?',
    options=["at the end", "at the start", "they are dropped", "wherever they were before"],
    answer="at the end",
    hints=["pandas puts missing values last, whichever the direction (`na_position=\"last\"`)."],
)
