"""Practice checks and quizzes for unit correlation-regression (Correlation and a first regression).

Each check calls the learner's function on the notebook's data (the cars, Anscombe's
quartet) and on small arrays of its own, and compares with values computed here by
NumPy; the graded tests use other data. Worked solutions open once the unit is
mastered. Public: shipped as-is to students and the grader.
"""

import numpy as np
import pandas as pd

from mastery_nb.checks import Checks, fail, not_attempted
from mastery_nb.checks.plots import closing_figures, dot_positions, returned_axes

checks = Checks(unit="correlation-regression")

MASTERED = "after_mastery"


def _function(ns, name):
    """The learner's function ``name``; not attempted while the name is something else."""
    fn = ns[name]
    if not callable(fn):
        not_attempted(
            f"`{name}` is not a function yet: write `def {name}(...)` in the answer cell and run it"
        )
    return fn


def _number(value, call):
    if value is None:
        fail(f"`{call}` returned None: return the number")
    try:
        return float(value)
    except (TypeError, ValueError):
        fail(f"`{call}` returned a {type(value).__name__}, not a number")


def _pair(value, call):
    if not isinstance(value, tuple) or len(value) != 2:
        fail(f"`{call}` should return a tuple `(slope, intercept)`")
    return _number(value[0], call), _number(value[1], call)


# -- read-correlation ------------------------------------------------------------------


@checks.question(
    "correlation",
    objective="read-correlation",
    hints=[
        "Standard units: `zx = (x - x.mean()) / x.std()`, the same for `y`.",
        "`r` is the mean of the products: `(zx * zy).mean()`. Turn lists into arrays first.",
    ],
    solution=(
        "def correlation(x, y):\n    x = np.asarray(x, dtype=float)\n    y = np.asarray(y, dtype=float)\n"
        "    zx = (x - x.mean()) / x.std()\n    zy = (y - y.mean()) / y.std()\n    return (zx * zy).mean()"
    ),
    show_solution=MASTERED,
)
def correlation(ns):
    fn = _function(ns, "correlation")
    for x, y in (([1, 2, 3, 4, 5], [2, 4, 5, 4, 5]), ([10.0, 20.0, 30.0], [3.0, 2.0, 1.0])):
        got = _number(fn(x, y), f"correlation({x}, {y})")
        want = np.corrcoef(x, y)[0, 1]
        if np.isclose(got, np.cov(x, y)[0, 1]) and not np.isclose(got, want):
            fail("that is the covariance; divide by the standard deviations (use standard units)")
        if not np.isclose(got, want):
            fail(
                f"`correlation({x}, {y})` returned {got:.4f}; check the standard units and the mean of their products"
            )
    anscombe = ns["anscombe"]
    one = anscombe[anscombe["Series"] == "II"]
    if not np.isclose(fn(one["X"], one["Y"]), np.corrcoef(one["X"], one["Y"])[0, 1]):
        fail("on Anscombe's second data set (pandas Series) the result is off")


@checks.question(
    "correlation-by-group",
    objective="read-correlation",
    hints=[
        "`complete = table.dropna(subset=[x, y])`, then `for name, part in complete.groupby(group):`.",
        "`round(float(np.corrcoef(part[x], part[y])[0, 1]), 3)` is one group's value.",
    ],
    solution=(
        "def correlation_by_group(table, x, y, group):\n    complete = table.dropna(subset=[x, y])\n"
        "    result = {}\n    for name, part in complete.groupby(group):\n"
        "        result[name] = round(float(np.corrcoef(part[x], part[y])[0, 1]), 3)\n    return result"
    ),
    show_solution=MASTERED,
)
def correlation_by_group(ns):
    fn = _function(ns, "correlation_by_group")
    got = fn(ns["anscombe"], "X", "Y", "Series")
    if not isinstance(got, dict):
        fail(f"return a dictionary (group -> correlation), not a {type(got).__name__}")
    if sorted(got) != ["I", "II", "III", "IV"]:
        fail("the dictionary should have one key per series: I, II, III, IV")
    if got != {"I": 0.816, "II": 0.816, "III": 0.816, "IV": 0.817}:
        fail("the correlations are not each series' own, rounded to 3 decimals")
    small = pd.DataFrame(
        {
            "g": ["a", "a", "a", "b", "b", "b", "b"],
            "u": [1, 2, 3, 1, 2, 3, np.nan],
            "v": [1, 2, 4, 3, 2, 0, 5],
        }
    )
    if fn(small, "u", "v", "g") != {"a": 0.982, "b": -0.982}:
        fail("on a small table with a missing value the result is off: leave out incomplete rows")


