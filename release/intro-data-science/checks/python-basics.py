"""Practice checks and quizzes for unit python-basics (Values, variables and decisions).

Parallel forms: every learner gets their own numbers, texts and rules (``@checks.form``
below), drawn per learner and form by the course's backend; a new form follows every
graded attempt that does not master the unit. The notebook shows them (``form.x`` in its
setup cells, ``{{ form.x }}`` in its text) and the graded tests compute their expectations
from them, on other inputs drawn per form (the ``hidden_`` values, which only the grader
sees).

Each check calls the learner's frame on the learner's own numbers and on one or two other
examples, works out what it should give another way than the solution does, and names
what is wrong. Worked solutions open once the unit is mastered. Shipped as-is to the
student version and the grading bundle: nothing here is secret (the form's seed is).
"""

from mastery_nb.checks import Checks, fail

checks = Checks(unit="python-basics")

MASTERED = "after_mastery"

#: raw station names as they arrive (real WMO stations), and their tidy forms
STATIONS = [
    "  oslo_blindern ",
    "cape_town_airport  ",
    "   reykjavik",
    "SAO_PAULO_MIRANTE ",
    " lima_callao",
    "nuuk  ",
    " wellington_kelburn ",
    "HELSINKI_KAISANIEMI",
    "  perth_metro",
    "valentia_observatory ",
]
#: parts of made-up station names for the graded tests (one of many thousands per form)
PARTS = ["skarv", "brekka", "TIND", "holmen", "vik", "dal", "FJELL", "nesset", "lia", "Berg", "sund", "haugen"]
CITIES = ["Oslo", "Lima", "Nuuk", "Perth", "Cairo", "Quito", "Hobart", "Bergen", "Dakar", "Tromsø"]
#: (what is read, what is wanted, the one method that does it)
STRING_METHODS = [
    ("'  Bergen\\n'", "'Bergen'", "strip"),
    ("'bergen'", "'BERGEN'", "upper"),
    ("'BERGEN'", "'bergen'", "lower"),
    ("'new york'", "'New York'", "title"),
    ("'new_york'", "'new york'", "replace"),
]
FORMAT_VALUES = [2.71828, 3.14159, 1.41421, 1.73205, 2.23607, 0.57721]


def _made_up_station(rng):
    """An untidy station name nobody has seen: parts joined by `_`, spaces around."""
    name = "_".join(rng.sample(PARTS, rng.randint(1, 3)))
    return " " * rng.randint(0, 3) + name + " " * rng.randint(0, 3)


def _card(rng):
    """A 16-digit card number, written with or without spaces."""
    digits = "".join(str(rng.randint(0, 9)) for _ in range(16))
    if rng.random() < 0.5:
        return digits
    return " ".join(digits[i : i + 4] for i in range(0, 16, 4))


