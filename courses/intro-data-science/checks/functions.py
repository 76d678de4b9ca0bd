"""Practice checks and quizzes for unit functions (Functions and for loops).

Parallel forms: every learner gets their own numbers, a different week or fortnight of
Seattle's weather, and their own defaults to give parameters (``@checks.form`` below),
drawn per learner and form by the course's backend; a new form follows every graded attempt
that does not master the unit. The graded tests compute their expectations from the form,
on inputs drawn per form that only the grader sees (the ``hidden_`` values).

Each check calls the learner's function on the learner's own data and on one or two other
examples, works out what it should give another way than the solution does, and names
what is wrong without giving a formula away. Worked solutions open once the unit is
mastered. Public: shipped as-is to students and the grader (the form's seed is not).
"""

import csv
import inspect
from pathlib import Path

from mastery_nb.checks import Checks, fail

checks = Checks(unit="functions")

MASTERED = "after_mastery"
#: NOAA's daily weather at Seattle, 2012-2015 (data/README.md)
WEATHER = Path(__file__).resolve().parent.parent / "data" / "seattle-weather.csv"
GREETINGS = ["Hello", "Hi", "Welcome", "Good day", "Hey there", "Greetings"]
CURRENCIES = ["EUR", "CHF", "USD", "GBP", "NOK", "SEK"]
FILLS = ["~", "-", "*", "=", "_"]
DISHES = ["Lentil soup", "Tofu curry", "Pho", "Ratatouille", "Falafel wrap", "Mushroom risotto"]
NAMES = ["Ada", "Mei", "Olu", "Ines", "Luc", "Ravi", "Zofia", "Kwame"]


def _weather():
    with WEATHER.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _run(rows, rng, days, month=None):
    """``days`` consecutive rows from a random start (in ``month``, when given)."""
    starts = [
        i
        for i in range(len(rows) - days)
        if month is None or (rows[i]["date"][5:7] == month and rows[i + days - 1]["date"][5:7] == month)
    ]
    start = rng.choice(starts)
    return rows[start : start + days]


def _values(rng, n, low, high, digits=1):
    return [round(rng.uniform(low, high), digits) for _ in range(n)]