@checks.question(
    "strength",
    objective="read-correlation",
    hints=[
        "Test from the top: `if r >= 0.7`, then `if r >= 0.3`, then `if r > -0.3`, then `if r > -0.7`.",
        "Read the table's boundaries again: which rows include their end?",
    ],
    solution=(
        "def strength(r):\n"
        '    if r >= 0.7:\n        return "strong positive"\n'
        '    if r >= 0.3:\n        return "moderate positive"\n'
        '    if r > -0.3:\n        return "weak"\n'
        '    if r > -0.7:\n        return "moderate negative"\n    return "strong negative"'
    ),
    show_solution=MASTERED,
)
def strength(ns):
    fn = _function(ns, "strength")
    for r, want in (
        (0.95, "strong positive"),
        (0.5, "moderate positive"),
        (0.1, "weak"),
        (-0.5, "moderate negative"),
        (-0.83, "strong negative"),
    ):
        got = fn(r)
        if got != want:
            fail(f"`strength({r})` returned {got!r}, not {want!r}")
    for r in (0.7, 0.3, -0.3, -0.7):
        got = fn(r)
        if got == "weak" and r in (0.3, -0.3) or got.startswith("moderate") and r in (0.7, -0.7):
            fail(
                f"`strength({r})` returned {got!r}: check which side of the boundary {r} belongs to"
            )


checks.single_choice(
    "anscombe-fits",
    objective="read-correlation",
    prompt="For which of Anscombe's data sets does 'a fairly strong straight-line relationship' describe the plot well?",
    options=["the first", "the second", "the third", "the fourth"],
    answer="the first",
    hints=[
        "Look at the four plots: which one is a cloud around a line, without a curve or a lone far point?"
    ],
)

checks.single_choice(
    "u-shape",
    objective="read-correlation",
    prompt="A scatter plot is a clear U shape and r = 0.02. What does that tell you?",
    options=[
        "there is no straight-line relationship, but there is a curved one",
        "the two variables are not related at all",
        "the correlation was computed wrongly",
        "there is a weak positive relationship",
    ],
    answer="there is no straight-line relationship, but there is a curved one",
    hints=["r measures how close the dots are to a *straight* line."],
)

# -- fit-line --------------------------------------------------------------------------


@checks.question(
    "fit-line",
    objective="fit-line",
    hints=[
        "`slope = r * y.std() / x.std()` with `r` from `np.corrcoef(x, y)[0, 1]`.",
        "`intercept = y.mean() - slope * x.mean()`; return both as a tuple.",
    ],
    solution=(
        "def fit_line(x, y):\n    x = np.asarray(x, dtype=float)\n    y = np.asarray(y, dtype=float)\n"
        "    r = np.corrcoef(x, y)[0, 1]\n    slope = r * y.std() / x.std()\n"
        "    intercept = y.mean() - slope * x.mean()\n    return slope, intercept"
    ),
    show_solution=MASTERED,
)
def fit_line(ns):
    fn = _function(ns, "fit_line")
    x, y = [1.0, 2.0, 4.0, 5.0], [2.0, 3.0, 3.0, 6.0]
    slope, intercept = _pair(fn(x, y), "fit_line(x, y)")
    want_slope, want_intercept = np.polyfit(x, y, 1)
    if np.isclose(slope, np.corrcoef(x, y)[0, 1] * np.std(x) / np.std(y)):
        fail("the slope has the standard deviations the wrong way round: r * s_y / s_x")
    if not np.isclose(slope, want_slope):
        fail(f"`fit_line({x}, {y})` has the slope {slope:.4f}; it should be r * s_y / s_x")
    if not np.isclose(intercept, want_intercept):
        fail("the slope is right, the intercept not: mean of y minus slope times mean of x")


@checks.question(
    "fit-columns",
    objective="fit-line",
    hints=[
        "`complete = table.dropna(subset=[x, y])` first.",
        "`slope, intercept = np.polyfit(complete[x], complete[y], 1)`.",
    ],
    solution=(
        "def fit_columns(table, x, y):\n    complete = table.dropna(subset=[x, y])\n"
        "    slope, intercept = np.polyfit(complete[x], complete[y], 1)\n    return slope, intercept"
    ),
    show_solution=MASTERED,
)
def fit_columns(ns):
    fn = _function(ns, "fit_columns")
    cars = ns["cars"]
    try:
        fitted = fn(cars, "Horsepower", "Miles_per_Gallon")
    except np.linalg.LinAlgError:
        fail(
            "`np.polyfit` failed on the cars: leave out the rows with a missing value before fitting"
        )
    slope, intercept = _pair(fitted, 'fit_columns(cars, "Horsepower", "Miles_per_Gallon")')
    if np.isnan(slope) or np.isnan(intercept):
        fail("the result is nan: leave out the rows with a missing value before fitting")
    complete = cars.dropna(subset=["Horsepower", "Miles_per_Gallon"])
    want = np.polyfit(complete["Horsepower"], complete["Miles_per_Gallon"], 1)
    if np.allclose(
        (slope, intercept), np.polyfit(complete["Miles_per_Gallon"], complete["Horsepower"], 1)
    ):
        fail("that line predicts x from y: pass `x` first to `np.polyfit`")
    if not np.allclose((slope, intercept), want):
        fail("the line is not the least-squares line of the complete rows")


