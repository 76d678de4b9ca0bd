"""Practice checks and quizzes for unit project (Project: an end-to-end analysis).

Each check runs the learner's step on the notebook's data (the messy export, Gapminder)
and on a small table of its own; the graded tests run it on yet other data. The written
interpretation has no check: the instructor grades it with the rubric shown in the
notebook. Worked solutions open once the unit is mastered. Public: shipped as-is to
students and the grader.
"""

import io

import numpy as np
import pandas as pd

from mastery_nb.checks import Checks, fail, not_attempted
from mastery_nb.checks.plots import (
    closing_figures,
    dot_positions,
    level_lines,
    returned_axes,
    tick_labels,
)

checks = Checks(unit="project")

MASTERED = "after_mastery"


def _function(ns, name):
    """The learner's function ``name``; not attempted while the name is something else."""
    fn = ns[name]
    if not callable(fn):
        not_attempted(
            f"`{name}` is not a function yet: write `def {name}(...)` in the answer cell and run it"
        )
    return fn


def _frame(value, call):
    if value is None:
        fail(f"`{call}` returned None: return the table")
    if not isinstance(value, pd.DataFrame):
        fail(f"`{call}` returned a {type(value).__name__}, not a DataFrame")
    return value


# -- prepare-data ----------------------------------------------------------------------


@checks.question(
    "load",
    objective="prepare-data",
    hints=[
        "`table = pd.read_csv(source)` reads a file name or a file-like object alike.",
        '`table[column] = table[column].str.strip()` for `"country"` and `"continent"`.',
    ],
    solution=(
        "def load(source):\n    table = pd.read_csv(source)\n"
        '    for column in ["country", "continent"]:\n'
        "        table[column] = table[column].str.strip()\n    return table"
    ),
    show_solution=MASTERED,
)
def load(ns):
    got = _frame(
        _function(ns, "load")(io.StringIO(ns["messy_csv"])), "load(io.StringIO(messy_csv))"
    )
    if len(got) != 7:
        fail(
            f"the messy export has 7 rows; your table has {len(got)}: only read and tidy here, clean in 1.2"
        )
    if sorted(set(got["country"])) != ["Afghanistan", "Chile", "Norway"]:
        fail("some country names still have spaces around them: `.str.strip()` the column")
    if sorted(set(got["continent"])) != ["Americas", "Asia", "Europe"]:
        fail("some continent names still have spaces around them")


@checks.question(
    "clean",
    objective="prepare-data",
    hints=[
        '`table.drop_duplicates()` removes repeated rows; `.dropna(subset=["lifeExp"])` the rows without one.',
        "Finish with `.reset_index(drop=True)`; do not change the table you were given.",
    ],
    solution=(
        "def clean(table):\n    tidy = table.drop_duplicates()\n"
        '    tidy = tidy.dropna(subset=["lifeExp"])\n    return tidy.reset_index(drop=True)'
    ),
    show_solution=MASTERED,
)
def clean(ns):
    raw = pd.read_csv(io.StringIO(ns["messy_csv"]))
    raw["country"] = raw["country"].str.strip()
    raw["continent"] = raw["continent"].str.strip()
    before = raw.copy()
    got = _frame(_function(ns, "clean")(raw), "clean(raw)")
    if not raw.equals(before):
        fail("`clean` changed the table it was given: work on a new table")
    if (got["country"] == "Afghanistan").sum() != 2:
        fail("Afghanistan's 2007 row appears twice in the export: drop repeated rows")
    if got["lifeExp"].isna().any():
        fail("a row without a life expectancy is left: drop it")
    if len(got) != 5:
        fail(f"the cleaned export should have 5 rows, not {len(got)}")
    if list(got.index) != list(range(5)):
        fail("give the cleaned table a fresh index: `reset_index(drop=True)`")


