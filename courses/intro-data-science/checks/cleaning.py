"""Practice checks and quizzes for unit cleaning (Cleaning data).

Each check calls the learner's function on small columns and tables written out here
(not the penguins of the notebook), compares with expected results and names what is
wrong. The graded tests use yet other data. Worked solutions open once the unit is
mastered. Public: shipped as-is to students and the grader.
"""

import pandas as pd

from mastery_nb.checks import Checks, fail

checks = Checks(unit="cleaning")

MASTERED = "after_mastery"


def _call(fn, data, *args):
    """Call ``fn`` on a copy of ``data`` (a Series or DataFrame); it must stay unchanged."""
    copy = data.copy()
    got = fn(copy, *args)
    what = "df" if isinstance(data, pd.DataFrame) else "values"
    call = f"{getattr(fn, '__name__', 'function')}({', '.join([what, *map(repr, args)])})"
    if not copy.equals(data):
        fail(f"`{call}` changed what it was given; work on a copy (`.copy()`) instead")
    if got is None:
        fail(f"`{call}` returned None: `return` the result")
    return got, call


def _series(got, call):
    if not isinstance(got, pd.Series):
        fail(f"`{call}` returned a {type(got).__name__}; it should return a Series")


def _frame(got, call):
    if not isinstance(got, pd.DataFrame):
        fail(f"`{call}` returned a {type(got).__name__}; it should return a DataFrame")


# -- fix-types ------------------------------------------------------------------------


@checks.question(
    "yes-no",
    objective="fix-types",
    hints=[
        "Comparing a column with a value gives True/False for every row.",
        "`values == \"Yes\"`. (Not `astype(bool)`: every non-empty text is True.)",
    ],
    solution="def yes_no_to_bool(values):\n    return values == \"Yes\"",
    show_solution=MASTERED,
)
def yes_no(ns):
    values = pd.Series(["Yes", "No", "Yes"])
    got, call = _call(ns["yes_no_to_bool"], values)
    _series(got, call)
    if got.tolist() == [True, True, True]:
        fail(f"`{call}` made every value True: any non-empty text is True; compare with \"Yes\"")
    if got.dtype != bool:
        fail(f"`{call}` has the type {got.dtype}; it should be bool")
    if got.tolist() != [True, False, True]:
        fail(f"`{call}` returned {got.tolist()}, not [True, False, True]")


@checks.question(
    "to-category",
    objective="fix-types",
    hints=[
        "Start with `result = df.copy()` so `df` stays as it was.",
        "For each name in `columns`: `result[column] = result[column].astype(\"category\")`.",
    ],
    solution=(
        "def to_category(df, columns):\n    result = df.copy()\n    for column in columns:\n"
        "        result[column] = result[column].astype(\"category\")\n    return result"
    ),
    show_solution=MASTERED,
)
def to_category(ns):
    frame = pd.DataFrame({"shade": ["red", "blue", "red"], "size": ["S", "M", "S"], "n": [4, 5, 6]})
    got, call = _call(ns["to_category"], frame, ["shade"])
    _frame(got, call)
    if not isinstance(got["shade"].dtype, pd.CategoricalDtype):
        fail(f"`{call}`: the column 'shade' has the type {got['shade'].dtype}, not category")
    if isinstance(got["size"].dtype, pd.CategoricalDtype):
        fail(f"`{call}` changed 'size' too; convert only the columns in the list")
    if got["shade"].tolist() != ["red", "blue", "red"] or got["n"].tolist() != [4, 5, 6]:
        fail(f"`{call}` changed the values; only the type should change")


@checks.question(
    "to-numbers",
    objective="fix-types",
    hints=[
        "`pd.to_numeric(column, errors=\"coerce\")` turns text that is not a number into NaN.",
        "Work on `result = df.copy()` and convert each column in the list.",
    ],
    solution=(
        "def to_numbers(df, columns):\n    result = df.copy()\n    for column in columns:\n"
        "        result[column] = pd.to_numeric(result[column], errors=\"coerce\")\n    return result"
    ),
    show_solution=MASTERED,
)
def to_numbers(ns):
    frame = pd.DataFrame({"length": ["40.5", "NA", "38"], "name": ["a", "b", "c"]})
    got, call = _call(ns["to_numbers"], frame, ["length"])
    _frame(got, call)
    if got["length"].dtype == object or str(got["length"].dtype) in ("str", "string"):
        fail(f"`{call}`: 'length' is still text; convert it with `pd.to_numeric`")
    values = got["length"].tolist()
    if not (values[0] == 40.5 and values[2] == 38 and pd.isna(values[1])):
        fail(f"`{call}` gave {values}; \"NA\" should become missing and the rest numbers")
    if got["name"].tolist() != ["a", "b", "c"]:
        fail(f"`{call}` changed the column 'name'; convert only the columns in the list")