@checks.form
def form(rng):
    coffee = rng.choice([2.2, 2.4, 2.6, 2.8, 3.1, 3.3])
    cake = rng.choice([2.9, 3.15, 3.4, 3.6, 4.05, 4.5])
    method = rng.choice(STRING_METHODS)
    return {
        # 1.1 a receipt
        "coffee_price": coffee,
        "cake_price": cake,
        "coffees": rng.randint(2, 5),
        "cakes": rng.randint(1, 4),
        "hidden_receipts": [
            [rng.choice([1.0, 1.9, 2.85, 3.3]), rng.choice([0.5, 2.0, 4.1]), n, m]
            for n, m in ((rng.randint(1, 6), rng.randint(1, 6)), (0, rng.randint(1, 4)), (rng.randint(1, 5), 0))
        ],
        # 1.2 minutes into hours
        "rain_minutes": rng.randint(130, 1300),
        "hidden_minutes": [59, 60, rng.randint(61, 999), 60 * rng.randint(2, 40), rng.randint(1000, 5000)],
        # 1.3 savings
        "start": rng.choice([300, 500, 800, 1200, 2500]),
        "rate_percent": rng.randint(2, 6),
        "years": rng.randint(5, 15),
        "hidden_savings": [
            [rng.choice([1000, 2000, 750]), rng.randint(1, 10), rng.randint(2, 8)],
            [rng.choice([80, 150, 640]), 0, rng.randint(3, 9)],
            [rng.choice([400, 5000]), rng.randint(4, 12), 1],
        ],
        # quizzes on variables
        "rem_a": rng.randint(20, 99),
        "rem_b": rng.randint(3, 9),
        "x_start": rng.randint(3, 9),
        "x_times": rng.randint(2, 4),
        "x_minus": rng.randint(1, 6),
        # 2.1 a station name
        "raw_station": rng.choice(STATIONS),
        "hidden_stations": [_made_up_station(rng) for _ in range(3)],
        # 2.2 a report line
        "city": rng.choice(CITIES),
        "temp_c": round(rng.uniform(-15, 38), 2),
        "humidity": round(rng.uniform(0.05, 0.99), 4),
        "hidden_reports": [
            [rng.choice(CITIES), round(rng.uniform(-20, 40), 2), round(rng.uniform(0, 1), 3)]
            for _ in range(3)
        ],
        # 2.3 a card number
        "card_number": _card(rng),
        "hidden_cards": [_card(rng) for _ in range(3)],
        # quizzes on strings
        "method_from": method[0],
        "method_to": method[1],
        "method_answer": method[2],
        "format_value": rng.choice(FORMAT_VALUES),
        "format_digits": rng.randint(1, 3),
        # 3.1 temperature bands: the rule itself differs per form
        "mild_from": rng.choice([8, 10, 12, 15]),
        "warm_from": rng.choice([18, 20, 22, 25]),
        "temp_today": round(rng.uniform(-5, 30), 1),
        # 3.2 the ride: its height limits differ per form
        "alone_cm": rng.choice([130, 135, 140, 145]),
        "adult_cm": rng.choice([105, 110, 115, 120, 125]),
        "height_cm": rng.randint(100, 150),
        "with_adult": rng.random() < 0.5,
        # 3.3 the museum's prices differ per form
        "free_under": rng.choice([4, 5, 6, 7]),
        "senior_from": rng.choice([60, 62, 65, 67]),
        "reduced": rng.choice([6.5, 7, 7.5, 8]),
        "full": rng.choice([11, 12, 13.5, 14]),
        "age": rng.randint(3, 80),
        "is_student": rng.random() < 0.5,
        # quizzes on decisions
        "score": rng.randint(30, 99),
        "cmp_a": rng.randint(1, 20),
        "cmp_b": rng.randint(1, 20),
        "cmp_c": rng.randint(1, 20),
        "cmp_d": rng.randint(1, 20),
    }


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
def receipt_total(ns, form):
    receipt = ns["receipt_total"]
    mine = (form.coffee_price, form.cake_price, form.coffees, form.cakes)
    for args in (mine, (1.25, 2.0, 1, 3)):
        call = f"receipt_total{args}"
        got = _number(receipt(*args), call)
        coffee, cake, coffees, cakes = args
        lines = [coffee] * coffees + [cake] * cakes  # one price per item on the receipt
        if _close(got, round(coffee + cake, 2)) and (coffees, cakes) != (1, 1):
            fail(f"`{call}` returned {got}: one coffee and one cake; use `coffees` and `cakes`")
        if not _close(got, round(sum(lines), 2)):
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
def rain_duration(ns, form):
    hours_of, left_of = ns["whole_hours"], ns["minutes_left"]
    for minutes in (form.rain_minutes, 125, 45):
        hours, rest = divmod(minutes, 60)
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


def _grown(start, rate_percent, years):
    """The balance after ``years``, one year at a time (the check's own way)."""
    balance = start
    for _ in range(years):
        balance += balance * rate_percent / 100
    return balance


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
def savings_growth(ns, form):
    savings = ns["savings_after"]
    for args in ((form.start, form.rate_percent, form.years), (1200, 2, 5)):
        call = f"savings_after{args}"
        got = _number(savings(*args), call)
        start, rate, years = args
        if abs(got - start * (1 + rate * years / 100)) < 0.006:
            fail(
                f"`{call}` returned {got}: the growth was added to the start only; "
                "each year's growth is computed on the balance so far (use `**`)"
            )
        if got > 100 * start:
            fail(f"`{call}` returned {got}: did you divide the percentage by 100?")
        if abs(got - _grown(*args)) > 0.006:
            fail(f"`{call}` returned {got}, which is not the balance after {years} years")


