"""Practice checks and quizzes for unit python-basics (Values, variables and decisions).

Each check calls the learner's frame on the notebook's own numbers and on one or two
other examples, compares with expected results written out here (never with a formula
that would give the solution away), and names what is wrong. The graded tests use yet
other inputs. Worked solutions open once the unit is mastered. Shipped as-is to the
student version and the grading bundle: nothing here is secret.
"""

from mastery_nb.checks import Checks, fail

checks = Checks(unit="python-basics")

MASTERED = "after_mastery"


def _number(value, call):
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        fail(f"`{call}` returned a {type(value).__name__}; it should be a number")
    return value


def _close(a, b):
    return abs(a - b) < 1e-9


# -- use-variables --------------------------------------------------------------------


@checks.question(
    "receipt-total",
    objective="use-variables",
    hints=[
        "Multiply the price of one coffee by the number of coffees; do the same for cake.",
        "Add the two amounts and store the sum in `total`, indented like the `return` line.",
    ],
    solution="total = coffees * coffee_price + cakes * cake_price",
    show_solution=MASTERED,
)
def receipt_total(ns):
    receipt = ns["receipt_total"]
    for args, expected in (((2.40, 3.15, 2, 1), 7.95), ((1.25, 2.0, 1, 3), 7.25)):
        call = f"receipt_total{args}"
        got = _number(receipt(*args), call)
        coffee, cake, coffees, cakes = args
        if _close(got, round(coffee + cake, 2)) and (coffees, cakes) != (1, 1):
            fail(f"`{call}` returned {got}: one coffee and one cake; use `coffees` and `cakes`")
        if not _close(got, expected):
            fail(f"`{call}` returned {got}, which is not the price of that order")


@checks.question(
    "rain-duration",
    objective="use-variables",
    hints=[
        "`minutes // 60` is how many whole hours fit into the minutes.",
        "`minutes % 60` is what is left after taking out the whole hours.",
    ],
    solution="hours = minutes // 60\nrest = minutes % 60",
    show_solution=MASTERED,
)
def rain_duration(ns):
    hours_of, left_of = ns["whole_hours"], ns["minutes_left"]
    for minutes, hours, rest in ((437, 7, 17), (125, 2, 5), (45, 0, 45)):
        got = hours_of(minutes)
        if not isinstance(got, int) or isinstance(got, bool):
            fail(
                f"`whole_hours({minutes})` returned a {type(got).__name__}; "
                "`/` gives a float, `//` keeps whole numbers"
            )
        if got != hours:
            fail(f"`whole_hours({minutes})` returned {got}; how many whole hours fit?")
        got = left_of(minutes)
        if not isinstance(got, int) or isinstance(got, bool):
            fail(f"`minutes_left({minutes})` returned a {type(got).__name__}; it should be an int")
        if not 0 <= got < 60:
            fail(f"`minutes_left({minutes})` returned {got}; the minutes left over are 0 to 59")
        if got != rest:
            fail(
                f"`minutes_left({minutes})` returned {got}; it is not what remains after the hours"
            )


@checks.question(
    "savings-growth",
    objective="use-variables",
    hints=[
        "Turn the percentage into a growth factor first: 3 per cent means multiplying by 1.03.",
        "Raise the factor to the power `years` with `**`, then multiply by `start`.",
        "Brackets matter: `1 + rate_percent / 100` must be computed before `**`.",
    ],
    solution="balance = start * (1 + rate_percent / 100) ** years",
    show_solution=MASTERED,
)
def savings_growth(ns):
    savings = ns["savings_after"]
    for args, expected, simple in (((500, 3, 10), 671.96, 650.0), ((1200, 2, 5), 1324.9, 1320.0)):
        call = f"savings_after{args}"
        got = _number(savings(*args), call)
        if _close(got, simple):
            fail(
                f"`{call}` returned {got}: the growth was added to the start only; "
                "each year's growth is computed on the balance so far (use `**`)"
            )
        if got > 100 * args[0]:
            fail(f"`{call}` returned {got}: did you divide the percentage by 100?")
        if not _close(got, expected):
            fail(f"`{call}` returned {got}, which is not the balance after {args[2]} years")