checks.single_choice(
    "whole-numbers-float",
    objective="fix-types",
    prompt="Body masses are whole grams, yet `Body Mass (g)` is float64. Why?",
    options=[
        "It has missing values, and a missing value (NaN) is a float",
        "Some masses have decimals",
        "pandas always reads numbers as float64",
        "The column is stored as text",
    ],
    answer="It has missing values, and a missing value (NaN) is a float",
    hints=["Look at `raw[\"Body Mass (g)\"].isna().sum()`."],
)

checks.single_choice(
    "coerce-result",
    objective="fix-types",
    prompt='What does `pd.to_numeric(pd.Series(["3.5", "n/a", "4"]), errors="coerce")` give?',
    options=["3.5, NaN, 4.0", "an error", "3.5, 4.0", "'3.5', 'n/a', '4' (unchanged)"],
    answer="3.5, NaN, 4.0",
    hints=["`errors=\"coerce\"` turns what is not a number into a missing value; the length stays."],
)

# -- clean-text -----------------------------------------------------------------------


@checks.question(
    "tidy-columns",
    objective="clean-text",
    hints=[
        "Column names have `.str` too: `df.columns.str.lower()`.",
        "Chain `.str.replace(\"(\", \"\")`, `.str.replace(\")\", \"\")`, `.str.replace(\" \", \"_\")`, then assign to `result.columns`.",
    ],
    solution=(
        "def tidy_columns(df):\n    result = df.copy()\n"
        "    names = df.columns.str.lower().str.replace(\"(\", \"\").str.replace(\")\", \"\")\n"
        "    result.columns = names.str.replace(\" \", \"_\")\n    return result"
    ),
    show_solution=MASTERED,
)
def tidy_columns(ns):
    frame = pd.DataFrame({"Air Temp (C)": [1.0], "Station Name": ["x"]})
    got, call = _call(ns["tidy_columns"], frame)
    _frame(got, call)
    names = list(got.columns)
    if names == ["air_temp_(c)", "station_name"]:
        fail(f"`{call}` kept the brackets: {names}; remove `(` and `)`")
    if names == ["air temp c", "station name"]:
        fail(f"`{call}` kept the spaces: {names}; replace them with `_`")
    if names != ["air_temp_c", "station_name"]:
        fail(f"`{call}` gave the names {names}, not ['air_temp_c', 'station_name']")


@checks.question(
    "first-word",
    objective="clean-text",
    hints=["`values.str.split()` gives a list of words per value.", "`.str[0]` takes the first of each list."],
    solution="def first_word(values):\n    return values.str.split().str[0]",
    show_solution=MASTERED,
)
def first_word(ns):
    got, call = _call(ns["first_word"], pd.Series(["Snowy Sheathbill", "Skua (brown)", "Petrel"]))
    _series(got, call)
    if got.tolist() == ["S", "S", "P"]:
        fail(f"`{call}` took the first letter; split into words first with `.str.split()`")
    if got.tolist() != ["Snowy", "Skua", "Petrel"]:
        fail(f"`{call}` returned {got.tolist()}, not ['Snowy', 'Skua', 'Petrel']")


@checks.question(
    "tidy-labels",
    objective="clean-text",
    hints=[
        "`values.str.strip().str.lower()`",
        "`.astype(str)` would turn a missing value into the text 'nan' (on older pandas): the `.str` methods keep it missing.",
    ],
    solution="def tidy_labels(values):\n    return values.str.strip().str.lower()",
    show_solution=MASTERED,
)
def tidy_labels(ns):
    got, call = _call(ns["tidy_labels"], pd.Series([" Breeding ", "NESTING", None]))
    _series(got, call)
    values = got.tolist()
    if values[:2] == ["breeding ", "nesting"] or values[:2] == [" breeding ", "nesting"]:
        fail(f"`{call}` kept spaces at the ends; remove them with `.str.strip()`")
    if values[:2] == ["Breeding", "NESTING"]:
        fail(f"`{call}` kept capital letters; use `.str.lower()`")
    if values[:2] != ["breeding", "nesting"]:
        fail(f"`{call}` returned {values}")
    if not pd.isna(values[2]):
        fail(f"`{call}` turned a missing value into {values[2]!r}; it should stay missing")


