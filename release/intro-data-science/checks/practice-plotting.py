"""Checked practice of the correctives and challenges of unit plotting.

Used by ``resources/plotting/*.ipynb`` (``load_checks("practice-plotting")``). Each check
calls the learner's function on small tables of its own and reads the returned Axes.
Practice only: nothing here is graded; worked solutions (whole functions with their
imports, so the content tests can run them) open after two checks.
"""

import numpy as np
import pandas as pd
from matplotlib.axes import Axes

from mastery_nb.checks import Checks, fail
from mastery_nb.checks.plots import (
    bar_heights,
    closing_figures,
    legend_texts,
    level_lines,
    line_heights,
    returned_axes,
    tick_labels,
)

checks = Checks(unit="practice-plotting")

AFTER_TWO = "after_attempts:2"


# -- bar-line-charts -------------------------------------------------------------------


@checks.question(
    "cylinder-bars",
    objective="bar-line-charts",
    hints=[
        "`value_counts()` then `.sort_index()` puts the cylinder numbers in order.",
        "Turn the numbers into text for the bar positions: `[str(c) for c in per_count.index]`.",
    ],
    solution=(
        "import matplotlib.pyplot as plt\n\n\ndef cylinder_bars(table):\n"
        '    per_count = table["Cylinders"].value_counts().sort_index()\n'
        "    fig, ax = plt.subplots()\n"
        "    ax.bar([str(c) for c in per_count.index], per_count.values)\n"
        '    ax.set_xlabel("cylinders")\n    ax.set_ylabel("cars")\n    return ax'
    ),
    show_solution=AFTER_TWO,
)
@closing_figures
def cylinder_bars(ns):
    table = pd.DataFrame({"Cylinders": [8, 4, 4, 6, 4, 8, 3]})
    ax = returned_axes(ns["cylinder_bars"](table), "cylinder_bars")
    heights = bar_heights(ax)
    if heights == [3.0, 2.0, 1.0, 1.0]:
        fail("the bars are in order of their counts; put them in order of the number of cylinders")
    if heights != [1.0, 3.0, 1.0, 2.0]:
        fail(
            "on cars with 8, 4, 4, 6, 4, 8 and 3 cylinders the bars are not the counts per cylinder number"
        )
    if tick_labels(ax) != ["3", "4", "6", "8"]:
        fail("label the bars 3, 4, 6, 8: pass the cylinder numbers as text")
    if not ax.get_xlabel() or not ax.get_ylabel():
        fail("label both axes")


@checks.question(
    "jobs-line",
    objective="bar-line-charts",
    hints=[
        'Sort by the month: `by_month = table.sort_values("month")`.',
        '`ax.plot(by_month["month"], by_month[column])`, and label the y axis with `column`.',
    ],
    solution=(
        "import matplotlib.pyplot as plt\n\n\ndef jobs_line(table, column):\n"
        '    by_month = table.sort_values("month")\n    fig, ax = plt.subplots()\n'
        '    ax.plot(by_month["month"], by_month[column])\n'
        '    ax.set_xlabel("month")\n    ax.set_ylabel(column)\n    return ax'
    ),
    show_solution=AFTER_TWO,
)
@closing_figures
def jobs_line(ns):
    table = pd.DataFrame(
        {
            "month": pd.to_datetime(["2009-03-01", "2009-01-01", "2009-02-01"]),
            "mining": [700.0, 800.0, 750.0],
            "retail": [14.0, 15.0, 14.5],
        }
    )
    ax = returned_axes(ns["jobs_line"](table, "retail"), "jobs_line")
    if line_heights(ax) == [[14.0, 15.0, 14.5]]:
        fail("the line follows the table's order; sort the rows by month first")
    if line_heights(ax) != [[15.0, 14.5, 14.0]]:
        fail("draw one line of `column`, through the months in order")
    if ax.get_ylabel() != "retail" or ax.get_xlabel() != "month":
        fail("label the x axis 'month' and the y axis with the column's name")


