"""Practice checks and quizzes for unit functions (Functions and for loops).

Each check calls the learner's function on the notebook's own data and on one or two other
examples, compares with expected results written out here, and names what is wrong
without giving a formula away. The graded tests use yet other inputs. Worked solutions
open once the unit is mastered. Public: shipped as-is to students and the grader.
"""

import inspect

from mastery_nb.checks import Checks, fail

checks = Checks(unit="functions")

MASTERED = "after_mastery"


def _call(fn, *args, **kwargs):
    """``fn(*args, **kwargs)`` and how to write that call in a message."""
    words = [repr(a) for a in args] + [f"{k}={v!r}" for k, v in kwargs.items()]
    return fn(*args, **kwargs), f"{getattr(fn, '__name__', 'function')}({', '.join(words)})"


def _returned(got, call, kind=(int, float)):
    if got is None:
        fail(
            f"`{call}` returned None: use `return` to hand the result back (printing is not returning)"
        )
    if isinstance(got, bool) or not isinstance(got, kind):
        fail(f"`{call}` returned a {type(got).__name__}")
    return got


def _close(a, b, tol=1e-9):
    return abs(a - b) <= tol


# -- define-functions -----------------------------------------------------------------


@checks.question(
    "pace",
    objective="define-functions",
    hints=[
        "Pace is minutes divided by kilometres (not the other way round).",
        "`return round(minutes / distance_km, 2)`: return the value, do not print it.",
    ],
    solution="def pace(distance_km, minutes):\n    return round(minutes / distance_km, 2)",
    show_solution=MASTERED,
)
def pace(ns):
    fn = ns["pace"]
    for args, expected in (((5, 27.5), 5.5), ((8, 50), 6.25), ((4, 23), 5.75)):
        got, call = _call(fn, *args)
        _returned(got, call)
        if _close(got, round(args[0] / args[1], 2)) and not _close(got, expected):
            fail(
                f"`{call}` returned {got}: that is kilometres per minute; pace is minutes per kilometre"
            )
        if not _close(got, expected):
            fail(f"`{call}` returned {got}, which is not the pace (minutes per km, 2 decimals)")


@checks.question(
    "to-celsius",
    objective="define-functions",
    hints=[
        "Subtract 32 first (brackets!), then multiply by 5 and divide by 9.",
        "Round to one decimal with `round(value, 1)` and `return` it.",
    ],
    solution="def to_celsius(fahrenheit):\n    return round((fahrenheit - 32) * 5 / 9, 1)",
    show_solution=MASTERED,
)
def to_celsius(ns):
    fn = ns["to_celsius"]
    for value, expected in ((50, 10.0), (32, 0.0), (77, 25.0), (14, -10.0)):
        got, call = _call(fn, value)
        _returned(got, call)
        if _close(got, round(value - 32 * 5 / 9, 1)) and value != 32:
            fail(f"`{call}` returned {got}: subtract 32 before multiplying (brackets)")
        if not _close(got, expected, 0.051):
            fail(f"`{call}` returned {got}, which is not {value} °F in °C")
        if got != round(got, 1):
            fail(f"`{call}` returned {got}: round it to one decimal")


@checks.question(
    "trip-cost",
    objective="define-functions",
    hints=[
        "`litres_per_100km` litres per 100 km means `distance_km * litres_per_100km / 100` litres.",
        "In `trip_cost`, call `fuel_needed(distance_km, litres_per_100km)` and multiply by the price.",
    ],
    solution=(
        "def fuel_needed(distance_km, litres_per_100km):\n"
        "    return distance_km * litres_per_100km / 100\n\n\n"
        "def trip_cost(distance_km, litres_per_100km, price_per_litre):\n"
        "    return round(fuel_needed(distance_km, litres_per_100km) * price_per_litre, 2)"
    ),
    show_solution=MASTERED,
)
def trip_cost(ns):
    fuel, cost = ns["fuel_needed"], ns["trip_cost"]
    for args, litres in (((300, 5), 15.0), ((120, 7.5), 9.0)):
        got, call = _call(fuel, *args)
        _returned(got, call)
        if not _close(got, litres):
            fail(f"`{call}` returned {got}, which is not the litres used on that trip")
    for args, expected in (((300, 5, 1.9), 28.5), ((120, 7.5, 1.75), 15.75)):
        got, call = _call(cost, *args)
        _returned(got, call)
        if not _close(got, expected):
            fail(f"`{call}` returned {got}, which is not the cost of the fuel")


