"""Practice checks and quizzes for unit numpy-arrays (NumPy arrays).

Each check calls the learner's function on small arrays written out here (not the
notebook's data), compares with expected results and names what is wrong. The graded
tests use yet other arrays. Worked solutions open once the unit is mastered.
Public: shipped as-is to students and the grader.
"""

import numpy as np

from mastery_nb.checks import Checks, fail

checks = Checks(unit="numpy-arrays")

MASTERED = "after_mastery"


def _call(fn, *args):
    """Call ``fn`` on copies of the array arguments; fail when it changed them or returned None."""
    copies = [a.copy() if isinstance(a, np.ndarray) else a for a in args]
    got = fn(*copies)
    call = f"{getattr(fn, '__name__', 'function')}({', '.join(_show(a) for a in args)})"
    for before, after in zip(args, copies, strict=True):
        if isinstance(before, np.ndarray) and not np.array_equal(before, after):
            fail(f"`{call}` changed the array it was given; compute a new array instead")
    if got is None:
        fail(f"`{call}` returned None: `return` the result")
    return got, call


def _show(value):
    if isinstance(value, np.ndarray):
        return f"np.array({value.tolist()})"
    return repr(value)


def _array(got, call, shape):
    if not isinstance(got, np.ndarray):
        fail(f"`{call}` returned a {type(got).__name__}; compute with the arrays to get an array")
    if got.shape != shape:
        fail(f"`{call}` returned an array of shape {got.shape}; it should have shape {shape}")


def _close(got, call, expected):
    if not np.allclose(got, expected):
        fail(f"`{call}` returned {_show(np.asarray(got))}, not {_show(np.asarray(expected))}")


def _number(got, call):
    if isinstance(got, np.ndarray):
        fail(f"`{call}` returned an array; it should return one number")
    if not isinstance(got, (int, float, np.integer, np.floating)) or isinstance(got, bool):
        fail(f"`{call}` returned a {type(got).__name__}; it should return a number")


# -- vectorised-arithmetic ------------------------------------------------------------

HIGHS = np.array([14.0, 9.5, 20.0])
LOWS = np.array([6.0, 9.5, 11.0])


@checks.question(
    "daily-range",
    objective="vectorised-arithmetic",
    hints=[
        "Subtract one whole array from the other: no loop is needed.",
        "The range is highest minus lowest; the midpoint adds them and divides by 2 (mind the brackets).",
    ],
    solution=(
        "def daily_range(temp_max, temp_min):\n    return temp_max - temp_min\n\n\n"
        "def midpoint(temp_max, temp_min):\n    return (temp_max + temp_min) / 2"
    ),
    show_solution=MASTERED,
)
def daily_range(ns):
    got, call = _call(ns["daily_range"], HIGHS, LOWS)
    _array(got, call, (3,))
    if np.allclose(got, LOWS - HIGHS):
        fail(f"`{call}` is negative: subtract the lowest temperature from the highest")
    _close(got, call, [8.0, 0.0, 9.0])
    got, call = _call(ns["midpoint"], HIGHS, LOWS)
    _array(got, call, (3,))
    if np.allclose(got, HIGHS + LOWS / 2):
        fail(f"`{call}`: `/` is done before `+`; put the sum in brackets before dividing by 2")
    _close(got, call, [10.0, 9.5, 15.5])


@checks.question(
    "to-inches",
    objective="vectorised-arithmetic",
    hints=[
        "One inch is 25.4 mm, so divide the millimetres by 25.4.",
        "`np.round(array, 2)` rounds every value of an array.",
    ],
    solution="def to_inches(precip_mm):\n    return np.round(precip_mm / 25.4, 2)",
    show_solution=MASTERED,
)
def to_inches(ns):
    fn = ns["to_inches"]
    mm = np.array([0.0, 10.0, 76.2])
    got, call = _call(fn, mm)
    _array(got, call, (3,))
    if np.allclose(got, mm * 25.4, atol=0.01):
        fail(f"`{call}` multiplied by 25.4; an inch is longer than a millimetre, so divide")
    if not np.allclose(got, np.round(got, 2)):
        fail(f"`{call}` is not rounded to 2 decimals")
    _close(got, call, [0.0, 0.39, 3.0])
    got, call = _call(fn, np.array([[5.0], [254.0]]))
    _array(got, call, (2, 1))
    _close(got, call, [[0.2], [10.0]])


@checks.question(
    "day-change",
    objective="vectorised-arithmetic",
    hints=[
        "`values[1:]` is every day but the first; `values[:-1]` every day but the last.",
        "Today minus yesterday: `values[1:] - values[:-1]`.",
    ],
    solution="def day_to_day_change(values):\n    return values[1:] - values[:-1]",
    show_solution=MASTERED,
)
def day_change(ns):
    fn = ns["day_to_day_change"]
    values = np.array([5.0, 7.0, 6.0, 6.0])
    got, call = _call(fn, values)
    if isinstance(got, np.ndarray) and got.shape == (3,) and np.allclose(got, [-2.0, 1.0, 0.0]):
        fail(f"`{call}` has the wrong sign: today minus yesterday, not yesterday minus today")
    if isinstance(got, np.ndarray) and got.shape == (4,):
        fail(f"`{call}` has 4 values; the first day has no day before it, so return 3")
    _array(got, call, (3,))
    _close(got, call, [2.0, -1.0, 0.0])
    got, call = _call(fn, np.array([3.0]))
    _array(got, call, (0,))


