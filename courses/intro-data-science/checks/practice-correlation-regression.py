"""Checked practice of the correctives and challenges of unit correlation-regression.

Used by ``resources/correlation-regression/*.ipynb``. Each check calls the learner's
function on small arrays of its own and compares with NumPy. Practice only: nothing here
is graded; worked solutions (whole functions with their imports) open after two checks.
"""

import numpy as np

from mastery_nb.checks import Checks, fail

checks = Checks(unit="practice-correlation-regression")

AFTER_TWO = "after_attempts:2"


def _close(got, want, call, why):
    if got is None:
        fail(f"`{call}` returned None: replace `None` with your computation")
    if not np.allclose(np.asarray(got, dtype=float), want):
        fail(f"`{call}` returned {np.round(np.asarray(got, dtype=float), 4)}: {why}")


# -- read-correlation ------------------------------------------------------------------


@checks.question(
    "standard-units",
    objective="read-correlation",
    hints=[
        "`values = np.asarray(values, dtype=float)`, then `(values - values.mean()) / values.std()`."
    ],
    solution=(
        "import numpy as np\n\n\ndef standard_units(values):\n"
        "    values = np.asarray(values, dtype=float)\n    return (values - values.mean()) / values.std()"
    ),
    show_solution=AFTER_TWO,
)
def standard_units(ns):
    got = ns["standard_units"]([2, 4, 6, 8])
    _close(
        got,
        np.array([-3, -1, 1, 3]) / np.sqrt(5),
        "standard_units([2, 4, 6, 8])",
        "subtract the mean, divide by the standard deviation (ddof=0)",
    )


@checks.question(
    "r-without",
    objective="read-correlation",
    hints=["`np.delete(x, i)` removes position i; then `np.corrcoef(...)[0, 1]`."],
    solution=(
        "import numpy as np\n\n\ndef r_without(x, y, i):\n"
        "    return np.corrcoef(np.delete(x, i), np.delete(y, i))[0, 1]"
    ),
    show_solution=AFTER_TWO,
)
def r_without(ns):
    x = np.array([1.0, 2.0, 3.0, 4.0, 5.0, 6.0])
    y = np.array([1.1, 2.0, 2.9, 4.2, 5.0, -6.0])
    _close(
        ns["r_without"](x, y, 5),
        np.corrcoef(x[:5], y[:5])[0, 1],
        "r_without(x, y, 5)",
        "compute r of the other points",
    )
    _close(
        ns["r_without"](x, y, 0),
        np.corrcoef(x[1:], y[1:])[0, 1],
        "r_without(x, y, 0)",
        "remove the point at position i from both arrays",
    )


@checks.question(
    "change-correlation",
    objective="read-correlation",
    hints=[
        "`np.diff(a)` gives the changes from one month to the next; correlate the two arrays of changes."
    ],
    solution=(
        "import numpy as np\n\n\ndef change_correlation(a, b):\n"
        "    return np.corrcoef(np.diff(a), np.diff(b))[0, 1]"
    ),
    show_solution=AFTER_TWO,
)
def change_correlation(ns):
    a = np.array([10.0, 12.0, 13.0, 16.0, 17.0, 20.0])
    b = np.array([5.0, 5.5, 7.0, 7.2, 9.0, 9.1])
    _close(
        ns["change_correlation"](a, b),
        np.corrcoef(np.diff(a), np.diff(b))[0, 1],
        "change_correlation(a, b)",
        "correlate the month-to-month changes (`np.diff`), not the levels",
    )


# -- fit-line --------------------------------------------------------------------------


@checks.question(
    "line-through",
    objective="fit-line",
    hints=[
        "`np.polyfit(x, y, 1)` returns the slope first, then the intercept: return them as a tuple."
    ],
    solution=(
        "import numpy as np\n\n\ndef line_through(x, y):\n    return tuple(np.polyfit(x, y, 1))"
    ),
    show_solution=AFTER_TWO,
)
def line_through(ns):
    got = ns["line_through"]([0.0, 1.0, 2.0, 3.0], [1.0, 3.5, 5.0, 7.5])
    if not isinstance(got, tuple) or len(got) != 2:
        fail("return a tuple `(slope, intercept)`")
    _close(
        got,
        np.polyfit([0, 1, 2, 3], [1.0, 3.5, 5.0, 7.5], 1),
        "line_through(...)",
        "slope first, then intercept",
    )


@checks.question(
    "squared-misses",
    objective="fit-line",
    hints=["The misses are `y - (slope * x + intercept)`; square them and add them up."],
    solution=(
        "import numpy as np\n\n\ndef squared_misses(x, y, slope, intercept):\n"
        "    x, y = np.asarray(x, float), np.asarray(y, float)\n"
        "    return ((y - (slope * x + intercept)) ** 2).sum()"
    ),
    show_solution=AFTER_TWO,
)
def squared_misses(ns):
    fn = ns["squared_misses"]
    _close(
        fn([0, 1, 2], [1.0, 2.0, 5.0], 2.0, 0.0),
        2.0,
        "squared_misses([0, 1, 2], [1, 2, 5], 2, 0)",
        "add up the squared vertical misses",
    )
    x, y = [0.0, 1.0, 2.0, 3.0], [1.0, 3.5, 5.0, 7.5]
    best = fn(x, y, *np.polyfit(x, y, 1))
    if fn(x, y, 2.0, 1.2) < best:
        fail("another line misses less than the least-squares line: check your sum of squares")


