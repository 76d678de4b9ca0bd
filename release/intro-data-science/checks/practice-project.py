"""Checked practice of the correctives and challenges of unit project.

Used by ``resources/project/*.ipynb``. Each check calls the learner's function on small
tables of its own. Practice only: nothing here is graded; worked solutions (whole
functions with their imports) open after two checks.
"""

import numpy as np
import pandas as pd

from mastery_nb.checks import Checks, fail
from mastery_nb.checks.plots import (
    bar_heights,
    closing_figures,
    line_heights,
    returned_axes,
    tick_labels,
)

checks = Checks(unit="practice-project")

AFTER_TWO = "after_attempts:2"


# -- prepare-data ----------------------------------------------------------------------


@checks.question(
    "tidy-labels",
    objective="prepare-data",
    hints=["`series.str.strip().str.lower()`."],
    solution="def tidy_sex_labels(series):\n    return series.str.strip().str.lower()",
    show_solution=AFTER_TWO,
)
def tidy_sex_labels(ns):
    got = ns["tidy_sex_labels"](pd.Series([" MALE", "female ", "Male", None]))
    if got is None:
        fail("`tidy_sex_labels` returned None: return the tidied Series")
    if list(got[:3]) != ["male", "female", "male"]:
        fail("strip the spaces and lower the case of every label")
    if not pd.isna(got.iloc[3]):
        fail("a missing label should stay missing")


@checks.question(
    "join-report",
    objective="prepare-data",
    hints=[
        '`both = left.merge(right, on=key, how="outer", indicator=True)` marks each row.',
        '`(both["_merge"] == "both").sum()`, and the same for `"left_only"` and `"right_only"`.',
    ],
    solution=(
        "def key_match_counts(left, right, key):\n"
        '    both = left.merge(right, on=key, how="outer", indicator=True)\n'
        '    marks = both["_merge"]\n'
        '    return int((marks == "both").sum()), int((marks == "left_only").sum()), int((marks == "right_only").sum())'
    ),
    show_solution=AFTER_TWO,
)
def key_match_counts(ns):
    left = pd.DataFrame({"id": ["N1", "N2", "N3", "N4"], "mass": [3.1, 3.4, 4.0, 3.8]})
    right = pd.DataFrame({"id": ["N2", "N4", "N9"], "clutch": [2, 1, 2]})
    got = ns["key_match_counts"](left, right, "id")
    if not isinstance(got, tuple) or len(got) != 3:
        fail("return a tuple of three counts: (in both, only left, only right)")
    if tuple(int(g) for g in got) != (2, 2, 1):
        fail("two ids are in both tables, two only in the left one, one only in the right one")


@checks.question(
    "versus-continent",
    objective="prepare-data",
    hints=[
        'Keep the year\'s rows; `medians = rows.groupby("continent")["lifeExp"].median().rename("continent_median")`.',
        '`rows.merge(medians, left_on="continent", right_index=True)`, then the difference.',
    ],
    solution=(
        "def versus_continent(table, year):\n"
        '    this_year = table[table["year"] == year]\n'
        '    medians = this_year.groupby("continent")["lifeExp"].median().rename("continent_median")\n'
        '    joined = this_year.merge(medians, left_on="continent", right_index=True)\n'
        '    joined = joined.assign(difference=joined["lifeExp"] - joined["continent_median"])\n'
        '    return joined[["country", "continent", "difference"]].sort_values("country").reset_index(drop=True)'
    ),
    show_solution=AFTER_TWO,
)
def versus_continent(ns):
    table = pd.DataFrame(
        {
            "country": ["Ur", "Kish", "Lagash", "Susa", "Anshan", "Ur"],
            "continent": ["West", "West", "West", "East", "East", "West"],
            "year": [1960, 1960, 1960, 1960, 1960, 1965],
            "lifeExp": [50.0, 40.0, 44.0, 60.0, 70.0, 99.0],
        }
    )
    got = ns["versus_continent"](table, 1960)
    if not isinstance(got, pd.DataFrame):
        fail("return a DataFrame")
    if list(got.columns) != ["country", "continent", "difference"]:
        fail("the columns should be country, continent, difference")
    if list(got["country"]) != ["Anshan", "Kish", "Lagash", "Susa", "Ur"]:
        fail("one row per country of that year, sorted by country")
    if list(got["difference"]) != [5.0, -4.0, 0.0, -5.0, 6.0]:
        fail("difference = the country's life expectancy minus its continent's median that year")


# -- summarise-and-plot ----------------------------------------------------------------


@checks.question(
    "monthly-rain",
    objective="summarise-and-plot",
    hints=[
        '`month = table["date"].dt.month`; group the precipitation by it.',
        '`.agg(mean_mm="mean", wet_share=lambda s: (s > 0).mean())`.',
    ],
    solution=(
        "def monthly_rain(table):\n"
        '    by_month = table.groupby(table["date"].dt.month)["precipitation"]\n'
        '    return by_month.agg(mean_mm="mean", wet_share=lambda s: (s > 0).mean())'
    ),
    show_solution=AFTER_TWO,
)
def monthly_rain(ns):
    table = pd.DataFrame(
        {
            "date": pd.to_datetime(["2013-01-01", "2013-01-02", "2013-02-01", "2014-01-05"]),
            "precipitation": [2.0, 0.0, 0.0, 7.0],
        }
    )
    got = ns["monthly_rain"](table)
    if not isinstance(got, pd.DataFrame):
        fail("return a DataFrame with one row per month")
    if list(got.index) != [1, 2]:
        fail("one row per month number, whatever the year")
    if not np.allclose(got["mean_mm"], [3.0, 0.0]) or not np.allclose(
        got["wet_share"], [2 / 3, 0.0]
    ):
        fail(
            "`mean_mm` is the mean precipitation, `wet_share` the share of days with more than 0 mm"
        )