checks.numeric(
    "remainder",
    objective="use-variables",
    prompt="What is the value of `{{ form.rem_a }} % {{ form.rem_b }}`?",
    answer=lambda form: form.rem_a % form.rem_b,
    tolerance=0,
    hints=[
        "`%` is what is left after taking out as many whole {{ form.rem_b }}s as fit into "
        "{{ form.rem_a }}."
    ],
)

checks.numeric(
    "reassign",
    objective="use-variables",
    prompt=(
        "After `x = {{ form.x_start }}`, `x = x * {{ form.x_times }}` and "
        "`x = x - {{ form.x_minus }}`, what is `x`?"
    ),
    answer=lambda form: form.x_start * form.x_times - form.x_minus,
    tolerance=0,
    hints=["Each line computes the right-hand side with the current `x`, then replaces it."],
)

# -- work-with-strings ----------------------------------------------------------------


def _tidy(raw):
    """A station name tidied word by word (the check's own way)."""
    words = [w for w in raw.replace("_", " ").split(" ") if w]
    return " ".join(w[:1].upper() + w[1:].lower() for w in words)


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
def station_name(ns, form):
    clean = ns["clean_name"]
    for raw in dict.fromkeys((form.raw_station, "new_york_jfk  ")):
        got = clean(raw)
        call = f"clean_name({raw!r})"
        if not isinstance(got, str):
            fail(f"`{call}` returned a {type(got).__name__}; it should be a string")
        if got != got.strip():
            fail(f"`{call}` returned {got!r}: there are still spaces at an end")
        if "_" in got:
            fail(f"`{call}` returned {got!r}: turn every `_` into a space")
        if got != _tidy(raw):
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
def report_line(ns, form):
    report = ns["report_line"]
    for args in ((form.city, form.temp_c, form.humidity), ("Cairo", 35.55, 0.1)):
        city, temp, humidity = args
        got = report(*args)
        call = f"report_line{args}"
        if not isinstance(got, str):
            fail(f"`{call}` returned a {type(got).__name__}; return the line (a string)")
        before = f"{city}: {format(temp, '.1f')} °C"
        after = f" humidity {format(humidity, '.0%')}"
        if got == f"{before},{after}":
            continue
        if got.partition(",")[0] != before:
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
def mask_card(ns, form):
    mask = ns["mask_card"]
    for number in (form.card_number, "1111222233334444", "4111 1111 1111 111"):
        got = mask(number)
        call = f"mask_card({number!r})"
        if not isinstance(got, str):
            fail(f"`{call}` returned a {type(got).__name__}; it should be a string")
        if got != "**** **** **** " + "".join(number.split())[-4:]:
            if got.rstrip().endswith(number[-3:]) and " " in got[-5:]:
                fail(f"`{call}` returned {got!r}: remove the spaces before taking the last four")
            fail(
                f"`{call}` returned {got!r}: three groups of four stars, each followed by a space, then four digits"
            )


checks.single_choice(
    "strip-method",
    objective="work-with-strings",
    prompt="Which method turns `{{ form.method_from }}` into `{{ form.method_to }}`?",
    options=["strip", "upper", "lower", "title", "replace"],
    answer=lambda form: form.method_answer,
    hints=["Try each method on the text in a new cell; a line break counts as white space."],
)

checks.short_text(
    "format-spec",
    objective="work-with-strings",
    prompt='What text does `f"{{{ form.format_value }}:.{{ form.format_digits }}f}"` produce?',
    patterns=lambda form: [
        r"^\s*['\"]?" + format(form.format_value, f".{form.format_digits}f").replace(".", r"\.")
        + r"['\"]?\s*$"
    ],
    answer=lambda form: format(form.format_value, f".{form.format_digits}f"),
    hints=["`.2f` keeps two decimals and rounds; the number after the dot says how many."],
)

# -- use-conditionals -----------------------------------------------------------------


def _band(form, temp):
    """The band of ``temp`` by this form's table (the check's own way: a lookup)."""
    starts = [(form.warm_from, "warm"), (form.mild_from, "mild"), (0, "cold")]
    return next((name for start, name in starts if temp >= start), "freezing")