@checks.question(
    "pair-years",
    objective="prepare-data",
    hints=[
        'Two tables: `table[table["year"] == first]` and the same for `last`.',
        '`start.merge(end, on=["country", "continent"], how="inner", suffixes=("_first", "_last"))`.',
        "Rename the four columns, keep the six asked for, sort by country, reset the index.",
    ],
    solution=(
        'def pair_years(table, first, last):\n    start = table[table["year"] == first]\n'
        '    end = table[table["year"] == last]\n'
        '    both = start.merge(end, on=["country", "continent"], how="inner", suffixes=("_first", "_last"))\n'
        '    both = both.rename(columns={"lifeExp_first": "life_first", "lifeExp_last": "life_last",\n'
        '                                "gdpPercap_first": "gdp_first", "gdpPercap_last": "gdp_last"})\n'
        '    columns = ["country", "continent", "life_first", "life_last", "gdp_first", "gdp_last"]\n'
        '    return both[columns].sort_values("country").reset_index(drop=True)'
    ),
    show_solution=MASTERED,
)
def pair_years(ns):
    gapminder = ns["gapminder"]
    got = _frame(
        _function(ns, "pair_years")(gapminder, 1952, 2007), "pair_years(gapminder, 1952, 2007)"
    )
    wanted = ["country", "continent", "life_first", "life_last", "gdp_first", "gdp_last"]
    if list(got.columns) != wanted:
        fail(f"the columns should be {wanted}; yours are {list(got.columns)}")
    if len(got) != 142:
        fail(f"Gapminder has 142 countries in both 1952 and 2007; your table has {len(got)} rows")
    norway = got[got["country"] == "Norway"]
    if len(norway) != 1 or (
        float(norway["life_first"].iloc[0]),
        float(norway["life_last"].iloc[0]),
    ) != (72.67, 80.196):
        fail("Norway's row should hold its 1952 and its 2007 life expectancy")
    small = pd.DataFrame(
        {
            "country": ["Peru", "Peru", "Fiji"],
            "continent": ["Americas", "Americas", "Oceania"],
            "year": [1972, 1992, 1972],
            "lifeExp": [55.4, 66.5, 60.6],
            "pop": [1, 2, 3],
            "gdpPercap": [5.0, 6.0, 7.0],
        }
    )
    if list(_function(ns, "pair_years")(small, 1972, 1992)["country"]) != ["Peru"]:
        fail("a country with only the first year must not be kept: use an inner join")


checks.single_choice(
    "which-join",
    objective="prepare-data",
    prompt="Which join keeps exactly the countries that have a row in both years?",
    options=[
        "an inner join",
        "a left join on the 1952 rows",
        "an outer join",
        "concatenating the two years",
    ],
    answer="an inner join",
    hints=[
        "The other joins keep countries of one year that the other year lacks, with missing values."
    ],
)

checks.numeric(
    "join-rows",
    objective="prepare-data",
    prompt="150 countries in 1952, 147 of them again in 2007, none only in 2007: rows of the inner join?",
    answer=147,
    tolerance=0,
    hints=["An inner join keeps a country only when both tables have it."],
)

# -- summarise-and-plot ----------------------------------------------------------------


@checks.question(
    "continent-summary",
    objective="summarise-and-plot",
    hints=[
        '`with_gain = paired.assign(gain=paired["life_last"] - paired["life_first"])`.',
        '`with_gain.groupby("continent").agg(countries=("country", "size"), median_first=("life_first", "median"), ...)`.',
        '`.sort_values("median_gain", ascending=False)`.',
    ],
    solution=(
        "def continent_summary(paired):\n"
        '    with_gain = paired.assign(gain=paired["life_last"] - paired["life_first"])\n'
        '    summary = with_gain.groupby("continent").agg(\n        countries=("country", "size"),\n'
        '        median_first=("life_first", "median"),\n        median_last=("life_last", "median"),\n'
        '        median_gain=("gain", "median"),\n    )\n'
        '    return summary.sort_values("median_gain", ascending=False)'
    ),
    show_solution=MASTERED,
)
def continent_summary(ns):
    paired = ns["paired"]
    got = _frame(_function(ns, "continent_summary")(paired), "continent_summary(paired)")
    for column in ("countries", "median_first", "median_last", "median_gain"):
        if column not in got.columns:
            fail(f"the summary has no column {column!r}")
    if sorted(got.index) != ["Africa", "Americas", "Asia", "Europe", "Oceania"]:
        fail("the summary should have one row per continent, with the continent as the index")
    if int(got.loc["Africa", "countries"]) != 52:
        fail("`countries` should count the countries of each continent (Africa has 52)")
    gains = paired["life_last"] - paired["life_first"]
    if not np.isclose(
        got.loc["Asia", "median_gain"], gains[paired["continent"] == "Asia"].median()
    ):
        if np.isclose(
            got.loc["Asia", "median_gain"],
            got.loc["Asia", "median_last"] - got.loc["Asia", "median_first"],
        ):
            fail(
                "`median_gain` is the median of the countries' gains, not the difference of the two medians"
            )
        fail("`median_gain` is not the median of the countries' gains")
    if list(got["median_gain"]) != sorted(got["median_gain"], reverse=True):
        fail("sort the summary by `median_gain`, largest first")