@checks.form
def form(rng):
    rows = _weather()
    week = _run(rows, rng, 7)
    fortnight = _run(rows, rng, 14)
    summer = _run(rows, rng, 13, month="07")
    run_distance = rng.choice([3, 5, 8, 10, 12, 21.1])
    return {
        # 1.1 a run
        "distance_km": run_distance,
        "run_minutes": round(run_distance * rng.uniform(4.5, 7.5), 1),
        "hidden_runs": [[rng.choice([2, 7, 15, 42.2]), rng.randint(9, 300)] for _ in range(3)],
        # 1.2 a reading in Fahrenheit
        "reading_f": rng.randint(-4, 104),
        "hidden_fahrenheits": [212, -40, rng.randint(-30, 120), round(rng.uniform(0, 100), 1)],
        # 1.3 a trip
        "trip_km": rng.randint(40, 900),
        "litres_per_100km": rng.choice([4.5, 5, 5.5, 6.2, 7, 8.4]),
        "price_per_litre": rng.choice([1.65, 1.79, 1.84, 1.9, 2.05]),
        "hidden_trips": [
            [rng.randint(10, 1500), rng.choice([3.9, 6, 9.5]), rng.choice([1.5, 1.72, 2.1])]
            for _ in range(2)
        ],
        # quizzes on functions
        "factor": rng.randint(2, 5),
        "nested_arg": rng.randint(1, 6),
        # 2.1-2.3: the defaults themselves differ per form
        "visitor": rng.choice(NAMES),
        "default_greeting": rng.choice(GREETINGS),
        "hidden_names": rng.sample(NAMES, 2),
        "currency": rng.choice(CURRENCIES),
        "decimals": rng.choice([1, 2, 3]),
        "amount": round(rng.uniform(0.5, 99), 3),
        "hidden_amounts": _values(rng, 3, 0, 2000, 4),
        "width": rng.randint(18, 30),
        "fill": rng.choice(FILLS),
        "dish": rng.choice(DISHES),
        "hidden_dishes": rng.sample(DISHES, 2) + ["Chicken tikka masala"],
        # quizzes on defaults
        "kw_a": rng.randint(1, 9),
        "kw_c": rng.randint(4, 9),
        # 3.1-3.3: a week of rain, a fortnight of maxima, 13 days of a July
        "rain_dates": f"{week[0]['date']} to {week[-1]['date']}",
        "rain_mm": [float(r["precipitation"]) for r in week],
        "hidden_rains": [_values(rng, 5, 0, 30), [], _values(rng, 9, 0, 4)],
        "warm_dates": f"{fortnight[0]['date']} to {fortnight[-1]['date']}",
        "temp_max": [float(r["temp_max"]) for r in fortnight],
        "limit": rng.choice([5, 8, 10, 12, 15, 20]),
        "hidden_counts": [[_values(rng, 8, -5, 35), rng.randint(0, 25)], [[], 3]],
        "july_dates": f"{summer[0]['date']} to {summer[-1]['date']}",
        "july": [float(r["temp_max"]) for r in summer],
        "hidden_warmest": [_values(rng, 6, -10, 40), _values(rng, 4, -20, -1)],
        # quizzes on loops
        "trace_values": [rng.randint(1, 6) for _ in range(3)],
    }


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
def pace(ns, form):
    fn = ns["pace"]
    for args in ((form.distance_km, form.run_minutes), (8, 50), (4, 23)):
        expected = round(args[1] * 1000 / args[0]) / 1000  # minutes per km, three decimals
        got, call = _call(fn, *args)
        _returned(got, call)
        if _close(got, round(args[0] / args[1], 2)) and not _close(got, expected, 0.0051):
            fail(
                f"`{call}` returned {got}: that is kilometres per minute; pace is minutes per kilometre"
            )
        if not _close(got, expected, 0.0051) or got != round(got, 2):
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
def to_celsius(ns, form):
    fn = ns["to_celsius"]
    for value in (form.reading_f, 32, 77, 14):
        expected = (value - 32) / 1.8
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
def trip_cost(ns, form):
    fuel, cost = ns["fuel_needed"], ns["trip_cost"]
    mine = (form.trip_km, form.litres_per_100km, form.price_per_litre)
    for args in (mine[:2], (120, 7.5)):
        got, call = _call(fuel, *args)
        _returned(got, call)
        if not _close(got, args[1] * (args[0] / 100), 1e-6):
            fail(f"`{call}` returned {got}, which is not the litres used on that trip")
    for args in (mine, (120, 7.5, 1.75)):
        got, call = _call(cost, *args)
        _returned(got, call)
        if not _close(got, args[1] * (args[0] / 100) * args[2], 0.0051):
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
    prompt=(
        "With `def scale(x): return {{ form.factor }} * x`, what is "
        "`scale(scale({{ form.nested_arg }}))`?"
    ),
    answer=lambda form: form.factor * form.factor * form.nested_arg,
    tolerance=0,
    hints=["Work from the inside out: first `scale({{ form.nested_arg }})`."],
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
        'Give the second parameter a default in the `def` line: `greeting="{{ form.default_greeting }}"`.',
        'Build the text with an f-string: `f"{greeting}, {name}!"`.',
    ],
    solution=(
        'def greeting(name, greeting="{{ form.default_greeting }}"):\n'
        '    return f"{greeting}, {name}!"'
    ),
    show_solution=MASTERED,
)
def greeting(ns, form):
    fn = ns["greeting"]
    default = form.default_greeting
    if _default_of(fn, "greeting") != default:
        fail(f'the parameter `greeting` should have the default value "{default}"')
    for args, kwargs, (said, who) in (
        ((form.visitor,), {}, (default, form.visitor)),
        ((form.visitor, "Good morning"), {}, ("Good morning", form.visitor)),
        ((), {"name": "Tim", "greeting": "Hey"}, ("Hey", "Tim")),
    ):
        expected = said + ", " + who + "!"
        got, call = _call(fn, *args, **kwargs)
        _returned(got, call, str)
        if got != expected:
            fail(f"`{call}` returned {got!r}: the greeting, a comma, a space, the name and '!'")


