"""Practice checks and quizzes for unit python-basics (Values, variables and decisions).

Each check looks at the learner's notebook namespace ``ns`` and says what is wrong without
giving the expected value away. Shipped as-is to the student version and the grading bundle.
"""

from mastery_nb.checks import Checks, fail, not_attempted

checks = Checks(unit="python-basics")


def _need(ns, *names):
    """Not attempted until every name the exercise asks for exists."""
    missing = [n for n in names if n not in ns]
    if missing:
        not_attempted(f"define {', '.join(f'`{n}`' for n in missing)} in your answer cell and run it")


def _number(ns, name):
    value = ns[name]
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        fail(f"`{name}` should be a number, got a {type(value).__name__}")
    return value


@checks.question(
    "receipt-total",
    objective="use-variables",
    hints=[
        "The order is two coffees and one cake: multiply the coffee price by 2, then add the cake.",
        "A 20 % tip means the total times 1.2. round(x, 2) keeps two decimals.",
    ],
    solution="total = 2 * coffee_price + cake_price\ntotal_with_tip = round(total * 1.2, 2)",
    show_solution="after_attempts:3",
)
def receipt_total(ns):
    _need(ns, "total", "total_with_tip")
    total = _number(ns, "total")
    tipped = _number(ns, "total_with_tip")
    coffee, cake = ns.get("coffee_price", 2.40), ns.get("cake_price", 3.15)
    if abs(total - (coffee + cake)) < 1e-9:
        fail("`total` counts only one coffee; the order has two")
    if abs(total - 2 * (coffee + cake)) < 1e-9:
        fail("`total` counts two cakes; the order has one")
    if abs(total - (2 * coffee + cake)) > 1e-9:
        fail(f"`total` is {total}, which is not the price of two coffees and one cake")
    if abs(tipped - total * 0.2) < 0.01:
        fail("`total_with_tip` is only the tip; add it to the total")
    if abs(tipped - total * 1.2) > 0.006:
        fail(f"`total_with_tip` is {tipped}; a 20 % tip multiplies the total by 1.2")
    if round(tipped, 2) != tipped:
        fail("`total_with_tip` has more than 2 decimals; use round(value, 2)")


@checks.question(
    "rain-duration",
    objective="use-variables",
    hints=[
        "`//` tells you how many whole hours fit into the minutes.",
        "`%` gives what is left after taking out the whole hours; `/` gives a float.",
    ],
    solution="hours = rain_minutes // 60\nminutes = rain_minutes % 60\nrain_hours = rain_minutes / 60",
    show_solution="after_attempts:3",
)
def rain_duration(ns):
    _need(ns, "hours", "minutes", "rain_hours")
    total = ns.get("rain_minutes", 437)
    hours, minutes = ns["hours"], ns["minutes"]
    if not isinstance(hours, int) or isinstance(hours, bool):
        fail(f"`hours` should be an int, got a {type(hours).__name__}; `//` keeps whole numbers")
    if not isinstance(minutes, int) or isinstance(minutes, bool):
        fail(f"`minutes` should be an int, got a {type(minutes).__name__}")
    if hours * 60 + minutes != total:
        fail(f"{hours} h {minutes} min is not {total} minutes")
    if not 0 <= minutes < 60:
        fail(f"`minutes` is {minutes}; the minutes left over should be between 0 and 59")
    rain_hours = _number(ns, "rain_hours")
    if abs(rain_hours - total / 60) > 1e-9:
        fail(f"`rain_hours` is {rain_hours}; divide the minutes by 60 with `/`")


@checks.question(
    "clean-station",
    objective="work-with-strings",
    hints=[
        "Three steps: remove the spaces at the ends, turn '_' into ' ', capitalise each word.",
        "Chain the methods: raw_station.strip().replace(...).title()",
    ],
    solution='station = raw_station.strip().replace("_", " ").title()',
    show_solution="after_attempts:3",
)
def clean_station(ns):
    _need(ns, "station")
    station = ns["station"]
    if not isinstance(station, str):
        fail(f"`station` should be a str, got a {type(station).__name__}")
    if station != station.strip():
        fail("`station` still has spaces at its ends")
    if "_" in station:
        fail("`station` still contains an underscore")
    if station.lower() != "oslo blindern":
        fail(f"`station` is {station!r}; it should contain the same words as raw_station")
    if station != station.title():
        fail(f"`station` is {station!r}; every word should start with a capital letter")