@checks.question(
    "plot-gains",
    objective="summarise-and-plot",
    hints=[
        "Compute the gains, then one Series of gains per continent, in sorted order.",
        '`ax.boxplot(data, tick_labels=continents)` and `ax.set_ylabel("gain (years)")`.',
    ],
    solution=(
        "def plot_gains(paired):\n"
        '    gains = paired["life_last"] - paired["life_first"]\n'
        '    continents = sorted(paired["continent"].unique())\n'
        '    data = [gains[paired["continent"] == c] for c in continents]\n'
        "    fig, ax = plt.subplots()\n    ax.boxplot(data, tick_labels=continents)\n"
        '    ax.set_ylabel("gain (years)")\n    return ax'
    ),
    show_solution=MASTERED,
)
@closing_figures
def plot_gains(ns):
    paired = ns["paired"]
    ax = returned_axes(_function(ns, "plot_gains")(paired), "plot_gains")
    continents = sorted(paired["continent"].unique())
    if tick_labels(ax) != continents:
        fail(
            f"label the boxes with the continents in alphabetical order; they say {tick_labels(ax)}"
        )
    gains = paired["life_last"] - paired["life_first"]
    for continent in continents:
        median = gains[paired["continent"] == continent].median()
        if not any(np.isclose(median, level) for level in level_lines(ax)):
            fail(
                f"no box shows the median gain of {continent}: box the gains (last minus first), not the life expectancies"
            )
    if ax.get_ylabel() != "gain (years)":
        fail('label the y axis "gain (years)"')


@checks.question(
    "plot-first-last",
    objective="summarise-and-plot",
    hints=[
        "`low` and `high`: the smallest and largest of both columns.",
        "`ax.scatter(first, last)`, then `ax.plot([low, high], [low, high])` for the diagonal.",
    ],
    solution=(
        "def plot_first_last(paired):\n"
        '    low = min(paired["life_first"].min(), paired["life_last"].min())\n'
        '    high = max(paired["life_first"].max(), paired["life_last"].max())\n'
        "    fig, ax = plt.subplots()\n"
        '    ax.scatter(paired["life_first"], paired["life_last"])\n'
        "    ax.plot([low, high], [low, high])\n"
        '    ax.set_xlabel("life expectancy, first year")\n'
        '    ax.set_ylabel("life expectancy, last year")\n    return ax'
    ),
    show_solution=MASTERED,
)
@closing_figures
def plot_first_last(ns):
    paired = ns["paired"]
    ax = returned_axes(_function(ns, "plot_first_last")(paired), "plot_first_last")
    dots = dot_positions(ax)
    if dots.shape != (len(paired), 2) or not np.allclose(dots[:, 0], paired["life_first"]):
        fail("draw one dot per country, `life_first` across and `life_last` up")
    low = min(paired["life_first"].min(), paired["life_last"].min())
    high = max(paired["life_first"].max(), paired["life_last"].max())
    diagonal = [
        line
        for line in ax.lines
        if len(line.get_xdata()) >= 2
        and np.allclose(np.asarray(line.get_xdata(), float), np.asarray(line.get_ydata(), float))
        and np.isclose(min(line.get_xdata()), low)
        and np.isclose(max(line.get_xdata()), high)
    ]
    if not diagonal:
        fail(
            "draw the diagonal y = x from the smallest to the largest life expectancy of both years"
        )
    if (ax.get_xlabel(), ax.get_ylabel()) != (
        "life expectancy, first year",
        "life expectancy, last year",
    ):
        fail("label the axes as the exercise says")


checks.single_choice(
    "poorer-gained",
    objective="summarise-and-plot",
    prompt="Which plot shows best whether the countries poorer in 1952 gained more years?",
    options=[
        "a scatter plot of GDP per person in 1952 (log scale) against the gain",
        "a bar chart of the median gain per continent",
        "a histogram of the gains",
        "a line chart of the gains in alphabetical order of the countries",
    ],
    answer="a scatter plot of GDP per person in 1952 (log scale) against the gain",
    hints=["Two numbers per country: does one go with the other?"],
)

checks.single_choice(
    "why-median",
    objective="summarise-and-plot",
    prompt="Why does the summary use each continent's median gain rather than its mean gain?",
    options=[
        "a few countries with extreme gains or losses pull the mean but hardly the median",
        "the median is always larger",
        "pandas cannot compute the mean of a group",
        "the mean would count large countries more",
    ],
    answer="a few countries with extreme gains or losses pull the mean but hardly the median",
    hints=["Change one country's gain to −50 years: what happens to the mean and to the median?"],
)

# -- interpret-results ----------------------------------------------------------------


