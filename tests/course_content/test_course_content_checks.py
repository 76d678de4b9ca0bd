"""The sample course's practice checks give specific, honest feedback (no kernel needed).

Each case runs one check of ``courses/intro-data-science/checks/<unit>.py`` against a
namespace built from a typical wrong answer, and asserts the verdict names what is wrong
("check how you handle missing values") without printing the value the check expected.
"""

from __future__ import annotations

import os
import re
from itertools import pairwise
from pathlib import Path
from typing import Any

import nbformat
import pytest
from course_content_helpers import COURSE, units

from mastery_nb.checks import Verdict, load_checks
from mastery_nb.course import load_course
from mastery_nb.root import CourseRoot

UNITS = [u.id for u in units()]

#: code run before the learner's answer, as the notebook's set-up cells would
SETUP = {
    "python-basics": "coffee_price, cake_price, coffees, cakes = 2.40, 3.15, 2, 1",
    "loops-and-errors": 'PRICES = {"apple": 0.5, "bread": 2.2, "milk": 1.1, "eggs": 3.4}',
    "plotting": """
import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt
import pandas as pd
penguins = pd.read_csv("../data/penguins.csv")
iowa = pd.read_csv("../data/iowa-electricity.csv")
iowa["year"] = pd.to_datetime(iowa["year"]).dt.year
renewables = iowa[iowa["source"] == "Renewables"].sample(frac=1, random_state=0)
weather = pd.read_csv("../data/seattle-weather.csv", parse_dates=["date"])
""",
    "sampling-simulation": "import numpy as np",
    "correlation-regression": """
import numpy as np
import pandas as pd
cars = pd.read_csv("../data/cars.csv")
anscombe = pd.read_csv("../data/anscombe.csv")
""",
    "project": "import numpy as np\nimport pandas as pd",
    "functions": """
def make_label(text, width=20, fill=".", align="left"):
    if align == "left":
        return text.ljust(width, fill)
    if align == "right":
        return text.rjust(width, fill)
    return text.center(width, fill)
""",
}

