"""Checked practice of the correctives and challenges of unit functions.

Used by ``resources/functions/*.ipynb`` (``load_checks("practice-functions")``). Practice
only: nothing here is graded, and worked solutions (whole functions, so the content tests
can run them) open after a few checks.
"""

from mastery_nb.checks import Checks, fail

checks = Checks(unit="practice-functions")

AFTER_TWO = "after_attempts:2"


def _expect(fn, name, cases):
    """Fail with the first case where ``fn(*args, **kwargs)`` differs from its expected value."""
    for case in cases:
        args, expected = case[0], case[-1]
        kwargs = case[1] if len(case) == 3 else {}
        words = [repr(a) for a in args] + [f"{k}={v!r}" for k, v in kwargs.items()]
        call = f"{name}({', '.join(words)})"
        got = fn(*args, **kwargs)
        if got is None:
            fail(f"`{call}` returned None: replace `None` with your computation and `return` it")
        if (
            isinstance(expected, float)
            and isinstance(got, (int, float))
            and not isinstance(got, bool)
        ):
            if abs(got - expected) > 1e-6:
                fail(f"`{call}` returned {got!r}, not {expected!r}")
        elif got != expected or type(got) is not type(expected):
            fail(f"`{call}` returned {got!r}, not {expected!r}")


@checks.question(
    "diagonal",
    objective="define-functions",
    hints=["`side * 2 ** 0.5` is the diagonal; round it with `round(..., 2)` and return it."],
    solution="def diagonal(side):\n    return round(side * 2 ** 0.5, 2)",
    show_solution=AFTER_TWO,
)
def diagonal(ns):
    _expect(ns["diagonal"], "diagonal", [((1,), 1.41), ((10,), 14.14), ((2.5,), 3.54)])


@checks.question(
    "film-minutes",
    objective="define-functions",
    hints=[
        "`hours * 60 + minutes` is the length in minutes.",
        "`double_bill` returns `film_minutes(h1, m1) + film_minutes(h2, m2)`.",
    ],
    solution=(
        "def film_minutes(hours, minutes):\n    return hours * 60 + minutes\n\n\n"
        "def double_bill(h1, m1, h2, m2):\n    return film_minutes(h1, m1) + film_minutes(h2, m2)"
    ),
    show_solution=AFTER_TWO,
)
def film_minutes(ns):
    _expect(ns["film_minutes"], "film_minutes", [((1, 50), 110), ((3, 0), 180), ((0, 7), 7)])
    _expect(ns["double_bill"], "double_bill", [((1, 50, 2, 5), 235), ((0, 45, 0, 45), 90)])


@checks.question(
    "walk-length",
    objective="define-functions",
    hints=[
        "`distance` returns `((x2 - x1) ** 2 + (y2 - y1) ** 2) ** 0.5`.",
        "`walk_length` adds two distances: first to second point, second to third.",
        "`is_shortcut` compares `distance(x1, y1, x3, y3)` with the walk.",
    ],
    solution=(
        "def distance(x1, y1, x2, y2):\n    return ((x2 - x1) ** 2 + (y2 - y1) ** 2) ** 0.5\n\n\n"
        "def walk_length(x1, y1, x2, y2, x3, y3):\n"
        "    return round(distance(x1, y1, x2, y2) + distance(x2, y2, x3, y3), 2)\n\n\n"
        "def is_shortcut(x1, y1, x2, y2, x3, y3):\n"
        "    return distance(x1, y1, x3, y3) < walk_length(x1, y1, x2, y2, x3, y3)"
    ),
    show_solution=AFTER_TWO,
)
def walk_length(ns):
    _expect(
        ns["distance"],
        "distance",
        [((0, 0, 3, 4), 5.0), ((1, 1, 1, 1), 0.0), ((-2, 3, 4, -5), 10.0)],
    )
    _expect(
        ns["walk_length"], "walk_length", [((0, 0, 3, 4, 3, 0), 9.0), ((0, 0, 1, 1, 2, 2), 2.83)]
    )
    _expect(
        ns["is_shortcut"], "is_shortcut", [((0, 0, 3, 4, 3, 0), True), ((0, 0, 1, 0, 2, 0), False)]
    )


