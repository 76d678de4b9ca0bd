"""Practice checks and quizzes for unit functions (Functions and loops).

The checks call the learner's functions on small inputs and describe what came back,
never the value that was expected.
"""

from mastery_nb.checks import Checks, fail, not_attempted

checks = Checks(unit="functions")


def _function(ns, name):
    """The learner's function ``name``, or not attempted / a clear failure."""
    if name not in ns:
        not_attempted(f"define `{name}` in your answer cell and run it")
    fn = ns[name]
    if not callable(fn):
        fail(f"`{name}` should be a function, got a {type(fn).__name__}")
    return fn


def _returns_number(name, value, call):
    if value is None:
        fail(f"`{call}` returned None; use `return` instead of `print` in `{name}`")
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        fail(f"`{call}` returned a {type(value).__name__}; it should return a number")
    return value


@checks.question(
    "fahrenheit",
    objective="define-functions",
    hints=[
        "Multiply by 9, divide by 5, then add 32: in that order.",
        "The function body is one line: return celsius * 9 / 5 + 32",
    ],
    solution="def celsius_to_fahrenheit(celsius):\n    return celsius * 9 / 5 + 32",
    show_solution="after_attempts:3",
)
def fahrenheit(ns):
    fn = _function(ns, "celsius_to_fahrenheit")
    for c in (100, 0, -40, 21.5):
        got = _returns_number("celsius_to_fahrenheit", fn(c), f"celsius_to_fahrenheit({c})")
        if abs(got - (c * 9 / 5 + 32)) > 1e-9:
            if abs(got - (c + 32) * 9 / 5) < 1e-9:
                fail(f"celsius_to_fahrenheit({c}) returned {got}: you add 32 before multiplying")
            fail(f"celsius_to_fahrenheit({c}) returned {got}; check the formula °F = °C × 9/5 + 32")


@checks.question(
    "percent-change",
    objective="define-functions",
    hints=[
        "First the difference new - old, then divide by old (the starting value).",
        "Multiply by 100 at the end to get percent.",
    ],
    solution="def percent_change(old, new):\n    return (new - old) / old * 100",
    show_solution="after_attempts:3",
)
def percent_change(ns):
    fn = _function(ns, "percent_change")
    got = _returns_number("percent_change", fn(50, 60), "percent_change(50, 60)")
    if abs(got - 0.2) < 1e-9:
        fail("percent_change(50, 60) returned 0.2, a fraction; multiply by 100 for percent")
    if abs(got - (-20)) < 1e-9:
        fail("percent_change(50, 60) returned -20.0: the sign is reversed (new - old, not old - new)")
    if abs(got - 20) > 1e-9:
        fail(f"percent_change(50, 60) returned {got}; a rise should give a positive percentage of old")
    got = _returns_number("percent_change", fn(80, 60), "percent_change(80, 60)")
    if abs(got - (-25)) > 1e-9:
        fail(f"percent_change(80, 60) returned {got}; divide by the old value, not the new one")


@checks.question(
    "format-temp",
    objective="default-arguments",
    hints=[
        "The header is def format_temp(value, unit=\"C\", decimals=1):",
        "A format spec can itself contain a variable: f\"{value:.{decimals}f}\"",
    ],
    solution='def format_temp(value, unit="C", decimals=1):\n    return f"{value:.{decimals}f} °{unit}"',
    show_solution="after_attempts:3",
)
def format_temp(ns):
    fn = _function(ns, "format_temp")
    try:
        got = fn(21.456)
    except TypeError as exc:
        fail(f"format_temp(21.456) raised TypeError ({exc}); give `unit` and `decimals` default values")
    if not isinstance(got, str):
        fail(f"format_temp(21.456) returned a {type(got).__name__}; it should return a str")
    if "21.456" in got:
        fail(f"format_temp(21.456) returned {got!r}: the default should show 1 decimal")
    if not got.endswith("°C"):
        fail(f"format_temp(21.456) returned {got!r}; by default the unit is C, shown as '°C'")
    if got != "21.5 °C":
        fail(f"format_temp(21.456) returned {got!r}; check the space before '°'")
    got = fn(3, decimals=0)
    if got != "3 °C":
        fail(f"format_temp(3, decimals=0) returned {got!r}; `decimals` should set the number of decimals")
    got = fn(70.73, unit="F")
    if got != "70.7 °F":
        fail(f"format_temp(70.73, unit='F') returned {got!r}; use the `unit` parameter")


