"""Checked practice of the correctives and challenges of unit numpy-arrays.

Used by ``resources/numpy-arrays/*.ipynb`` (``load_checks("practice-numpy-arrays")``).
Practice only: nothing here is graded, and worked solutions (whole functions, so the
content tests can run them) open after a few checks.
"""

import numpy as np

from mastery_nb.checks import Checks, fail

checks = Checks(unit="practice-numpy-arrays")

AFTER_TWO = "after_attempts:2"


def _show(value):
    if isinstance(value, np.ndarray):
        return f"np.array({value.tolist()})" if value.size <= 12 else f"(an array of {value.size} values)"
    return repr(value)


def _expect(fn, name, cases):
    """Fail with the first case where ``fn(*args)`` differs; array arguments must stay unchanged."""
    for args, expected in cases:
        copies = [a.copy() if isinstance(a, np.ndarray) else a for a in args]
        shown = ", ".join(_show(a) for a in args)
        call = f"{name}({shown})"
        got = fn(*copies)
        for before, after in zip(args, copies, strict=True):
            if isinstance(before, np.ndarray) and not np.array_equal(before, after):
                fail(f"`{call}` changed its input; compute a new array instead")
        if got is None:
            fail(f"`{call}` returned None: replace `None` with your computation")
        if isinstance(expected, np.ndarray):
            if not isinstance(got, np.ndarray):
                fail(f"`{call}` returned a {type(got).__name__}; it should return an array")
            if got.shape != expected.shape or not np.allclose(got, expected):
                fail(f"`{call}` returned {got.tolist()}, not {expected.tolist()}")
        elif isinstance(got, np.ndarray) or got != expected:
            fail(f"`{call}` returned {got!r}, not {expected!r}")


@checks.question(
    "with-tax",
    objective="vectorised-arithmetic",
    hints=["Adding p % is multiplying by `1 + p / 100`.", "`np.round(prices * (1 + rate_percent / 100), 2)`"],
    solution=(
        "import numpy as np\n\n\ndef with_tax(prices, rate_percent):\n"
        "    return np.round(prices * (1 + rate_percent / 100), 2)"
    ),
    show_solution=AFTER_TWO,
)
def with_tax(ns):
    _expect(
        ns["with_tax"],
        "with_tax",
        [
            ((np.array([10.0, 4.0]), 25), np.array([12.5, 5.0])),
            ((np.array([1.99]), 7), np.array([2.13])),
        ],
    )


@checks.question(
    "body-mass-index",
    objective="vectorised-arithmetic",
    hints=["`height_m ** 2` squares every height.", "`np.round(weight_kg / height_m ** 2, 1)`"],
    solution=(
        "import numpy as np\n\n\ndef body_mass_index(weight_kg, height_m):\n"
        "    return np.round(weight_kg / height_m ** 2, 1)"
    ),
    show_solution=AFTER_TWO,
)
def body_mass_index(ns):
    _expect(
        ns["body_mass_index"],
        "body_mass_index",
        [((np.array([64.0, 90.0]), np.array([1.6, 2.0])), np.array([25.0, 22.5]))],
    )


@checks.question(
    "conversion-table",
    objective="vectorised-arithmetic",
    hints=[
        "`c = celsius[:, np.newaxis]` is a column; `np.array([1, 9 / 5, 1])` a row of factors.",
        "`np.round(c * np.array([1, 9 / 5, 1]) + np.array([0, 32, 273.15]), 2)`",
    ],
    solution=(
        "import numpy as np\n\n\ndef conversion_table(celsius):\n"
        "    column = celsius[:, np.newaxis]\n"
        "    return np.round(column * np.array([1, 9 / 5, 1]) + np.array([0, 32, 273.15]), 2)"
    ),
    show_solution=AFTER_TWO,
)
def conversion_table(ns):
    _expect(
        ns["conversion_table"],
        "conversion_table",
        [
            ((np.array([0.0, 37.0]),), np.array([[0.0, 32.0, 273.15], [37.0, 98.6, 310.15]])),
            ((np.array([-40.0]),), np.array([[-40.0, -40.0, 233.15]])),
        ],
    )