checks.single_choice(
    "list-vs-array",
    objective="vectorised-arithmetic",
    prompt="With `a = np.array([1, 2, 3])` and `l = [1, 2, 3]`, what are `a * 2` and `l * 2`?",
    options=[
        "array([2, 4, 6]) and [1, 2, 3, 1, 2, 3]",
        "array([2, 4, 6]) and [2, 4, 6]",
        "both [1, 2, 3, 1, 2, 3]",
        "array([1, 2, 3, 1, 2, 3]) and [2, 4, 6]",
    ],
    answer="array([2, 4, 6]) and [1, 2, 3, 1, 2, 3]",
    hints=["An array multiplies every value; `*` on a list repeats the list."],
)

checks.single_choice(
    "shape-mismatch",
    objective="vectorised-arithmetic",
    prompt="What does `np.array([3, 4]) + np.array([1, 2, 3])` give?",
    options=[
        "an error: the shapes (2,) and (3,) do not match",
        "array([4, 6, 3])",
        "array([4, 6])",
        "array([3, 4, 1, 2, 3])",
    ],
    answer="an error: the shapes (2,) and (3,) do not match",
    hints=["Value-by-value arithmetic needs a partner for every value."],
)

# -- boolean-masks --------------------------------------------------------------------


@checks.question(
    "count-below",
    objective="boolean-masks",
    hints=[
        "`values < limit` is a mask of True and False.",
        "`.sum()` of a mask counts its True values; `int(...)` makes it a plain number.",
    ],
    solution="def count_below(values, limit):\n    return int((values < limit).sum())",
    show_solution=MASTERED,
)
def count_below(ns):
    fn = ns["count_below"]
    got, call = _call(fn, np.array([1.0, -2.0, 5.0, -2.0, 0.0]), 0)
    if isinstance(got, np.ndarray):
        fail(f"`{call}` returned an array; count the True values of the mask with `.sum()`")
    _number(got, call)
    if got == -4.0:
        fail(f"`{call}` added up the values below the limit; count them instead")
    if got == 3:
        fail(f"`{call}` counted the value equal to the limit; strictly below means `<`")
    if got != 2:
        fail(f"`{call}` returned {got!r}, not 2")
    got, call = _call(fn, np.array([8, 9]), 8)
    if got != 0:
        fail(f"`{call}` returned {got!r}, not 0")


@checks.question(
    "wet-days",
    objective="boolean-masks",
    hints=[
        "`precip[precip > 0]` keeps the values where the mask is True.",
        "Then take the `.mean()` of those values and `round(float(...), 1)`.",
    ],
    solution=(
        "def wet_days(precip):\n    return precip[precip > 0]\n\n\n"
        "def mean_on_wet_days(precip):\n    return round(float(wet_days(precip).mean()), 1)"
    ),
    show_solution=MASTERED,
)
def wet_days(ns):
    sample = np.array([0.0, 3.0, 0.0, 6.0])
    got, call = _call(ns["wet_days"], sample)
    if isinstance(got, np.ndarray) and got.dtype == bool:
        fail(f"`{call}` returned the mask; use it to select the values: `precip[mask]`")
    if isinstance(got, np.ndarray) and len(got) == 4:
        fail(f"`{call}` kept the dry days too; keep the values greater than 0")
    _array(got, call, (2,))
    _close(got, call, [3.0, 6.0])
    got, call = _call(ns["mean_on_wet_days"], sample)
    _number(got, call)
    if got == 2.2 or got == 2.25:
        fail(f"`{call}` averaged every day; average the wet days only")
    if got != 4.5:
        fail(f"`{call}` returned {got!r}, not 4.5")


@checks.question(
    "warm-and-dry",
    objective="boolean-masks",
    hints=[
        "Two masks: `temp_max >= limit` and `precip == 0`.",
        "Combine them with `&`, each in brackets, then count with `.sum()`.",
    ],
    solution=(
        "def count_warm_and_dry(temp_max, precip, limit):\n"
        "    return int(((temp_max >= limit) & (precip == 0)).sum())"
    ),
    show_solution=MASTERED,
)
def warm_and_dry(ns):
    fn = ns["count_warm_and_dry"]
    highs = np.array([28.0, 25.0, 31.0, 19.0])
    precip = np.array([0.0, 0.0, 2.0, 0.0])
    got, call = _call(fn, highs, precip, 25)
    _number(got, call)
    if got == 1:
        fail(f"`{call}` left out the day of exactly 25 °C: *at least* means `>=`")
    if got == 4:
        fail(f"`{call}` counted days that are warm *or* dry; use `&` for and")
    if got != 2:
        fail(f"`{call}` returned {got!r}, not 2")