@checks.question(
    "tax",
    objective="default-arguments",
    hints=["Give `rate` the default `0.2` in the `def` line; return `round(amount * rate, 2)`."],
    solution="def tax(amount, rate=0.2):\n    return round(amount * rate, 2)",
    show_solution=AFTER_TWO,
)
def tax(ns):
    _expect(ns["tax"], "tax", [((50,), 10.0), ((50,), {"rate": 0.07}, 3.5), ((19.99, 0.1), 2.0)])


@checks.question(
    "shout",
    objective="default-arguments",
    hints=["`text.upper() + mark * times`: a string times a number repeats it."],
    solution='def shout(text, times=1, mark="!"):\n    return text.upper() + mark * times',
    show_solution=AFTER_TWO,
)
def shout(ns):
    _expect(
        ns["shout"],
        "shout",
        [
            (("go",), "GO!"),
            (("go", 3), "GO!!!"),
            (("why",), {"mark": "?"}, "WHY?"),
            (("hey",), {"times": 2, "mark": "~"}, "HEY~~"),
        ],
    )


@checks.question(
    "measurement",
    objective="default-arguments",
    hints=[
        'Build the number first: `number = f"{value:.{decimals}f}"`.',
        "Add the unit only `if unit:` (an empty string counts as false).",
        "Put the label in front only `if label is not None:`.",
    ],
    solution=(
        'def measurement(value, unit="m", decimals=1, label=None):\n'
        '    text = f"{value:.{decimals}f}"\n'
        "    if unit:\n"
        '        text = text + " " + unit\n'
        "    if label is not None:\n"
        '        text = label + ": " + text\n'
        "    return text"
    ),
    show_solution=AFTER_TWO,
)
def measurement(ns):
    _expect(
        ns["measurement"],
        "measurement",
        [
            ((3.456,), "3.5 m"),
            ((3.456, "km", 2), "3.46 km"),
            ((1.8,), {"label": "height"}, "height: 1.8 m"),
            ((7,), {"unit": "", "decimals": 0}, "7"),
            ((0.25, "kg"), {"decimals": 3, "label": "flour"}, "flour: 0.250 kg"),
        ],
    )


@checks.question(
    "count-even",
    objective="loop-accumulate",
    hints=["Start at `count = 0`; inside the loop, `if n % 2 == 0: count += 1`."],
    solution=(
        "def count_even(numbers):\n    count = 0\n    for n in numbers:\n"
        "        if n % 2 == 0:\n            count += 1\n    return count"
    ),
    show_solution=AFTER_TWO,
)
def count_even(ns):
    _expect(
        ns["count_even"], "count_even", [(([1, 2, 3, 4, 6],), 3), (([],), 0), (([7, 9, -2, 0],), 2)]
    )


@checks.question(
    "longest-word",
    objective="loop-accumulate",
    hints=[
        "Start with the first word: `best = words[0]`.",
        "Replace it only when a word is strictly longer: `if len(word) > len(best):`.",
    ],
    solution=(
        "def longest_word(words):\n    best = words[0]\n    for word in words:\n"
        "        if len(word) > len(best):\n            best = word\n    return best"
    ),
    show_solution=AFTER_TWO,
)
def longest_word(ns):
    _expect(
        ns["longest_word"],
        "longest_word",
        [
            ((["fig", "banana", "kiwi"],), "banana"),
            ((["ant", "bee", "cat"],), "ant"),
            ((["a"],), "a"),
        ],
    )


@checks.question(
    "longest-streak",
    objective="loop-accumulate",
    hints=[
        "Keep `current` (wins in a row now) and `best` (the largest streak seen), both starting at 0.",
        "On a win, `current += 1` and update `best`; on anything else, `current = 0`.",
    ],
    solution=(
        "def longest_streak(results):\n    best = 0\n    current = 0\n    for result in results:\n"
        '        if result == "W":\n            current += 1\n            if current > best:\n'
        "                best = current\n        else:\n            current = 0\n    return best"
    ),
    show_solution=AFTER_TWO,
)
def longest_streak(ns):
    _expect(
        ns["longest_streak"],
        "longest_streak",
        [
            ((["W", "W", "L", "W", "W", "W", "D", "W"],), 3),
            ((["L", "D"],), 0),
            ((["W"],), 1),
            ((["W", "W", "W", "L", "W"],), 3),
            (([],), 0),
        ],
    )