checks.single_choice(
    "no-return",
    objective="define-functions",
    prompt="What does a function give back when its body has no `return`?",
    options=["0", "None", "the last value it printed", "an error"],
    answer="None",
    hints=["Look at what `area_printed` gave back in the example."],
)

checks.numeric(
    "nested-call",
    objective="define-functions",
    prompt="With `def triple(x): return 3 * x`, what is `triple(triple(2))`?",
    answer=18,
    tolerance=0,
    hints=["Work from the inside out: first `triple(2)`."],
)

# -- default-arguments ----------------------------------------------------------------


def _default_of(fn, name):
    try:
        parameter = inspect.signature(fn).parameters.get(name)
    except (TypeError, ValueError):
        return inspect.Parameter.empty
    return parameter.default if parameter is not None else inspect.Parameter.empty


@checks.question(
    "greeting",
    objective="default-arguments",
    hints=[
        'Give the second parameter a default in the `def` line: `greeting="Hello"`.',
        'Build the text with an f-string: `f"{greeting}, {name}!"`.',
    ],
    solution='def greeting(name, greeting="Hello"):\n    return f"{greeting}, {name}!"',
    show_solution=MASTERED,
)
def greeting(ns):
    fn = ns["greeting"]
    if _default_of(fn, "greeting") != "Hello":
        fail('the parameter `greeting` should have the default value "Hello"')
    for args, kwargs, expected in (
        (("Ada",), {}, "Hello, Ada!"),
        (("Ada", "Good morning"), {}, "Good morning, Ada!"),
        ((), {"name": "Tim", "greeting": "Hey"}, "Hey, Tim!"),
    ):
        got, call = _call(fn, *args, **kwargs)
        _returned(got, call, str)
        if got != expected:
            fail(f"`{call}` returned {got!r}: the greeting, a comma, a space, the name and '!'")


@checks.question(
    "format-price",
    objective="default-arguments",
    hints=[
        'Two defaults in the `def` line: `currency="EUR", decimals=2`.',
        'The number of decimals can come from a variable: `f"{amount:.{decimals}f}"`.',
    ],
    solution=(
        'def format_price(amount, currency="EUR", decimals=2):\n'
        '    return f"{amount:.{decimals}f} {currency}"'
    ),
    show_solution=MASTERED,
)
def format_price(ns):
    fn = ns["format_price"]
    for args, kwargs, expected in (
        ((4.75,), {}, "4.75 EUR"),
        ((4.75, "CHF", 1), {}, "4.8 CHF"),
        ((4.75,), {"decimals": 0}, "5 EUR"),
        ((12,), {"currency": "JPY", "decimals": 0}, "12 JPY"),
    ):
        got, call = _call(fn, *args, **kwargs)
        _returned(got, call, str)
        if got != expected:
            fail(f"`{call}` returned {got!r}; check the decimals and the currency")


@checks.question(
    "menu-line",
    objective="default-arguments",
    hints=[
        "Call `make_label(dish, ...)` and name the options you change: `width=...`, `fill=...`.",
        "Leave `align` out: its default is what you want.",
    ],
    solution='def menu_line(dish):\n    return make_label(dish, width=24, fill="~")',
    show_solution=MASTERED,
)
def menu_line(ns):
    fn = ns["menu_line"]
    for dish in ("Lentil soup", "Tofu curry"):
        got, call = _call(fn, dish)
        _returned(got, call, str)
        if len(got) != 24:
            fail(f"`{call}` returned {got!r}, {len(got)} characters long; the width should be 24")
        if got.startswith("~"):
            fail(f"`{call}` returned {got!r}: keep the default alignment (left)")
        if got != dish + "~" * (24 - len(dish)):
            fail(f"`{call}` returned {got!r}: fill with '~'")


checks.multiple_choice(
    "valid-calls",
    objective="default-arguments",
    prompt="With `def f(a, b=2, c=3)`, which calls are valid?",
    options=["f(1)", "f(1, c=5)", "f(a=1, 2)", "f(b=4)", "f(1, 2, 3)"],
    answer=["f(1)", "f(1, c=5)", "f(1, 2, 3)"],
    hints=[
        "`a` has no default, so it must be given; positional arguments come before keyword ones."
    ],
)