@checks.question(
    "temperature-band",
    objective="use-conditionals",
    hints=[
        "Test the lowest band first: `if temp_c < 0:`, then `elif temp_c < {{ form.mild_from }}:` and so on.",
        "With `elif`, each test only sees temperatures that failed the tests above it.",
        "The last band needs no test: `else:`.",
    ],
    solution=(
        'if temp_c < 0:\n    band = "freezing"\nelif temp_c < {{ form.mild_from }}:\n    band = "cold"\n'
        'elif temp_c < {{ form.warm_from }}:\n    band = "mild"\nelse:\n    band = "warm"'
    ),
    show_solution=MASTERED,
)
def temperature_band(ns, form):
    band_of = ns["temperature_band"]
    middle = (form.mild_from + form.warm_from) / 2
    for temp in (form.temp_today, -5, form.mild_from / 2, middle, form.warm_from + 5):
        got = band_of(temp)
        if got != _band(form, temp):
            fail(f"`temperature_band({temp})` returned {got!r}; check the order of your tests")
    for temp in (0, form.mild_from, form.warm_from):
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
    solution=(
        "allowed = height_cm >= {{ form.alone_cm }} or "
        "(height_cm >= {{ form.adult_cm }} and with_adult)"
    ),
    show_solution=MASTERED,
)
def can_ride(ns, form):
    ride = ns["can_ride"]
    between = (form.alone_cm + form.adult_cm) // 2
    for height, adult in (
        (form.height_cm, form.with_adult),
        (between, True),
        (between, False),
        (form.alone_cm, False),
        (form.alone_cm - 1, False),
        (form.adult_cm, True),
        (form.adult_cm - 1, True),
    ):
        got = ride(height, adult)
        call = f"can_ride({height}, {adult})"
        if not isinstance(got, bool):
            fail(f"`{call}` returned {got!r}, a {type(got).__name__}; return True or False")
        allowed = height >= form.alone_cm or (adult and height >= form.adult_cm)
        if got is not allowed:
            fail(f"`{call}` returned {got}; who may ride at {height} cm, with adult = {adult}?")


@checks.question(
    "ticket-price",
    objective="use-conditionals",
    hints=[
        "Children under {{ form.free_under }} are free whether they are students or not: test that first.",
        "`age >= {{ form.senior_from }} or is_student` covers both reduced prices.",
    ],
    solution=(
        "if age < {{ form.free_under }}:\n    price = 0\n"
        "elif age >= {{ form.senior_from }} or is_student:\n    price = {{ form.reduced }}\n"
        "else:\n    price = {{ form.full }}"
    ),
    show_solution=MASTERED,
)
def ticket_price(ns, form):
    price_of = ns["ticket_price"]
    for age, student in (
        (form.age, form.is_student),
        (form.free_under + 15, True),
        (form.free_under + 24, False),
        (form.free_under - 1, True),
        (form.free_under, False),
        (form.senior_from, False),
        (form.senior_from - 1, False),
    ):
        got = price_of(age, student)
        call = f"ticket_price({age}, {student})"
        if isinstance(got, bool) or not isinstance(got, (int, float)):
            fail(f"`{call}` returned {got!r}; return a number")
        rules = ((age < form.free_under, 0), (age >= form.senior_from or student, form.reduced))
        expected = next((price for applies, price in rules if applies), form.full)
        if got != expected:
            fail(
                f"`{call}` returned {got}; which rule applies to this visitor, and is it tested first?"
            )


checks.single_choice(
    "elif-order",
    objective="use-conditionals",
    prompt="With `score = {{ form.score }}`, what does the if/elif/else in the notebook print?",
    options=["pass", "merit", "fail", "pass and merit"],
    answer=lambda form: "pass" if form.score >= 50 else "fail",
    hints=["Python stops at the first condition that is True."],
)

checks.single_choice(
    "comparison-result",
    objective="use-conditionals",
    prompt=(
        "What is the value of `{{ form.cmp_a }} < {{ form.cmp_b }} or "
        "{{ form.cmp_c }} > {{ form.cmp_d }}`?"
    ),
    options=["True", "False"],
    answer=lambda form: str(form.cmp_a < form.cmp_b or form.cmp_c > form.cmp_d),
    hints=["`or` is True when at least one side is True."],
)