@checks.question(
    "indexed-lines",
    objective="bar-line-charts",
    hints=[
        "Sort by month; for each column, `share = 100 * series / series.iloc[0]`.",
        "Plot each with `label=column`, then `ax.legend()`.",
    ],
    solution=(
        "import matplotlib.pyplot as plt\n\n\ndef indexed_lines(table, columns):\n"
        '    by_month = table.sort_values("month")\n    fig, ax = plt.subplots()\n'
        "    for column in columns:\n        series = by_month[column]\n"
        '        ax.plot(by_month["month"], 100 * series / series.iloc[0], label=column)\n'
        '    ax.set_ylabel("first month = 100")\n    ax.legend()\n    return ax'
    ),
    show_solution=AFTER_TWO,
)
@closing_figures
def indexed_lines(ns):
    table = pd.DataFrame(
        {
            "month": pd.to_datetime(["2010-02-01", "2010-01-01", "2010-03-01"]),
            "farms": [45.0, 50.0, 60.0],
            "mines": [2.2, 2.0, 1.0],
        }
    )
    ax = returned_axes(ns["indexed_lines"](table, ["mines", "farms"]), "indexed_lines")
    got = [[round(v, 6) for v in ys] for ys in line_heights(ax)]
    if got != [[100.0, 110.0, 50.0], [100.0, 90.0, 120.0]]:
        fail(
            "each line should start at 100 and follow its column in month order, in the order of `columns`"
        )
    if legend_texts(ax) != ["mines", "farms"]:
        fail("label each line with its column and show a legend")


# -- plot-distributions ----------------------------------------------------------------


@checks.question(
    "wind-histogram",
    objective="plot-distributions",
    hints=["`ax.hist(series.dropna(), bins=bins)`; label the x axis with `series.name`."],
    solution=(
        "import matplotlib.pyplot as plt\n\n\ndef wind_histogram(series, bins):\n"
        "    fig, ax = plt.subplots()\n    ax.hist(series.dropna(), bins=bins)\n"
        '    ax.set_xlabel(series.name)\n    ax.set_ylabel("days")\n    return ax'
    ),
    show_solution=AFTER_TWO,
)
@closing_figures
def wind_histogram(ns):
    series = pd.Series([1.5, 2.0, np.nan, 3.5, 2.5, 6.0], name="gust")
    ax = returned_axes(ns["wind_histogram"](series, 3), "wind_histogram")
    if len(ax.patches) != 3:
        fail("draw `bins` bars")
    if sum(p.get_height() for p in ax.patches) != 5:
        fail("the bars should count every value that is not missing, once")
    if ax.get_xlabel() != "gust":
        fail("label the x axis with the series' name, `series.name`")


@checks.question(
    "boxes-from-dict",
    objective="plot-distributions",
    hints=["`ax.boxplot(list(groups.values()), tick_labels=list(groups.keys()))`."],
    solution=(
        "import matplotlib.pyplot as plt\n\n\ndef boxes_from_dict(groups):\n"
        "    fig, ax = plt.subplots()\n"
        "    ax.boxplot(list(groups.values()), tick_labels=list(groups.keys()))\n    return ax"
    ),
    show_solution=AFTER_TWO,
)
@closing_figures
def boxes_from_dict(ns):
    groups = {"sun": [14.0, 18.0, 22.0], "fog": [8.0, 9.0, 10.0, 30.0]}
    ax = returned_axes(ns["boxes_from_dict"](groups), "boxes_from_dict")
    if tick_labels(ax) != ["sun", "fog"]:
        fail("label the boxes with the dictionary's keys, in its order")
    flat = set(level_lines(ax))
    if not {18.0, 9.5} <= flat:
        fail(
            "the boxes' middle lines are not the groups' medians: pass the lists of values to `ax.boxplot`"
        )


@checks.question(
    "width-bins",
    objective="plot-distributions",
    hints=[
        "`low = np.floor(values.min() / width) * width`, `high = np.ceil(values.max() / width) * width`.",
        "`np.arange(low, high + width / 2, width)` gives the edges; `ax.hist(values, bins=edges)`.",
    ],
    solution=(
        "import matplotlib.pyplot as plt\nimport numpy as np\n\n\ndef width_bins(values, width):\n"
        "    values = values.dropna()\n    low = np.floor(values.min() / width) * width\n"
        "    high = np.ceil(values.max() / width) * width\n"
        "    edges = np.arange(low, high + width / 2, width)\n    fig, ax = plt.subplots()\n"
        "    ax.hist(values, bins=edges)\n    return edges, ax"
    ),
    show_solution=AFTER_TWO,
)
@closing_figures
def width_bins(ns):
    series = pd.Series([3.2, 7.9, np.nan, 12.0, 4.4])
    result = ns["width_bins"](series, 2.5)
    if not isinstance(result, tuple) or len(result) != 2:
        fail("return two things: `return edges, ax`")
    edges, ax = result
    edges = [round(float(e), 6) for e in edges]
    if edges != [2.5, 5.0, 7.5, 10.0, 12.5]:
        fail(
            "for values 3.2 to 12.0 and width 2.5 the edges should run from 2.5 to 12.5 in steps of 2.5"
        )
    if not isinstance(ax, Axes) or len(ax.patches) != 4:
        fail("draw the histogram on those edges and return its Axes")