checks.numeric(
    "keyword-value",
    objective="default-arguments",
    prompt="With `def f(a, b=2, c=3): return a + b + c`, what is `f(1, c=5)`?",
    answer=8,
    tolerance=0,
    hints=["`b` keeps its default; `c` is given by name."],
)

# -- loop-accumulate ------------------------------------------------------------------


@checks.question(
    "total-rain",
    objective="loop-accumulate",
    hints=[
        "Start with `total = 0` before the loop.",
        "Inside the loop add the current value: `total += value`. Return `round(total, 1)` after it.",
    ],
    solution=(
        "def total_rain(values):\n    total = 0\n    for value in values:\n"
        "        total += value\n    return round(total, 1)"
    ),
    show_solution=MASTERED,
)
def total_rain(ns):
    fn = ns["total_rain"]
    rain = [0.0, 10.9, 0.8, 20.3, 1.3, 2.5, 0.0]
    for values, expected in ((rain, 35.8), ([2.2, 4.4], 6.6), ([], 0)):
        got, call = _call(fn, list(values))
        _returned(got, call)
        if values and _close(got, values[-1]):
            fail(
                f"`{call}` returned {got}, the last value: add to the total instead of replacing it"
            )
        if not _close(got, expected):
            fail(f"`{call}` returned {got}, which is not the total")


@checks.question(
    "count-above",
    objective="loop-accumulate",
    hints=[
        "Start `count = 0` before the loop; add 1 when `value > limit`.",
        "Strictly greater: a value equal to the limit does not count.",
    ],
    solution=(
        "def count_above(values, limit):\n    count = 0\n    for value in values:\n"
        "        if value > limit:\n            count += 1\n    return count"
    ),
    show_solution=MASTERED,
)
def count_above(ns):
    fn = ns["count_above"]
    temps = [12.8, 10.6, 11.7, 12.2, 8.9, 4.4, 7.2, 10.0, 9.4, 6.1, 6.1, 6.1, 5.0, 4.4]
    for args, expected in (((temps, 10), 4), (([2, 4, 6, 8], 4), 2), (([], 0), 0)):
        got, call = _call(fn, list(args[0]), args[1])
        _returned(got, call, int)
        if got == expected + 1 and args[1] in args[0]:
            fail(f"`{call}` returned {got}: a value equal to the limit is not above it")
        if got != expected:
            fail(f"`{call}` returned {got}, which is not how many values are above {args[1]}")


@checks.question(
    "warmest",
    objective="loop-accumulate",
    hints=[
        "Keep the position of the best value so far, starting at position 0.",
        "Loop over positions with `for i in range(len(values)):`; update when `values[i] > values[best]`.",
        "Use `>`, not `>=`, so a tie keeps the first position.",
    ],
    solution=(
        "def warmest(values):\n    best = 0\n    for i in range(len(values)):\n"
        "        if values[i] > values[best]:\n            best = i\n    return best"
    ),
    show_solution=MASTERED,
)
def warmest(ns):
    fn = ns["warmest"]
    july = [28.3, 26.1, 21.7, 23.3, 26.1, 23.9, 26.7, 30.0, 22.2, 22.8, 19.4, 26.1, 27.8]
    got, call = _call(fn, list(july))
    _returned(got, call, int)
    if got == 30.0:
        fail(f"`{call}` returned {got}, the largest value; return its position instead")
    if got != 7:
        fail(f"`{call}` returned {got}, which is not the position of the largest value")
    got, call = _call(fn, [-4.0, -2.5, -6.1])
    if got != 1:
        fail(f"`{call}` returned {got!r}: with values below zero, did you start the best at 0?")
    got, call = _call(fn, [1, 8, 3, 8])
    if got != 1:
        fail(f"`{call}` returned {got!r}: when values tie, return the first position")


checks.numeric(
    "trace-loop",
    objective="loop-accumulate",
    prompt="After `total = 0` and `for x in [3, 1, 4]: total += x * x`, what is `total`?",
    answer=26,
    tolerance=0,
    hints=["Write down `total` after each turn of the loop: 9, then ..."],
)

checks.single_choice(
    "start-position",
    objective="loop-accumulate",
    prompt="In a function that counts with a loop, where must `count = 0` go?",
    options=["before the loop", "inside the loop", "after the loop", "anywhere"],
    answer="before the loop",
    hints=["What happens to the count if it is set to 0 on every turn?"],
)
