"""Practice checks and quizzes for unit numpy-arrays (Computing with NumPy arrays)."""

import numpy as np

from mastery_nb.checks import Checks, fail, not_attempted

checks = Checks(unit="numpy-arrays")

RAIN = np.array([0.0, 0.0, 3.2, 12.5, 0.4, 0.0, 0.0,
                 7.1, 22.0, 15.3, 0.0, 0.0, 1.2, 0.0,
                 0.0, 0.0, 0.0, 0.0, 4.8, 9.9, 0.6,
                 0.0, 2.2, 30.1, 18.4, 0.0, 0.0, 0.0])
TEMPS = np.array([-2.5, -1.0, 0.5, 3.2, 4.8, 6.1, 2.0,
                  1.5, 5.5, 7.9, 9.3, 11.0, 8.4, 6.6,
                  4.0, 2.1, -0.5, -3.2, -1.1, 0.8, 3.9,
                  6.7, 8.8, 10.2, 12.5, 9.9, 7.3, 5.0])


def _array(ns, name):
    value = ns[name]
    if isinstance(value, list):
        fail(f"`{name}` is a list; make it a NumPy array (np.array, or an array operation)")
    if not isinstance(value, np.ndarray):
        fail(f"`{name}` should be a NumPy array, got a {type(value).__name__}")
    return value


def _int(ns, name):
    value = ns[name]
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        fail(f"`{name}` should be an int, got a {type(value).__name__}")
    return int(value)


@checks.question(
    "make-arrays",
    objective="create-arrays",
    hints=[
        "np.array(rain_list) turns the list into an array.",
        "rain.reshape(4, 7) gives 4 rows of 7; `a, b = x.shape` unpacks the two sizes.",
    ],
    solution="rain = np.array(rain_list)\nrain_weeks = rain.reshape(4, 7)\nn_weeks, n_days = rain_weeks.shape",
    show_solution="after_attempts:3",
)
def make_arrays(ns):
    if "rain" not in ns:
        not_attempted("define `rain` in your answer cell and run it")
    rain = _array(ns, "rain")
    if rain.shape != (28,) or not np.allclose(rain, RAIN):
        fail(f"`rain` has shape {rain.shape}; it should hold the 28 values of rain_list in order")
    weeks = _array(ns, "rain_weeks")
    if weeks.shape == (7, 4):
        fail("`rain_weeks` has shape (7, 4): one row per *week* means 4 rows of 7 days")
    if weeks.shape != (4, 7):
        fail(f"`rain_weeks` has shape {weeks.shape}; it should be 4 rows by 7 columns")
    if not np.allclose(weeks, RAIN.reshape(4, 7)):
        fail("`rain_weeks` does not keep the days in order; reshape `rain` rather than building it by hand")
    if (_int(ns, "n_weeks"), _int(ns, "n_days")) != weeks.shape:
        fail(f"(n_weeks, n_days) is ({ns['n_weeks']}, {ns['n_days']}); take them from rain_weeks.shape")


@checks.question(
    "time-axis",
    objective="create-arrays",
    hints=[
        "np.arange(start, stop, step) stops before `stop`, like range.",
        "np.linspace(start, stop, num) includes both ends and gives `num` values.",
    ],
    solution="hours = np.arange(0, 24, 3)\nfractions = np.linspace(0, 1, 9)",
    show_solution="after_attempts:3",
)
def time_axis(ns):
    hours = _array(ns, "hours")
    if hours.dtype.kind != "i":
        fail(f"`hours` has dtype {hours.dtype}; give np.arange int arguments to get ints")
    if hours.shape != (8,):
        fail(f"`hours` has {hours.size} values; every 3 hours from 0 to 21 is 8 values")
    if hours.tolist() != list(range(0, 24, 3)):
        fail(f"`hours` starts at {hours[0]} and steps by {hours[1] - hours[0] if hours.size > 1 else '?'}; check start and step")
    fr = _array(ns, "fractions")
    if fr.shape != (9,):
        fail(f"`fractions` has {fr.size} values; it should have 9")
    if fr[0] != 0 or fr[-1] != 1:
        fail("`fractions` should start at 0 and end at exactly 1 (np.linspace includes the end)")
    if not np.allclose(np.diff(fr), fr[1] - fr[0]):
        fail("`fractions` is not evenly spaced")


@checks.question(
    "vectorised",
    objective="vectorized-ops",
    hints=[
        "Arithmetic on an array applies to every element: temps * 9 / 5 + 32.",
        "temps.mean() is one number; temps - temps.mean() subtracts it from every day. argmax gives a position.",
    ],
)
def vectorised(ns):
    temps = _array(ns, "temps")
    if temps.shape != TEMPS.shape or not np.allclose(temps, TEMPS):
        fail("`temps` should be np.array(temp_list), unchanged")
    tf = _array(ns, "temps_f")
    if tf.shape != TEMPS.shape:
        fail(f"`temps_f` has shape {tf.shape}; convert every day's temperature")
    if not np.allclose(tf, TEMPS * 9 / 5 + 32):
        fail("`temps_f` has wrong values; check the formula °F = °C × 9/5 + 32")
    an = _array(ns, "anomalies")
    if an.shape != TEMPS.shape:
        fail(f"`anomalies` has shape {an.shape}; it should have one value per day")
    if abs(float(an.mean())) > 1e-9:
        fail(f"the mean of `anomalies` is {float(an.mean()):.3f}; subtract the mean of temps from every value")
    if not np.allclose(an, TEMPS - TEMPS.mean()):
        fail("`anomalies` is centred but does not match the temperatures; subtract from `temps`")
    wd = _int(ns, "warmest_day")
    if not 0 <= wd < TEMPS.size or TEMPS[wd] != TEMPS.max():
        fail(f"`warmest_day` is {wd}, but that is not the day with the highest temperature; use argmax")