checks.numeric(
    "nunique-after-tidy",
    objective="clean-text",
    prompt='How many different values does `pd.Series(["MALE", "male ", " Male"]).str.strip().str.lower().nunique()` count?',
    answer=1,
    tolerance=0,
    hints=["Write down each value after strip and lower."],
)

checks.single_choice(
    "str-accessor",
    objective="clean-text",
    prompt='Why `raw["Sex"].str.lower()` and not `raw["Sex"].lower()`?',
    options=[
        "A Series has no .lower(); .str applies the text method to every value",
        "Both work the same way",
        ".lower() only changes the first value",
        ".str turns numbers into text first",
    ],
    answer="A Series has no .lower(); .str applies the text method to every value",
    hints=["Try `raw[\"Sex\"].lower()` in a cell and read the error."],
)

# -- parse-dates ----------------------------------------------------------------------


@checks.question(
    "egg-months",
    objective="parse-dates",
    hints=["`pd.to_datetime(texts)` makes real dates.", "`.dt.month` gives their month numbers."],
    solution="def egg_months(texts):\n    return pd.to_datetime(texts).dt.month",
    show_solution=MASTERED,
)
def egg_months(ns):
    got, call = _call(ns["egg_months"], pd.Series(["2015-04-09", "2016-10-23"]))
    _series(got, call)
    if got.tolist() == [9, 23]:
        fail(f"`{call}` gave the days of the month; ask for `.dt.month`")
    if got.tolist() != [4, 10]:
        fail(f"`{call}` returned {got.tolist()}, not [4, 10]")


@checks.question(
    "days-after",
    objective="parse-dates",
    hints=[
        "Subtract a date from dates: `pd.to_datetime(texts) - pd.Timestamp(start)`.",
        "`.dt.days` turns the durations into whole days.",
    ],
    solution=(
        "def days_after(texts, start):\n    return (pd.to_datetime(texts) - pd.Timestamp(start)).dt.days"
    ),
    show_solution=MASTERED,
)
def days_after(ns):
    got, call = _call(ns["days_after"], pd.Series(["2015-01-10", "2015-03-01"]), "2015-01-01")
    _series(got, call)
    if got.tolist() == [-9, -59]:
        fail(f"`{call}` is negative: subtract the start from each date, not the other way round")
    if got.tolist() != [9, 59]:
        fail(f"`{call}` returned {got.tolist()}, not [9, 59]")


@checks.question(
    "laid-between",
    objective="parse-dates",
    hints=[
        "`laid = pd.to_datetime(df[\"Date Egg\"])`",
        "`df[(laid >= pd.Timestamp(first)) & (laid <= pd.Timestamp(last))]`: `>=` and `<=` include the ends.",
    ],
    solution=(
        "def laid_between(df, first, last):\n    laid = pd.to_datetime(df[\"Date Egg\"])\n"
        "    return df[(laid >= pd.Timestamp(first)) & (laid <= pd.Timestamp(last))]"
    ),
    show_solution=MASTERED,
)
def laid_between(ns):
    frame = pd.DataFrame({"Date Egg": ["2016-05-02", "2016-04-30", "2016-05-09", "2016-05-20"]})
    got, call = _call(ns["laid_between"], frame, "2016-05-02", "2016-05-09")
    _frame(got, call)
    if got.index.tolist() == []:
        fail(f"`{call}` kept no row; both end days are included (`>=`, `<=`)")
    if got.index.tolist() != [0, 2]:
        fail(f"`{call}` kept the rows {got.index.tolist()}, not [0, 2]")


checks.single_choice(
    "day-first",
    objective="parse-dates",
    prompt="`03/04/2009` means 3 April 2009. Which call reads it right?",
    options=[
        'pd.to_datetime("03/04/2009", format="%d/%m/%Y")',
        'pd.to_datetime("03/04/2009")',
        'pd.to_datetime("03/04/2009", format="%m/%d/%Y")',
        'pd.Timestamp(2009, 3, 4)',
    ],
    answer='pd.to_datetime("03/04/2009", format="%d/%m/%Y")',
    hints=["Which part comes first in the text: the day or the month?"],
)

checks.numeric(
    "leap-days",
    objective="parse-dates",
    prompt='What is `(pd.Timestamp("2008-03-01") - pd.Timestamp("2008-02-01")).days`?',
    answer=29,
    tolerance=0,
    hints=["How long was February 2008?"],
)

