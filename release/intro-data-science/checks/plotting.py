"""Practice checks and quizzes for unit plotting (Plotting to answer a question).

Each check calls the learner's plotting function on the notebook's data and on one small
table of its own, then reads what the returned Axes shows (bars, lines, dots, labels),
never pixels. The graded tests do the same on yet other tables. Figures a check opens are
closed again, so checking never fills the notebook with plots. Worked solutions open once
the unit is mastered. Public: shipped as-is to students and the grader.
"""

import numpy as np
import pandas as pd

from mastery_nb.checks import Checks, fail
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

checks = Checks(unit="plotting")

MASTERED = "after_mastery"


def _labels(ax, name, x=None, y=None):
    if x is not None and ax.get_xlabel() != x:
        fail(
            f"label the x axis of `{name}`'s plot with {x!r} (`ax.set_xlabel(...)`); it says {ax.get_xlabel()!r}"
        )
    if y is not None and ax.get_ylabel() != y:
        fail(
            f"label the y axis of `{name}`'s plot with {y!r} (`ax.set_ylabel(...)`); it says {ax.get_ylabel()!r}"
        )


# -- bar-line-charts -----------------------------------------------------------------


@checks.question(
    "bar-of-counts",
    objective="bar-line-charts",
    hints=[
        "`counts = table[column].value_counts()` counts the rows per value, largest first.",
        '`ax.bar(counts.index, counts.values)`, then `ax.set_xlabel(column)` and `ax.set_ylabel("count")`.',
    ],
    solution=(
        "def bar_of_counts(table, column):\n    counts = table[column].value_counts()\n"
        "    fig, ax = plt.subplots()\n    ax.bar(counts.index, counts.values)\n"
        '    ax.set_xlabel(column)\n    ax.set_ylabel("count")\n    return ax'
    ),
    show_solution=MASTERED,
)
@closing_figures
def bar_of_counts(ns):
    fn = ns["bar_of_counts"]
    penguins = ns["penguins"]
    ax = returned_axes(fn(penguins, "island"), "bar_of_counts")
    if not ax.patches:
        fail('`bar_of_counts(penguins, "island")` drew no bars: use `ax.bar(...)`')
    if bar_heights(ax) != [168.0, 124.0, 52.0]:
        fail(
            'the bars of `bar_of_counts(penguins, "island")` are not the numbers of penguins per '
            "island, largest first; use `value_counts()`"
        )
    if tick_labels(ax) != ["Biscoe", "Dream", "Torgersen"]:
        fail(
            "each bar should be labelled with its island: pass the values as the bars' x positions"
        )
    _labels(ax, "bar_of_counts", x="island", y="count")
    other = pd.DataFrame({"fruit": ["yuzu", "yuzu", "sloe", "yuzu", "sloe", "akee"]})
    ax = returned_axes(fn(other, "fruit"), "bar_of_counts")
    if bar_heights(ax) == [1.0, 2.0, 3.0]:
        fail(
            "on a table of fruits the bars go from smallest to largest: put the largest count first"
        )
    if bar_heights(ax) != [3.0, 2.0, 1.0]:
        fail("on a table of fruits the bars are not the counts, largest first")
    if ax.get_xlabel() != "fruit":
        fail(
            'on a table of fruits the x label is not "fruit": label the axis with the `column` parameter'
        )