checks.numeric(
    "remainder",
    objective="use-variables",
    prompt="What is the value of `23 % 5`?",
    answer=3,
    tolerance=0,
    hints=["`%` is what is left after taking out as many whole 5s as fit into 23."],
)

checks.numeric(
    "reassign",
    objective="use-variables",
    prompt="After `x = 5`, `x = x * 2` and `x = x - 3`, what is `x`?",
    answer=7,
    tolerance=0,
    hints=["Each line computes the right-hand side with the current `x`, then replaces it."],
)

# -- work-with-strings ----------------------------------------------------------------


@checks.question(
    "station-name",
    objective="work-with-strings",
    hints=[
        "Three methods, chained: one removes outer spaces, one replaces characters, one capitalises words.",
        'Try `raw.strip()`, then `.replace("_", " ")`, then `.title()`.',
    ],
    solution='name = raw.strip().replace("_", " ").title()',
    show_solution=MASTERED,
)
def station_name(ns):
    clean = ns["clean_name"]
    for raw, expected in (
        ("  oslo_blindern ", "Oslo Blindern"),
        ("new_york_jfk  ", "New York Jfk"),
    ):
        got = clean(raw)
        call = f"clean_name({raw!r})"
        if not isinstance(got, str):
            fail(f"`{call}` returned a {type(got).__name__}; it should be a string")
        if got != got.strip():
            fail(f"`{call}` returned {got!r}: there are still spaces at an end")
        if "_" in got:
            fail(f"`{call}` returned {got!r}: turn every `_` into a space")
        if got != expected:
            fail(f"`{call}` returned {got!r}: capitalise the first letter of each word")


@checks.question(
    "report-line",
    objective="work-with-strings",
    hints=[
        'Start from `f"{city}: ..."` and put each value in braces.',
        "`:.1f` after a value gives one decimal; `:.0%` shows a fraction as a whole percentage.",
    ],
    solution='line = f"{city}: {temp_c:.1f} °C, humidity {humidity:.0%}"',
    show_solution=MASTERED,
)
def report_line(ns):
    report = ns["report_line"]
    for args, expected in (
        (("Oslo", 4.25, 0.8125), "Oslo: 4.2 °C, humidity 81%"),
        (("Cairo", 35.55, 0.1), "Cairo: 35.5 °C, humidity 10%"),
    ):
        got = report(*args)
        call = f"report_line{args}"
        if not isinstance(got, str):
            fail(f"`{call}` returned a {type(got).__name__}; return the line (a string)")
        if got == expected:
            continue
        temperature, _, rest = got.partition(",")
        if temperature != expected.partition(",")[0]:
            fail(
                f"`{call}` returned {got!r}: check the part before the comma (one decimal, then ' °C')"
            )
        fail(
            f"`{call}` returned {got!r}: check the humidity part (a whole percentage, e.g. `:.0%`)"
        )


@checks.question(
    "mask-card",
    objective="work-with-strings",
    hints=[
        'First remove the spaces: `digits = card_number.replace(" ", "")`.',
        '`digits[-4:]` is the last four characters; `"**** " * 3` repeats a string.',
    ],
    solution='digits = card_number.replace(" ", "")\nmasked = "**** " * 3 + digits[-4:]',
    show_solution=MASTERED,
)
def mask_card(ns):
    mask = ns["mask_card"]
    for number, expected in (
        ("4000 1234 5678 9010", "**** **** **** 9010"),
        ("1111222233334444", "**** **** **** 4444"),
        ("4111 1111 1111 111", "**** **** **** 1111"),
    ):
        got = mask(number)
        call = f"mask_card({number!r})"
        if not isinstance(got, str):
            fail(f"`{call}` returned a {type(got).__name__}; it should be a string")
        if got != expected:
            if got.rstrip().endswith(number[-3:]) and " " in got[-5:]:
                fail(f"`{call}` returned {got!r}: remove the spaces before taking the last four")
            fail(
                f"`{call}` returned {got!r}: three groups of four stars, each followed by a space, then four digits"
            )


