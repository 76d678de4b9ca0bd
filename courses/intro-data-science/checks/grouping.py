"""Practice checks and quizzes for unit grouping (Grouping and summarising).

Each check calls the learner's function on small tables written out here (not the
penguins or Gapminder of the notebook), compares with expected results and names what
is wrong. The graded tests use yet other tables. Worked solutions open once the unit is
mastered. Public: shipped as-is to students and the grader.
"""

import pandas as pd

from mastery_nb.checks import Checks, fail

checks = Checks(unit="grouping")

MASTERED = "after_mastery"

CLUBS = pd.DataFrame({
    "club": ["owls", "cats", "owls", "cats", "owls", "bees"],
    "level": ["new", "new", "old", "old", "new", "new"],
    "score": [4.0, 9.0, 6.0, None, 8.0, 3.0],
})


def _call(fn, frame, *args):
    copy = frame.copy()
    got = fn(copy, *args)
    call = f"{getattr(fn, '__name__', 'function')}(df, {', '.join(repr(a) for a in args)})"
    if not copy.equals(frame):
        fail(f"`{call}` changed the DataFrame it was given; return a new result instead")
    if got is None:
        fail(f"`{call}` returned None: `return` the result")
    return got, call


def _series_is(got, call, expected):
    if isinstance(got, pd.DataFrame):
        fail(f"`{call}` returned a DataFrame; select one column before aggregating: `groupby(...)[column]`")
    if not isinstance(got, pd.Series):
        fail(f"`{call}` returned a {type(got).__name__}; it should return a Series")
    if dict(got) != expected:
        fail(f"`{call}` returned {dict(got)}, not {expected}")


# -- group-aggregate ------------------------------------------------------------------


@checks.question(
    "mean-per-group",
    objective="group-aggregate",
    hints=["`df.groupby(group)[column].mean()`", "then `.round(1)`"],
    solution="def mean_per_group(df, group, column):\n    return df.groupby(group)[column].mean().round(1)",
    show_solution=MASTERED,
)
def mean_per_group(ns):
    got, call = _call(ns["mean_per_group"], CLUBS, "club", "score")
    if isinstance(got, (int, float)):
        fail(f"`{call}` returned one number; group first to get one mean per group")
    _series_is(got, call, {"bees": 3.0, "cats": 9.0, "owls": 6.0})


@checks.question(
    "total-in-year",
    objective="group-aggregate",
    hints=[
        "Keep the rows of that year first: `df[df[\"year\"] == year]`.",
        "Then `.groupby(\"continent\")[\"pop\"].sum()`.",
    ],
    solution=(
        "def total_in_year(df, year):\n"
        "    return df[df[\"year\"] == year].groupby(\"continent\")[\"pop\"].sum()"
    ),
    show_solution=MASTERED,
)
def total_in_year(ns):
    frame = pd.DataFrame({
        "continent": ["Oceania", "Oceania", "Africa", "Africa"],
        "year": [1977, 1982, 1977, 1977],
        "pop": [100, 200, 300, 400],
    })
    got, call = _call(ns["total_in_year"], frame, 1977)
    if isinstance(got, pd.Series) and dict(got) == {"Africa": 700, "Oceania": 300}:
        fail(f"`{call}` added up every year; keep the rows of the year asked for first")
    _series_is(got, call, {"Africa": 700, "Oceania": 100})


@checks.question(
    "largest-and-sizes",
    objective="group-aggregate",
    hints=[
        "`df.groupby(group)[column].max()`",
        "`.size()` counts rows; `.count()` counts values that are not missing.",
    ],
    solution=(
        "def largest_per_group(df, group, column):\n    return df.groupby(group)[column].max()\n\n\n"
        "def group_sizes(df, group):\n    return df.groupby(group).size()"
    ),
    show_solution=MASTERED,
)
def largest_and_sizes(ns):
    got, call = _call(ns["largest_per_group"], CLUBS, "club", "score")
    _series_is(got, call, {"bees": 3.0, "cats": 9.0, "owls": 8.0})
    got, call = _call(ns["group_sizes"], CLUBS, "club")
    if isinstance(got, pd.DataFrame):
        fail(f"`{call}` returned a DataFrame (one count per column); `.size()` counts the rows")
    if isinstance(got, pd.Series) and dict(got) == {"bees": 1, "cats": 1, "owls": 3}:
        fail(f"`{call}` left out a row with a missing score: count rows with `.size()`")
    _series_is(got, call, {"bees": 1, "cats": 2, "owls": 3})