@checks.question(
    "line-over-years",
    objective="bar-line-charts",
    hints=[
        "Sort first: `ordered = table.sort_values(x)`.",
        "`ax.plot(ordered[x], ordered[y])`, then label both axes with the column names.",
    ],
    solution=(
        "def line_over_years(table, x, y):\n    ordered = table.sort_values(x)\n"
        "    fig, ax = plt.subplots()\n    ax.plot(ordered[x], ordered[y])\n"
        "    ax.set_xlabel(x)\n    ax.set_ylabel(y)\n    return ax"
    ),
    show_solution=MASTERED,
)
@closing_figures
def line_over_years(ns):
    fn = ns["line_over_years"]
    renewables = ns["renewables"]
    ax = returned_axes(fn(renewables, "year", "net_generation"), "line_over_years")
    lines = line_heights(ax)
    if len(lines) != 1:
        fail(f"the plot should have one line; it has {len(lines)} (use `ax.plot(...)` once)")
    wanted = [float(v) for v in renewables.sort_values("year")["net_generation"]]
    if lines[0] == [float(v) for v in renewables["net_generation"]]:
        fail("the line goes through the rows in the table's order: sort the table by `x` first")
    if lines[0] != wanted:
        fail("the line's heights are not the column `y` of the table sorted by `x`")
    _labels(ax, "line_over_years", x="year", y="net_generation")
    laps = pd.DataFrame({"lap": [2, 1, 3], "seconds": [61.0, 64.5, 60.0]})
    ax = returned_axes(fn(laps, "lap", "seconds"), "line_over_years")
    if line_heights(ax) != [[64.5, 61.0, 60.0]] or ax.get_ylabel() != "seconds":
        fail(
            "on a table of lap times the line or the labels are wrong: use the parameters `x` and `y`"
        )


@checks.question(
    "two-lines",
    objective="bar-line-charts",
    hints=[
        "Call `ax.plot(ordered[x], ordered[y1], label=y1)` and the same for `y2`.",
        "`ax.legend()` shows the labels; `ax.set_xlabel(x)` names the x axis.",
    ],
    solution=(
        "def two_lines(table, x, y1, y2):\n    ordered = table.sort_values(x)\n"
        "    fig, ax = plt.subplots()\n    ax.plot(ordered[x], ordered[y1], label=y1)\n"
        "    ax.plot(ordered[x], ordered[y2], label=y2)\n    ax.set_xlabel(x)\n"
        "    ax.legend()\n    return ax"
    ),
    show_solution=MASTERED,
)
@closing_figures
def two_lines(ns):
    fn = ns["two_lines"]
    january = ns["january"]
    ax = returned_axes(fn(january, "day", "temp_max", "temp_min"), "two_lines")
    lines = line_heights(ax)
    if len(lines) != 2:
        fail(f"the plot should have two lines on one Axes; it has {len(lines)}")
    ordered = january.sort_values("day")
    if lines != [list(ordered["temp_max"]), list(ordered["temp_min"])]:
        fail("the lines should be `y1` then `y2`, each through the rows sorted by `x`")
    if legend_texts(ax) != ["temp_max", "temp_min"]:
        fail("give each line `label=` its column's name and call `ax.legend()`")
    _labels(ax, "two_lines", x="day")


checks.single_choice(
    "bar-from-zero",
    objective="bar-line-charts",
    prompt="Why should the value axis of a bar chart start at 0?",
    options=[
        "the length of a bar shows its value, so a cut axis exaggerates differences",
        "matplotlib cannot draw bars that start elsewhere",
        "so that the bars are all the same width",
        "because counts are never negative",
    ],
    answer="the length of a bar shows its value, so a cut axis exaggerates differences",
    hints=["Compare two bars of 100 and 110 on an axis that starts at 95."],
)

checks.single_choice(
    "misleading-line",
    objective="bar-line-charts",
    prompt="Which of these would be misleading drawn as a line chart?",
    options=[
        "the number of penguins measured on each of three islands",
        "Iowa's electricity from wind in each year from 2001 to 2017",
        "Seattle's highest temperature on each day of a month",
        "the price of a ticket in each month of a year",
    ],
    answer="the number of penguins measured on each of three islands",
    hints=[
        "A line joins neighbours: it says that something lies *between* them. Is there anything between two islands?"
    ],
)

# -- plot-distributions --------------------------------------------------------------