# (unit, question, the learner's wrong answer, words the message must contain,
#  words it must not contain because they would give the expected answer away); in a unit
#  with parallel forms each may be a function of the form the checks judge by (the preview)
WRONG_ANSWERS: list[tuple[str, str, Any, Any, Any]] = [
    (
        "loops-and-errors",
        "years-to-double",
        "def years_to_double(rate_percent):\n    balance, years = 1, 0\n"
        "    while balance <= 2:\n        balance *= 1 + rate_percent / 100\n"
        "        years += 1\n    return years - 1",
        "has not doubled yet",
        [],
    ),
    (
        "loops-and-errors",
        "first-over",
        "def first_over(values, limit):\n    i = 0\n    while values[i] <= limit:\n"
        "        i += 1\n    return i",
        "test `i < len(values)` before `values[i]`",
        [],
    ),
    (
        "loops-and-errors",
        "safe-float",
        "def safe_float(text):\n    return float(text)",
        "catch it with try/except and return None",
        [],
    ),
    (
        "loops-and-errors",
        "check-age",
        "def check_age(age):\n    if age < 0 or age > 130:\n"
        '        raise TypeError("bad age")\n    return age',
        "it should raise ValueError",
        [],
    ),
    (
        "loops-and-errors",
        "fix-price-of",
        "def price_of(item):\n    return PRICES[item.lower()]",
        "still raises KeyError",
        [],
    ),
    (
        "collections",
        "week",
        "def week(daily, n):\n    return daily[7 * n - 7 : 7 * n + 1]",
        "a slice stops before its end position",
        [],
    ),
    (
        "collections",
        "count-values",
        "def count_values(values):\n    counts = {}\n    for value in values:\n"
        "        counts[value] = 1\n    return counts",
        "add 1 to the count instead of setting it to 1",
        [],
    ),
    (
        "collections",
        "min-max",
        "def min_max(values):\n    return [min(values), max(values)]\n"
        "def spread(values):\n    low, high = min_max(values)\n    return high - low",
        "return a tuple",
        [],
    ),
    (
        "collections",
        "unique-sorted",
        "def unique_sorted(values):\n    return set(values)",
        "return a sorted list",
        [],
    ),
    (
        "collections",
        "in-both",
        "def in_both(a, b):\n    return sorted(set(a) | set(b))",
        "keep those in both",
        [],
    ),
    (
        "collections",
        "slice-tricks",
        "def every_other(values):\n    values.reverse()\n    return values[::2]\n"
        "def newest_first(values):\n    return values[::-1]",
        "changed the list it was given",
        [],
    ),
    (
        "functions",
        "pace",
        "def pace(distance_km, minutes):\n    return round(distance_km / minutes, 2)",
        "that is kilometres per minute",
        lambda f: [str(round(f.run_minutes / f.distance_km, 2)), "6.25"],
    ),
    (
        "functions",
        "to-celsius",
        "def to_celsius(fahrenheit):\n    return round(fahrenheit - 32 * 5 / 9, 1)",
        "subtract 32 before multiplying",
        lambda f: [str(round((f.reading_f - 32) * 5 / 9, 1))],
    ),
    (
        "functions",
        "to-celsius",
        "def to_celsius(fahrenheit):\n    print(round((fahrenheit - 32) * 5 / 9, 1))",
        "printing is not returning",
        [],
    ),
    (
        "functions",
        "greeting",
        'def greeting(name, greeting):\n    return f"{greeting}, {name}!"',
        lambda f: f'should have the default value "{f.default_greeting}"',
        [],
    ),
    (
        "functions",
        "menu-line",
        lambda f: (
            "def menu_line(dish):\n"
            f"    return make_label(dish, width={f.width}, fill={f.fill!r}, align='right')"
        ),
        "keep the default alignment",
        [],
    ),
    (
        "functions",
        "total-rain",
        "def total_rain(values):\n    total = 0\n    for value in values:\n"
        "        total = value\n    return round(total, 1)",
        "add to the total instead of replacing it",
        lambda f: [str(round(sum(f.rain_mm), 1))],
    ),
    (
        "functions",
        "count-above",
        "def count_above(values, limit):\n    count = 0\n    for value in values:\n"
        "        if value >= limit:\n            count += 1\n    return count",
        "a value equal to the limit is not above it",
        [],
    ),
    (
        "functions",
        "warmest",
        "def warmest(values):\n    best, where = 0, 0\n    for i in range(len(values)):\n"
        "        if values[i] > best:\n            best, where = values[i], i\n    return where",
        "did you start the best at 0?",
        [],
    ),
    (
        "python-basics",
        "rain-duration",
        "def whole_hours(minutes):\n    return minutes / 60\n"
        "def minutes_left(minutes):\n    return minutes % 60",
        "`//` keeps whole numbers",
        lambda f: [f"{f.rain_minutes // 60},", f" {f.rain_minutes % 60}"],
    ),
    (
        "python-basics",
        "savings-growth",
        "def savings_after(start, rate_percent, years):\n"
        "    return round(start * (1 + rate_percent / 100 * years), 2)",
        "each year's growth is computed on the balance so far",
        lambda f: [str(round(f.start * (1 + f.rate_percent / 100) ** f.years, 2))],
    ),
    (
        "python-basics",
        "savings-growth",
        "def savings_after(start, rate_percent, years):\n"
        "    return round(start * (1 + rate_percent) ** years, 2)",
        "divide the percentage by 100",
        lambda f: [str(round(f.start * (1 + f.rate_percent / 100) ** f.years, 2))],
    ),
    (
        "python-basics",
        "station-name",
        'def clean_name(raw):\n    return raw.strip().replace("_", " ")',
        "capitalise the first letter of each word",
        lambda f: [f.raw_station.strip().replace("_", " ").title()],
    ),
    (
        "python-basics",
        "report-line",
        'def report_line(city, temp_c, humidity):\n    return f"{city}: {temp_c} °C, humidity {humidity:.0%}"',
        "check the part before the comma",
        lambda f: [f"{f.temp_c:.1f} °C"],
    ),
    (
        "python-basics",
        "mask-card",
        'def mask_card(card_number):\n    return "**** " * 3 + card_number[-4:]',
        "remove the spaces before taking the last four",
        [],
    ),
    (
        "python-basics",
        "temperature-band",
        lambda f: (
            "def temperature_band(temp_c):\n"
            '    if temp_c <= 0:\n        return "freezing"\n'
            f'    elif temp_c < {f.mild_from}:\n        return "cold"\n'
            f'    elif temp_c < {f.warm_from}:\n        return "mild"\n'
            '    return "warm"'
        ),
        "0 starts a new band",
        ["'cold'"],
    ),
    (
        "python-basics",
        "can-ride",
        "def can_ride(height_cm, with_adult):\n"
        '    return "yes" if height_cm >= 140 or (height_cm >= 120 and with_adult) else "no"',
        "return True or False",
        [],
    ),
    (
        "python-basics",
        "ticket-price",
        lambda f: (
            "def ticket_price(age, is_student):\n"
            f"    if age >= {f.senior_from} or is_student:\n        return {f.reduced}\n"
            f"    elif age < {f.free_under}:\n        return 0\n    return {f.full}"
        ),
        "is it tested first?",
        [],
    ),
    (
        "python-basics",
        "receipt-total",
        "def receipt_total(coffee_price, cake_price, coffees, cakes):\n"
        "    return round(coffee_price + cake_price, 2)",
        "use `coffees` and `cakes`",
        lambda f: [str(round(f.coffees * f.coffee_price + f.cakes * f.cake_price, 2)), "7.25"],
    ),
    (
        "python-basics",
        "receipt-total",
        "def receipt_total(coffee_price, cake_price, coffees, cakes):\n"
        "    return str(coffees * coffee_price + cakes * cake_price)",
        "it should be a number",
        lambda f: [str(round(f.coffees * f.coffee_price + f.cakes * f.cake_price, 2))],
    ),
]