checks.numeric(
    "groups-count",
    objective="group-aggregate",
    prompt='How many values does `penguins.groupby("island")["body_mass_g"].mean()` have?',
    answer=3,
    tolerance=0,
    hints=["One value per group: how many islands are there?"],
)

checks.single_choice(
    "size-vs-count",
    objective="group-aggregate",
    prompt="A group has 10 rows, 2 without a body mass. What do `.size()` and `[\"body_mass_g\"].count()` give?",
    options=["10 and 8", "8 and 10", "10 and 10", "8 and 8"],
    answer="10 and 8",
    hints=["size counts rows; count counts values that are there."],
)

# -- group-several --------------------------------------------------------------------


@checks.question(
    "mean-by-two",
    objective="group-several",
    hints=["Group by a list: `df.groupby([first, second])[column].mean()`", "then `.round(1)`"],
    solution=(
        "def mean_by_two(df, first, second, column):\n"
        "    return df.groupby([first, second])[column].mean().round(1)"
    ),
    show_solution=MASTERED,
)
def mean_by_two(ns):
    got, call = _call(ns["mean_by_two"], CLUBS, "club", "level", "score")
    if isinstance(got, pd.DataFrame):
        fail(f"`{call}` returned a DataFrame; keep the two-level Series (no `unstack`)")
    expected = {("bees", "new"): 3.0, ("cats", "new"): 9.0, ("owls", "new"): 6.0, ("owls", "old"): 6.0}
    if not isinstance(got, pd.Series):
        fail(f"`{call}` returned a {type(got).__name__}; it should return a Series")
    found = {k: v for k, v in dict(got).items() if not pd.isna(v)}
    if found != expected:
        fail(f"`{call}` returned {found}; group by both columns, in the order given")


@checks.question(
    "summary-stats",
    objective="group-several",
    hints=["`df.groupby(group)[column].agg([\"mean\", \"min\", \"max\"])`", "then `.round(1)`"],
    solution=(
        "def summary_stats(df, group, column):\n"
        "    return df.groupby(group)[column].agg([\"mean\", \"min\", \"max\"]).round(1)"
    ),
    show_solution=MASTERED,
)
def summary_stats(ns):
    got, call = _call(ns["summary_stats"], CLUBS, "club", "score")
    if not isinstance(got, pd.DataFrame):
        fail(f"`{call}` returned a {type(got).__name__}; `.agg([...])` gives a DataFrame")
    if list(got.columns) != ["mean", "min", "max"]:
        fail(f"`{call}` has the columns {list(got.columns)}, not ['mean', 'min', 'max']")
    if got.loc["owls"].tolist() != [6.0, 4.0, 8.0] or got.loc["bees"].tolist() != [3.0, 3.0, 3.0]:
        fail(f"`{call}` gave {got.to_dict('index')}")


@checks.question(
    "two-way-table",
    objective="group-several",
    hints=[
        "`df.groupby([rows, cols])[column].mean().round(1)` gives a two-level Series.",
        "`.unstack()` turns its inner level (cols) into columns.",
    ],
    solution=(
        "def two_way_table(df, rows, cols, column):\n"
        "    return df.groupby([rows, cols])[column].mean().round(1).unstack()"
    ),
    show_solution=MASTERED,
)
def two_way_table(ns):
    got, call = _call(ns["two_way_table"], CLUBS, "club", "level", "score")
    if not isinstance(got, pd.DataFrame):
        fail(f"`{call}` returned a {type(got).__name__}; `.unstack()` makes it a table")
    if sorted(got.columns) == ["bees", "cats", "owls"]:
        fail(f"`{call}` has the clubs as columns; `rows` should be the rows")
    if sorted(got.index) != ["bees", "cats", "owls"] or sorted(got.columns) != ["new", "old"]:
        fail(f"`{call}` has the rows {list(got.index)} and the columns {list(got.columns)}")
    if got.loc["owls", "new"] != 6.0 or got.loc["cats", "new"] != 9.0 or not pd.isna(got.loc["bees", "old"]):
        fail(f"`{call}` gave {got.to_dict('index')}")


checks.numeric(
    "pairs-count",
    objective="group-several",
    prompt='How many groups does `penguins.groupby(["species", "sex"])` make?',
    answer=6,
    tolerance=0,
    hints=["One group per (species, sex) pair that occurs."],
)