@checks.question(
    "histogram-of",
    objective="plot-distributions",
    hints=[
        "`values = table[column].dropna()` first: a histogram cannot place a missing value.",
        '`ax.hist(values, bins=bins)`, then the labels `column` and `"count"`.',
    ],
    solution=(
        "def histogram_of(table, column, bins):\n    values = table[column].dropna()\n"
        "    fig, ax = plt.subplots()\n    ax.hist(values, bins=bins)\n"
        '    ax.set_xlabel(column)\n    ax.set_ylabel("count")\n    return ax'
    ),
    show_solution=MASTERED,
)
@closing_figures
def histogram_of(ns):
    fn = ns["histogram_of"]
    penguins = ns["penguins"]
    ax = returned_axes(fn(penguins, "body_mass_g", 25), "histogram_of")
    if len(ax.patches) != 25:
        fail(
            f'`histogram_of(penguins, "body_mass_g", 25)` drew {len(ax.patches)} bars, not 25: pass `bins=bins`'
        )
    if sum(bar_heights(ax)) != penguins["body_mass_g"].notna().sum():
        fail("the bars do not add up to the number of penguins whose mass is known")
    _labels(ax, "histogram_of", x="body_mass_g", y="count")
    drops = pd.DataFrame({"mm": [0.5, 1.0, np.nan, 2.5, 4.0, 4.5]})
    ax = returned_axes(fn(drops, "mm", 4), "histogram_of")
    if len(ax.patches) != 4 or sum(bar_heights(ax)) != 5:
        fail(
            "on a small table with a missing value, the bars are wrong: drop missing values, use `bins`"
        )


@checks.question(
    "box-by-group",
    objective="plot-distributions",
    hints=[
        "`names = sorted(table[group].dropna().unique())` gives the groups in order.",
        "Make a list with one Series per group, `table.loc[table[group] == name, value].dropna()`.",
        "`ax.boxplot(data, tick_labels=names)`, then `ax.set_ylabel(value)`.",
    ],
    solution=(
        "def box_by_group(table, group, value):\n"
        "    names = sorted(table[group].dropna().unique())\n"
        "    data = [table.loc[table[group] == n, value].dropna() for n in names]\n"
        "    fig, ax = plt.subplots()\n    ax.boxplot(data, tick_labels=names)\n"
        "    ax.set_ylabel(value)\n    return ax"
    ),
    show_solution=MASTERED,
)
@closing_figures
def box_by_group(ns):
    fn = ns["box_by_group"]
    penguins = ns["penguins"]
    ax = returned_axes(fn(penguins, "species", "bill_length_mm"), "box_by_group")
    names = sorted(penguins["species"].unique())
    if tick_labels(ax) != names:
        fail(f"label the boxes with the species in alphabetical order; they say {tick_labels(ax)}")
    flat = level_lines(ax)
    for name in names:
        median = penguins.loc[penguins["species"] == name, "bill_length_mm"].median()
        if not any(np.isclose(median, f) for f in flat):
            fail(
                f"no box shows the median bill length of {name}: draw `ax.boxplot` of each group's values, missing values dropped"
            )
    _labels(ax, "box_by_group", y="bill_length_mm")


@checks.question(
    "histograms-by-group",
    objective="plot-distributions",
    hints=[
        "`edges = np.linspace(values.min(), values.max(), bins + 1)` from all non-missing values.",
        "Loop over the sorted group names: `ax.hist(part, bins=edges, alpha=0.5, label=name)`.",
        "Finish with `ax.set_xlabel(value)` and `ax.legend()`.",
    ],
    solution=(
        "def histograms_by_group(table, group, value, bins):\n    values = table[value].dropna()\n"
        "    edges = np.linspace(values.min(), values.max(), bins + 1)\n    fig, ax = plt.subplots()\n"
        "    for name in sorted(table[group].dropna().unique()):\n"
        "        part = table.loc[table[group] == name, value].dropna()\n"
        "        ax.hist(part, bins=edges, alpha=0.5, label=name)\n"
        "    ax.set_xlabel(value)\n    ax.legend()\n    return ax"
    ),
    show_solution=MASTERED,
)
@closing_figures
def histograms_by_group(ns):
    fn = ns["histograms_by_group"]
    penguins = ns["penguins"]
    ax = returned_axes(fn(penguins, "sex", "body_mass_g", 20), "histograms_by_group")
    if len(ax.patches) != 40:
        fail(f"two groups of 20 bins make 40 bars; the plot has {len(ax.patches)}")
    lefts = {round(float(p.get_x()), 6) for p in ax.patches}
    if len(lefts) != 20:
        fail("the two histograms do not share their bins: pass the same `edges` to both")
    known = penguins.dropna(subset=["sex", "body_mass_g"])
    if sum(bar_heights(ax)) != len(known):
        fail("the bars do not add up to the penguins with a known sex and mass")
    if legend_texts(ax) != ["female", "male"]:
        fail(
            "label each histogram with its group (`label=name`), in alphabetical order, and call `ax.legend()`"
        )
    _labels(ax, "histograms_by_group", x="body_mass_g")