checks.numeric(
    "mask-size",
    objective="boolean-masks",
    prompt="With `a = np.array([4, 9, 1, 7])`, how many values does `a[a > 4]` hold?",
    answer=2,
    tolerance=0,
    hints=["Which values are strictly greater than 4?"],
)

checks.multiple_choice(
    "combine-conditions",
    objective="boolean-masks",
    prompt="Which give a mask of the days with `temp_max >= 25` and `precipitation == 0`?",
    options=[
        "(temp_max >= 25) & (precipitation == 0)",
        "temp_max >= 25 and precipitation == 0",
        "temp_max >= 25 & precipitation == 0",
        "(precipitation == 0) & (temp_max >= 25)",
    ],
    answer=["(temp_max >= 25) & (precipitation == 0)", "(precipitation == 0) & (temp_max >= 25)"],
    hints=[
        "`and` does not work on whole arrays.",
        "Without brackets, `&` is applied before `>=` and `==`.",
    ],
)

# -- aggregate-axes -------------------------------------------------------------------

TABLE = np.array([[2.0, 4.0], [6.0, 1.0], [1.0, 1.0]])


@checks.question(
    "column-means",
    objective="aggregate-axes",
    hints=[
        "One mean per column: the rows disappear, so summarise along `axis=0`.",
        "One total per row: the columns disappear, so `axis=1`.",
    ],
    solution=(
        "def column_means(table):\n    return np.round(table.mean(axis=0), 1)\n\n\n"
        "def row_totals(table):\n    return table.sum(axis=1)"
    ),
    show_solution=MASTERED,
)
def column_means(ns):
    got, call = _call(ns["column_means"], TABLE)
    if isinstance(got, np.ndarray) and got.shape == (3,):
        fail(f"`{call}` has one value per row; a mean per column needs the other axis")
    _array(got, call, (2,))
    _close(got, call, [3.0, 2.0])
    got, call = _call(ns["row_totals"], TABLE)
    if isinstance(got, np.ndarray) and got.shape == (2,):
        fail(f"`{call}` has one value per column; a total per row needs the other axis")
    _array(got, call, (3,))
    _close(got, call, [6.0, 7.0, 2.0])


@checks.question(
    "weekly-max",
    objective="aggregate-axes",
    hints=[
        "`daily.reshape(-1, 7)` makes one row per week.",
        "The largest value of each row: `.max(axis=1)`.",
    ],
    solution="def weekly_max(daily):\n    return daily.reshape(-1, 7).max(axis=1)",
    show_solution=MASTERED,
)
def weekly_max(ns):
    days = np.array([3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 8, 9, 7])
    got, call = _call(ns["weekly_max"], days)
    if isinstance(got, np.ndarray) and got.shape == (7,):
        fail(f"`{call}` has 7 values, one per weekday; you want one per week (the other axis)")
    if isinstance(got, np.ndarray) and got.shape == ():
        fail(f"`{call}` is one number; summarise each week with `axis=`")
    _array(got, call, (2,))
    _close(got, call, [9, 9])


@checks.question(
    "wettest-week",
    objective="aggregate-axes",
    hints=[
        "Total each week: `daily.reshape(-1, 7).sum(axis=1)`.",
        "`np.argmax(totals)` is the position of the largest total; positions start at 0, weeks at 1.",
    ],
    solution=(
        "def wettest_week(daily):\n    totals = daily.reshape(-1, 7).sum(axis=1)\n"
        "    return int(np.argmax(totals)) + 1"
    ),
    show_solution=MASTERED,
)
def wettest_week(ns):
    days = np.array([0, 0, 1.0, 0, 0, 0, 0, 3.0, 0, 0, 0, 0, 0, 0, 0, 2.0, 2.0, 0, 0, 0, 0])
    got, call = _call(ns["wettest_week"], days)
    _number(got, call)
    if got == 2:
        fail(f"`{call}` returned a position counted from 0; weeks are numbered from 1")
    if got == 4.0:
        fail(f"`{call}` returned the total of the wettest week; return its number")
    if got != 3:
        fail(f"`{call}` returned {got!r}; compare the weekly totals")


checks.single_choice(
    "axis-shape",
    objective="aggregate-axes",
    prompt="`weeks` has shape (52, 7). What is the shape of `weeks.mean(axis=0)`?",
    options=["(7,)", "(52,)", "(52, 7)", "()"],
    answer="(7,)",
    hints=["The axis you name is the one that disappears."],
)

checks.single_choice(
    "axis-sum",
    objective="aggregate-axes",
    prompt="What is `np.array([[1, 2], [3, 4]]).sum(axis=1)`?",
    options=["array([3, 7])", "array([4, 6])", "10", "array([[3], [7]])"],
    answer="array([3, 7])",
    hints=["axis=1 adds across each row: 1 + 2, then 3 + 4."],
)