checks.single_choice(
    "strip-method",
    objective="work-with-strings",
    prompt='Which method turns `"  Bergen\\n"` into `"Bergen"`?',
    options=["split", "strip", "replace", "title"],
    answer="strip",
    hints=["A line break counts as white space, like a space."],
)

checks.short_text(
    "format-spec",
    objective="work-with-strings",
    prompt='What text does `f"{2.71828:.2f}"` produce?',
    patterns=[r"^\s*['\"]?2\.72['\"]?\s*$"],
    answer="2.72",
    hints=["`.2f` keeps two decimals and rounds."],
)

# -- use-conditionals -----------------------------------------------------------------


@checks.question(
    "temperature-band",
    objective="use-conditionals",
    hints=[
        "Test the lowest band first: `if temp_c < 0:`, then `elif temp_c < 10:` and so on.",
        "With `elif`, each test only sees temperatures that failed the tests above it.",
        "The last band needs no test: `else:`.",
    ],
    solution=(
        'if temp_c < 0:\n    band = "freezing"\nelif temp_c < 10:\n    band = "cold"\n'
        'elif temp_c < 20:\n    band = "mild"\nelse:\n    band = "warm"'
    ),
    show_solution=MASTERED,
)
def temperature_band(ns):
    band_of = ns["temperature_band"]
    for temp, expected in ((14.5, "mild"), (-5, "freezing"), (5, "cold"), (25, "warm")):
        got = band_of(temp)
        if got != expected:
            fail(f"`temperature_band({temp})` returned {got!r}; check the order of your tests")
    for temp in (0, 10, 20):
        got = band_of(temp)
        if got == band_of(temp - 1):
            fail(
                f"`temperature_band({temp})` returned {got!r}: {temp} starts a new band (`<` or `<=`?)"
            )


@checks.question(
    "can-ride",
    objective="use-conditionals",
    hints=[
        "Two ways onto the ride: tall enough alone, or tall enough with an adult.",
        "`a or (b and c)`: the brackets keep the two conditions of the second way together.",
    ],
    solution="allowed = height_cm >= 140 or (height_cm >= 120 and with_adult)",
    show_solution=MASTERED,
)
def can_ride(ns):
    ride = ns["can_ride"]
    for height, adult, expected in (
        (131, True, True),
        (131, False, False),
        (145, False, True),
        (110, True, False),
    ):
        got = ride(height, adult)
        call = f"can_ride({height}, {adult})"
        if not isinstance(got, bool):
            fail(f"`{call}` returned {got!r}, a {type(got).__name__}; return True or False")
        if got is not expected:
            fail(f"`{call}` returned {got}; who may ride at {height} cm, with adult = {adult}?")


@checks.question(
    "ticket-price",
    objective="use-conditionals",
    hints=[
        "Children under 6 are free whether they are students or not: test that first.",
        "`age >= 65 or is_student` covers both reduced prices.",
    ],
    solution=(
        "if age < 6:\n    price = 0\nelif age >= 65 or is_student:\n    price = 7.5\nelse:\n    price = 12"
    ),
    show_solution=MASTERED,
)
def ticket_price(ns):
    price_of = ns["ticket_price"]
    for age, student, expected in (
        (21, True, 7.5),
        (30, False, 12),
        (4, True, 0),
        (70, False, 7.5),
    ):
        got = price_of(age, student)
        call = f"ticket_price({age}, {student})"
        if isinstance(got, bool) or not isinstance(got, (int, float)):
            fail(f"`{call}` returned {got!r}; return a number")
        if got != expected:
            fail(
                f"`{call}` returned {got}; which rule applies to this visitor, and is it tested first?"
            )


checks.single_choice(
    "elif-order",
    objective="use-conditionals",
    prompt="With `score = 85`, what does the if/elif/else in the notebook print?",
    options=["pass", "merit", "fail", "pass and merit"],
    answer="pass",
    hints=["Python stops at the first condition that is True."],
)

checks.single_choice(
    "comparison-result",
    objective="use-conditionals",
    prompt="What is the value of `3 < 2 or 10 > 5`?",
    options=["True", "False"],
    answer="True",
    hints=["`or` is True when at least one side is True."],
)