@checks.question(
    "plot-fit",
    objective="fit-line",
    hints=[
        "Fit with `np.polyfit` on the complete rows; `ends = np.array([x_min, x_max])`.",
        "`ax.scatter(...)` for the dots, `ax.plot(ends, slope * ends + intercept)` for the line.",
    ],
    solution=(
        "def plot_fit(table, x, y):\n    complete = table.dropna(subset=[x, y])\n"
        "    slope, intercept = np.polyfit(complete[x], complete[y], 1)\n"
        "    ends = np.array([complete[x].min(), complete[x].max()])\n    fig, ax = plt.subplots()\n"
        "    ax.scatter(complete[x], complete[y])\n    ax.plot(ends, slope * ends + intercept)\n"
        "    ax.set_xlabel(x)\n    ax.set_ylabel(y)\n    return ax"
    ),
    show_solution=MASTERED,
)
@closing_figures
def plot_fit(ns):
    cars = ns["cars"]
    ax = returned_axes(
        _function(ns, "plot_fit")(cars, "Weight_in_lbs", "Miles_per_Gallon"), "plot_fit"
    )
    complete = cars.dropna(subset=["Weight_in_lbs", "Miles_per_Gallon"])
    if len(dot_positions(ax)) != len(complete):
        fail("draw one dot per car with both values, with `ax.scatter`")
    slope, intercept = np.polyfit(complete["Weight_in_lbs"], complete["Miles_per_Gallon"], 1)
    on_line = [
        line
        for line in ax.lines
        if len(line.get_xdata()) >= 2
        and np.allclose(line.get_ydata(), slope * np.asarray(line.get_xdata(), float) + intercept)
    ]
    if not on_line:
        fail(
            "no line of the plot is the least-squares line: plot `slope * xs + intercept` against `xs`"
        )
    if (ax.get_xlabel(), ax.get_ylabel()) != ("Weight_in_lbs", "Miles_per_Gallon"):
        fail("label the axes with the column names `x` and `y`")


checks.single_choice(
    "least-squares",
    objective="fit-line",
    prompt="What does the least-squares line make as small as possible?",
    options=[
        "the sum of the squared vertical distances from the dots to the line",
        "the sum of the distances from the dots to the line",
        "the number of dots that are not on the line",
        "the slope",
    ],
    answer="the sum of the squared vertical distances from the dots to the line",
    hints=["The name says it: least ... squares."],
)

checks.single_choice(
    "through-means",
    objective="fit-line",
    prompt="Which point does the least-squares line always pass through?",
    options=["(mean of x, mean of y)", "(0, 0)", "(0, mean of y)", "the first data point"],
    answer="(mean of x, mean of y)",
    hints=["Look at the intercept's formula: put x = x̄ into the line."],
)

# -- interpret-regression --------------------------------------------------------------


@checks.question(
    "residuals",
    objective="interpret-regression",
    hints=[
        "Turn `x` and `y` into arrays; the prediction is `slope * x + intercept`; subtract it from `y`."
    ],
    solution=(
        "def residuals(x, y, slope, intercept):\n    x = np.asarray(x, dtype=float)\n"
        "    y = np.asarray(y, dtype=float)\n    return y - (slope * x + intercept)"
    ),
    show_solution=MASTERED,
)
def residuals(ns):
    fn = _function(ns, "residuals")
    got = fn([0, 1, 2], [1.0, 4.0, 4.0], 1.5, 1.0)
    if got is None:
        fail("`residuals` returned None: return the array")
    got = np.asarray(got, dtype=float)
    if np.allclose(got, [0.0, -1.5, 0.0]):
        fail("those are predicted minus actual: a residual is actual y minus predicted y")
    if got.shape != (3,) or not np.allclose(got, [0.0, 1.5, 0.0]):
        fail("for x = [0, 1, 2], y = [1, 4, 4] and the line 1.5 x + 1 the residuals are off")