checks.single_choice(
    "box-middle-line",
    objective="plot-distributions",
    prompt="In a box plot, what does the line inside the box show?",
    options=["the median", "the mean", "the most common value", "the middle of the range"],
    answer="the median",
    hints=["Half of the values lie below it and half above."],
)

checks.single_choice(
    "two-peaks",
    objective="plot-distributions",
    prompt="The histogram of all the penguins' body masses has two humps. What is the most likely reason?",
    options=[
        "it mixes groups of different sizes, such as species, each with its own hump",
        "too many bins were used",
        "the masses were measured wrongly",
        "body masses always have two peaks",
    ],
    answer="it mixes groups of different sizes, such as species, each with its own hump",
    hints=["Draw the histogram per species (exercise 2.3 does it per sex) and look again."],
)

# -- scatter-plots ---------------------------------------------------------------------


@checks.question(
    "scatter-of",
    objective="scatter-plots",
    hints=[
        "`rows = table.dropna(subset=[x, y])` keeps the rows that have both values.",
        "`ax.scatter(rows[x], rows[y])`, then label the axes with `x` and `y`.",
    ],
    solution=(
        "def scatter_of(table, x, y):\n    rows = table.dropna(subset=[x, y])\n"
        "    fig, ax = plt.subplots()\n    ax.scatter(rows[x], rows[y])\n"
        "    ax.set_xlabel(x)\n    ax.set_ylabel(y)\n    return ax"
    ),
    show_solution=MASTERED,
)
@closing_figures
def scatter_of(ns):
    fn = ns["scatter_of"]
    penguins = ns["penguins"]
    ax = returned_axes(fn(penguins, "body_mass_g", "flipper_length_mm"), "scatter_of")
    dots = dot_positions(ax)
    if not len(dots):
        fail("the plot has no dots: use `ax.scatter(...)`")
    rows = penguins.dropna(subset=["body_mass_g", "flipper_length_mm"])
    if dots.shape != (len(rows), 2) or not np.allclose(
        dots, rows[["body_mass_g", "flipper_length_mm"]]
    ):
        fail("the dots should be (x, y) for every row with both values; check which column is x")
    _labels(ax, "scatter_of", x="body_mass_g", y="flipper_length_mm")
    trees = pd.DataFrame({"age": [5.0, np.nan, 20.0], "height": [2.0, 3.0, 7.5]})
    if len(dot_positions(returned_axes(fn(trees, "age", "height"), "scatter_of"))) != 2:
        fail(
            "on a table where one age is missing, the plot should have two dots: leave out incomplete rows"
        )


