"""Checked practice of the correctives and challenges of unit python-basics.

Used by ``resources/python-basics/*.ipynb`` (``load_checks("practice-python-basics")``).
Practice only: nothing here is graded, and worked solutions (whole functions, so the
content tests can run them) open after a few checks.
"""

from mastery_nb.checks import Checks, fail

checks = Checks(unit="practice-python-basics")

AFTER_TWO = "after_attempts:2"


def _expect(fn, name, cases):
    """Fail with the first case where ``fn(*args)`` differs from its expected value."""
    for args, expected in cases:
        got = fn(*args)
        call = f"{name}{args}" if len(args) != 1 else f"{name}({args[0]!r})"
        if got is None:
            fail(f"`{call}` returned None: replace `None` in the frame with your computation")
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
    "rope-pieces",
    objective="use-variables",
    hints=["`//` counts the whole pieces; `%` is what is left of the roll."],
    solution=(
        "def pieces(roll_cm, piece_cm):\n    return roll_cm // piece_cm\n\n\n"
        "def offcut(roll_cm, piece_cm):\n    return roll_cm % piece_cm"
    ),
    show_solution=AFTER_TWO,
)
def rope_pieces(ns):
    _expect(ns["pieces"], "pieces", [((500, 45), 11), ((90, 30), 3), ((20, 45), 0)])
    _expect(ns["offcut"], "offcut", [((500, 45), 5), ((90, 30), 0), ((20, 45), 20)])


@checks.question(
    "cycle-speed",
    objective="use-variables",
    hints=["Turn minutes into hours first (`minutes / 60`), then divide the distance by it."],
    solution="def speed_kmh(distance_km, minutes):\n    return distance_km / (minutes / 60)",
    show_solution=AFTER_TWO,
)
def cycle_speed(ns):
    _expect(ns["speed_kmh"], "speed_kmh", [((30, 90), 20.0), ((12, 30), 24.0), ((5, 12), 25.0)])


@checks.question(
    "clock-after",
    objective="use-variables",
    hints=[
        "Count everything in minutes since midnight: `hour * 60 + minute + minutes_later`.",
        "Whole hours are `total // 60`, wrapped round the day with `% 24`; minutes are `total % 60`.",
    ],
    solution=(
        "def clock_after(hour, minute, minutes_later):\n"
        "    total = hour * 60 + minute + minutes_later\n"
        '    return f"{total // 60 % 24:02d}:{total % 60:02d}"'
    ),
    show_solution=AFTER_TWO,
)
def clock_after(ns):
    _expect(
        ns["clock_after"],
        "clock_after",
        [
            ((9, 15, 50), "10:05"),
            ((23, 50, 20), "00:10"),
            ((7, 0, 3 * 1440 + 61), "08:01"),
            ((0, 0, 0), "00:00"),
        ],
    )


@checks.question(
    "username",
    objective="work-with-strings",
    hints=["`first[0]` is the first letter; `.lower()` and `.replace(' ', '')` tidy the rest."],
    solution='def username(first, last):\n    return (first[0] + last).lower().replace(" ", "")',
    show_solution=AFTER_TWO,
)
def username(ns):
    _expect(
        ns["username"],
        "username",
        [
            (("Grace", "Hopper"), "ghopper"),
            (("Ada", "King Lovelace"), "akinglovelace"),
            (("alan", "TURING"), "aturing"),
        ],
    )


@checks.question(
    "price-tag",
    objective="work-with-strings",
    hints=["`item.title()` capitalises each word; `:.2f` writes two decimals."],
    solution='def price_tag(item, price):\n    return f"{item.title()}: {price:.2f} EUR"',
    show_solution=AFTER_TWO,
)
def price_tag(ns):
    _expect(
        ns["price_tag"],
        "price_tag",
        [
            (("green tea", 3.5), "Green Tea: 3.50 EUR"),
            (("bread", 2), "Bread: 2.00 EUR"),
            (("jam JAR", 4.125), "Jam Jar: 4.12 EUR"),
        ],
    )


@checks.question(
    "table-row",
    objective="work-with-strings",
    hints=[
        "Three fields in one f-string, separated by `|`.",
        "`{name:<10}` pads to 10 characters; `{score / max_score:>7.1%}` is the percentage column.",
    ],
    solution=(
        "def table_row(name, score, max_score):\n"
        '    return f"{name:<10}|{score:>5}|{score / max_score:>7.1%}"'
    ),
    show_solution=AFTER_TWO,
)
def table_row(ns):
    _expect(
        ns["table_row"],
        "table_row",
        [
            (("Ada", 45, 60), "Ada       |   45|  75.0%"),
            (("Grace", 7, 8), "Grace     |    7|  87.5%"),
            (("Katherine", 120, 120), "Katherine |  120| 100.0%"),
        ],
    )


@checks.question(
    "water-state",
    objective="use-conditionals",
    hints=["Three states, two tests: `if temp_c <= 0: ... elif temp_c < 100: ... else: ...`."],
    solution=(
        'def water_state(temp_c):\n    if temp_c <= 0:\n        return "ice"\n'
        '    elif temp_c < 100:\n        return "liquid"\n    else:\n        return "steam"'
    ),
    show_solution=AFTER_TWO,
)
def water_state(ns):
    _expect(
        ns["water_state"],
        "water_state",
        [
            ((-4,), "ice"),
            ((0,), "ice"),
            ((0.5,), "liquid"),
            ((99.9,), "liquid"),
            ((100,), "steam"),
            ((250,), "steam"),
        ],
    )


@checks.question(
    "free-delivery",
    objective="use-conditionals",
    hints=["Two ways to free delivery: `order_eur >= 50 or (member and order_eur >= 20)`."],
    solution=(
        "def free_delivery(order_eur, member):\n"
        "    return order_eur >= 50 or (member and order_eur >= 20)"
    ),
    show_solution=AFTER_TWO,
)
def free_delivery(ns):
    _expect(
        ns["free_delivery"],
        "free_delivery",
        [
            ((60, False), True),
            ((50, False), True),
            ((35, True), True),
            ((35, False), False),
            ((19.99, True), False),
        ],
    )


@checks.question(
    "leap-year",
    objective="use-conditionals",
    hints=[
        "Start from the strongest rule: divisible by 400 is always a leap year.",
        "`year % 400 == 0 or (year % 4 == 0 and year % 100 != 0)`",
        "`days_in_february` can use `if is_leap(year):`.",
    ],
    solution=(
        "def is_leap(year):\n"
        "    return year % 400 == 0 or (year % 4 == 0 and year % 100 != 0)\n\n\n"
        "def days_in_february(year):\n"
        "    if is_leap(year):\n        return 29\n    return 28"
    ),
    show_solution=AFTER_TWO,
)
def leap_year(ns):
    _expect(
        ns["is_leap"],
        "is_leap",
        [
            ((1996,), True),
            ((2000,), True),
            ((1900,), False),
            ((2023,), False),
            ((2400,), True),
            ((2100,), False),
        ],
    )
    _expect(ns["days_in_february"], "days_in_february", [((2024,), 29), ((1900,), 28)])