@checks.question(
    "passing-marks",
    objective="boolean-masks",
    hints=["`marks[marks >= pass_mark]`"],
    solution="def passing_marks(marks, pass_mark):\n    return marks[marks >= pass_mark]",
    show_solution=AFTER_TWO,
)
def passing_marks(ns):
    _expect(
        ns["passing_marks"],
        "passing_marks",
        [
            ((np.array([30, 80, 55, 55]), 55), np.array([80, 55, 55])),
            ((np.array([10, 20]), 50), np.array([], dtype=int)),
        ],
    )


@checks.question(
    "percent-between",
    objective="boolean-masks",
    hints=[
        "`inside = (values >= low) & (values <= high)`",
        "The mean of a mask is the share of True values: `round(float(inside.mean()) * 100, 1)`.",
    ],
    solution=(
        "def percent_between(values, low, high):\n"
        "    inside = (values >= low) & (values <= high)\n"
        "    return round(float(inside.mean()) * 100, 1)"
    ),
    show_solution=AFTER_TWO,
)
def percent_between(ns):
    _expect(
        ns["percent_between"],
        "percent_between",
        [((np.array([1, 5, 9, 5, 2, 7]), 2, 5), 50.0), ((np.array([4, 8, 15]), 5, 9), 33.3)],
    )


@checks.question(
    "longest-dry-spell",
    objective="boolean-masks",
    hints=[
        "Walk through `precip == 0`: add 1 to the current run on a dry day, reset it to 0 on a wet one.",
        "Keep the largest run seen so far.",
    ],
    solution=(
        "def longest_dry_spell(precip):\n    best = run = 0\n    for dry in precip == 0:\n"
        "        run = run + 1 if dry else 0\n        best = max(best, run)\n    return best"
    ),
    show_solution=AFTER_TWO,
)
def longest_dry_spell(ns):
    _expect(
        ns["longest_dry_spell"],
        "longest_dry_spell",
        [
            ((np.array([0.0, 0.0, 3.0, 0.0, 0.0, 0.0, 1.0]),), 3),
            ((np.array([2.0, 0.3]),), 0),
            ((np.array([0.0, 1.0, 0.0, 0.0]),), 2),
        ],
    )


@checks.question(
    "student-averages",
    objective="aggregate-axes",
    hints=["One value per row: `axis=1`.", "`np.round(scores.mean(axis=1), 1)`"],
    solution=(
        "import numpy as np\n\n\ndef student_averages(scores):\n"
        "    return np.round(scores.mean(axis=1), 1)"
    ),
    show_solution=AFTER_TWO,
)
def student_averages(ns):
    _expect(
        ns["student_averages"],
        "student_averages",
        [((np.array([[50, 70, 60], [20, 30, 35]]),), np.array([60.0, 28.3]))],
    )


@checks.question(
    "hardest-test",
    objective="aggregate-axes",
    hints=["The average of each column: `scores.mean(axis=0)`.", "`int(np.argmin(...))`"],
    solution=(
        "import numpy as np\n\n\ndef hardest_test(scores):\n"
        "    return int(np.argmin(scores.mean(axis=0)))"
    ),
    show_solution=AFTER_TWO,
)
def hardest_test(ns):
    _expect(
        ns["hardest_test"],
        "hardest_test",
        [
            ((np.array([[50, 70, 60], [20, 30, 35]]),), 0),
            ((np.array([[9, 3], [9, 4], [1, 8]]),), 1),
        ],
    )


@checks.question(
    "warmest-weeks",
    objective="aggregate-axes",
    hints=[
        "`daily.reshape(years, 52, 7).mean(axis=2)` is one average per week, per year.",
        "`np.argmax(..., axis=1) + 1` is the warmest week of each year.",
    ],
    solution=(
        "import numpy as np\n\n\ndef warmest_weeks(daily, years):\n"
        "    weekly = daily.reshape(years, 52, 7).mean(axis=2)\n"
        "    return np.argmax(weekly, axis=1) + 1"
    ),
    show_solution=AFTER_TWO,
)
def warmest_weeks(ns):
    one = np.zeros(364)
    one[70:77] = 5.0
    two = np.zeros(728)
    two[7:14] = 1.0
    two[364 + 350 : 364 + 357] = 2.0
    _expect(
        ns["warmest_weeks"],
        "warmest_weeks",
        [((one, 1), np.array([11])), ((two, 2), np.array([2, 51]))],
    )