@checks.question(
    "report-line",
    objective="work-with-strings",
    hints=[
        "Inside an f-string, {temp_c:.1f} shows one decimal.",
        "The format spec `%` multiplies by 100 and adds a percent sign: {humidity:.0%}.",
    ],
    solution='report = f"{station}: {temp_c:.1f} °C, humidity {humidity:.0%}"',
    show_solution="after_attempts:3",
)
def report_line(ns):
    _need(ns, "report")
    report = ns["report"]
    if not isinstance(report, str):
        fail(f"`report` should be a str, got a {type(report).__name__}")
    station = ns.get("station", "")
    if not report.startswith(f"{station}: "):
        fail("`report` should start with the station name followed by ': '")
    if "4.25" in report:
        fail("`report` shows the temperature with two decimals; the format asks for one")
    if "°C" not in report:
        fail("`report` is missing the unit '°C' after the temperature")
    if "0.8125" in report or "0.81" in report:
        fail("`report` shows the humidity as a fraction; use the `%` format spec")
    if not report.endswith("81%"):
        fail("`report` should end with the humidity as a whole percentage")
    if report != f"{station}: {ns.get('temp_c', 4.25):.1f} °C, humidity {ns.get('humidity', 0.8125):.0%}":
        fail(f"`report` is {report!r}; compare spaces and commas with the example line")


def _category(t):
    if t < 0:
        return "freezing"
    if t < 15:
        return "cold"
    if t < 25:
        return "mild"
    return "hot"


@checks.question(
    "temp-category",
    objective="use-conditionals",
    hints=[
        "Start with the lowest band: `if temp_c < 0:`. Each `elif` then only needs the upper limit.",
        "25 itself is 'hot', 15 itself is 'mild', 0 itself is 'cold'.",
    ],
)
def temp_category(ns):
    _need(ns, "category")
    category = ns["category"]
    if category not in ("freezing", "cold", "mild", "hot"):
        fail(f"`category` is {category!r}; use exactly one of 'freezing', 'cold', 'mild', 'hot'")
    t = ns.get("temp_c", 4.25)
    if isinstance(t, (int, float)) and category != _category(t):
        fail(f"`category` is {category!r} for temp_c = {t}; check the order and limits of your conditions")


@checks.question(
    "storm-warning",
    objective="use-conditionals",
    hints=[
        "Write the rule as one expression: wind condition `or` (rain condition `and` temperature condition).",
        "'At least 60' is >= 60; 'more than 30' is > 30; freezing is below 0.",
    ],
    solution="warning = wind_kmh >= 60 or (rain_mm > 30 and night_temp_c < 0)",
    show_solution="after_attempts:4",
)
def storm_warning(ns):
    _need(ns, "warning")
    warning = ns["warning"]
    if isinstance(warning, str):
        fail("`warning` is a str; it should be the bool True or False (no quotes)")
    if not isinstance(warning, bool):
        fail(f"`warning` should be a bool, got a {type(warning).__name__}")
    wind, rain, night = ns.get("wind_kmh", 45), ns.get("rain_mm", 32), ns.get("night_temp_c", -1.5)
    expected = wind >= 60 or (rain > 30 and night < 0)
    if warning != expected:
        fail(f"`warning` is {warning} for wind {wind} km/h, rain {rain} mm and {night} °C; "
             "check each part of the rule and how you joined them with `and` / `or`")


checks.numeric(
    "floor-division",
    objective="use-variables",
    prompt="What is the value of -7 // 2 in Python?",
    answer=-4,
    tolerance=0,
)

checks.short_text(
    "strip-method",
    objective="work-with-strings",
    prompt="Which string method removes the spaces at both ends of a string? Type its name.",
    patterns=[r"^\s*\.?strip\s*(\(\s*\))?\s*$"],
    answer="strip",
)

checks.single_choice(
    "elif-order",
    objective="use-conditionals",
    prompt="With x = 12, what is `size` after the if/elif/else above runs?",
    options=["small", "medium", "large"],
    answer="medium",
)