checks.single_choice(
    "agg-result",
    objective="group-several",
    prompt='What does `penguins.groupby("species")["body_mass_g"].agg(["mean", "max"])` return?',
    options=[
        "a DataFrame with one row per species and the columns mean and max",
        "a Series with two values",
        "a DataFrame with one row per penguin",
        "a Series with one value per species: the mean of the maxima",
    ],
    answer="a DataFrame with one row per species and the columns mean and max",
    hints=["One row per group, one column per aggregation."],
)

# -- compare-groups -------------------------------------------------------------------


@checks.question(
    "difference-in-means",
    objective="compare-groups",
    hints=[
        "`means = df.groupby(group)[column].mean()`",
        "`round(float(means[a] - means[b]), 1)`",
    ],
    solution=(
        "def difference_in_means(df, group, column, a, b):\n"
        "    means = df.groupby(group)[column].mean()\n    return round(float(means[a] - means[b]), 1)"
    ),
    show_solution=MASTERED,
)
def difference_in_means(ns):
    got, call = _call(ns["difference_in_means"], CLUBS, "club", "score", "cats", "owls")
    if isinstance(got, (pd.Series, pd.DataFrame)):
        fail(f"`{call}` returned a {type(got).__name__}; return one number")
    if got == -3.0:
        fail(f"`{call}` returned -3.0: the mean of `a` minus the mean of `b`, not the other way round")
    if got != 3.0:
        fail(f"`{call}` returned {got!r}, not 3.0")


@checks.question(
    "share-above",
    objective="compare-groups",
    hints=[
        "`above = df[column] > limit` is True/False per row.",
        "`above.groupby(df[group]).mean() * 100` is the percentage per group; then `.round(1)`.",
    ],
    solution=(
        "def share_above(df, group, column, limit):\n    above = df[column] > limit\n"
        "    return (above.groupby(df[group]).mean() * 100).round(1)"
    ),
    show_solution=MASTERED,
)
def share_above(ns):
    frame = pd.DataFrame({"g": ["p", "p", "p", "q"], "x": [1, 5, 7, 2]})
    got, call = _call(ns["share_above"], frame, "g", "x", 4)
    if isinstance(got, pd.Series) and dict(got) == {"p": 2, "q": 0}:
        fail(f"`{call}` gave counts; divide by the group size to get percentages")
    if isinstance(got, pd.Series) and round(float(got.get("p", 0)), 2) == 0.67:
        fail(f"`{call}` gave shares between 0 and 1; multiply by 100 for percentages")
    _series_is(got, call, {"p": 66.7, "q": 0.0})


@checks.question(
    "best-group",
    objective="compare-groups",
    hints=["`df.groupby(group)[column].median()`", "`.idxmax()` is the label of the largest value."],
    solution="def best_group(df, group, column):\n    return df.groupby(group)[column].median().idxmax()",
    show_solution=MASTERED,
)
def best_group(ns):
    frame = pd.DataFrame({"stand": ["a", "a", "a", "b", "b", "b"], "takings": [2, 3, 40, 6, 7, 8]})
    got, call = _call(ns["best_group"], frame, "stand", "takings")
    if isinstance(got, (pd.Series, pd.DataFrame)):
        fail(f"`{call}` returned a {type(got).__name__}; return the group's name (`.idxmax()`)")
    if got == "a":
        fail(f"`{call}` returned 'a': one extreme value pulls its mean; compare medians")
    if got != "b":
        fail(f"`{call}` returned {got!r}, not 'b'")


checks.single_choice(
    "table-claim",
    objective="compare-groups",
    prompt="Which statement does the table of mean body mass by species and sex support?",
    options=[
        "On average, male Gentoo penguins are heavier than female Gentoo penguins",
        "Every Gentoo penguin is heavier than every Adelie penguin",
        "Being a Gentoo makes a penguin heavy",
        "Chinstrap penguins are the lightest on every island",
    ],
    answer="On average, male Gentoo penguins are heavier than female Gentoo penguins",
    hints=["A mean says nothing about every member, about causes, or about columns not in the table."],
)

checks.single_choice(
    "counts-vs-shares",
    objective="compare-groups",
    prompt="Biscoe has 168 penguins, Torgersen 52. To compare how common females are, compare ...",
    options=[
        "the percentage of females on each island",
        "the number of females on each island",
        "the number of males on each island",
        "the total number of penguins on each island",
    ],
    answer="the percentage of females on each island",
    hints=["A bigger island has more of everything."],
)