@checks.question(
    "headline",
    objective="interpret-results",
    hints=[
        '`gap_first = summary["median_first"].max() - summary["median_first"].min()`; the same for the last year.',
        'Return `f"The gap between continents went from {gap_first:.1f} to {gap_last:.1f} years."`.',
    ],
    solution=(
        "def headline(summary):\n"
        '    gap_first = summary["median_first"].max() - summary["median_first"].min()\n'
        '    gap_last = summary["median_last"].max() - summary["median_last"].min()\n'
        '    return f"The gap between continents went from {gap_first:.1f} to {gap_last:.1f} years."'
    ),
    show_solution=MASTERED,
)
def headline(ns):
    fn = _function(ns, "headline")
    table = pd.DataFrame(
        {"median_first": [50.0, 45.5, 61.25], "median_last": [70.0, 64.0, 73.0]}, index=list("abc")
    )
    got = fn(table)
    if not isinstance(got, str):
        fail(f"`headline` should return the sentence as a string, not a {type(got).__name__}")
    if not got.startswith("The gap between continents went from ") or not got.endswith(" years."):
        fail("return exactly the sentence of the exercise, with the two numbers in it")
    if got != "The gap between continents went from 15.8 to 9.0 years.":
        fail(
            "on a small summary the numbers are off: largest minus smallest median of each year, one decimal"
        )


@checks.question(
    "people-average",
    objective="interpret-results",
    hints=[
        '`rows = table[table["year"] == year]`.',
        '`round(float(np.average(rows["lifeExp"], weights=rows["pop"])), 2)`.',
    ],
    solution=(
        'def people_average(table, year):\n    rows = table[table["year"] == year]\n'
        '    return round(float(np.average(rows["lifeExp"], weights=rows["pop"])), 2)'
    ),
    show_solution=MASTERED,
)
def people_average(ns):
    fn = _function(ns, "people_average")
    table = pd.DataFrame(
        {"year": [1977, 1977, 1982], "lifeExp": [40.0, 80.0, 10.0], "pop": [1, 3, 100]}
    )
    got = fn(table, 1977)
    if got == 60.0:
        fail("that is the plain mean of the countries: weight each by its population")
    if got == round(float(np.average([40.0, 80.0, 10.0], weights=[1, 3, 100])), 2):
        fail("use only the rows of the year asked")
    if got != 70.0:
        fail("the population-weighted mean of a small table is off")


@checks.question(
    "fell",
    objective="interpret-results",
    hints=[
        '`paired[paired["life_last"] < paired["life_first"]]`, then `sorted(...)` of its countries.'
    ],
    solution=(
        "def fell(paired):\n"
        '    lower = paired[paired["life_last"] < paired["life_first"]]\n'
        '    return sorted(lower["country"])'
    ),
    show_solution=MASTERED,
)
def fell(ns):
    fn = _function(ns, "fell")
    table = pd.DataFrame(
        {
            "country": ["Uruk", "Ebla", "Mari"],
            "life_first": [50.0, 40.0, 45.0],
            "life_last": [49.0, 48.0, 44.0],
        }
    )
    got = fn(table)
    if not isinstance(got, list):
        fail(f"return a list of countries, not a {type(got).__name__}")
    if got == ["Ebla"]:
        fail("those are the countries that rose: keep those whose last value is lower")
    if got != ["Mari", "Uruk"]:
        fail("return the countries whose life expectancy fell, sorted")


checks.single_choice(
    "supported-claim",
    objective="interpret-results",
    prompt="Which claim do the summary, the plots and the headline support?",
    options=[
        "life expectancy rose on every continent, but the gap between continents narrowed only a little",
        "the gap between continents closed",
        "life expectancy rose in every country",
        "richer countries gained more years because they were richer",
    ],
    answer="life expectancy rose on every continent, but the gap between continents narrowed only a little",
    hints=[
        "Check each claim against a number: the two gaps, the countries that fell, and what a summary can say about causes."
    ],
)

checks.multiple_choice(
    "analysis-limits",
    objective="interpret-results",
    prompt="Which are real limits of this analysis?",
    options=[
        "medians of countries count a small country as much as a large one",
        "two years say nothing about what happened in between",
        "the data cannot show why life expectancy changed",
        "the gap was computed from medians, so it is wrong",
    ],
    answer=[
        "medians of countries count a small country as much as a large one",
        "two years say nothing about what happened in between",
        "the data cannot show why life expectancy changed",
    ],
    hints=[
        "A limit says what the evidence cannot show; a choice that fits the question is not an error."
    ],
)