# -- handle-missing -------------------------------------------------------------------


@checks.question(
    "missing-counts",
    objective="handle-missing",
    hints=[
        "`df.isna().sum()` counts the missing values of every column.",
        "Keep the counts above 0 (`counts[counts > 0]`) and `.sort_values(ascending=False)`.",
    ],
    solution=(
        "def missing_counts(df):\n    counts = df.isna().sum()\n"
        "    return counts[counts > 0].sort_values(ascending=False)"
    ),
    show_solution=MASTERED,
)
def missing_counts(ns):
    frame = pd.DataFrame({"p": [1.0, 2.0, 3.0], "q": [None, 5.0, None], "r": ["u", None, "w"]})
    got, call = _call(ns["missing_counts"], frame)
    _series(got, call)
    if "p" in got.index:
        fail(f"`{call}` lists a column with no missing value; keep the counts above 0")
    if got.to_dict() != {"q": 2, "r": 1}:
        fail(f"`{call}` returned {got.to_dict()}, not {{'q': 2, 'r': 1}}")
    if list(got.index) != ["q", "r"]:
        fail(f"`{call}` is not sorted with the largest count first")


@checks.question(
    "complete-rows",
    objective="handle-missing",
    hints=[
        "`df.dropna()` alone drops a row with a gap in *any* column.",
        "`df.dropna(subset=columns)` looks only at the columns in the list.",
    ],
    solution="def complete_rows(df, columns):\n    return df.dropna(subset=columns)",
    show_solution=MASTERED,
)
def complete_rows(ns):
    frame = pd.DataFrame({"x": [1.0, None, 3.0], "y": [4.0, 5.0, None], "z": [None, 8.0, 9.0]})
    got, call = _call(ns["complete_rows"], frame, ["x"])
    _frame(got, call)
    if got.index.tolist() == []:
        fail(f"`{call}` dropped rows for gaps in other columns; look only at the columns asked for")
    if got.index.tolist() != [0, 2]:
        fail(f"`{call}` kept the rows {got.index.tolist()}, not [0, 2]")


@checks.question(
    "fill-median",
    objective="handle-missing",
    hints=[
        "`result = df.copy()`; the median of one column is `result[column].median()`.",
        "`result[column] = result[column].fillna(...)` fills that column only.",
    ],
    solution=(
        "def fill_median(df, column):\n    result = df.copy()\n"
        "    result[column] = result[column].fillna(result[column].median())\n    return result"
    ),
    show_solution=MASTERED,
)
def fill_median(ns):
    frame = pd.DataFrame({"m": [1.0, None, 3.0, 10.0], "k": [None, 2.0, 2.0, 2.0]})
    got, call = _call(ns["fill_median"], frame, "m")
    _frame(got, call)
    values = got["m"].tolist()
    if values[1] == 14 / 3 or round(values[1], 2) == 4.67:
        fail(f"`{call}` filled with the mean; use the median (which one extreme value does not pull)")
    if values != [1.0, 3.0, 3.0, 10.0]:
        fail(f"`{call}` gave {values} for the column 'm'")
    if not pd.isna(got["k"].tolist()[0]):
        fail(f"`{call}` filled another column too; fill only the column asked for")


checks.single_choice(
    "missing-sex-decision",
    objective="handle-missing",
    prompt="Comparing female and male body mass, 11 of 344 penguins have no sex. What do you do?",
    options=[
        "Leave them out of this comparison: they belong to neither group, and 11 of 344 is too few to move the means much",
        "Fill their sex with the most common value, so that no row is lost",
        "Delete them from the data set for good: rows with a gap are errors",
        "Count them as female, since there are slightly fewer females",
    ],
    answer="Leave them out of this comparison: they belong to neither group, and 11 of 344 is too few to move the means much",
    hints=["Filling invents data; deleting for good loses them for other questions."],
)

checks.single_choice(
    "missing-comments-decision",
    objective="handle-missing",
    prompt="Comments are missing for 290 of 344 penguins. You want the mean flipper length. What do you do?",
    options=[
        "Keep those rows: a missing comment means nothing was noted, and it does not touch flipper length",
        "Drop those rows: 84 % of the rows have a missing value",
        "Fill the comments with the most common comment",
        "Drop the rows that do have a comment",
    ],
    answer="Keep those rows: a missing comment means nothing was noted, and it does not touch flipper length",
    hints=["Does the question use the Comments column at all?"],
)