# -- scatter-plots ---------------------------------------------------------------------


@checks.question(
    "car-scatter",
    objective="scatter-plots",
    hints=[
        'Keep complete rows: `known = table.dropna(subset=["Weight_in_lbs", "Miles_per_Gallon"])`.',
        '`ax.scatter(known["Weight_in_lbs"], known["Miles_per_Gallon"])` and label both axes.',
    ],
    solution=(
        "import matplotlib.pyplot as plt\n\n\ndef car_scatter(table):\n"
        '    known = table.dropna(subset=["Weight_in_lbs", "Miles_per_Gallon"])\n'
        "    fig, ax = plt.subplots()\n"
        '    ax.scatter(known["Weight_in_lbs"], known["Miles_per_Gallon"])\n'
        '    ax.set_xlabel("weight (lbs)")\n    ax.set_ylabel("miles per gallon")\n    return ax'
    ),
    show_solution=AFTER_TWO,
)
@closing_figures
def car_scatter(ns):
    table = pd.DataFrame(
        {"Weight_in_lbs": [2000, 3500, 2600, 4100], "Miles_per_Gallon": [31.0, np.nan, 24.0, 13.0]}
    )
    ax = returned_axes(ns["car_scatter"](table), "car_scatter")
    dots = [np.asarray(c.get_offsets(), float) for c in ax.collections]
    if not dots:
        fail("draw the dots with `ax.scatter`")
    dots = np.vstack(dots)
    if dots.shape != (3, 2) or not np.allclose(dots, [[2000, 31.0], [2600, 24.0], [4100, 13.0]]):
        fail("one dot per car with both values: weight across, miles per gallon up")
    if not ax.get_xlabel() or not ax.get_ylabel():
        fail("label both axes")


@checks.question(
    "see-through-scatter",
    objective="scatter-plots",
    hints=["`ax.scatter(table[x], table[y], alpha=0.2)` lets piled-up dots show as darker."],
    solution=(
        "import matplotlib.pyplot as plt\n\n\ndef see_through_scatter(table, x, y):\n"
        "    fig, ax = plt.subplots()\n    ax.scatter(table[x], table[y], alpha=0.2)\n"
        "    ax.set_xlabel(x)\n    ax.set_ylabel(y)\n    return ax"
    ),
    show_solution=AFTER_TWO,
)
@closing_figures
def see_through_scatter(ns):
    table = pd.DataFrame({"a": [1.0, 1.0, 2.0], "b": [3.0, 3.0, 5.0]})
    ax = returned_axes(ns["see_through_scatter"](table, "a", "b"), "see_through_scatter")
    if len(ax.collections) != 1 or len(ax.collections[0].get_offsets()) != 3:
        fail("draw one scatter with a dot per row")
    alpha = ax.collections[0].get_alpha()
    if alpha is None or alpha >= 0.5:
        fail("make the dots see-through: `alpha=` a number below 0.5")
    if (ax.get_xlabel(), ax.get_ylabel()) != ("a", "b"):
        fail("label the axes with `x` and `y`")