@checks.question(
    "rain-category",
    objective="default-arguments",
    hints=[
        "Test mm == 0 first, then mm < heavy; everything else is heavy rain.",
        "A keyword argument in a call looks like rain_category(35, heavy=50).",
    ],
)
def rain_category(ns):
    fn = _function(ns, "rain_category")
    for mm, heavy in ((0, None), (4.2, None), (10, None), (25, None), (12, 20), (20, 20)):
        call = f"rain_category({mm})" if heavy is None else f"rain_category({mm}, heavy={heavy})"
        got = fn(mm) if heavy is None else fn(mm, heavy=heavy)
        limit = 10.0 if heavy is None else heavy
        want = "dry" if mm == 0 else ("rain" if mm < limit else "heavy rain")
        if got not in ("dry", "rain", "heavy rain"):
            fail(f"{call} returned {got!r}; return exactly 'dry', 'rain' or 'heavy rain'")
        if got != want:
            fail(f"{call} returned {got!r}; check your conditions (is the limit itself heavy?)")
    if "tropical" not in ns:
        not_attempted("store the result of your keyword-argument call in `tropical`")
    if ns["tropical"] != fn(35, heavy=50):
        fail(f"`tropical` is {ns['tropical']!r}; classify 35 mm with heavy rain starting at 50 mm")


@checks.question(
    "count-below",
    objective="loop-accumulate",
    hints=[
        "Start a counter at 0 before the loop; add 1 when a value is below the limit.",
        "Return the counter after the loop, not inside it.",
    ],
    solution=(
        "def count_below(values, limit=0.0):\n    count = 0\n    for v in values:\n"
        "        if v < limit:\n            count += 1\n    return count"
    ),
    show_solution="after_attempts:4",
)
def count_below(ns):
    fn = _function(ns, "count_below")
    cases = (([-1.0, 2.0, -3.5, 0.0], None, 2), ([], None, 0), ([5, 10, 15], 10, 1), ([0.0, -0.5], None, 1))
    for values, limit, want in cases:
        call = f"count_below({values})" if limit is None else f"count_below({values}, limit={limit})"
        got = fn(list(values)) if limit is None else fn(list(values), limit=limit)
        if got is None:
            fail(f"{call} returned None; return the count")
        if got != want:
            fail(f"{call} returned {got!r}; 'strictly below' means < (a value equal to the limit does not count)")


@checks.question(
    "dry-spell",
    objective="loop-accumulate",
    hints=[
        "Keep `current` (days in the dry run you are in) and `longest` (best so far).",
        "On a rainy day the current run resets to 0; on a dry day it grows by 1 and may beat `longest`.",
    ],
)
def dry_spell(ns):
    fn = _function(ns, "longest_dry_spell")
    cases = ([0, 0, 3.2, 0, 0, 0, 1.1], [1.0, 2.0], [0, 0, 0, 0], [0, 5, 0, 0, 5, 0], [])
    for rain in cases:
        longest = current = 0
        for mm in rain:
            current = current + 1 if mm == 0 else 0
            longest = max(longest, current)
        got = fn(list(rain))
        if got != longest:
            if rain and rain[-1] == 0:
                fail(f"longest_dry_spell({rain}) returned {got!r}; does a dry run at the very end count?")
            fail(f"longest_dry_spell({rain}) returned {got!r}; check when you reset and when you compare")


checks.multiple_choice(
    "valid-calls",
    objective="default-arguments",
    prompt='Given def format_temp(value, unit="C", decimals=1), which calls are valid?',
    options=[
        "format_temp(5)",
        'format_temp(5, "F")',
        'format_temp(unit="F", 5)',
        "format_temp(5, decimals=0)",
        "format_temp()",
    ],
    answer=["format_temp(5)", 'format_temp(5, "F")', "format_temp(5, decimals=0)"],
)

checks.numeric(
    "range-count",
    objective="loop-accumulate",
    prompt="How many times does the body of `for day in range(2, 11, 3):` run?",
    answer=3,
)