@checks.question(
    "weekly",
    objective="vectorized-ops",
    hints=[
        "One total per week means one result per row: aggregate with axis=1.",
        "One mean per weekday means one result per column: axis=0.",
    ],
)
def weekly(ns):
    weeks = RAIN.reshape(4, 7)
    wt = _array(ns, "weekly_total")
    if wt.shape == (7,):
        fail("`weekly_total` has 7 values: that is one per weekday; you want one per week (row)")
    if wt.shape != (4,):
        fail(f"`weekly_total` has shape {wt.shape}; it should have one total per week")
    if not np.allclose(wt, weeks.sum(axis=1)):
        fail("`weekly_total` does not add up each week's rain; sum along each row")
    wm = _array(ns, "weekday_mean")
    if wm.shape != (7,):
        fail(f"`weekday_mean` has shape {wm.shape}; it should have one mean per day of the week")
    if not np.allclose(wm, weeks.mean(axis=0)):
        fail("`weekday_mean` does not hold the mean of each column")
    ww = _int(ns, "wettest_week")
    if not 0 <= ww < 4 or wt[ww] != wt.max():
        fail(f"`wettest_week` is {ww}, which is not the week with the largest total (weeks count from 0)")


@checks.question(
    "masks",
    objective="boolean-masks",
    hints=[
        "(temps < 0) is a mask; .sum() counts its True values.",
        "Combine masks with & and put each comparison in parentheses: (a >= 5) & (a <= 10).",
    ],
)
def masks(ns):
    nf = _int(ns, "n_frost")
    if nf != int((TEMPS < 0).sum()):
        fail(f"`n_frost` is {nf}; count the days strictly below 0")
    mild = _array(ns, "mild")
    if mild.dtype == bool:
        fail("`mild` is the mask itself; index `temps` with the mask to get the temperatures")
    want = TEMPS[(TEMPS >= 5) & (TEMPS <= 10)]
    if mild.size != want.size:
        fail(f"`mild` has {mild.size} temperatures; check both ends of the range (5 and 10 are included)")
    if not np.allclose(np.sort(mild), np.sort(want)):
        fail("`mild` has the right size but wrong values; take them from `temps`")
    wc = _array(ns, "wet_and_cold")
    want = RAIN[(RAIN > 1) & (TEMPS < 3)]
    if wc.size != want.size:
        fail(f"`wet_and_cold` has {wc.size} values; both conditions must hold (use &, not |)")
    if not np.allclose(np.sort(wc), np.sort(want)):
        fail("`wet_and_cold` should hold rainfall amounts, taken from `rain` with the combined mask")


@checks.question(
    "fill-missing",
    objective="boolean-masks",
    hints=[
        "np.isnan(x) is True where x is missing; you cannot find nan with == np.nan.",
        "Copy first: filled = values.copy(); then filled[np.isnan(filled)] = fill_value.",
    ],
    solution=(
        "def fill_missing(values, fill_value):\n    filled = values.copy()\n"
        "    filled[np.isnan(filled)] = fill_value\n    return filled"
    ),
    show_solution="after_attempts:4",
)
def fill_missing(ns):
    fn = ns["fill_missing"]
    if not callable(fn):
        fail("`fill_missing` should be a function")
    sample = np.array([1.0, np.nan, 3.0, np.nan])
    got = fn(sample, 0.0)
    if got is None:
        fail("fill_missing(sample, 0.0) returned None; return the filled array")
    got = np.asarray(got, dtype=float)
    if not np.isnan(sample[1]):
        fail("fill_missing changed the array it was given; fill a copy instead")
    if got.shape != sample.shape:
        fail(f"fill_missing returned shape {got.shape} for an input of shape {sample.shape}; keep every element")
    if np.isnan(got).any():
        fail("fill_missing(sample, 0.0) still contains nan; note that nan == nan is False, use np.isnan")
    if got.tolist() != [1.0, 0.0, 3.0, 0.0]:
        fail("fill_missing changed values that were not missing, or did not use fill_value")


checks.single_choice(
    "mixed-dtype",
    objective="create-arrays",
    prompt="What is the dtype of np.array([1, 2, 3.5])?",
    options=["int64", "float64", "object", "a mix of int64 and float64"],
    answer="float64",
)

checks.numeric(
    "axis-length",
    objective="vectorized-ops",
    prompt="rain_weeks has shape (4, 7). How many values does rain_weeks.max(axis=0) contain?",
    answer=7,
)

checks.single_choice(
    "and-vs-ampersand",
    objective="boolean-masks",
    prompt="Why does temps[(temps > 0) and (temps < 10)] fail while the & version works?",
    options=[
        "`and` needs a single True or False, and a whole array has no single truth value; & combines element by element",
        "`and` is slower than &, so NumPy forbids it",
        "`and` only works on integers",
        "The parentheses are wrong; without them `and` would work",
    ],
    answer="`and` needs a single True or False, and a whole array has no single truth value; & combines element by element",
)