@checks.question(
    "scatter-by-group",
    objective="scatter-plots",
    hints=[
        "Drop incomplete rows, then loop over `sorted(rows[group].unique())`.",
        "In the loop: `part = rows[rows[group] == name]` and `ax.scatter(part[x], part[y], label=name)`.",
        "After the loop: label both axes and call `ax.legend()`.",
    ],
    solution=(
        "def scatter_by_group(table, x, y, group):\n    rows = table.dropna(subset=[x, y])\n"
        "    fig, ax = plt.subplots()\n    for name in sorted(rows[group].dropna().unique()):\n"
        "        part = rows[rows[group] == name]\n        ax.scatter(part[x], part[y], label=name)\n"
        "    ax.set_xlabel(x)\n    ax.set_ylabel(y)\n    ax.legend()\n    return ax"
    ),
    show_solution=MASTERED,
)
@closing_figures
def scatter_by_group(ns):
    fn = ns["scatter_by_group"]
    penguins = ns["penguins"]
    ax = returned_axes(
        fn(penguins, "bill_length_mm", "bill_depth_mm", "species"), "scatter_by_group"
    )
    groups = [c for c in ax.collections if len(c.get_offsets())]
    if len(groups) != 3:
        fail(f"call `ax.scatter` once per species: the plot has {len(groups)} sets of dots, not 3")
    rows = penguins.dropna(subset=["bill_length_mm", "bill_depth_mm"])
    for collection, name in zip(groups, sorted(rows["species"].unique()), strict=True):
        if len(collection.get_offsets()) != (rows["species"] == name).sum():
            fail(
                f"the dots of {name} are not its rows: draw the groups in alphabetical order, incomplete rows left out"
            )
    if legend_texts(ax) != ["Adelie", "Chinstrap", "Gentoo"]:
        fail("give each group's dots `label=name` and call `ax.legend()`")
    _labels(ax, "scatter_by_group", x="bill_length_mm", y="bill_depth_mm")


@checks.question(
    "log-scatter",
    objective="scatter-plots",
    hints=['Draw the scatter as in exercise 3.1, then `ax.set_xscale("log")`.'],
    solution=(
        "def log_scatter(table, x, y):\n    rows = table.dropna(subset=[x, y])\n"
        "    fig, ax = plt.subplots()\n    ax.scatter(rows[x], rows[y])\n"
        '    ax.set_xscale("log")\n    ax.set_xlabel(x)\n    ax.set_ylabel(y)\n    return ax'
    ),
    show_solution=MASTERED,
)
@closing_figures
def log_scatter(ns):
    fn = ns["log_scatter"]
    countries = ns["countries_2007"]
    ax = returned_axes(fn(countries, "gdpPercap", "lifeExp"), "log_scatter")
    if len(dot_positions(ax)) != len(countries):
        fail("draw one dot per country with `ax.scatter`")
    if ax.get_xscale() != "log":
        fail('the x axis is not logarithmic: `ax.set_xscale("log")`')
    if ax.get_yscale() != "linear":
        fail("only the x axis should be logarithmic")
    _labels(ax, "log_scatter", x="gdpPercap", y="lifeExp")


checks.single_choice(
    "falling-dots",
    objective="scatter-plots",
    prompt="Cars' weight (x) against miles per gallon (y) falls from top left to bottom right. What does it show?",
    options=[
        "heavier cars tend to go fewer miles per gallon",
        "heavier cars tend to go more miles per gallon",
        "weight and fuel use are not related",
        "every heavy car uses more fuel than every light car",
    ],
    answer="heavier cars tend to go fewer miles per gallon",
    hints=[
        "Move right (heavier): where do the dots go, up or down? And is that true of *every* car?"
    ],
)

checks.single_choice(
    "why-log-scale",
    objective="scatter-plots",
    prompt="Why did income against life expectancy become clearer with a logarithmic x axis?",
    options=[
        "incomes span several powers of ten, and a log axis gives each factor of 10 the same room",
        "a log axis removes the outliers",
        "a log axis makes the relationship stronger",
        "life expectancy is measured in years",
    ],
    answer="incomes span several powers of ten, and a log axis gives each factor of 10 the same room",
    hints=["On the ordinary axis, where are most of the poorer countries squeezed?"],
)

# -- choose-plot -----------------------------------------------------------------------