@checks.question(
    "r-squared",
    objective="interpret-regression",
    hints=[
        "Fit: `slope, intercept = np.polyfit(x, y, 1)`; use your `residuals`.",
        "`1 - (missed ** 2).sum() / ((y - y.mean()) ** 2).sum()`.",
    ],
    solution=(
        "def r_squared(x, y):\n    x = np.asarray(x, dtype=float)\n    y = np.asarray(y, dtype=float)\n"
        "    slope, intercept = np.polyfit(x, y, 1)\n    missed = residuals(x, y, slope, intercept)\n"
        "    return 1 - (missed**2).sum() / ((y - y.mean()) ** 2).sum()"
    ),
    show_solution=MASTERED,
)
def r_squared(ns):
    fn = _function(ns, "r_squared")
    x, y = [1, 2, 3, 4, 5, 6], [1.0, 3.0, 2.0, 5.0, 4.0, 6.0]
    got = _number(fn(x, y), "r_squared(x, y)")
    want = np.corrcoef(x, y)[0, 1] ** 2
    if np.isclose(got, 1 - want):
        fail("that is the share the line misses: subtract it from 1")
    if not np.isclose(got, want):
        fail(
            f"`r_squared({x}, {y})` returned {got:.4f}, which is not 1 - SS(residuals) / SS(total)"
        )


@checks.question(
    "worst-fits",
    objective="interpret-regression",
    hints=[
        "Fit on the complete rows and compute the absolute residuals with your `residuals`.",
        "`np.argsort(-missed)[:k]` gives the positions of the k largest; take those rows' labels with `.iloc`.",
    ],
    solution=(
        "def worst_fits(table, x, y, label, k):\n    complete = table.dropna(subset=[x, y])\n"
        "    slope, intercept = np.polyfit(complete[x], complete[y], 1)\n"
        "    missed = np.abs(residuals(complete[x], complete[y], slope, intercept))\n"
        "    order = np.argsort(-missed)[:k]\n    return list(complete[label].iloc[order])"
    ),
    show_solution=MASTERED,
)
def worst_fits(ns):
    fn = _function(ns, "worst_fits")
    table = pd.DataFrame(
        {
            "id": ["p", "q", "r", "s", "t"],
            "u": [1.0, 2.0, 3.0, 4.0, 5.0],
            "v": [2.0, 4.5, 5.5, 8.0, 0.0],
        }
    )
    got = fn(table, "u", "v", "id", 3)
    if not isinstance(got, list):
        fail(f"return a list of labels, not a {type(got).__name__}")
    if got == ["s", "r", "q"]:
        fail("those are the largest residuals with their sign: rank by the *absolute* residual")
    if sorted(got) == ["p", "s", "t"] and got != ["s", "t", "p"]:
        fail("the right rows, in the wrong order: largest absolute residual first")
    if got != ["s", "t", "p"]:
        fail(
            "on a small table, the rows returned are not those with the largest absolute residuals"
        )
    complete = ns["cars"].dropna(subset=["Weight_in_lbs", "Miles_per_Gallon"])
    slope, intercept = np.polyfit(complete["Weight_in_lbs"], complete["Miles_per_Gallon"], 1)
    missed = np.abs(complete["Miles_per_Gallon"] - slope * complete["Weight_in_lbs"] - intercept)
    want = list(complete["Name"].iloc[np.argsort(-missed.to_numpy())[:3]])
    if fn(ns["cars"], "Weight_in_lbs", "Miles_per_Gallon", "Name", 3) != want:
        fail(
            "on the cars, the three worst fits are not the cars with the largest absolute residuals"
        )


checks.single_choice(
    "slope-words",
    objective="interpret-regression",
    prompt="miles per gallon = 46.3 − 0.0077 × weight in lbs. What does −0.0077 say?",
    options=[
        "each extra pound goes with 0.0077 fewer miles per gallon, on average",
        "adding a pound to a car makes it lose exactly 0.0077 miles per gallon",
        "a car weighing 0 lbs would go 0.0077 miles per gallon",
        "weight explains 0.77 % of fuel economy",
    ],
    answer="each extra pound goes with 0.0077 fewer miles per gallon, on average",
    hints=[
        "A slope describes how the predictions change with x across the data; is that a cause, and is it exact?"
    ],
)

checks.single_choice(
    "residual-curve",
    objective="interpret-regression",
    prompt="The residuals plotted against x form a U. What does that tell you?",
    options=[
        "the relationship is curved, so a straight line misses it",
        "the line fits well, because the residuals average 0",
        "there are outliers at both ends that should be removed",
        "the correlation must be close to 1",
    ],
    answer="the relationship is curved, so a straight line misses it",
    hints=["A good straight-line fit leaves a shapeless band of residuals."],
)