WRONG_ANSWERS += [
    (
        "plotting",
        "bar-of-counts",
        "def bar_of_counts(table, column):\n    counts = table[column].value_counts(ascending=True)\n"
        "    fig, ax = plt.subplots()\n    ax.bar(counts.index, counts.values)\n    return ax",
        "largest first; use `value_counts()`",
        [],
    ),
    (
        "plotting",
        "line-over-years",
        "def line_over_years(table, x, y):\n    fig, ax = plt.subplots()\n"
        "    ax.plot(table[x], table[y])\n    return ax",
        "sort the table by `x` first",
        [],
    ),
    (
        "plotting",
        "line-over-years",
        "def line_over_years(table, x, y):\n    fig, ax = plt.subplots()\n"
        "    ax.plot(table.sort_values(x)[x], table.sort_values(x)[y])",
        "returned None: draw on an Axes and end the function with `return ax`",
        [],
    ),
    (
        "plotting",
        "plot-kind",
        "def plot_kind(table, x, y=None):\n    if y is None:\n"
        "        return 'histogram' if pd.api.types.is_numeric_dtype(table[x]) else 'bar'\n"
        "    return 'box' if table[x].dtype == object else 'line'",
        "for two numeric columns",
        [],
    ),
    (
        "sampling-simulation",
        "draw-sample",
        "def draw_sample(values, n, seed):\n"
        "    return np.random.default_rng(seed).choice(values, size=n, replace=True)",
        "draw without replacement",
        [],
    ),
    (
        "sampling-simulation",
        "draw-sample",
        "def draw_sample(values, n, seed):\n    return np.random.default_rng().choice(values, size=n, replace=False)",
        "two different results for the same seed",
        [],
    ),
    (
        "sampling-simulation",
        "resample",
        "def resample(values, seed):\n    return np.random.default_rng(seed).permutation(values)",
        "draw *with* replacement",
        [],
    ),
    (
        "sampling-simulation",
        "dice-total",
        "def dice_total_probability(total, trials, seed):\n"
        "    dice = np.random.default_rng(seed).integers(1, 6, size=(trials, 2))\n"
        "    return (dice.sum(axis=1) == total).mean()",
        "roll dice from 1 to 6",
        [],
    ),
    (
        "sampling-simulation",
        "at-least-once",
        "def at_least_once(p, tries, trials, seed):\n"
        "    rain = np.random.default_rng(seed).random(size=(trials, tries)) < p\n"
        "    return rain.all(axis=1).mean()",
        "rain on *every* day",
        [],
    ),
    (
        "sampling-simulation",
        "sample-means",
        "def sample_means(population, n, reps, seed):\n"
        "    return np.array([np.random.default_rng(seed).choice(population, size=n, replace=False).mean()"
        " for _ in range(reps)])",
        "make the generator once, before the loop",
        [],
    ),
    (
        "correlation-regression",
        "correlation",
        "def correlation(x, y):\n    return np.cov(x, y)[0, 1]",
        "that is the covariance",
        [],
    ),
    (
        "correlation-regression",
        "residuals",
        "def residuals(x, y, slope, intercept):\n"
        "    return slope * np.asarray(x) + intercept - np.asarray(y)",
        "a residual is actual y minus predicted y",
        [],
    ),
    (
        "correlation-regression",
        "fit-columns",
        "def fit_columns(table, x, y):\n    return tuple(np.polyfit(table[x], table[y], 1))",
        "leave out the rows with a missing value",
        [],
    ),
    (
        "correlation-regression",
        "strength",
        "def strength(r):\n    if r > 0.7:\n        return 'strong positive'\n"
        "    if r >= 0.3:\n        return 'moderate positive'\n    if r > -0.3:\n        return 'weak'\n"
        "    if r > -0.7:\n        return 'moderate negative'\n    return 'strong negative'",
        "which side of the boundary 0.7 belongs to",
        [],
    ),
    (
        "project",
        "people-average",
        "def people_average(table, year):\n    return round(table.loc[table['year'] == year, 'lifeExp'].mean(), 2)",
        "weight each by its population",
        [],
    ),
    (
        "project",
        "fell",
        "def fell(paired):\n    return sorted(paired.loc[paired['life_last'] > paired['life_first'], 'country'])",
        "those are the countries that rose",
        [],
    ),
]