@checks.question(
    "plot-kind",
    objective="choose-plot",
    hints=[
        "Handle `y is None` first: numeric `x` gives a histogram, text a bar chart.",
        "With `y`: test dates first (`is_datetime64_any_dtype`), then numbers (`is_numeric_dtype`).",
    ],
    solution=(
        "from pandas.api.types import is_datetime64_any_dtype, is_numeric_dtype\n\n\n"
        "def plot_kind(table, x, y=None):\n    if y is None:\n"
        '        return "histogram" if is_numeric_dtype(table[x]) else "bar"\n'
        '    if is_datetime64_any_dtype(table[x]):\n        return "line"\n'
        '    if is_numeric_dtype(table[x]):\n        return "scatter"\n    return "box"'
    ),
    show_solution=MASTERED,
)
def plot_kind(ns):
    fn = ns["plot_kind"]
    penguins, weather = ns["penguins"], ns["weather"]
    cases = [
        ((penguins, "island"), "bar", "one text column"),
        ((penguins, "body_mass_g"), "histogram", "one numeric column"),
        ((weather, "date", "wind"), "line", "dates and a number"),
        ((penguins, "bill_length_mm", "body_mass_g"), "scatter", "two numeric columns"),
        ((penguins, "species", "body_mass_g"), "box", "groups and a number"),
    ]
    for args, wanted, what in cases:
        got = fn(*args)
        if got not in ("bar", "histogram", "line", "scatter", "box"):
            fail(f"`plot_kind` returned {got!r}; return one of the five names, as a string")
        if got != wanted:
            fail(
                f"for {what} (`plot_kind(..., {', '.join(repr(a) for a in args[1:])})`) your rule chose {got!r}"
            )


@checks.question(
    "draw-plot",
    objective="choose-plot",
    hints=[
        "Start with `kind = plot_kind(table, x, y)`.",
        "Then one `if` per kind, each returning what your earlier function returns.",
    ],
    solution=(
        "def draw_plot(table, x, y=None):\n    kind = plot_kind(table, x, y)\n"
        '    if kind == "bar":\n        return bar_of_counts(table, x)\n'
        '    if kind == "histogram":\n        return histogram_of(table, x, 10)\n'
        '    if kind == "line":\n        return line_over_years(table, x, y)\n'
        '    if kind == "scatter":\n        return scatter_of(table, x, y)\n'
        "    return box_by_group(table, x, y)"
    ),
    show_solution=MASTERED,
)
@closing_figures
def draw_plot(ns):
    fn = ns["draw_plot"]
    penguins, weather = ns["penguins"], ns["weather"]
    if not returned_axes(fn(penguins, "island"), "draw_plot").patches:
        fail('`draw_plot(penguins, "island")` should draw a bar chart of the counts')
    if len(returned_axes(fn(penguins, "flipper_length_mm"), "draw_plot").patches) != 10:
        fail('`draw_plot(penguins, "flipper_length_mm")` should draw a histogram with 10 bins')
    if len(line_heights(returned_axes(fn(weather, "date", "wind"), "draw_plot"))) != 1:
        fail('`draw_plot(weather, "date", "wind")` should draw one line')
    if not len(
        dot_positions(returned_axes(fn(penguins, "bill_length_mm", "body_mass_g"), "draw_plot"))
    ):
        fail("two numeric columns should give a scatter plot")
    if tick_labels(returned_axes(fn(penguins, "island", "body_mass_g"), "draw_plot")) != [
        "Biscoe",
        "Dream",
        "Torgersen",
    ]:
        fail("groups and a number should give one box per group")


_KINDS = ["bar chart", "line chart", "histogram", "scatter plot", "box plots side by side"]

checks.single_choice(
    "choose-wind",
    objective="choose-plot",
    prompt="Has electricity from renewable sources grown in Iowa since 2001?",
    options=_KINDS,
    answer="line chart",
    hints=["The question is about change over an ordered variable."],
)

checks.single_choice(
    "choose-island",
    objective="choose-plot",
    prompt="On which island were the most penguins measured?",
    options=_KINDS,
    answer="bar chart",
    hints=["One category per island, and a count for each."],
)

checks.single_choice(
    "choose-cars",
    objective="choose-plot",
    prompt="Do heavier cars go fewer miles per gallon?",
    options=_KINDS,
    answer="scatter plot",
    hints=["Two numbers per car: do they go together?"],
)

checks.single_choice(
    "choose-flippers",
    objective="choose-plot",
    prompt="How do flipper lengths differ between the three penguin species?",
    options=_KINDS,
    answer="box plots side by side",
    hints=["A number (the length) compared across groups (the species)."],
)