@checks.question(
    "format-price",
    objective="default-arguments",
    hints=[
        'Two defaults in the `def` line: `currency="{{ form.currency }}", decimals={{ form.decimals }}`.',
        'The number of decimals can come from a variable: `f"{amount:.{decimals}f}"`.',
    ],
    solution=(
        'def format_price(amount, currency="{{ form.currency }}", decimals={{ form.decimals }}):\n'
        '    return f"{amount:.{decimals}f} {currency}"'
    ),
    show_solution=MASTERED,
)
def format_price(ns, form):
    fn = ns["format_price"]
    for args, kwargs, (number, digits, currency) in (
        ((form.amount,), {}, (form.amount, form.decimals, form.currency)),
        ((4.75, "CHF", 1), {}, (4.75, 1, "CHF")),
        ((4.75,), {"decimals": 0}, (4.75, 0, form.currency)),
        ((12,), {"currency": "JPY", "decimals": 0}, (12, 0, "JPY")),
    ):
        expected = format(number, f".{digits}f") + " " + currency
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
    solution=(
        'def menu_line(dish):\n    return make_label(dish, width={{ form.width }}, fill="{{ form.fill }}")'
    ),
    show_solution=MASTERED,
)
def menu_line(ns, form):
    fn = ns["menu_line"]
    for dish in dict.fromkeys((form.dish, "Tofu curry")):
        got, call = _call(fn, dish)
        _returned(got, call, str)
        if len(got) != form.width:
            fail(
                f"`{call}` returned {got!r}, {len(got)} characters long; the width should be {form.width}"
            )
        if got.startswith(form.fill):
            fail(f"`{call}` returned {got!r}: keep the default alignment (left)")
        if got != dish + form.fill * (form.width - len(dish)):
            fail(f"`{call}` returned {got!r}: fill with {form.fill!r}")


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
    prompt=(
        "With `def f(a, b=2, c=3): return a + b + c`, what is "
        "`f({{ form.kw_a }}, c={{ form.kw_c }})`?"
    ),
    answer=lambda form: form.kw_a + 2 + form.kw_c,
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
def total_rain(ns, form):
    fn = ns["total_rain"]
    for values in (form.rain_mm, [2.2, 4.4], []):
        expected = round(sum(values), 1)
        got, call = _call(fn, list(values))
        _returned(got, call)
        if values and _close(got, values[-1]) and not _close(got, expected):
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
def count_above(ns, form):
    fn = ns["count_above"]
    for args in ((form.temp_max, form.limit), ([2, 4, 6, 8], 4), ([], 0)):
        expected = len([v for v in args[0] if v > args[1]])
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
def warmest(ns, form):
    fn = ns["warmest"]
    july = form.july
    got, call = _call(fn, list(july))
    _returned(got, call, int)
    if got == max(july) and got != july.index(max(july)):
        fail(f"`{call}` returned {got}, the largest value; return its position instead")
    if got != july.index(max(july)):
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
    prompt=(
        "After `total = 0` and `for x in [{{ form.trace_values }}]: total += x * x`, "
        "what is `total`?"
    ),
    answer=lambda form: sum(x * x for x in form.trace_values),
    tolerance=0,
    hints=["Write down `total` after each turn of the loop, starting from 0."],
)

checks.single_choice(
    "start-position",
    objective="loop-accumulate",
    prompt="In a function that counts with a loop, where must `count = 0` go?",
    options=["before the loop", "inside the loop", "after the loop", "anywhere"],
    answer="before the loop",
    hints=["What happens to the count if it is set to 0 on every turn?"],
)