WRITTEN = {u.id for u in units() if u.written}


@pytest.fixture
def units_dir(repo_root: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Run checks as the notebooks do: from the units folder, with no grading mode."""
    folder = repo_root / "courses" / COURSE / "units"
    monkeypatch.chdir(folder)
    for key in [k for k in os.environ if k.startswith("MASTERY_NB_")]:
        monkeypatch.delenv(key)
    return folder


def _run(unit: str, qid: str, code: str, folder: Path) -> Verdict:
    ns: dict[str, Any] = {}
    exec(SETUP.get(unit, ""), ns)
    exec(code, ns)
    checks = load_checks(unit, start=folder, namespace=ns)
    return checks.run(qid, record=False)


def _for_form(value: Any, unit: str, folder: Path) -> Any:
    """An entry of WRONG_ANSWERS for the form the checks judge by (a function of it)."""
    return value(load_checks(unit, start=folder, namespace={}).values) if callable(value) else value


@pytest.mark.parametrize(
    ("unit", "qid", "code", "expected", "forbidden"),
    WRONG_ANSWERS,
    ids=[f"{u}:{q}" for u, q, *_ in WRONG_ANSWERS],
)
def test_wrong_answer_gets_a_specific_message(
    units_dir: Path, unit: str, qid: str, code: Any, expected: Any, forbidden: Any
) -> None:
    code, expected, forbidden = (_for_form(v, unit, units_dir) for v in (code, expected, forbidden))
    verdict = _run(unit, qid, code, units_dir)
    assert verdict.status == "incorrect", verdict
    assert expected in verdict.message
    for word in forbidden:
        assert word not in verdict.message, f"the message gives the answer away: {verdict.message}"
    assert verdict.objective


def test_learner_exception_is_an_error_verdict_showing_their_exception(units_dir: Path) -> None:
    code = "def receipt_total(coffee_price, cake_price, coffees, cakes):\n    return coffees / 0"
    verdict = _run("python-basics", "receipt-total", code, units_dir)
    assert verdict.status == "error"
    assert "ZeroDivisionError" in verdict.message


@pytest.mark.parametrize("unit", UNITS)
def test_every_code_question_is_not_attempted_on_an_empty_notebook(
    units_dir: Path, unit: str
) -> None:
    ns: dict[str, Any] = {}
    exec(SETUP.get(unit, ""), ns)
    checks = load_checks(unit, start=units_dir, namespace=ns)
    code_questions = []
    for qid in checks.ids:
        try:
            checks.code_question(qid)
        except KeyError:
            continue
        code_questions.append(qid)
        verdict = checks.run(qid, record=False)
        assert verdict.status == "not_attempted", (qid, verdict)
    assert code_questions


@pytest.mark.parametrize("unit", UNITS)
def test_quizzes_score_right_wrong_and_missing_answers(units_dir: Path, unit: str) -> None:
    checks = load_checks(unit, start=units_dir, namespace={})
    quizzes = 0
    for qid in checks.ids:
        try:
            q = checks.quiz_question(qid)
        except KeyError:
            continue
        quizzes += 1
        right: Any = list(q.answer) if isinstance(q.answer, tuple) else q.answer
        assert checks.score(qid, right).status == "correct", qid
        assert checks.score(qid, None).status == "not_attempted", qid
        if q.kind == "single_choice":
            wrong: Any = next(o for o in q.options if o != q.answer)  # type: ignore[union-attr]
        elif q.kind == "multiple_choice":
            wrong = right[:-1]
        elif q.kind == "numeric":
            wrong = float(q.answer) + 1  # type: ignore[arg-type]
        else:
            wrong = "trim"
        verdict = checks.score(qid, wrong)
        assert verdict.status == "incorrect", (qid, wrong)
        assert str(right) not in verdict.message, "a quiz must not reveal its answer"
    assert quizzes >= 1 or unit not in WRITTEN


# -- the correctives' and challenges' checked practice ---------------------------------

_ASK = re.compile(r"""checks\.ask\(\s*["']([^"']+)["']\s*\)""")


def _resource_questions(course_dir: Path, unit: str) -> dict[str, list[tuple[str, str]]]:
    """resource href -> [(question id, the frame cell just before its Check cell)]."""
    found: dict[str, list[tuple[str, str]]] = {}
    for path in sorted((course_dir / "resources" / unit).glob("*.ipynb")):
        cells = [c for c in nbformat.read(path, as_version=4).cells if c.cell_type == "code"]
        asks = []
        for before, cell in pairwise(cells):
            match = _ASK.fullmatch(cell.source.strip())
            if match:
                asks.append((match.group(1), before.source))
        found[path.relative_to(course_dir).as_posix()] = asks
    return found


@pytest.mark.parametrize("unit", sorted(WRITTEN))
def test_every_corrective_and_challenge_ends_with_checked_practice(
    repo_root: Path, units_dir: Path, unit: str
) -> None:
    """Correctives: 2+ checked exercises of their objective; challenges: 1+. Each exercise's
    frame, as shipped, is not yet correct, and the worked solution passes its check."""
    course_dir = repo_root / "courses" / COURSE
    course = load_course(CourseRoot.at(repo_root), COURSE)
    practice = f"practice-{unit}"
    questions = _resource_questions(course_dir, unit)
    for objective in course.unit(unit).objectives:  # type: ignore[union-attr]
        for resources, least in ((objective.remediation, 2), (objective.enrichment, 1)):
            for resource in resources:
                asks = questions[resource.href]
                assert len(asks) >= least, f"{resource.href}: {len(asks)} checked exercises"
                for qid, frame in asks:
                    ns: dict[str, Any] = {}
                    exec(frame, ns)
                    checks = load_checks(
                        practice, start=course_dir / "resources" / unit, namespace=ns
                    )
                    assert checks.objective_of(qid) == objective.id, (resource.href, qid)
                    assert checks.run(qid, record=False).status in ("incorrect", "not_attempted")
                    solution = checks.code_question(qid).solution
                    assert solution, f"{practice}: {qid} has no worked solution"
                    solved: dict[str, Any] = {}
                    exec(solution, solved)
                    verdict = checks.bind(namespace=solved).run(qid, record=False)
                    assert verdict.status == "correct", (qid, verdict.message)