@checks.question(
    "through-means-fit",
    objective="fit-line",
    hints=[
        "`dx = x - x.mean()`, `dy = y - y.mean()`; slope = `(dx * dy).sum() / (dx ** 2).sum()`.",
        "intercept = `y.mean() - slope * x.mean()`.",
    ],
    solution=(
        "import numpy as np\n\n\ndef fit_through_means(x, y):\n"
        "    x, y = np.asarray(x, float), np.asarray(y, float)\n"
        "    dx, dy = x - x.mean(), y - y.mean()\n    slope = (dx * dy).sum() / (dx**2).sum()\n"
        "    return slope, y.mean() - slope * x.mean()"
    ),
    show_solution=AFTER_TWO,
)
def through_means_fit(ns):
    x, y = [2.0, 4.0, 5.0, 9.0], [1.0, 4.0, 3.0, 8.0]
    got = ns["fit_through_means"](x, y)
    if not isinstance(got, tuple) or len(got) != 2:
        fail("return a tuple `(slope, intercept)`")
    _close(
        got,
        np.polyfit(x, y, 1),
        "fit_through_means(...)",
        "not the least-squares line: check the two sums",
    )


# -- interpret-regression --------------------------------------------------------------


@checks.question(
    "change-per",
    objective="interpret-regression",
    hints=["The predicted change for `step` more units of x is `slope * step`."],
    solution="def change_per(slope, step):\n    return round(slope * step, 2)",
    show_solution=AFTER_TWO,
)
def change_per(ns):
    fn = ns["change_per"]
    _close(
        fn(-0.0123, 1000),
        -12.3,
        "change_per(-0.0123, 1000)",
        "multiply the slope by the step, round to 2 decimals",
    )
    _close(fn(2.5, 4), 10.0, "change_per(2.5, 4)", "multiply the slope by the step")


@checks.question(
    "biggest-misses",
    objective="interpret-regression",
    hints=[
        "Fit with `np.polyfit`, residuals = y minus the prediction.",
        "`int(np.argmax(res))` and `int(np.argmin(res))`.",
    ],
    solution=(
        "import numpy as np\n\n\ndef biggest_misses(x, y):\n"
        "    x, y = np.asarray(x, float), np.asarray(y, float)\n"
        "    line = np.polyfit(x, y, 1)\n    res = y - np.polyval(line, x)\n"
        "    return int(np.argmax(res)), int(np.argmin(res))"
    ),
    show_solution=AFTER_TWO,
)
def biggest_misses(ns):
    got = ns["biggest_misses"]([1.0, 2.0, 3.0, 4.0, 5.0, 6.0], [2.0, 4.5, 5.8, 7.0, 12.0, 11.5])
    if not isinstance(got, tuple) or len(got) != 2:
        fail("return a tuple `(position above, position below)`")
    if tuple(got) == (0, 4):
        fail(
            "the first position should be the row furthest *above* the line (largest positive residual)"
        )
    if tuple(got) != (4, 3):
        fail("those are not the positions of the largest and the smallest residual")


@checks.question(
    "r2-for-degree",
    objective="interpret-regression",
    hints=[
        "`coefs = np.polyfit(x, y, degree)`; `np.polyval(coefs, x)` gives the predictions.",
        "R² = 1 − sum of squared residuals / sum of squared deviations from the mean.",
    ],
    solution=(
        "import numpy as np\n\n\ndef r2_for_degree(x, y, degree):\n"
        "    x, y = np.asarray(x, float), np.asarray(y, float)\n"
        "    fitted = np.polyval(np.polyfit(x, y, degree), x)\n"
        "    return 1 - ((y - fitted) ** 2).sum() / ((y - y.mean()) ** 2).sum()"
    ),
    show_solution=AFTER_TWO,
)
def r2_for_degree(ns):
    fn = ns["r2_for_degree"]
    x = np.arange(10.0)
    y = (x - 4.5) ** 2 + np.array([0.3, -0.2, 0.1, 0.0, -0.4, 0.2, 0.1, -0.1, 0.3, -0.3])
    _close(
        fn(x, y, 1),
        np.corrcoef(x, y)[0, 1] ** 2,
        "r2_for_degree(x, y, 1)",
        "for a straight line R² equals r²",
    )
    if not 0.99 < fn(x, y, 2) <= 1:
        fail(
            "a parabola fits these curved points almost perfectly: R² for degree 2 should be close to 1"
        )