@checks.question(
    "bubble-chart",
    objective="scatter-plots",
    hints=[
        "`ax.scatter(table[x], table[y], s=table[size] / scale)`: the area grows with `size`.",
        '`ax.set_xscale("log")` for incomes.',
    ],
    solution=(
        "import matplotlib.pyplot as plt\n\n\ndef bubble_chart(table, x, y, size, scale):\n"
        "    fig, ax = plt.subplots()\n"
        "    ax.scatter(table[x], table[y], s=table[size] / scale, alpha=0.5)\n"
        '    ax.set_xscale("log")\n    ax.set_xlabel(x)\n    ax.set_ylabel(y)\n    return ax'
    ),
    show_solution=AFTER_TWO,
)
@closing_figures
def bubble_chart(ns):
    table = pd.DataFrame(
        {"gdp": [500.0, 5000.0, 40000.0], "life": [50.0, 65.0, 80.0], "people": [2e6, 8e6, 4e6]}
    )
    ax = returned_axes(ns["bubble_chart"](table, "gdp", "life", "people", 1e5), "bubble_chart")
    if len(ax.collections) != 1:
        fail("draw the bubbles with one `ax.scatter`")
    sizes = [float(s) for s in ax.collections[0].get_sizes()]
    if sizes != [20.0, 80.0, 40.0]:
        fail("the bubbles' sizes (`s=`) should be the `size` column divided by `scale`")
    if ax.get_xscale() != "log":
        fail("use a logarithmic x axis")


# -- choose-plot -----------------------------------------------------------------------


@checks.question(
    "column-kind",
    objective="choose-plot",
    hints=[
        "`pd.api.types.is_datetime64_any_dtype(series)` first, then `pd.api.types.is_numeric_dtype(series)`.",
    ],
    solution=(
        "import pandas as pd\n\n\ndef column_kind(series):\n"
        '    if pd.api.types.is_datetime64_any_dtype(series):\n        return "date"\n'
        '    if pd.api.types.is_numeric_dtype(series):\n        return "number"\n    return "text"'
    ),
    show_solution=AFTER_TWO,
)
def column_kind(ns):
    fn = ns["column_kind"]
    for series, wanted in (
        (pd.Series([1.5, 2.0]), "number"),
        (pd.Series([3, 4]), "number"),
        (pd.Series(["x", "y"]), "text"),
        (pd.Series(pd.to_datetime(["2020-01-01"])), "date"),
    ):
        got = fn(series)
        if got != wanted:
            fail(
                f"a column of {series.dtype} values is a {wanted!r} column; your function said {got!r}"
            )


@checks.question(
    "plot-for-kinds",
    objective="choose-plot",
    hints=[
        'One kind: `"number"` gives a histogram, `"text"` a bar chart.',
        'Two kinds: the first one decides: "date" -> line, "number" -> scatter, "text" -> box.',
    ],
    solution=(
        "def plot_for_kinds(kinds):\n    if len(kinds) == 1:\n"
        '        return "histogram" if kinds[0] == "number" else "bar"\n'
        '    return {"date": "line", "number": "scatter", "text": "box"}[kinds[0]]'
    ),
    show_solution=AFTER_TWO,
)
def plot_for_kinds(ns):
    fn = ns["plot_for_kinds"]
    for kinds, wanted in (
        (("text",), "bar"),
        (("number",), "histogram"),
        (("date", "number"), "line"),
        (("number", "number"), "scatter"),
        (("text", "number"), "box"),
    ):
        got = fn(kinds)
        if got != wanted:
            fail(
                f"for columns of kinds {kinds} the plot should be a {wanted}; your function said {got!r}"
            )


@checks.question(
    "honest-bars",
    objective="choose-plot",
    hints=[
        "Sort the table by `y`, largest first, and draw bars.",
        "`ax.set_ylim(bottom=0)` makes the value axis start at 0.",
    ],
    solution=(
        "import matplotlib.pyplot as plt\n\n\ndef honest_bars(table, x, y):\n"
        "    tallest_first = table.sort_values(y, ascending=False)\n    fig, ax = plt.subplots()\n"
        "    ax.bar(tallest_first[x], tallest_first[y])\n    ax.set_ylim(bottom=0)\n"
        "    ax.set_xlabel(x)\n    ax.set_ylabel(y)\n    return ax"
    ),
    show_solution=AFTER_TWO,
)
@closing_figures
def honest_bars(ns):
    table = pd.DataFrame({"source": ["coal", "wind", "sun"], "share": [51.0, 47.0, 2.0]})
    ax = returned_axes(ns["honest_bars"](table.iloc[[2, 0, 1]], "source", "share"), "honest_bars")
    if bar_heights(ax) != [51.0, 47.0, 2.0]:
        fail("draw one bar per row, tallest first")
    if ax.get_ylim()[0] != 0:
        fail(f"the value axis starts at {ax.get_ylim()[0]:g}; a bar chart's must start at 0")
    if not ax.get_xlabel() or not ax.get_ylabel():
        fail("label both axes")