@checks.question(
    "month-bars",
    objective="summarise-and-plot",
    hints=["`ax.bar([str(m) for m in summary.index], summary[column])`, then label both axes."],
    solution=(
        "import matplotlib.pyplot as plt\n\n\ndef month_bars(summary, column):\n"
        "    fig, ax = plt.subplots()\n"
        "    ax.bar([str(m) for m in summary.index], summary[column])\n"
        '    ax.set_xlabel("month")\n    ax.set_ylabel(column)\n    return ax'
    ),
    show_solution=AFTER_TWO,
)
@closing_figures
def month_bars(ns):
    summary = pd.DataFrame({"mean_mm": [5.5, 1.0, 3.25]}, index=[1, 2, 3])
    ax = returned_axes(ns["month_bars"](summary, "mean_mm"), "month_bars")
    if bar_heights(ax) != [5.5, 1.0, 3.25]:
        fail("one bar per month, as tall as the column's value, in the table's order")
    if tick_labels(ax) != ["1", "2", "3"]:
        fail("label the bars with the month numbers")
    if ax.get_ylabel() != "mean_mm":
        fail("label the y axis with the column's name")


@checks.question(
    "slope-chart",
    objective="summarise-and-plot",
    hints=[
        'For each row of the summary: `ax.plot([first, last], [row[a], row[b]], marker="o", label=name)`.',
        "`ax.legend()` names the lines.",
    ],
    solution=(
        "import matplotlib.pyplot as plt\n\n\ndef slope_chart(summary, first, last):\n"
        "    fig, ax = plt.subplots()\n    for name, row in summary.iterrows():\n"
        '        ax.plot([first, last], [row["median_first"], row["median_last"]], marker="o", label=name)\n'
        "    ax.legend()\n    return ax"
    ),
    show_solution=AFTER_TWO,
)
@closing_figures
def slope_chart(ns):
    summary = pd.DataFrame(
        {"median_first": [40.0, 60.5], "median_last": [55.0, 70.0]}, index=["Inland", "Coast"]
    )
    ax = returned_axes(ns["slope_chart"](summary, 1950, 2000), "slope_chart")
    if line_heights(ax) != [[40.0, 55.0], [60.5, 70.0]]:
        fail("draw one line per row, from its first-year median to its last-year median")
    legend = ax.get_legend()
    if not legend or [t.get_text() for t in legend.get_texts()] != ["Inland", "Coast"]:
        fail("label each line with its row's name and show a legend")


# -- interpret-results -----------------------------------------------------------------


@checks.question(
    "claim-sentence",
    objective="interpret-results",
    hints=[
        '`change = after - before`; `f"{what} rose from {before:.1f} to {after:.1f} {unit} ({change:+.1f})."`.'
    ],
    solution=(
        "def claim_sentence(what, before, after, unit):\n    change = after - before\n"
        '    verb = "rose" if change > 0 else "fell"\n'
        '    return f"{what} {verb} from {before:.1f} to {after:.1f} {unit} ({change:+.1f})."'
    ),
    show_solution=AFTER_TWO,
)
def claim_sentence(ns):
    fn = ns["claim_sentence"]
    got = fn("Median fuel economy", 18.0, 31.64, "mpg")
    if got != "Median fuel economy rose from 18.0 to 31.6 mpg (+13.6).":
        fail(f"for a rise the sentence should read like the example; yours is {got!r}")
    got = fn("Rainy days", 12.4, 10.0, "days")
    if got != "Rainy days fell from 12.4 to 10.0 days (-2.4).":
        fail(f"for a fall, say 'fell' and show the change with its sign; yours is {got!r}")


@checks.question(
    "share-improved",
    objective="interpret-results",
    hints=["`np.mean(np.asarray(after) > np.asarray(before))`, rounded to 3 decimals."],
    solution=(
        "import numpy as np\n\n\ndef share_improved(before, after):\n"
        "    return round(float(np.mean(np.asarray(after) > np.asarray(before))), 3)"
    ),
    show_solution=AFTER_TWO,
)
def share_improved(ns):
    got = ns["share_improved"]([10, 20, 30, 40, 50, 60], [12, 19, 35, 40, 51, 70])
    if got != 0.667:
        fail(
            "4 of the 6 pairs improved (a tie is not an improvement): the share, rounded to 3 decimals"
        )


@checks.question(
    "overclaims",
    objective="interpret-results",
    hints=[
        'Lower the text and split it into words: `text.lower().replace(".", " ").replace(",", " ").split()`.',
        "Keep the words of `OVERCLAIMS` that occur, in the order of `OVERCLAIMS`.",
    ],
    solution=(
        'OVERCLAIMS = ["proves", "causes", "always", "never", "every", "all"]\n\n\n'
        "def overclaims(text):\n"
        '    words = text.lower().replace(".", " ").replace(",", " ").split()\n'
        "    return [w for w in OVERCLAIMS if w in words]"
    ),
    show_solution=AFTER_TWO,
)
def overclaims(ns):
    fn = ns["overclaims"]
    got = fn("This proves that money causes health. Every country gained, always.")
    if got != ["proves", "causes", "always", "every"]:
        fail("find each overclaiming word of the list that the text uses, in the list's order")
    if fn("Most countries gained; the data cannot show why.") != []:
        fail("a careful sentence has no overclaims (match whole words: 'allowed' is not 'all')")
